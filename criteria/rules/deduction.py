"""Deduction per occurrence: from the maximum, minus a fixed amount for each case, down to
a floor that may lie below zero ("bị 0 điểm và bị trừ 0,25 điểm")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..numbers import DecimalText, format_points, to_scaled
from .base import (
    MAX_MAGNITUDE, OP_AFFINE_FLOOR, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, exact, fits_int64,
    parse_count,
)


class DeductionRule(RuleKind):
    label: ClassVar[str] = "trừ điểm theo lần"
    kind: Literal["deduction"]
    per_occurrence: DecimalText = Field(gt=0)
    unit: str = "trường hợp"
    floor: DecimalText = Decimal(0)

    def check(self, max_points: Decimal) -> list[str]:
        if self.floor > max_points:
            return ["điểm sàn lớn hơn điểm tối đa"]
        return []

    def lowest(self, max_points: Decimal) -> Decimal:
        return min(self.floor, Decimal(0))

    def expects(self) -> str:
        return f"số {self.unit} vi phạm (số nguyên không âm, 0 nếu không có)"

    def parse_value(self, value: Any) -> Cell:
        return Cell(VALUE, parse_count(value))

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        per = to_scaled(self.per_occurrence)
        (wide,) = exact(MAX_MAGNITUDE * per + abs(max_s), a)
        return np.maximum(max_s - wide * per, to_scaled(self.floor)).astype(np.int64)

    def program(self, max_s: int) -> CellProgram | None:
        per = to_scaled(self.per_occurrence)
        if not fits_int64(MAX_MAGNITUDE * per + abs(max_s)):
            return None
        return CellProgram(OP_AFFINE_FLOOR, (max_s, -per, to_scaled(self.floor)))

    def evidence(self, cell: Cell) -> Any:
        return cell.a

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        if cell.a == 0:
            return f"không có {self.unit} nào: {format_points(max_points)} điểm"
        points = max(max_points - cell.a * self.per_occurrence, self.floor)
        return (
            f"{cell.a} {self.unit} × trừ {format_points(self.per_occurrence)}: "
            f"{format_points(max_points)} − {format_points(cell.a * self.per_occurrence)} → "
            f"{format_points(points)} điểm"
        )

    def describe(self, max_points: Decimal) -> str:
        return (
            f"Tối đa {format_points(max_points)}; trừ {format_points(self.per_occurrence)} điểm "
            f"cho mỗi {self.unit}; thấp nhất {format_points(self.floor)}"
        )

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("number", f"Số {self.unit} vi phạm (0 nếu không có): số nguyên không âm",
                         minimum=Decimal(0), integer=True)

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        return Recovery(f"Chấn chỉnh, không để phát sinh {self.unit} bị trừ điểm về {subject}")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"Không có {self.unit} bị trừ điểm"
