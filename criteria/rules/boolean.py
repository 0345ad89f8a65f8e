"""Boolean: đạt / không đạt. "Đạt yêu cầu: 1; Không đạt yêu cầu: 0" (Cà Mau 1.1.3)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np

from ..numbers import DecimalText, format_points, to_scaled
from .base import (
    INT64_MIN, OP_AFFINE_FLOOR, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, norm_text,
)

TRUE_WORDS = frozenset({"có", "đạt", "đạt yêu cầu", "x", "yes", "true", "1", "đúng", "hoàn thành"})
FALSE_WORDS = frozenset({"không", "không đạt", "không đạt yêu cầu", "no", "false", "0", "sai", "chưa"})


class BooleanRule(RuleKind):
    """Yes → the maximum; no → ``no_points`` (0, or below zero where the rubric says so)."""

    label: ClassVar[str] = "đạt/không đạt"
    kind: Literal["boolean"]
    yes_label: str = "Đạt"
    no_label: str = "Không đạt"
    no_points: DecimalText = Decimal(0)

    def check(self, max_points: Decimal) -> list[str]:
        if self.no_points > max_points:
            return [f"điểm khi không đạt ({format_points(self.no_points)}) lớn hơn điểm tối đa"]
        return []

    def lowest(self, max_points: Decimal) -> Decimal:
        return min(self.no_points, Decimal(0))

    def expects(self) -> str:
        return f"“{self.yes_label}” hoặc “{self.no_label}” (Có/Không)"

    def parse_value(self, value: Any) -> Cell:
        if isinstance(value, bool):
            return Cell(VALUE, int(value))
        if isinstance(value, (int, float)) and value in (0, 1):
            return Cell(VALUE, int(value))
        if isinstance(value, str):
            word = norm_text(value)
            if word in TRUE_WORDS or word == norm_text(self.yes_label):
                return Cell(VALUE, 1)
            if word in FALSE_WORDS or word == norm_text(self.no_label):
                return Cell(VALUE, 0)
        raise ValueError(f"cần {self.expects()}, nhận được “{value}”")

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        no = to_scaled(self.no_points)
        return a * (max_s - no) + no if no else a * max_s  # a is 1 (yes) or 0 (no)

    def program(self, max_s: int) -> CellProgram:
        no = to_scaled(self.no_points)
        return CellProgram(OP_AFFINE_FLOOR, (no, max_s - no, INT64_MIN))

    def evidence(self, cell: Cell) -> Any:
        return bool(cell.a)

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        label = self.yes_label if cell.a else self.no_label
        points = max_points if cell.a else self.no_points
        return f"{label}: {format_points(points)} điểm"

    def describe(self, max_points: Decimal) -> str:
        return (
            f"{self.yes_label}: {format_points(max_points)}; "
            f"{self.no_label}: {format_points(self.no_points)}"
        )

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("choice", f"Chọn “{self.yes_label}” hoặc “{self.no_label}”",
                         choices=(self.yes_label, self.no_label))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        return Recovery(f"Bảo đảm {subject} đạt yêu cầu")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"“{self.yes_label}”"
