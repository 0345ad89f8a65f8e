"""Proportional: share × maximum, rounded half-up once, with an optional floor.

"Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa" (DTI tables). With a floor: "Hoàn thành 90%–100%:
điểm = số mục tiêu hoàn thành / số mục tiêu đề ra × 1 … Dưới 90%: 0" (Xuân Lộc 4.1).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, model_validator

from ..numbers import DecimalText, SCALE_DIGITS, format_points, format_vn, to_scaled
from .base import (
    MAX_MAGNITUDE, OP_SHARE, SHARE_PROMPT, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, RuleModel, exact,
    fits_int64, parse_share, percent_text,
)


class ShareFloor(RuleModel):
    """Below this share the leaf scores 0: ``{ge: 90}`` = "từ 90%", ``{gt: 90}`` = "trên 90%"."""

    ge: DecimalText | None = Field(default=None, ge=0, le=100)
    gt: DecimalText | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _exactly_one(self) -> "ShareFloor":
        if (self.ge is None) == (self.gt is None):
            raise ValueError("ngưỡng cần đúng một trong ge (từ) hoặc gt (trên)")
        return self

    @property
    def bound(self) -> Decimal:
        return self.ge if self.ge is not None else self.gt  # type: ignore[return-value]

    @property
    def inclusive(self) -> bool:
        return self.ge is not None

    def words(self) -> str:
        return f"{'từ' if self.inclusive else 'trên'} {format_vn(self.bound, 4, trim=True)}%"


class ProportionalRule(RuleKind):
    label: ClassVar[str] = "tỷ lệ"
    kind: Literal["proportional"]
    floor: ShareFloor | None = None
    decimals: int = Field(default=2, ge=0, le=SCALE_DIGITS)

    def check(self, max_points: Decimal) -> list[str]:
        step = Decimal(1).scaleb(-self.decimals)
        if max_points % step:
            return [f"điểm tối đa phải là bội của {format_vn(step, self.decimals)} để làm tròn {self.decimals} chữ số"]
        return []

    def lowest(self, max_points: Decimal) -> Decimal:
        return Decimal(0)

    def expects(self) -> str:
        return "một tỷ lệ: “45/50” (số đạt/tổng số), “90%” hoặc “90”"

    def parse_value(self, value: Any) -> Cell:
        return parse_share(value)

    def _passes(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        if self.floor is None:
            return np.ones(a.shape, dtype=bool)
        bound = Fraction(self.floor.bound) / 100
        a, b = exact(MAX_MAGNITUDE * max(bound.denominator, bound.numerator), a, b)
        left, right = a * bound.denominator, bound.numerator * b
        return left >= right if self.floor.inclusive else left > right

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        quantum = 10 ** (SCALE_DIGITS - self.decimals)  # scaled units per rounding step
        max_q = max_s // quantum
        wide_a, wide_b = exact(2 * MAX_MAGNITUDE * (max_q + 1), a, b)
        rounded = (2 * wide_a * max_q + wide_b) // (2 * wide_b)  # half-up of a/b × max, in rounding steps
        return np.where(self._passes(a, b), rounded * quantum, 0).astype(np.int64)

    def program(self, max_s: int) -> CellProgram | None:
        quantum = 10 ** (SCALE_DIGITS - self.decimals)
        max_q = max_s // quantum
        limits = [2 * MAX_MAGNITUDE * (max_q + 1)]
        floor: tuple[int, int, int, int] = (0, 0, 1, 1)
        if self.floor is not None:
            bound = Fraction(self.floor.bound) / 100
            limits.append(MAX_MAGNITUDE * max(bound.denominator, bound.numerator))
            floor = (1, bound.numerator, bound.denominator, int(self.floor.inclusive))
        if not all(fits_int64(limit) for limit in limits):
            return None
        return CellProgram(OP_SHARE, (2 * max_q, quantum, *floor))

    def evidence(self, cell: Cell) -> Any:
        return {"percent": str(Decimal(cell.a * 100) / Decimal(cell.b)), "as_entered": cell.note}

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        shown = percent_text(cell.a, cell.b)
        if cell.note:
            shown = f"{shown} ({cell.note})"
        points = self.score(np.array([cell.a]), np.array([cell.b]), to_scaled(max_points))[0]
        if self.floor is not None and not self._passes(np.array([cell.a]), np.array([cell.b]))[0]:
            return f"{shown}, chưa đạt ngưỡng {self.floor.words()}: 0 điểm"
        return f"{shown} × {format_points(max_points)} = {format_points(Decimal(int(points)) / 10**SCALE_DIGITS)} điểm"

    def describe(self, max_points: Decimal) -> str:
        text = f"Điểm = tỷ lệ đạt × {format_points(max_points)}"
        if self.floor is not None:
            text += f" (khi tỷ lệ {self.floor.words()}); dưới ngưỡng: 0"
        return text

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("ratio", SHARE_PROMPT)

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        return Recovery(f"Nâng {subject} lên 100%")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return "Đạt 100%"
