"""Test cases a province writes for its own rubric: evidence in, expected points out.

A cases file sits beside the rubric (``rubrics/tests/<id>.cases.yaml``)::

    rubric: demo-xa-2025
    cases:
      - name: Kế hoạch ban hành sau hạn được 0,5 điểm
        evidence: {"2.2.1": 15/02/2025}
        expect: {"2.2.1": 0.5}
      - name: Tổng điểm khi chưa nhập gì
        evidence: {}
        expect: {total: 0, index: 0}

``expect`` maps criterion codes to points, and may name ``total`` (points), ``max`` and
``index`` (%, compared after rounding to the rubric's precision).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from criteria import EvidenceError, InputError, Problem, Rubric, load_rubric
from criteria.numbers import format_points, parse_decimal, round_half_up
from criteria.yaml_lines import load_yaml

from scoring.engine import score
from scoring.evidence import validate_cells

_TOTAL_KEYS = ("total", "max", "index")


@dataclass(frozen=True)
class CaseOutcome:
    name: str
    line: int
    failures: tuple[str, ...]  # empty when the case passes

    @property
    def passed(self) -> bool:
        return not self.failures


def run_cases(rubric: Rubric, path: str | Path) -> list[CaseOutcome]:
    """Run every case of a cases file; bad files raise ``InputError`` naming the line."""
    name = str(path)
    data = load_yaml(path, InputError)
    if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
        raise InputError.single(name, "dòng 1", "tệp ca kiểm thử cần “rubric” và danh sách “cases”")
    if data.get("rubric") != rubric.id:
        raise InputError.single(name, "dòng 1", f"các ca dành cho bộ chỉ số “{data.get('rubric')}”, không phải “{rubric.id}”")
    outcomes = []
    for case in data["cases"]:
        if not isinstance(case, dict) or set(case) - {"name", "evidence", "expect"} or "expect" not in case:
            raise InputError.single(name, f"dòng {getattr(case, 'line', 0)}", "mỗi ca cần name, evidence, expect (không khóa nào khác)")
        outcomes.append(_run_case(rubric, case, name))
    return outcomes


def _run_case(rubric: Rubric, case: dict, file: str) -> CaseOutcome:
    label = str(case.get("name") or f"ca ở dòng {case.line}")
    evidence = dict(case.get("evidence") or {})
    lines = getattr(case.get("evidence"), "key_lines", {})
    try:
        table = validate_cells(rubric, [label], {code: [value] for code, value in evidence.items()}, file,
                               lambda row, code: f"dòng {lines.get(code, case.line)}")
    except EvidenceError as exc:
        return CaseOutcome(label, case.line, tuple(str(p) for p in exc.problems))
    result = score(rubric, table).result(0)
    failures = []
    expect = case["expect"]
    if not isinstance(expect, dict):
        raise InputError(Problem(file, f"dòng {case.line}", "“expect” phải là bảng mã → điểm"))
    for key, wanted in expect.items():
        try:
            wanted_value = parse_decimal(wanted)
        except ValueError as exc:
            raise InputError(Problem(file, f"dòng {expect.key_lines[key]}", str(exc), key)) from None
        got = _actual(rubric, result, key)
        if got is None and key not in _TOTAL_KEYS and key not in rubric.by_code:
            raise InputError(Problem(file, f"dòng {expect.key_lines[key]}", "mã tiêu chí không có trong bộ chỉ số", key))
        if got != wanted_value:
            shown = "—" if got is None else format_points(got)
            failures.append(f"{key}: mong đợi {format_points(wanted_value)}, được {shown}")
    return CaseOutcome(label, case.line, tuple(failures))


def _actual(rubric: Rubric, result, key: str) -> Decimal | None:  # noqa: ANN001 - UnitResult
    totals = result.totals
    if key == "total":
        return totals.points
    if key == "max":
        return totals.max
    if key == "index":
        return None if totals.index is None else round_half_up(totals.index, rubric.precision)
    if key not in rubric.by_code:
        return None
    return result.node(key).points


def cases_file_for(rubric_path: str | Path) -> Path:
    """Where a rubric's cases live: ``rubrics/tests/<file stem>.cases.yaml``."""
    path = Path(rubric_path)
    return path.parent / "tests" / f"{path.stem}.cases.yaml"


def run_rubric_cases(rubric_path: str | Path, cases_path: str | Path | None = None) -> tuple[Path, list[CaseOutcome]]:
    """``parindex rubric test``: the cases file used (given, or the rubric's own) and each case's outcome."""
    path = Path(cases_path) if cases_path is not None else cases_file_for(rubric_path)
    return path, run_cases(load_rubric(rubric_path), path)
