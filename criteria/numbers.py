"""Exact points: parsing Vietnamese-written numbers and the fixed-point scale.

Points travel through the engine as integers counting 1/10 000 of a point
(``SCALE``), so every sum is an exact integer sum; they leave it as ``Decimal``.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Annotated

from pydantic import BeforeValidator

SCALE = 10_000
SCALE_DIGITS = 4

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_THOUSANDS_DOT = re.compile(r"^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$")
_ONE_DOT_GROUP = re.compile(r"^[+-]?[1-9]\d{0,2}\.\d{3}$")


class AmbiguousNumber(ValueError):
    """“97.685”: 97,685 (a decimal point, as exports write it) or 97 685 (a thousands dot).

    A reader that knows its field allows only one reading (a count is whole) takes ``whole``;
    every other reader lets the refusal, which names both readings, reach the user.
    """

    def __init__(self, written: object, decimal: Decimal, whole: Decimal):
        self.decimal, self.whole = decimal, whole
        shown, plain = str(decimal).replace(".", ","), str(whole)
        super().__init__(f"“{written}” có hai cách đọc: {shown} (dấu chấm thập phân) hoặc {plain} "
                         f"(dấu chấm ngăn cách hàng nghìn); hãy viết {shown} hoặc {plain}")


def parse_decimal(value: object) -> Decimal:
    """Read a number as a person writes it: ``0,5``, ``1.5``, ``2 điểm``, ``1.234,5``, ``1.234.567``.

    One dot before exactly three digits (``97.685``) is refused: both readings are common.

    Raises ``ValueError`` (message in Vietnamese) for anything else. Binary floats
    are taken by their shortest repr, which is what a spreadsheet cell displays.
    """
    if isinstance(value, str) and value.isdigit() and value.isascii():  # “268”: most cells, the same number below
        number = Decimal(value)
        if number > 10**12:
            raise ValueError(f"số “{value}” quá lớn")
        return number
    if isinstance(value, bool):
        raise ValueError("cần một số, không phải giá trị đúng/sai")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("cần một số hữu hạn")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("cần một số hữu hạn")
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise ValueError(f"cần một số, nhận được {type(value).__name__}")
    text = value.strip().replace("\u00a0", " ")
    for suffix in ("điểm", "đ"):
        if text.lower().endswith(suffix):
            text = text[: -len(suffix)].strip()
            break
    text = text.replace(" ", "")
    if _ONE_DOT_GROUP.match(text):  # “97.685”: 97,685 as an export writes it, or 97 685 as a clerk does
        raise AmbiguousNumber(value, Decimal(text), Decimal(text.replace(".", "")))
    if _THOUSANDS_DOT.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif "," in text:
        if text.count(",") != 1 or "." in text:
            raise ValueError(f"“{value}” không phải là số (dùng dấu phẩy thập phân: 0,5)")
        text = text.replace(",", ".")
    if not _NUMBER.match(text):
        raise ValueError(f"“{value}” không phải là số")
    try:
        number = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - regex guards this
        raise ValueError(f"“{value}” không phải là số") from exc
    if abs(number) > 10**12:  # as ``rules.base.MAX_MAGNITUDE``: beyond it, rounding and int64 sums break
        raise ValueError(f"số “{value}” quá lớn")
    return number


def to_scaled(value: Decimal) -> int:
    """Decimal points → integer count of 1/SCALE points; refuses finer values."""
    scaled = value * SCALE
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} có quá {SCALE_DIGITS} chữ số thập phân")
    return int(scaled)


def from_scaled(scaled: int) -> Decimal:
    """Integer 1/SCALE points → Decimal without trailing zeros or exponents (20, 0.5, 12.25)."""
    value = Decimal(int(scaled)).scaleb(-SCALE_DIGITS)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def as_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def round_half_up(value: Decimal | Fraction, digits: int) -> Decimal:
    """Round half away from zero (the administrative rounding: 0,125 → 0,13)."""
    if type(value) is not Decimal and isinstance(value, Fraction):  # (an ABC's isinstance is slow: Decimals skip it)
        value = Decimal(value.numerator) / Decimal(value.denominator)
    quantum = _QUANTA[digits] if 0 <= digits < len(_QUANTA) else Decimal(1).scaleb(-digits)
    if not value.is_finite():
        return value.quantize(quantum, rounding=ROUND_HALF_UP)
    # enough digits for any finite value: a huge number in a test case is shown, not an InvalidOperation
    prec = max(28, value.adjusted() + digits + 2)
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=_PREC_28 if prec == 28 else Context(prec=prec))


_QUANTA = [Decimal(1).scaleb(-digits) for digits in range(13)]  # 1, 0.1, … 1E-12
_PREC_28 = Context(prec=28)  # the context of almost every rounding, made once (quantize sets only its flags)


def index_percent(points_scaled: int, max_scaled: int) -> Fraction | None:
    """Exact index = points / max × 100; ``None`` where nothing applies."""
    if max_scaled == 0:
        return None
    return Fraction(points_scaled * 100, max_scaled)


def index_decimal(points_scaled: int, max_scaled: int) -> Decimal | None:
    """The index as shown and stored: ``index_percent`` rounded half-up to 4 decimals."""
    exact = index_percent(points_scaled, max_scaled)
    return None if exact is None else round_half_up(exact, 4)


def format_vn(value: Decimal | Fraction | int | None, digits: int = 2, trim: bool = False) -> str:
    """Vietnamese display: decimal comma, thousands dot (``1.234,50``)."""
    if value is None:
        return "—"
    if isinstance(value, int):
        value = Decimal(value)
    rounded = round_half_up(value, digits)
    sign = "-" if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):,f}".partition(".")  # thousands grouped by commas, then dots
    whole = whole.replace(",", ".")
    if trim:
        frac = frac.rstrip("0")
    return f"{sign}{whole},{frac}" if frac else f"{sign}{whole}"


def format_points(value: Decimal | Fraction | int | None) -> str:
    """Points as a document prints them: ``0,5``, ``1``, ``36,75`` (no trailing zeros)."""
    return format_vn(value, SCALE_DIGITS, trim=True)


# A number in a rubric file: YAML's 0.5 (read as Decimal) or text as people write it ("0,5", "2 điểm").
def _decimal_text(value: object) -> object:
    number = _decimal_read(value)
    if isinstance(number, Decimal) and number.is_finite() and number != number.quantize(Decimal(1).scaleb(-SCALE_DIGITS),
                                                                                       context=Context(prec=60)):
        raise ValueError(f"“{value}” có quá {SCALE_DIGITS} chữ số thập phân (điểm và ngưỡng tính đến 0,0001)")
    return number


def _decimal_read(value: object) -> object:
    if not isinstance(value, str):
        return value
    try:
        return parse_decimal(value)
    except ValueError:
        try:  # a machine-written form such as "1E+1" is a number too
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"“{value}” không phải là số") from None
        if not number.is_finite():
            raise ValueError(f"“{value}” không phải là số hữu hạn") from None
        if number.adjusted() > 12 or abs(number) > 10**12:
            raise ValueError(f"số “{value}” quá lớn") from None
        return number


DecimalText = Annotated[Decimal, BeforeValidator(_decimal_text)]
