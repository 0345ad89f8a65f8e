"""Tables people hand in (.csv in UTF-8, or .xlsx): one reader for survey points, appraisal
decisions and earlier rankings, every cell as text, and places named as a person finds them
(“dòng 3, cột “8.1”” in a CSV, “sheet Khảo sát, ô C3” in a workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd
from openpyxl.utils import get_column_letter

from criteria import Problem
from criteria.files import read_csv_frame
from criteria.rules.base import nfc, norm_text
from scoring.office.xlsx_book import CellError, ReadBook, header_text
from scoring.office.xlsx_cells import place

from .store import CampaignError

PlaceOf = Callable[[int, str], str]  # (data row from 0, -1 for the header; column label or "" for the row)


def read_table(path: str | Path) -> tuple[pd.DataFrame, PlaceOf]:
    """The first sheet or the CSV as text cells (blank = ""), with NFC column labels."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CampaignError.single(name, "", "định dạng không hỗ trợ; cần .csv hoặc .xlsx")
    if suffix == ".xlsx":
        return _read_sheet(path)
    frame, _ = read_csv_frame(path, CampaignError)
    frame = frame.rename(columns=lambda c: nfc(str(c)))
    return frame, lambda row, col: f"dòng {row + 2 if row >= 0 else 1}" + (f", cột “{col}”" if col else "")


def _read_sheet(path: Path) -> tuple[pd.DataFrame, PlaceOf]:
    """The first visible sheet, header in row 1 (row 2 under a one-cell title row, as in a
    published ``xep-hang.xlsx``), each cell as the text a person sees (“95%”, “0,5”, dates
    dd/mm/yyyy) — read as ``scoring.office.xlsx_book`` reads the self-assessment sheet."""
    book = ReadBook(path)
    ws = next(w for w in book.book.worksheets if w.sheet_state == "visible")
    top = 2 if _is_title_row(ws) else 1
    headers = [header_text(ws.cell(top, column).value) for column in range(1, ws.max_column + 1)]
    rows, problems = [], []
    for r in range(top + 1, ws.max_row + 1):
        values = []
        for column in range(1, len(headers) + 1):
            try:
                values.append(book.text(ws, r, column))
            except CellError as exc:
                problems.append(Problem(str(path), place(ws.title, f"{get_column_letter(column)}{r}"), str(exc)))
                values.append("")
        rows.append(values)
    if problems:
        raise CampaignError(problems)
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    letters = {c: get_column_letter(i + 1) for i, c in enumerate(headers)}
    def where(row: int, col: str) -> str:
        line = row + top + 1 if row >= 0 else top
        return place(ws.title, f"{letters[col]}{line}") if col in letters else f"sheet {ws.title}, dòng {line}"

    return frame, where


def _is_title_row(ws) -> bool:  # noqa: ANN001 - openpyxl worksheet
    """Row 1 holds one filled cell and row 2 several: a title above the header."""
    def filled(row: int) -> int:
        return sum(1 for column in range(1, ws.max_column + 1) if str(ws.cell(row, column).value or "").strip())
    return ws.max_row > 1 and filled(1) == 1 and filled(2) > 1


def find_columns(frame: pd.DataFrame, names: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """key → the first column whose label (case and spacing aside) is one of ``names[key]``."""
    found: dict[str, str] = {}
    for column in frame.columns:
        label = norm_text(str(column))
        for key, accepted in names.items():
            if key not in found and label in accepted:
                found[key] = column
                break
    return found
