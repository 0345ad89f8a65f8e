"""Building criteria tables in tests, the way provinces type them (openpyxl, python-docx)."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

Row = Sequence[object]


def write_xlsx(path: Path, rows: list[Row], merges: Sequence[str] = (), title: str = "Phụ lục",
               before: Sequence[Row] = ()) -> Path:
    """Rows from A1 (``before`` rows first); ``merges`` in Excel notation ("A5:B5")."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title
    for index, row in enumerate([*before, *rows], 1):
        for column, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(index, column, value)
    for merge in merges:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def write_docx(path: Path, rows: list[Row], merges: Sequence[tuple[int, int, int, int]] = (),
               paragraphs: Sequence[str] = ()) -> Path:
    """One table; ``merges`` as (row, col, row, col) corners, 0-based."""
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    width = max(len(r) for r in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                table.cell(r, c).text = str(value)
    for top, left, bottom, right in merges:
        keep = table.cell(top, left).text
        merged = table.cell(top, left).merge(table.cell(bottom, right))
        merged.text = keep
    document.save(str(path))
    return path


HEADER = ("STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Cách tính điểm / Phương pháp chấm",
          "Tài liệu kiểm chứng")
