"""Tables people hand in (.csv in UTF-8, or .xlsx): one reader for survey points, appraisal
decisions and earlier rankings, every cell as text, and places named as a person finds them
(“dòng 3, cột “8.1”” in a CSV, “ô C3” in a workbook)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pandas as pd
from openpyxl.utils import get_column_letter

from criteria.rules.base import nfc, norm_text

from .store import CampaignError

PlaceOf = Callable[[int, str], str]  # (data row from 0, or -1 for the header; column label) → place


def read_table(path: str | Path) -> tuple[pd.DataFrame, PlaceOf]:
    """The first sheet or the CSV as text cells (blank = ""), with NFC column labels."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise CampaignError.single(name, "", "định dạng không hỗ trợ; cần .csv hoặc .xlsx")
    try:
        if suffix == ".xlsx":
            frame = pd.read_excel(path, dtype=str, keep_default_na=False, sheet_name=0)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except FileNotFoundError:
        raise CampaignError.single(name, "", "không tìm thấy tệp") from None
    except (UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
        raise CampaignError.single(name, "", f"không đọc được bảng (cần CSV UTF-8 hoặc XLSX): {exc}") from None
    frame = frame.rename(columns=lambda c: nfc(str(c)))
    if suffix == ".xlsx":
        letters = {c: get_column_letter(i + 1) for i, c in enumerate(frame.columns)}
        return frame, lambda row, col: f"ô {letters.get(col, col)}{row + 2 if row >= 0 else 1}"
    return frame, lambda row, col: f"dòng {row + 2 if row >= 0 else 1}, cột “{col}”"


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
