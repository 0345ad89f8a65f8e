"""A criteria table as a plain grid of cells, from an Excel sheet or a Word table.

Merged cells are resolved here, once: the cell that holds the value is the origin, every other
cell of the range repeats the value and says where it came from (``origin``), so the reader of
the grid decides what a merge means for each column (a shared rule text, or a field name
spread across the row). Hidden sheets are skipped: they are not the table a person reads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.table import _Cell
from openpyxl import load_workbook

from ..errors import Problem, RubricError
from ..files import not_a, sheet_problem, xlsx_problem
from .table_data import DOCX_PART_SUFFIX, read_docx_part

METADATA_SHEET = "parindex"


@dataclass(frozen=True)
class GridCell:
    value: Any = None
    origin: tuple[int, int] | None = None  # (row, column) of the merged range's first cell

    def below(self, row: int, column: int) -> bool:
        """A vertical continuation: same column, value from a row above."""
        return self.origin is not None and self.origin[1] == column and self.origin[0] < row

    def beside(self, column: int) -> bool:
        """A horizontal continuation: value from a column to the left."""
        return self.origin is not None and self.origin[1] < column


@dataclass
class Grid:
    """One sheet or one Word table: rows of cells, with the row numbers a person sees."""

    label: str  # "sheet “Phụ lục”" or "bảng 2"
    rows: list[list[GridCell]]
    numbers: list[int] = field(default_factory=list)

    def place(self, index: int) -> str:
        return f"{self.label}, dòng {self.numbers[index]}"

    def cell(self, row: int, column: int) -> GridCell:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else GridCell()


@dataclass
class Workbook:
    """Every grid of a file, and the hidden parindex data when the file is an export."""

    grids: list[Grid]
    data: str | None = None


def read_workbook(path: str | Path) -> Workbook:
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise RubricError.single(str(path), "", "không tìm thấy tệp")
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".docx":
        return _read_docx(path)
    raise RubricError.single(str(path), "", "định dạng không hỗ trợ; cần bảng .xlsx hoặc .docx")


def _read_xlsx(path: Path) -> Workbook:
    problem = xlsx_problem(path)
    if problem is not None:
        raise RubricError.single(str(path), "", problem)
    try:
        book = load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - zlib.error, XML ParseError, KeyError…: any damage inside the file
        raise RubricError(Problem(str(path), "", f"không mở được tệp Excel: {not_a(path, 'xlsx')}")) from None
    for sheet in book.worksheets:
        far = sheet_problem(sheet)
        if far is not None:
            raise RubricError.single(str(path), *far)
    grids: list[Grid] = []
    data = None
    for sheet in book.worksheets:
        if sheet.title == METADATA_SHEET:
            data = "".join(str(row[0]) for row in sheet.iter_rows(min_row=2, max_col=1, values_only=True) if row[0])
            continue
        if sheet.sheet_state != "visible":
            continue
        rows = [[GridCell(value) for value in row] for row in sheet.iter_rows(values_only=True)]
        for merged in sheet.merged_cells.ranges:
            top, left = merged.min_row - 1, merged.min_col - 1
            if top >= len(rows):
                continue
            value = rows[top][left].value if left < len(rows[top]) else None
            for r in range(top, min(merged.max_row, len(rows))):
                for c in range(left, min(merged.max_col, len(rows[r]))):
                    if (r, c) != (top, left):
                        rows[r][c] = GridCell(value, (top, left))
        grids.append(Grid(f"sheet “{sheet.title}”", rows, list(range(1, len(rows) + 1))))
    return Workbook(grids, data)


def _read_docx(path: Path) -> Workbook:
    problem = xlsx_problem(path)  # the same zip-bomb bounds as a workbook's
    if problem is not None:
        raise RubricError.single(str(path), "", problem.replace("tệp Excel", "tệp Word"))
    try:
        document = docx.Document(str(path))
    except Exception:  # noqa: BLE001 - damaged zip or XML inside, whatever the library raises
        raise RubricError(Problem(str(path), "", f"không mở được tệp Word: {not_a(path, 'docx')}")) from None
    grids = []
    for number, table in enumerate(document.tables, 1):
        rows: list[list[GridCell]] = []
        for r, tr in enumerate(table._tbl.tr_lst):
            cells: list[GridCell] = []
            for tc in tr.tc_lst:
                column = len(cells)
                merge = tc.vMerge
                if merge == "continue":
                    above = rows[r - 1][column] if r and column < len(rows[r - 1]) else GridCell()
                    origin = above.origin or (r - 1, column)
                    cell = GridCell(above.value, origin)
                else:
                    cell = GridCell(_Cell(tc, table).text)
                cells.append(cell)
                for _ in range(tc.grid_span - 1):
                    cells.append(GridCell(cell.value, cell.origin or (r, column)))
            rows.append(cells)
        grids.append(Grid(f"bảng {number}", rows, list(range(1, len(rows) + 1))))
    return Workbook(grids, _docx_data(document))


def _docx_data(document: Any) -> str | None:
    for rel in document.part.rels.values():
        if not rel.is_external and str(rel.target_part.partname).endswith(DOCX_PART_SUFFIX):
            return read_docx_part(rel.target_part.blob)
    return None
