"""Criterion codes as provinces type them: "1.1.1", "1.1.1.", "II", "a)", "b.", a number that
Excel stored as 1.1, or a code written at the start of the name ("1.2. Báo cáo CCHC")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

CodeKind = Literal["roman", "number", "letter", "other"]

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}
_ROMAN = re.compile(r"^X{0,3}(IX|IV|V?I{0,3})$")
_NUMBER = re.compile(r"^\d+(\.\d+)*$")
_LETTER = re.compile(r"^[a-zđ]$")
_OTHER = re.compile(r"^[A-Za-zĐđ0-9][\w.\-]*$")
_LEADING = re.compile(r"^(?P<code>(?:[IVX]+|\d+(?:\.\d+)*|[a-zđ]))(?:[.)]\s+|\s*[-–:]\s+|\s+)(?P<rest>\S.*)$")


@dataclass(frozen=True)
class Code:
    text: str  # as written, cleaned: "II", "1.1", "a"
    kind: CodeKind
    from_number: bool = False  # Excel kept it as a number: "1.10" may have become 1.1

    @property
    def parts(self) -> list[str]:
        return self.text.split(".")

    @property
    def roman_value(self) -> int:
        total, previous = 0, 0
        for char in reversed(self.text):
            value = _ROMAN_VALUES[char]
            total += -value if value < previous else value
            previous = max(previous, value)
        return total


def _kind(text: str) -> CodeKind | None:
    if text and _ROMAN.match(text):
        return "roman"
    if _NUMBER.match(text):
        return "number"
    if _LETTER.match(text):
        return "letter"
    if _OTHER.match(text):
        return "other"
    return None


def read_code(value: object) -> Code | None:
    """The code in a STT cell; None when blank. Raises ``ValueError`` for text that is no code."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"“{value}” không phải là mã tiêu chí")
    if isinstance(value, int):
        return Code(str(value), "number", from_number=True)
    if isinstance(value, float):
        if value != value or value < 0:
            raise ValueError(f"“{value}” không phải là mã tiêu chí")
        text = format(Decimal(repr(value)).normalize(), "f")
        return Code(text, "number", from_number=True)
    text = " ".join(str(value).split()).strip()
    text = text.rstrip(".)").strip()
    text = text.lstrip("(").strip()
    if not text or text in ("-", "+", "*", "•"):
        return None
    kind = _kind(text)
    if kind is None:
        raise ValueError(f"“{value}” không phải là mã tiêu chí (cần dạng 1, 1.1, 1.1.1, I, II hoặc a, b)")
    return Code(text, kind)


def split_leading_code(name: str) -> tuple[Code, str] | None:
    """"1.2. Báo cáo CCHC" → (1.2, "Báo cáo CCHC"); "II. CẢI CÁCH THỂ CHẾ" → (II, …)."""
    match = _LEADING.match(name.strip())
    if not match:
        return None
    kind = _kind(match["code"])
    if kind is None or kind == "other":
        return None
    return Code(match["code"], kind), match["rest"].strip()
