"""The small pieces of a rule text: numbers, points values and the conditions in labels.

"0,5", "2 điểm", "Điểm tối đa", "75% điểm", "trừ 0,25 điểm", "bị 0 điểm và bị trừ 0,25 điểm"
are points; "trên 90%", "từ 70% - 90%", "từ 80% đến dưới 100%", "≥ 90%", "4 lần",
"từ 3 văn bản trở lên" are conditions. Every reading here is exact (``Decimal``) and
refuses what it does not recognise (``None``), never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..numbers import parse_decimal

DASH = "-–—‑‒−"
NUMBER = rf"[+{DASH}]?(?:\d{{1,3}}(?:\.\d{{3}})+(?:,\d+)?|\d+(?:[.,]\d+)?)"
TIMES = r"(?:[×*]|\s[xX]\s)"
_POINTS_WORD = r"(?:điểm|đ)"
_GIVE = r"(?:(?:thì\s+)?(?:được|bị)\s+)?(?:(?:tính|chấm|cho)\s+)?"
_FLAGS = re.IGNORECASE


def number(text: str) -> Decimal:
    """A number as written in a rule ("0,5", "1.5", "−0,25", "1.000")."""
    cleaned = text.strip()
    if cleaned and cleaned[0] in DASH:
        return -parse_decimal(cleaned[1:])
    return parse_decimal(cleaned.lstrip("+"))


@dataclass(frozen=True)
class Points:
    """A points value read from text; ``deducts`` when written as a deduction ("trừ …")."""

    value: Decimal
    deducts: bool = False


_VALUE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"^{_GIVE}(?P<n>{NUMBER})\s*{_POINTS_WORD}?$", _FLAGS), "number"),
    (re.compile(rf"^{_GIVE}(?:điểm tối đa|tối đa|đủ điểm|toàn bộ số điểm|tối đa số điểm|số điểm tối đa)$",
                _FLAGS), "max"),
    (re.compile(rf"^{_GIVE}(?P<n>{NUMBER})\s*%\s*(?:của\s+)?(?:số\s+)?(?:điểm)?(?:\s*tối đa)?$", _FLAGS),
     "share"),
    (re.compile(rf"^{_GIVE}trừ\s+(?P<n>{NUMBER})\s*%\s*(?:của\s+)?(?:số\s+)?(?:điểm)?(?:\s*tối đa)?$",
                _FLAGS), "minus_share"),
    (re.compile(rf"^{_GIVE}trừ\s+(?P<n>{NUMBER})\s*{_POINTS_WORD}?$", _FLAGS), "minus"),
    (re.compile(rf"^{_GIVE}0\s*{_POINTS_WORD}?\s*(?:và|,)\s*(?:bị\s+)?trừ\s+(?:thêm\s+)?(?P<n>{NUMBER})"
                rf"\s*{_POINTS_WORD}?$", _FLAGS), "below_zero"),
    (re.compile(rf"^{_GIVE}(?:không|0)\s*(?:có\s+|được\s+)?(?:tính\s+)?điểm$", _FLAGS), "zero"),
]


def points_value(text: str, max_points: Decimal) -> Points | None:
    """Read one points value; ``None`` when the text is not exactly a points value."""
    cleaned = " ".join(text.split()).strip().rstrip(".,").strip()
    for pattern, form in _VALUE_PATTERNS:
        match = pattern.match(cleaned)
        if not match:
            continue
        if form == "max":
            return Points(max_points)
        if form == "zero":
            return Points(Decimal(0))
        amount = number(match["n"])
        if form == "number":
            return Points(amount)
        if form == "share":
            return Points(max_points * amount / 100)
        if form == "minus_share":
            return Points(max_points - max_points * amount / 100, deducts=True)
        if form == "minus":
            return Points(max_points - amount, deducts=True)
        return Points(-amount, deducts=True)  # below_zero
    return None


# ---------------------------------------------------------------- conditions in labels
@dataclass(frozen=True)
class Quantity:
    """The condition written in an option's label.

    ``lower``/``upper`` are (bound, inclusive) or None; ``percent`` when written with "%";
    ``unit`` is the word after a count ("lần", "văn bản"); ``rest`` for "còn lại".
    """

    lower: tuple[Decimal, bool] | None = None
    upper: tuple[Decimal, bool] | None = None
    percent: bool = False
    unit: str | None = None
    rest: bool = False
    worded: bool = False  # a comparison word was written (từ, trên, dưới, …)


_D = f"[{DASH}]"
_LOW_WORDS = {"từ": True, "≥": True, ">=": True, "trên": False, ">": False, "hơn": False, "vượt": False}
_RANGE = re.compile(
    rf"(?:(?P<lw>từ|trên|≥|>=|>|hơn)\s*)?(?P<a>{NUMBER})\s*(?P<ap>%)?\s*(?:{_D}|đến|tới)\s*"
    rf"(?:(?P<uw>dưới|<|≤|<=)\s*)?(?P<b>{NUMBER})\s*(?P<bp>%)?",
    _FLAGS,
)
_SINGLE = re.compile(
    rf"(?:(?P<w>từ|trên|dưới|đến|tối đa|không quá|không vượt quá|≥|>=|>|<=|≤|<|hơn|vượt|đạt|chưa đạt)\s*)?"
    rf"(?P<a>{NUMBER})\s*(?P<p>%)?",
    _FLAGS,
)
_REST = re.compile(
    r"^(?:các\s+)?(?:trường hợp\s+)?(?:còn lại|khác|các trường hợp khác|trường hợp còn lại)$|^dưới ngưỡng$",
    _FLAGS,
)
_UNIT = re.compile(
    r"^\s*(?P<unit>[^\W\d_]+(?:\s+[^\W\d_]+)*?)\s*(?:$|/|\(|,|:|(?=trở\s+(?:lên|xuống)))", _FLAGS
)
_AFTER = re.compile(r"trở\s+(lên|xuống)", _FLAGS)
_NOT_UNITS = {"trở lên", "trở xuống", "điểm", "đ"}
_NUMBER_ANYWHERE = re.compile(NUMBER)


def _numbers_in(text: str) -> list[re.Match[str]]:
    return list(_NUMBER_ANYWHERE.finditer(text))


def quantity(label: str) -> Quantity | None:
    """The condition of a label, or None when it holds none (or more than one)."""
    text = " ".join(label.split())
    if _REST.match(text.strip().rstrip(":").strip()):
        return Quantity(rest=True)
    if "/" in re.sub(r"\s", "", text) and re.search(rf"{NUMBER}\s*/\s*{NUMBER}", text):
        return None  # dates and fractions are not conditions
    numbers = _numbers_in(text)
    if len(numbers) == 2:
        match = _RANGE.search(text)
        if not match or len(_numbers_in(match.group(0))) != 2:
            return None
        low_word = (match["lw"] or "từ").casefold()
        percent = bool(match["ap"] or match["bp"])
        return Quantity(
            lower=(number(match["a"]), _LOW_WORDS[low_word]),
            upper=(number(match["b"]), not match["uw"]),
            percent=percent,
            unit=None if percent else _unit_after(text, match.end()),
            worded=True,
        )
    if len(numbers) != 1:
        return None
    match = _SINGLE.search(text)
    if not match:
        return None
    word = (match["w"] or "").casefold()
    tail = _AFTER.search(text, match.end())
    after = f"trở {tail.group(1).casefold()}" if tail else ""
    value = number(match["a"])
    percent = bool(match["p"])
    unit = None if percent else _unit_after(text, match.end())
    if after == "trở lên" or word in ("từ", "≥", ">="):
        if after == "trở xuống":
            return None
        return Quantity(lower=(value, True), percent=percent, unit=unit, worded=True)
    if after == "trở xuống" or word in ("đến", "tối đa", "không quá", "không vượt quá", "≤", "<="):
        return Quantity(upper=(value, True), percent=percent, unit=unit, worded=True)
    if word in ("trên", ">", "hơn", "vượt"):
        return Quantity(lower=(value, False), percent=percent, unit=unit, worded=True)
    if word in ("dưới", "<", "chưa đạt"):
        return Quantity(upper=(value, False), percent=percent, unit=unit, worded=True)
    return Quantity(lower=(value, True), upper=(value, True), percent=percent, unit=unit,
                    worded=word == "đạt")


def _unit_after(text: str, end: int) -> str | None:
    match = _UNIT.match(text[end:])
    if not match:
        return None
    unit = match["unit"].strip()
    return None if unit.casefold() in _NOT_UNITS else unit
