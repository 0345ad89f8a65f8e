"""Evidence files → ``EvidenceTable``: YAML for one unit, CSV wide tables for many."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import numpy as np

from criteria import EvidenceError, Problem, Rubric
from criteria.files import csv_header, read_csv_frame
from criteria.names import unit_clash
from criteria.rules import Column
from criteria.rules.base import nfc
from criteria.yaml_lines import LineDict, load_yaml

from scoring.evidence import Document, EvidenceTable, validate_cells
from scoring.workbook.details import UnitDetails

_YAML_KEYS = {"unit", "rubric", "year", "level", "evidence", "explanations", "documents"}


def read_evidence(rubric: Rubric, path: str | Path) -> EvidenceTable:
    """Read any supported evidence file, chosen by its extension."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_evidence_yaml(rubric, path)
    if suffix == ".csv":
        return read_evidence_csv(rubric, path)
    if suffix == ".xlsx":
        return _read_workbook(rubric, path).table
    raise EvidenceError.single(str(path), "", "định dạng không hỗ trợ; cần .yaml, .csv hoặc .xlsx")


def combine(tables: list[EvidenceTable]) -> EvidenceTable:
    """Several evidence files of one rubric as one table (unit names must not repeat)."""
    if len(tables) == 1:
        return tables[0]
    units = [u for t in tables for u in t.units]
    seen: dict[str, str] = {}
    duplicates = []
    for unit in units:
        earlier = unit_clash(unit, seen)
        if earlier is not None:
            duplicates.append(unit if earlier == unit else f"{unit} (trùng với {earlier})")
    duplicates = sorted(set(duplicates))
    if duplicates:
        raise EvidenceError.single(
            ", ".join(t.source for t in tables), "", f"đơn vị xuất hiện nhiều lần: {', '.join(duplicates)}"
        )
    codes = tables[0].columns.keys()
    columns = {
        code: Column(
            np.concatenate([t.columns[code].state for t in tables]),
            np.concatenate([t.columns[code].a for t in tables]),
            np.concatenate([t.columns[code].b for t in tables]),
            _concat_notes([t.columns[code] for t in tables]),
        )
        for code in codes
    }
    table = EvidenceTable(tables[0].rubric_id, units, columns, ", ".join(t.source for t in tables))
    for t in tables:
        table.explanations.update(t.explanations)
        table.documents.update(t.documents)
    return table


def _concat_notes(columns: list) -> Any:
    if all(c.note is None for c in columns):
        return None
    return np.concatenate([c.note if c.note is not None else np.full(len(c.state), None, object) for c in columns])


def read_evidence_yaml(rubric: Rubric, path: str | Path) -> EvidenceTable:
    """One unit's evidence::

        unit: UBND xã An Phú
        rubric: demo-xa-2025          # optional; checked when given
        evidence: {"1.1.1": 15/01/2025, "1.1.4": 45/50, "3": không phát sinh}
        explanations: {"2.1": "…giải trình…"}
        documents: {"1.1.1": [{number: 12/KH-UBND, date: 15/01/2025, summary: "…"}]}
    """
    name = str(path)
    data = load_yaml(path, EvidenceError)
    if not isinstance(data, dict):
        raise EvidenceError.single(name, "dòng 1", "tệp số liệu phải là một bảng khóa–giá trị")
    problems = [
        Problem(name, f"dòng {data.key_lines[k]}", f"trường “{k}” không được phép; cần {sorted(_YAML_KEYS)}")
        for k in data if k not in _YAML_KEYS
    ]
    unit = data.get("unit")
    if not isinstance(unit, str) or not unit.strip():
        problems.append(Problem(name, "dòng 1", "cần trường “unit”: tên đơn vị"))
    if "rubric" in data and data["rubric"] != rubric.id:
        problems.append(Problem(name, f"dòng {data.key_lines['rubric']}",
                                f"số liệu dành cho bộ chỉ số “{data['rubric']}”, không phải “{rubric.id}”"))
    evidence = data.get("evidence") or LineDict()
    for key in ("evidence", "explanations", "documents"):
        if key in data and data[key] is not None and not isinstance(data[key], dict):
            problems.append(Problem(name, f"dòng {data.key_lines[key]}", f"“{key}” phải là bảng mã tiêu chí → giá trị"))
    if problems:
        raise EvidenceError(problems)
    unit = nfc(unit)
    lines = getattr(evidence, "key_lines", {})
    cells = {code: [value] for code, value in evidence.items()}
    documents, explanations = _yaml_documents(data, unit, name, rubric)
    return validate_cells(
        rubric, [unit], cells, name,
        lambda row, code: f"dòng {lines.get(code, getattr(evidence, 'line', 1))}",
        explanations, documents,
    )


