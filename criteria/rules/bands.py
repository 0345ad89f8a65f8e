"""Bands on a number or a share, with explicit bounds.

"Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0"
(Cà Mau 1.1.4) is three bands: {gt: 90}, {ge: 70, le: 90}, {lt: 70}. "từ 80% đến dưới 100%"
is {ge: 80, lt: 100}; "trên 80%" is {gt: 80}: the bound's side is always written out.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import model_validator

from ..numbers import DecimalText, format_points, format_vn, to_scaled
from ..numbers import parse_decimal
from .base import (
    MAX_MAGNITUDE, OP_RATIO_STEPS, SHARE_PROMPT, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind,
    RuleModel, exact, fits_int64, fraction_pair, number_text, parse_share, percent_text,
)


class Band(RuleModel):
    """One range with its points; a missing side means unbounded on that side."""

    points: DecimalText
    gt: DecimalText | None = None
    ge: DecimalText | None = None
    lt: DecimalText | None = None
    le: DecimalText | None = None

    @model_validator(mode="after")
    def _one_bound_per_side(self) -> "Band":
        if self.gt is not None and self.ge is not None:
            raise ValueError("một khoảng chỉ có một cận dưới: gt (trên) hoặc ge (từ)")
        if self.lt is not None and self.le is not None:
            raise ValueError("một khoảng chỉ có một cận trên: lt (dưới) hoặc le (đến)")
        low, high = self.lower, self.upper
        if low is not None and high is not None:
            if low[0] > high[0] or (low[0] == high[0] and not (low[1] and high[1])):
                raise ValueError("khoảng rỗng: cận dưới không nhỏ hơn cận trên")
        return self

    @property
    def lower(self) -> tuple[Decimal, bool] | None:
        """(bound, inclusive) or None."""
        if self.ge is not None:
            return self.ge, True
        if self.gt is not None:
            return self.gt, False
        return None

    @property
    def upper(self) -> tuple[Decimal, bool] | None:
        if self.le is not None:
            return self.le, True
        if self.lt is not None:
            return self.lt, False
        return None

    def words(self, unit: str) -> str:
        low, high = self.lower, self.upper
        show = lambda v: f"{format_vn(v, 4, trim=True)}{unit}"  # noqa: E731
        if low and high:
            if low[0] == high[0]:
                return f"Đạt {show(low[0])}"
            start = "từ" if low[1] else "trên"
            end = "đến" if high[1] else "đến dưới"
            return f"{start} {show(low[0])} {end} {show(high[0])}"
        if low:
            return f"từ {show(low[0])} trở lên" if low[1] else f"trên {show(low[0])}"
        if high:
            return f"{'đến' if high[1] else 'dưới'} {show(high[0])}"
        return "mọi giá trị"


class BandsRule(RuleKind):
    """Points by the range the measured value falls in. Bands are listed from the highest
    range to the lowest, touch without gaps or overlaps, and cover every possible value."""

    label: ClassVar[str] = "khoảng"
    kind: Literal["bands"]
    measure: Literal["percent", "number"] = "percent"
    better: Literal["higher", "lower"] = "higher"
    bands: tuple[Band, ...]
    floor: DecimalText = Decimal(0)

    @property
    def unit(self) -> str:
        return "%" if self.measure == "percent" else ""

    def _bound(self, value: Decimal) -> Fraction:
        """A written bound as a fraction of the stored value's unit (shares are of 1)."""
        return Fraction(value) / 100 if self.measure == "percent" else Fraction(value)

    def check(self, max_points: Decimal) -> list[str]:
        problems: list[str] = []
        if not self.bands:
            return ["cần ít nhất một khoảng"]
        first, last = self.bands[0], self.bands[-1]
        top = first.upper
        if top is not None and not (self.measure == "percent" and top[0] >= 100 and (top[1] or top[0] > 100)):
            problems.append(f"khoảng đầu tiên phải không có cận trên{' hoặc đến 100%' if self.unit else ''}")
        bottom = last.lower
        if bottom is not None and not (bottom[0] < 0 or (bottom[0] == 0 and bottom[1])):
            problems.append("khoảng cuối cùng phải xuống tới 0 (ví dụ “dưới 70%”)")
        for upper_band, lower_band in zip(self.bands, self.bands[1:]):
            meet_low, meet_high = upper_band.lower, lower_band.upper
            label = f"giữa “{upper_band.words(self.unit)}” và “{lower_band.words(self.unit)}”"
            if meet_low is None or meet_high is None:
                problems.append(f"các khoảng chồng lên nhau {label}")
            elif meet_low[0] > meet_high[0] or (meet_low[0] == meet_high[0] and not (meet_low[1] or meet_high[1])):
                problems.append(f"có khoảng trống {label} (các khoảng phải liền nhau, xếp từ cao xuống thấp)")
            elif meet_low[0] < meet_high[0] or (meet_low[1] and meet_high[1]):
                problems.append(f"các khoảng chồng lên nhau hoặc không xếp từ cao xuống thấp {label}")
        for band in self.bands:
            if not self.floor <= band.points <= max_points:
                problems.append(
                    f"khoảng “{band.words(self.unit)}” có {format_points(band.points)} điểm, ngoài "
                    f"[{format_points(self.floor)}; {format_points(max_points)}]"
                )
        points = [b.points for b in self.bands]
        ordered = points == sorted(points, reverse=self.better == "higher")
        if not ordered:
            problems.append(
                "điểm phải giảm dần từ khoảng cao xuống khoảng thấp"
                if self.better == "higher"
                else "điểm phải tăng dần từ khoảng cao xuống khoảng thấp (better: lower)"
            )
        if max(points) != max_points:
            problems.append("không khoảng nào đạt điểm tối đa")
        return problems

    def lowest(self, max_points: Decimal) -> Decimal:
        return min(min(b.points for b in self.bands), Decimal(0))

    def expects(self) -> str:
        if self.measure == "percent":
            return "một tỷ lệ: “45/50” (số đạt/tổng số), “90%” hoặc “90”"
        return "một số không âm"

    def parse_value(self, value: Any) -> Cell:
        if self.measure == "percent":
            return parse_share(value)
        number = parse_decimal(value)
        if number < 0:
            raise ValueError(f"cần một số không âm, nhận được “{value}”")
        a, b = fraction_pair(Fraction(number))
        return Cell(VALUE, a, b)

    def _largest_factor(self) -> int:
        """The largest product of an evidence value and a bound's numerator or denominator."""
        terms = [self._bound(edge[0]) for band in self.bands for edge in (band.lower, band.upper) if edge is not None]
        return MAX_MAGNITUDE * max((max(t.numerator, t.denominator) for t in terms), default=1)

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        # The bands touch and run from the highest range down (``check``), so a value's band is
        # the highest whose lower bound it reaches: start in the lowest band, lift band by band.
        points = np.full(a.shape, to_scaled(self.bands[-1].points), dtype=np.int64)
        a, b = exact(self._largest_factor(), a, b)
        for band in reversed(self.bands[:-1]):
            bound, inclusive = band.lower  # type: ignore[misc] - every band but the lowest has one
            share = self._bound(bound)
            left, right = a * share.denominator, b * share.numerator
            np.copyto(points, to_scaled(band.points), where=(left >= right) if inclusive else (left > right))
        return points

    def program(self, max_s: int) -> CellProgram | None:
        if not fits_int64(self._largest_factor()):
            return None
        steps: list[int] = []
        for band in reversed(self.bands[:-1]):  # as ``score``: from the lowest band up
            bound, inclusive = band.lower  # type: ignore[misc] - every band but the lowest has one
            share = self._bound(bound)
            steps += [share.numerator, share.denominator, int(inclusive), to_scaled(band.points)]
        return CellProgram(OP_RATIO_STEPS, (to_scaled(self.bands[-1].points), len(self.bands) - 1, *steps))

    def _band_of(self, cell: Cell) -> Band:
        """The band one value falls in, read bound by bound (plain Python: one cell, no arrays)."""
        value = Fraction(cell.a, cell.b)
        for band in self.bands:
            low, high = band.lower, band.upper
            if low is not None and not (value >= self._bound(low[0]) if low[1] else value > self._bound(low[0])):
                continue
            if high is not None and not (value <= self._bound(high[0]) if high[1] else value < self._bound(high[0])):
                continue
            return band
        raise ValueError(f"{value} không thuộc khoảng nào")  # check() makes the bands cover every value

    def value_text(self, cell: Cell) -> str:
        if self.measure == "percent":
            shown = percent_text(cell.a, cell.b)
            return f"{shown} ({cell.note})" if cell.note else shown
        return number_text(cell.a, cell.b)

    def evidence(self, cell: Cell) -> Any:
        if self.measure == "percent":
            return {"percent": str(Decimal(cell.a * 100) / Decimal(cell.b)), "as_entered": cell.note}
        return str(Decimal(cell.a) / Decimal(cell.b))

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        band = self._band_of(cell)
        return f"{self.value_text(cell)} thuộc mức “{band.words(self.unit)}”: {format_points(band.points)} điểm"

    def describe(self, max_points: Decimal) -> str:
        return "; ".join(f"{b.words(self.unit)}: {format_points(b.points)}" for b in self.bands)

    def top(self) -> Band:
        return max(self.bands, key=lambda b: b.points)

    def band_words(self, band: Band) -> str:
        """“từ 90% trở lên”, “0%” (a band of one value says “Đạt 0%”: the “Đạt” is the caller's)."""
        words = band.words(self.unit)
        return words[4:] if words.startswith("Đạt ") else words

    def input_spec(self, max_points: Decimal) -> InputSpec:
        if self.measure == "percent":
            return InputSpec("ratio", SHARE_PROMPT)
        return InputSpec("number", "Một số không âm", minimum=Decimal(0))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        top = self.top()
        words = self.band_words(top)
        if subject.endswith(" (%)"):  # a ratio entered as a plain number: its levels are percentages
            subject = subject[:-4]
            words = top.words("%")[4:] if top.words("%").startswith("Đạt ") else top.words("%")
        if self.better == "higher":
            return Recovery(f"Nâng cao {subject}, phấn đấu đạt {words}")
        return Recovery(f"Giảm {subject} xuống {words}")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"Đạt mức {self.band_words(self.top())}"
