"""Evidence from .xlsx: a unit's self-assessment workbook, or a wide table of many units.

The self-assessment workbook is recognised by its hidden sheet “Mã”; anything else is read
as a wide table: a header row with a unit column (“Đơn vị”) and one column per criterion
code, one row per unit. Both end in ``validate_frame``; every problem names sheet and cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from criteria import EvidenceError, Problem, Rubric
from criteria.rules.base import nfc

from scoring.evidence import EvidenceTable, ProblemList
from scoring.inputs.wide import UNIT_COLUMNS, wide_frame_to_table
from scoring.workbook.details import UnitDetails
from scoring.workbook.reader import read_self_assessment, template_meta
from scoring.office.xlsx_book import CellError, ReadBook, header_text, multi_row_merges
from scoring.office.xlsx_cells import place

_HEADER_SCAN = 10


@dataclass
class WorkbookEvidence:
    """What a workbook holds: the evidence, and the unit details of a self-assessment sheet."""

    table: EvidenceTable
    details: dict[str, UnitDetails] = field(default_factory=dict)


def read_evidence_xlsx(rubric: Rubric, path: str | Path) -> EvidenceTable:
    return read_workbook(rubric, path).table


def read_workbook(rubric: Rubric, path: str | Path) -> WorkbookEvidence:
    book = ReadBook(path)
    meta = template_meta(book)
    if meta is not None:
        table, details = read_self_assessment(rubric, book, meta)
        return WorkbookEvidence(table, {details.unit: details})
    return WorkbookEvidence(read_wide(rubric, book))


def _find_table(book: ReadBook) -> tuple[Worksheet, int, int]:
    """The first visible sheet with a unit column header in its first rows: (sheet, row, column)."""
    for ws in book.book.worksheets:
        if ws.sheet_state != "visible":
            continue
        for row in ws.iter_rows(min_row=1, max_row=_HEADER_SCAN):
            for cell in row:
                if isinstance(cell.value, str) and nfc(cell.value).casefold() in UNIT_COLUMNS:
                    return ws, cell.row, cell.column
    raise EvidenceError.single(book.name, "", "không tìm thấy bảng số liệu: cần một hàng tiêu đề có cột "
                                              "“Đơn vị” và các cột mã tiêu chí (hoặc dùng mẫu của parindex template)")


def read_wide(rubric: Rubric, book: ReadBook) -> EvidenceTable:
    """One row per unit, one column per code, under a header row (titles above it are ignored)."""
    ws, header_row, unit_column = _find_table(book)
    name = book.name
    problems: list[Problem] = []
    letters: dict[str, str] = {}
    kept: list[int] = []
    for column in range(1, ws.max_column + 1):
        label = header_text(ws.cell(header_row, column).value)
        letter = get_column_letter(column)
        if not label:
            if any(ws.cell(r, column).value is not None for r in range(header_row + 1, ws.max_row + 1)):
                problems.append(Problem(name, place(ws.title, f"{letter}{header_row}"),
                                        "cột có số liệu nhưng thiếu mã tiêu chí ở hàng tiêu đề"))
            continue
        if label in letters:
            problems.append(Problem(name, place(ws.title, f"{letter}{header_row}"),
                                    f"cột “{label}” bị lặp (đã có ở cột {letters[label]})", label))
            continue
        letters[label] = letter
        kept.append(column)
    rows = []
    for row in range(header_row + 1, ws.max_row + 1):
        texts = []
        for column in kept:
            try:
                texts.append(book.text(ws, row, column))
            except CellError as exc:
                label = header_text(ws.cell(header_row, column).value)
                problems.append(Problem(name, place(ws.title, f"{get_column_letter(column)}{row}"), str(exc),
                                        label if column != unit_column else None))
                texts.append("")
        rows.append(texts)
    for coord in multi_row_merges(ws, header_row + 1, set(kept)):
        problems.append(Problem(name, place(ws.title, coord),
                                "ô gộp trải qua nhiều dòng; hãy bỏ gộp ô và nhập riêng cho từng đơn vị"))
    frame = pd.DataFrame(rows, columns=[header_text(ws.cell(header_row, c).value) for c in kept], dtype=str)
    unit_letter = get_column_letter(unit_column)

    def cell_place(row: int, label: str) -> str:
        letter = letters.get(label, unit_letter)
        return place(ws.title, f"{letter}{header_row if row < 0 else header_row + 1 + row}")

    try:
        table = wide_frame_to_table(rubric, frame, name, cell_place)
    except EvidenceError as exc:
        problems.extend(exc.problems)
        table = None
    collected = ProblemList()
    for problem in problems:
        collected.add(problem)
    collected.raise_if_any(name)
    assert table is not None
    return table
