"""Spreadsheet cells, both ways: text that never runs as a formula, values read back as the
text a person typed, places named as “sheet Tự đánh giá, ô D14”, and the shared styles."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.workbook import Workbook

from criteria.rules.base import nfc

from scoring.office.atomic import write_atomic

FONT_NAME = "Times New Roman"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # light yellow: the unit types here
FIELD_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
FLAG_FILL = PatternFill("solid", fgColor="F8CBAD")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_FORMULA_STARTS = ("=", "+", "-", "@")
LINE_HEIGHT = 16.5  # points per line of 12-point text


def font(size: float = 12, bold: bool = False, italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic)


def put_text(cell: Cell, text: str) -> Cell:
    """Write ``text`` as a string cell that Excel never runs as a formula.

    A CSV needs the visible apostrophe of ``writers.safe_cell``; an .xlsx has a string type
    and a quote-prefix flag, so the text stays exactly as written and editing it keeps it text.
    Text is stored in NFC (rubric files may hold decomposed letters).
    """
    text = nfc_text(text)
    cell.value = text
    if text.startswith(_FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def nfc_text(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def place(sheet_title: str, ref: str) -> str:
    """“sheet Tự đánh giá, ô D14”, or “…, vùng D14:D16” for a range."""
    word = "vùng" if ":" in ref else "ô"
    return f"sheet {sheet_title}, {word} {ref}"


def number_text(value: Decimal) -> str:
    """A number as a Vietnamese user writes it (decimal comma, no thousands dot): “0,5”."""
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def value_text(value: Any, number_format: str = "General") -> str:
    """A cell's value as the text the person typed or saw (“” for an empty cell).

    Numbers get a decimal comma (the parsers read “1.234” as one thousand two hundred
    thirty-four); a cell formatted as a percentage holds 0,95 for “95%”, so it is given back
    as “95%”; dates as dd/mm/yyyy.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, (int, float, Decimal)):
        number = value if isinstance(value, Decimal) else Decimal(repr(value))
        if "%" in (number_format or ""):
            return f"{number_text(number * 100)}%"
        return number_text(number)
    return nfc(str(value))


def workbook_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def save_workbook(book: Workbook, path) -> None:  # noqa: ANN001 - str | Path
    """Save atomically: the .xlsx appears whole or not at all."""
    write_atomic(path, workbook_bytes(book))


def wrapped_height(texts: list[tuple[str, float]]) -> float:
    """A row height showing every wrapped ``(text, column width)``: Excel does not grow rows itself."""
    lines = 1
    for text, width in texts:
        per_line = max(width * 1.25 - 2, 8)
        count = sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))
        lines = max(lines, count)
    return min(lines * LINE_HEIGHT + 3, 409)
