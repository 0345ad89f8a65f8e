"""Plain workbooks for campaign outputs: bold repeated header, frozen first row, exact numbers.

Numbers are written as ``Decimal`` rounded for display (openpyxl stores their decimal text,
so no binary rounding creeps in); text goes through ``safe_cell`` so nothing runs as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from criteria.numbers import round_half_up
from scoring.atomic import write_atomic_with
from scoring.writers import safe_cell


@dataclass
class SheetData:
    title: str
    headers: Sequence[str]
    rows: list[Sequence[Any]]
    widths: Sequence[float] = ()
    notes: list[str] = field(default_factory=list)  # lines under the table


def _value(value: Any, precision: int) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (Decimal, Fraction)):
        return round_half_up(value, precision)
    if isinstance(value, str):
        return safe_cell(value)
    return value


def write_workbook(path: str | Path, sheets: Sequence[SheetData], precision: int = 2) -> Path:
    """Write ``sheets`` to ``path`` atomically."""
    book = Workbook()
    book.remove(book.active)
    number_format = "0" if precision == 0 else "0." + "0" * precision
    for data in sheets:
        sheet = book.create_sheet(data.title[:31])
        sheet.append([safe_cell(h) for h in data.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for row in data.rows:
            sheet.append([_value(v, precision) for v in row])
        widths = list(data.widths) + [10.0] * (len(data.headers) - len(data.widths))
        for row in sheet.iter_rows(min_row=2):
            for cell, width in zip(row, widths):
                if isinstance(cell.value, Decimal):
                    cell.number_format = number_format
                long_text = isinstance(cell.value, str) and (len(cell.value) > width or "\n" in cell.value)
                cell.alignment = Alignment(wrap_text=long_text, vertical="top")
        for index, width in enumerate(widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        if data.notes:
            sheet.append([])
            for note in data.notes:
                sheet.append([safe_cell(note)])
        sheet.freeze_panes = "A2"
        sheet.print_title_rows = "1:1"
        sheet.page_setup.orientation = "landscape"
    return write_atomic_with(path, book.save)
