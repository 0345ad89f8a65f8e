"""Count ladder: "họp 4 lần/năm: 20; 3 lần: 15; 2 lần: 10; 1 lần: 5; còn lại: 0" (DTI tables)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..numbers import DecimalText, format_points, to_scaled
from .base import VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, RuleModel, parse_count, steps_program


class Step(RuleModel):
    at_least: int = Field(ge=0)
    points: DecimalText


class CountLadderRule(RuleKind):
    """The highest step whose ``at_least`` the count reaches; below every step: ``otherwise``."""

    label: ClassVar[str] = "bậc theo số lượng"
    kind: Literal["count_ladder"]
    unit: str = "lần"
    steps: tuple[Step, ...] = Field(min_length=1)
    otherwise: DecimalText = Decimal(0)

    def check(self, max_points: Decimal) -> list[str]:
        problems = []
        counts = [s.at_least for s in self.steps]
        if counts != sorted(counts, reverse=True) or len(set(counts)) != len(counts):
            problems.append("các bậc phải xếp theo số lượng giảm dần, không trùng")
        points = [s.points for s in self.steps] + [self.otherwise]
        if points != sorted(points, reverse=True):
            problems.append("điểm các bậc phải giảm dần theo số lượng")
        for step in self.steps:
            if not Decimal(0) <= step.points <= max_points:
                problems.append(f"bậc {step.at_least} {self.unit} có {format_points(step.points)} điểm, ngoài [0; {format_points(max_points)}]")
        if self.steps and self.steps[0].points != max_points:
            problems.append("bậc cao nhất phải bằng điểm tối đa")
        if self.otherwise < 0:
            problems.append("điểm còn lại không được âm")
        return problems

    def lowest(self, max_points: Decimal) -> Decimal:
        return Decimal(0)

    def expects(self) -> str:
        return f"số {self.unit} (số nguyên không âm)"

    def parse_value(self, value: Any) -> Cell:
        return Cell(VALUE, parse_count(value))

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        ascending = self.steps[::-1]  # steps run from the largest count down (check)
        thresholds = np.array([step.at_least for step in ascending], dtype=np.int64)
        table = np.array([to_scaled(self.otherwise), *(to_scaled(s.points) for s in ascending)], dtype=np.int64)
        return table.take(np.searchsorted(thresholds, a, side="right"))  # how many steps a reaches

    def program(self, max_s: int) -> CellProgram:
        return steps_program(self, max_s, [step.at_least for step in self.steps])

    def evidence(self, cell: Cell) -> Any:
        return cell.a

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        for step in self.steps:
            if cell.a >= step.at_least:
                return f"{cell.a} {self.unit} (từ {step.at_least} {self.unit}): {format_points(step.points)} điểm"
        return f"{cell.a} {self.unit}, dưới mọi bậc: {format_points(self.otherwise)} điểm"

    def describe(self, max_points: Decimal) -> str:
        parts = [f"từ {s.at_least} {self.unit}: {format_points(s.points)}" for s in self.steps]
        return "; ".join(parts + [f"còn lại: {format_points(self.otherwise)}"])

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("number", f"Số {self.unit}: số nguyên không âm", minimum=Decimal(0), integer=True)

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        return Recovery(f"Bảo đảm {subject} đạt ít nhất {self.steps[0].at_least} {self.unit}")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"Ít nhất {self.steps[0].at_least} {self.unit}"
