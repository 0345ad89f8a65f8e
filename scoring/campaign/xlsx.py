"""Plain workbooks for campaign outputs (ranking, diff): a bold bordered header that repeats
on printed pages, frozen first row, exact numbers, text that never runs as a formula.

Built on ``scoring.office.xlsx_cells`` (the project's cell styles, ``put_text``, atomic save, row
heights). Numbers are written as ``Decimal`` rounded for display, so openpyxl stores their
decimal text and no binary rounding creeps in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import accumulate
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
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


def _put(cell: Any, value: Any, precision: int, number_format: str) -> None:
    if value is None:
        return
    if isinstance(value, (Decimal, Fraction)):
        cell.value = round_half_up(value, precision)
        cell.number_format = number_format
    elif isinstance(value, str):
        put_text(cell, value)
    else:
        cell.value = value


PAGE_WIDTH = 105.0  # column-width units across a landscape A4 page at 12 points


def write_workbook(path: str | Path, sheets: Sequence[SheetData], precision: int = 2) -> Path:
    """Write ``sheets`` to ``path`` atomically."""
    book = Workbook()
    book.remove(book.active)
    number_format = "0" if precision == 0 else "0." + "0" * precision
    for data in sheets:
        sheet = book.create_sheet(data.title[:31])
        widths = list(data.widths) + [10.0] * (len(data.headers) - len(data.widths))
        for column, (header, width) in enumerate(zip(data.headers, widths), 1):
            cell = sheet.cell(1, column)
            put_text(cell, header)
            cell.font, cell.fill, cell.border = font(bold=True), HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
            sheet.column_dimensions[get_column_letter(column)].width = width
        sheet.row_dimensions[1].height = wrapped_height(list(zip(map(str, data.headers), widths)))
        for r, values in enumerate(data.rows, 2):
            for column, value in enumerate(values, 1):
                cell = sheet.cell(r, column)
                _put(cell, value, precision, number_format)
                cell.font, cell.border, cell.alignment = font(), BORDER, WRAP_TOP
            texts = [(v, w) for v, w in zip(values, widths) if isinstance(v, str)]
            sheet.row_dimensions[r].height = wrapped_height(texts)
        row = len(data.rows) + 3
        span = max(1, sum(1 for total in accumulate(widths) if total <= PAGE_WIDTH))  # notes wrap within a page
        for note in data.notes:
            cell = put_text(sheet.cell(row, 1), note)
            cell.font, cell.alignment = font(italic=True), WRAP_TOP
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
            sheet.row_dimensions[row].height = wrapped_height([(note, sum(widths[:span]))])
            row += 1
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    save_workbook(book, path)
    return Path(path)
