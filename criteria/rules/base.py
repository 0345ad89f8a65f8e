"""What every rule kind shares: the typed evidence column and the reading of one cell.

A leaf's evidence for N units is a ``Column`` of integer arrays, so the engine can
score a whole campaign with array arithmetic. Each rule kind (one module each)
says how a cell becomes ``(a, b, note)`` and how ``(a, b)`` become points.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from ..numbers import parse_decimal

VALUE, MISSING, NOT_APPLICABLE = 0, 1, 2
STATE_NAMES = {VALUE: "scored", MISSING: "missing", NOT_APPLICABLE: "not_applicable"}

# Largest count or amount accepted in evidence: keeps every cross-multiplication in int64.
MAX_MAGNITUDE = 10**12

NOT_APPLICABLE_WORDS = frozenset(
    {"không phát sinh", "kps", "không áp dụng", "không áp dụng (không phát sinh)", "n/a", "na"}
)


def norm_text(value: str) -> str:
    """NFC, trimmed, inner spaces folded, case folded: how labels are compared."""
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    try:  # pandas.NA / NaT
        import pandas as pd

        return value is pd.NA or value is pd.NaT
    except ImportError:  # pragma: no cover
        return False


def says_not_applicable(value: Any) -> bool:
    return isinstance(value, str) and norm_text(value) in NOT_APPLICABLE_WORDS


class Cell(NamedTuple):
    state: int
    a: int = 0
    b: int = 1
    note: str | None = None


@dataclass
class Column:
    """Typed evidence of one leaf for every unit (row order = the units' order)."""

    state: np.ndarray  # int8: VALUE / MISSING / NOT_APPLICABLE
    a: np.ndarray  # int64, meaning depends on the rule kind
    b: np.ndarray  # int64, denominator or second value
    note: np.ndarray | None = None  # object: free text kept with the value (reasons)

    @classmethod
    def from_cells(cls, cells: list[Cell]) -> "Column":
        notes = [c.note for c in cells]
        return cls(
            state=np.fromiter((c.state for c in cells), dtype=np.int8, count=len(cells)),
            a=np.fromiter((c.a for c in cells), dtype=np.int64, count=len(cells)),
            b=np.fromiter((c.b for c in cells), dtype=np.int64, count=len(cells)),
            note=np.array(notes, dtype=object) if any(n is not None for n in notes) else None,
        )

    def take(self, rows: np.ndarray | list[int]) -> "Column":
        return Column(
            self.state[rows], self.a[rows], self.b[rows], None if self.note is None else self.note[rows]
        )

    def cell(self, row: int) -> Cell:
        note = None if self.note is None else self.note[row]
        return Cell(int(self.state[row]), int(self.a[row]), int(self.b[row]), note)


class RuleModel(BaseModel):
    """Base config for rule kinds: frozen, unknown keys refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def as_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def fraction_pair(value: Fraction) -> tuple[int, int]:
    if value.numerator > MAX_MAGNITUDE or value.denominator > MAX_MAGNITUDE:
        raise ValueError("số quá lớn")
    return value.numerator, value.denominator


def parse_count(value: Any) -> int:
    """A non-negative whole number (lần, văn bản, hồ sơ…)."""
    number = parse_decimal(value)
    if number != number.to_integral_value():
        raise ValueError(f"cần một số nguyên, nhận được “{value}”")
    if number < 0:
        raise ValueError(f"cần một số không âm, nhận được “{value}”")
    if number > MAX_MAGNITUDE:
        raise ValueError(f"số “{value}” quá lớn")
    return int(number)


def parse_share(value: Any) -> Cell:
    """A share of a whole, as a person writes it: ``45/50``, ``90%`` or ``90`` — a bare number is
    a percentage (``90`` = 90 %, never 0,9 of 1). A zero denominator means không phát sinh.

    Returns the share as the fraction a/b of 1 (0 ≤ a/b ≤ 1).
    """
    if isinstance(value, dict):
        unknown = set(value) - {"numerator", "denominator", "tu_so", "mau_so"}
        if unknown:
            raise ValueError(f"khóa không hợp lệ {sorted(unknown)}; cần numerator và denominator")
        num = value.get("numerator", value.get("tu_so"))
        den = value.get("denominator", value.get("mau_so"))
        if num is None or den is None:
            raise ValueError("cần cả tử số (numerator) và mẫu số (denominator)")
        return _ratio_cell(num, den, f"{num}/{den}")
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        return _ratio_cell(num, den, value)
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_decimal(value.strip()[:-1])
    else:
        number = parse_decimal(value)
    if number < 0 or number > 100:
        raise ValueError(f"tỷ lệ phải trong khoảng 0–100%, nhận được “{value}”")
    a, b = fraction_pair(Fraction(number) / 100)
    return Cell(VALUE, a, b)


def _ratio_cell(num: Any, den: Any, shown: str) -> Cell:
    numerator = parse_decimal(num)
    denominator = parse_decimal(den)
    if numerator < 0 or denominator < 0:
        raise ValueError(f"tử số và mẫu số không được âm (“{shown}”)")
    if denominator == 0:
        if numerator != 0:
            raise ValueError(f"mẫu số bằng 0 nhưng tử số khác 0 (“{shown}”)")
        return Cell(NOT_APPLICABLE, note="mẫu số bằng 0")
    if numerator > denominator:
        raise ValueError(f"tử số lớn hơn mẫu số (“{shown}”)")
    if numerator > MAX_MAGNITUDE or denominator > MAX_MAGNITUDE:
        raise ValueError(f"số quá lớn (“{shown}”)")
    a, b = fraction_pair(Fraction(numerator) / Fraction(denominator))
    if a == 0:
        b = 1
    return Cell(VALUE, a, b, note=f"{_plain(numerator)}/{_plain(denominator)}")


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def percent_text(a: int, b: int) -> str:
    """The share a/b of 1 as a Vietnamese percentage (``87,5%``)."""
    from ..numbers import format_vn

    return f"{format_vn(Fraction(a * 100, b), 2, trim=True)}%"


def number_text(a: int, b: int) -> str:
    from ..numbers import format_vn

    return format_vn(Fraction(a, b), 4, trim=True)
