"""An .xlsx opened for reading evidence: every cell as text, whatever Excel or LibreOffice did.

openpyxl gives a formula's text, not its result; the results cached by the program that
last saved the file are loaded only when a formula is met. Error values (#REF!) and formulas
never calculated are refused with a message for that cell, not read as data.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from criteria import EvidenceError, InputError
from criteria.files import not_a, sheet_problem, xlsx_problem
from criteria.rules.base import nfc

from scoring.office.xlsx_cells import value_text


class CellError(ValueError):
    """A cell that cannot be read as data (the message says why, in Vietnamese)."""


def _load(path: Path, data_only: bool) -> Workbook:
    with warnings.catch_warnings():  # “Data Validation extension is not supported…”: harmless here
        warnings.simplefilter("ignore")
        return load_workbook(path, data_only=data_only)


def open_workbook(path: Path, error: type[InputError], data_only: bool = False) -> Workbook:
    """A workbook opened within bounds, or ``error`` naming the file (and the far cell) in Vietnamese:
    a zip bomb or damaged zip/XML never reaches a library message or a traceback."""
    name = str(path)
    problem = xlsx_problem(path)
    if problem is not None:
        raise error.single(name, "", problem)
    try:
        book = _load(path, data_only=data_only)
    except FileNotFoundError:
        raise error.single(name, "", "không tìm thấy tệp") from None
    except IsADirectoryError:
        raise error.single(name, "", "đây là một thư mục, cần một tệp") from None
    except Exception:  # noqa: BLE001 - zlib.error, XML ParseError, KeyError…: any damage inside the file
        raise error.single(name, "", f"không đọc được tệp Excel: {not_a(path, 'xlsx')}") from None
    for ws in book.worksheets:
        far = sheet_problem(ws)
        if far is not None:
            raise error.single(name, *far)
    return book


class ReadBook:
    """A workbook and the means to read its cells as text."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(path)
        self.book = open_workbook(self.path, EvidenceError)
        self._cached: Workbook | None = None

    def cached_value(self, sheet: str, row: int, column: int) -> tuple[Any, str]:
        """A formula cell's last calculated value and its type (``e`` for an error)."""
        if self._cached is None:
            self._cached = open_workbook(self.path, EvidenceError, data_only=True)
        cell = self._cached[sheet].cell(row, column)
        return cell.value, cell.data_type

    def text(self, ws: Worksheet, row: int, column: int) -> str:
        """The cell as text (“” when empty or hidden under a merge); raises ``CellError``."""
        cell = ws.cell(row, column)
        if isinstance(cell, MergedCell):
            return ""
        value, kind = cell.value, cell.data_type
        if kind == "f":
            value, kind = self.cached_value(ws.title, row, column)
            if value is None:
                raise CellError("ô chứa công thức chưa được tính; hãy nhập giá trị trực tiếp "
                                "(hoặc mở và lưu lại tệp bằng Excel/LibreOffice)")
        if kind == "e":
            raise CellError(f"ô có lỗi công thức {value}; hãy nhập giá trị trực tiếp")
        return value_text(value, cell.number_format)


def header_text(value: Any) -> str:
    """A header cell as a code: a number typed as 1.1 stays “1.1” (codes use dots)."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return "" if value is None else nfc(str(value))


def multi_row_merges(ws: Worksheet, first_row: int, columns: set[int]) -> list[str]:
    """Merged ranges below ``first_row`` that span several rows across one of ``columns``."""
    found = []
    for merged in ws.merged_cells.ranges:
        if merged.max_row < first_row or merged.min_row == merged.max_row:
            continue
        if any(merged.min_col <= c <= merged.max_col for c in columns):
            found.append(merged.coord)
    return sorted(found)
