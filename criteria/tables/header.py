"""Finding the criteria table: the header row, recognised by its Vietnamese column names.

STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Cách tính điểm / Phương pháp chấm |
Tài liệu kiểm chứng — in any order, wrapped over several lines, with or without diacritics.
The code, name and maximum columns are required; the rule and evidence columns are optional.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .grid import Grid

HEADER_SEARCH_ROWS = 40
REQUIRED = ("code", "name", "max")

# Checked in this order: the first role whose pattern matches a header cell takes it.
_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("code", re.compile(r"^(stt|tt|so tt|so thu tu|ma|ma so|ma tieu chi|ky hieu|so)$")),
    ("max", re.compile(r"diem toi da|diem chuan|thang diem|diem quy dinh|^diem$|^so diem$")),
    ("rule", re.compile(r"cach tinh diem|phuong phap cham|phuong phap danh gia|phuong phap tinh|cach cham|"
                        r"huong dan cham|cach thuc cham|cach thuc danh gia|huong dan danh gia|cach danh gia|"
                        r"^yeu cau|noi dung cham")),
    ("evidence", re.compile(r"tai lieu kiem chung|minh chung|ho so kiem chung|^tai lieu|kiem chung")),
    ("name", re.compile(r"tieu chi|linh vuc|noi dung|chi so|ten tieu chi")),
]
LABELS_VI = {
    "code": "STT",
    "name": "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "max": "Điểm tối đa",
    "rule": "Cách tính điểm",
    "evidence": "Tài liệu kiểm chứng",
}


def plain(text: str) -> str:
    """Without diacritics: "Điểm tối đa" → "Diem toi da"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: object) -> str:
    """Lower case, no diacritics, spaces folded: "Điểm\\ntối  đa" → "diem toi da"."""
    if text is None:
        return ""
    return " ".join(re.sub(r"[^\w%/]+", " ", plain(str(text)).casefold()).split())


@dataclass(frozen=True)
class Header:
    row: int
    columns: dict[str, int]  # role → column index

    def has(self, role: str) -> bool:
        return role in self.columns


def role_of(text: object) -> str | None:
    folded = fold(text)
    if not folded:
        return None
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(folded):
            return role
    return None


def find_header(grid: Grid) -> Header | None:
    for index, row in enumerate(grid.rows[:HEADER_SEARCH_ROWS]):
        columns: dict[str, int] = {}
        for column, cell in enumerate(row):
            if cell.beside(column):
                continue
            role = role_of(cell.value)
            if role is not None and role not in columns:
                columns[role] = column
        if all(role in columns for role in REQUIRED):
            return Header(index, columns)
    return None


def numbering_row(values: list[object]) -> bool:
    """The "(1) (2) (3) (4)" or "1 2 3 4" row printed under a header."""
    numbers = []
    for value in values:
        text = fold(value).strip("()")
        if not text:
            continue
        if not text.isdigit():
            return False
        numbers.append(int(text))
    return len(numbers) >= 3 and numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