def _yaml_documents(
    data: dict, unit: str, name: str, rubric: Rubric
) -> tuple[dict[tuple[str, str], list[Document]], dict[tuple[str, str], str]]:
    problems: list[Problem] = []
    explanations: dict[tuple[str, str], str] = {}
    for code, text in (data.get("explanations") or {}).items():
        line = f"dòng {data['explanations'].key_lines[code]}"
        if code not in rubric.by_code:
            problems.append(Problem(name, line, f"mã tiêu chí “{code}” không có trong bộ chỉ số", code))
        elif not isinstance(text, str):
            problems.append(Problem(name, line, "giải trình phải là văn bản", code))
        else:
            explanations[(unit, code)] = nfc(text)
    documents: dict[tuple[str, str], list[Document]] = {}
    for code, items in (data.get("documents") or {}).items():
        line = f"dòng {data['documents'].key_lines[code]}"
        if code not in rubric.by_code:
            problems.append(Problem(name, line, f"mã tiêu chí “{code}” không có trong bộ chỉ số", code))
            continue
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            problems.append(Problem(name, line, "tài liệu kiểm chứng là danh sách {number, date, summary}", code))
            continue
        docs = []
        for item in items:
            unknown = set(item) - {"number", "date", "summary"}
            if unknown:
                problems.append(Problem(name, f"dòng {item.line}", f"trường không được phép {sorted(unknown)}", code))
            docs.append(Document(*(nfc(str(item.get(k) or "")) for k in ("number", "date", "summary"))))
        documents[(unit, code)] = docs
    if problems:
        raise EvidenceError(problems)
    return documents, explanations


def _read_workbook(rubric: Rubric, path: Path):  # noqa: ANN202 - scoring.inputs.xlsx.Workbook read
    # Loaded here, not at the top: openpyxl and pandas cost ~0.3 s, and one YAML unit needs neither.
    from scoring.inputs.xlsx import read_workbook  # openpyxl and pandas: loaded only for a workbook

    return read_workbook(rubric, path)


def read_evidence_csv(rubric: Rubric, path: str | Path) -> EvidenceTable:
    """A wide table: one row per unit, first column the unit's name, one column per code."""
    name = str(path)
    frame, text = read_csv_frame(path, EvidenceError, skip_blank_lines=False)  # row numbers true to the file
    header = [nfc(h) for h in csv_header(text)]
    repeated = sorted({h for h in header if header.count(h) > 1})
    if repeated:  # pandas would silently rename a repeated "1.1" to "1.1.1"
        raise EvidenceError.single(name, "dòng 1", f"cột bị lặp: {', '.join(repeated)}")
    from scoring.inputs.wide import wide_frame_to_table  # pandas: loaded for a table, not for one YAML unit

    return wide_frame_to_table(rubric, frame, name, lambda row, col: f"dòng {row + 2}, cột “{col}”")


def read_with_details(rubric: Rubric, paths: Iterable[str | Path]) -> tuple[EvidenceTable, dict[str, UnitDetails]]:
    """Evidence files as one table, with the unit details any self-assessment workbook carries."""
    tables, details = [], {}
    for path in paths:
        if Path(path).suffix.lower() == ".xlsx":
            read = _read_workbook(rubric, path)
            tables.append(read.table)
            details.update(read.details)
        else:
            tables.append(read_evidence(rubric, path))
    return combine(tables), details
