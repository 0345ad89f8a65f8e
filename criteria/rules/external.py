"""External or survey points: a number received (SIPAS, XHH), not computed here."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..numbers import SCALE, SCALE_DIGITS, format_points, format_vn, parse_decimal, to_scaled
from .base import (
    MAX_MAGNITUDE, OP_COPY, OP_SHARE, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, exact, fits_int64,
    full_points, plain_decimal,
)


class ExternalRule(RuleKind):
    """``input: points`` — the points received (0 … max); ``input: percent_of_max`` — a
    percentage, turned into points and rounded half-up to ``decimals``."""

    label: ClassVar[str] = "điểm từ nguồn ngoài"
    kind: Literal["external"]
    input: Literal["points", "percent_of_max"] = "points"
    source_name: str = "điều tra xã hội học"
    decimals: int = Field(default=2, ge=0, le=SCALE_DIGITS)

    def check(self, max_points: Decimal) -> list[str]:
        return []

    def lowest(self, max_points: Decimal) -> Decimal:
        return Decimal(0)

    def expects(self) -> str:
        if self.input == "points":
            return f"số điểm nhận được từ {self.source_name} (0 đến điểm tối đa)"
        return f"tỷ lệ % điểm tối đa nhận được từ {self.source_name} (0–100)"

    def parse_value(self, value: Any) -> Cell:
        text = value.strip()[:-1] if isinstance(value, str) and value.strip().endswith("%") else value
        number = parse_decimal(text)
        if number < 0:
            raise ValueError(f"không được âm, nhận được “{value}”")
        if self.input == "percent_of_max":
            if number > 100:
                raise ValueError(f"tỷ lệ phải trong khoảng 0–100%, nhận được “{value}”")
            fraction = Fraction(number) / 100
            return Cell(VALUE, fraction.numerator, fraction.denominator)
        scaled = to_scaled(number)
        return Cell(VALUE, scaled, SCALE)  # bound to the maximum is checked by the engine

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        if self.input == "points":
            return a.astype(np.int64)
        quantum = 10 ** (SCALE_DIGITS - self.decimals)
        max_q = max_s // quantum
        a, b = exact(2 * MAX_MAGNITUDE * (max_q + 1), a, b)
        return ((2 * a * max_q + b) // (2 * b) * quantum).astype(np.int64)

    def program(self, max_s: int) -> CellProgram | None:
        if self.input == "points":
            return CellProgram(OP_COPY)
        quantum = 10 ** (SCALE_DIGITS - self.decimals)
        max_q = max_s // quantum
        if not fits_int64(2 * MAX_MAGNITUDE * (max_q + 1)):
            return None
        return CellProgram(OP_SHARE, (2 * max_q, quantum, 0, 0, 1, 1))

    def upper_scaled(self, max_s: int) -> int:
        """Largest acceptable raw ``a`` for a leaf of this maximum (points input only)."""
        return max_s

    def evidence(self, cell: Cell) -> Any:
        if self.input == "points":
            return str(Decimal(cell.a) / SCALE)
        return {"percent": str(Decimal(cell.a * 100) / Decimal(cell.b))}

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        if self.input == "points":
            return f"điểm {self.source_name}: {format_points(Decimal(cell.a) / SCALE)} điểm"
        points = self.score(np.array([cell.a]), np.array([cell.b]), to_scaled(max_points))[0]
        return (
            f"{self.source_name}: {format_vn(Fraction(cell.a * 100, cell.b), 2, trim=True)}% × "
            f"{format_points(max_points)} = {format_points(Decimal(int(points)) / SCALE)} điểm"
        )

    def describe(self, max_points: Decimal) -> str:
        if self.input == "points":
            return f"Điểm lấy từ {self.source_name} (tối đa {format_points(max_points)})"
        return f"Tỷ lệ % từ {self.source_name} × {format_points(max_points)}"

    def input_spec(self, max_points: Decimal) -> InputSpec:
        if self.input == "points":
            return InputSpec("number", f"Điểm nhận được từ {self.source_name}, từ 0 đến {plain_decimal(max_points)}; "
                             "để trống nếu chưa có kết quả", minimum=Decimal(0), maximum=max_points)
        return InputSpec("number", f"Tỷ lệ % nhận được từ {self.source_name}, từ 0 đến 100; để trống nếu chưa có kết quả",
                         minimum=Decimal(0), maximum=Decimal(100))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        return Recovery(f"Nâng cao kết quả {subject}")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return full_points(max_points)
