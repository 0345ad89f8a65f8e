"""Plain workbooks for campaign outputs (ranking, diff): an optional title row, a bold bordered
header that repeats on printed pages (A4 landscape, one page wide), frozen header, exact
numbers, text that never runs as a formula.

Built on ``scoring.office.xlsx_cells`` (the project's cell styles, ``put_text``, atomic save, row
heights). Numbers are written as ``Decimal`` rounded for display, so openpyxl stores their
decimal text and no binary rounding creeps in.
"""

from __future__ import annotations

from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from criteria.numbers import round_half_up
from scoring.office.xlsx_cells import BORDER, HEADER_FILL, WRAP_TOP, font, put_text, save_workbook, wrapped_height


@dataclass
class SheetData:
    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]]
    widths: Sequence[float] = ()
    notes: list[str] = field(default_factory=list)  # lines under the table
    heading: str = ""  # a title row above the header (printed on the first page)


PAGE_WIDTH = 105.0  # column-width units across a landscape A4 page at 12 points


class _Styles:
    """The cell styles of a workbook, each registered once; cells then share them (an openpyxl
    style per cell cost a third of the publication's time at 3,321 units)."""

    def __init__(self, sheet: Any, number_format: str) -> None:
        header, text, number, note, title = (Cell(sheet) for _ in range(5))  # outside the grid: styles only
        header.font, header.fill, header.border = font(bold=True), HEADER_FILL, BORDER
        header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        text.font, text.border, text.alignment = font(), BORDER, WRAP_TOP
        number.font, number.border, number.alignment, number.number_format = font(), BORDER, WRAP_TOP, number_format
        note.font, note.alignment = font(italic=True), WRAP_TOP
        title.font, title.alignment = font(size=14, bold=True), Alignment(horizontal="center", vertical="center",
                                                                           wrap_text=True)
        self.header, self.text, self.number, self.note, self.title = (
            c._style for c in (header, text, number, note, title))


def _put(cell: Any, value: Any, precision: int, styles: _Styles) -> None:
    if isinstance(value, (Decimal, Fraction)):
        cell._style = copy(styles.number)
        cell.value = round_half_up(value, precision)
        return
    cell._style = copy(styles.text)
    if value is None:
        return
    if isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


def write_workbook(path: str | Path, sheets: Sequence[SheetData], precision: int = 2) -> Path:
    """Write ``sheets`` to ``path`` atomically: printed A4 landscape, one page wide, the header
    row repeated on every page, the title row (``heading``) on the first."""
    book = Workbook()
    book.remove(book.active)
    number_format = "0" if precision == 0 else "0." + "0" * precision
    for data in sheets:
        sheet = book.create_sheet(data.title[:31])
        styles = _Styles(sheet, number_format)
        widths = list(data.widths) + [10.0] * (len(data.headers) - len(data.widths))
        top = 1
        if data.heading:
            cell = put_text(sheet.cell(1, 1), data.heading)
            cell._style = copy(styles.title)
            sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(data.headers))
            sheet.row_dimensions[1].height = wrapped_height([(data.heading, sum(widths) * 0.8)]) + 6
            top = 2
        for column, (header, width) in enumerate(zip(data.headers, widths), 1):
            cell = put_text(sheet.cell(top, column), header)
            cell._style = copy(styles.header)
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.row_dimensions[top].height = wrapped_height(list(zip(map(str, data.headers), widths)))
        for r, values in enumerate(data.rows, top + 1):
            for column, value in enumerate(values, 1):
                _put(sheet.cell(r, column), value, precision, styles)
            texts = [(v, w) for v, w in zip(values, widths) if isinstance(v, str)]
            sheet.row_dimensions[r].height = wrapped_height(texts)
        row = top + len(data.rows) + 2
        span = max(1, sum(1 for total in accumulate(widths) if total <= PAGE_WIDTH))  # notes wrap within a page
        for note in data.notes:
            cell = put_text(sheet.cell(row, 1), note)
            cell._style = copy(styles.note)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
            sheet.row_dimensions[row].height = wrapped_height([(note, sum(widths[:span]))])
            row += 1
        sheet.freeze_panes = f"A{top + 1}"
        sheet.print_title_rows = f"{top}:{top}"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0  # one page wide, as long as it takes
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    save_workbook(book, path)
    return Path(path)
