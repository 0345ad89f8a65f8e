"""Manual: a person's points within the bounds, always with a reason (appraiser judgement)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np

from ..numbers import SCALE, format_points, parse_decimal, to_scaled
from .base import OP_COPY, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, full_points, nfc, plain_decimal


class ManualRule(RuleKind):
    """Evidence: ``{points: 0.5, reason: "…"}`` or the text ``0,5 | lý do``."""

    label: ClassVar[str] = "chấm thủ công"
    kind: Literal["manual"]
    guidance: str = ""

    def check(self, max_points: Decimal) -> list[str]:
        return []

    def lowest(self, max_points: Decimal) -> Decimal:
        return Decimal(0)

    def expects(self) -> str:
        return "điểm chấm kèm lý do, dạng “0,5 | lý do”"

    def parse_value(self, value: Any) -> Cell:
        if isinstance(value, dict):
            unknown = set(value) - {"points", "reason"}
            if unknown:
                raise ValueError(f"khóa không hợp lệ {sorted(unknown)}; cần points và reason")
            points, reason = value.get("points"), value.get("reason")
        elif isinstance(value, str) and "|" in value:
            points, _, reason = value.partition("|")
        else:
            raise ValueError(f"cần {self.expects()}, nhận được “{value}” (thiếu lý do)")
        if points is None:
            raise ValueError("thiếu điểm chấm")
        reason = nfc(str(reason or ""))
        if not reason:
            raise ValueError("chấm thủ công bắt buộc có lý do")
        number = parse_decimal(points)
        if number < 0:
            raise ValueError(f"điểm không được âm, nhận được “{points}”")
        return Cell(VALUE, to_scaled(number), SCALE, note=reason)

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        return a.astype(np.int64)

    def program(self, max_s: int) -> CellProgram:
        return CellProgram(OP_COPY)

    def upper_scaled(self, max_s: int) -> int:
        return max_s

    def evidence(self, cell: Cell) -> Any:
        return {"points": str(Decimal(cell.a) / SCALE), "reason": cell.note}

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        return f"chấm {format_points(Decimal(cell.a) / SCALE)} điểm, lý do: {cell.note}"

    def describe(self, max_points: Decimal) -> str:
        text = f"Người chấm cho điểm từ 0 đến {format_points(max_points)}, ghi rõ lý do"
        return f"{text}. {self.guidance}" if self.guidance else text

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("points", f"Điểm tự chấm từ 0 đến {plain_decimal(max_points)}; ghi lý do ở cột Giải trình",
                         minimum=Decimal(0), maximum=max_points)

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        # the reason for the points is in the trace, shown beside the task
        return Recovery(f"Khắc phục các hạn chế về {subject}")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return full_points(max_points)
