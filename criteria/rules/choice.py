"""Choice: labelled options → points, e.g. deadline tiers
"Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0" (Cà Mau 1.1.1)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..numbers import DecimalText, format_points, to_scaled
from .base import VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, RuleModel, norm_text, table_program


class Option(RuleModel):
    label: str = Field(min_length=1)
    points: DecimalText
    aliases: tuple[str, ...] = ()


class ChoiceRule(RuleKind):
    """The evidence names one option (by label, alias or number 1, 2, …)."""

    label: ClassVar[str] = "lựa chọn"
    kind: Literal["choice"]
    options: tuple[Option, ...] = Field(min_length=2)
    floor: DecimalText = Decimal(0)

    def check(self, max_points: Decimal) -> list[str]:
        problems = []
        seen: set[str] = set()
        for option in self.options:
            if not self.floor <= option.points <= max_points:
                problems.append(
                    f"lựa chọn “{option.label}” có {format_points(option.points)} điểm, ngoài khoảng "
                    f"[{format_points(self.floor)}; {format_points(max_points)}]"
                )
            for name in (option.label, *option.aliases):
                key = norm_text(name)
                if key in seen:
                    problems.append(f"lựa chọn “{name}” bị lặp")
                seen.add(key)
        if self.options and max(o.points for o in self.options) != max_points:
            problems.append("không lựa chọn nào đạt điểm tối đa")
        return problems

    def lowest(self, max_points: Decimal) -> Decimal:
        return min(min(o.points for o in self.options), Decimal(0))

    def expects(self) -> str:
        return "một trong: " + "; ".join(f"“{o.label}”" for o in self.options)

    def parse_value(self, value: Any) -> Cell:
        if isinstance(value, str):
            key = norm_text(value)
            for index, option in enumerate(self.options):
                if key == norm_text(option.label) or key in {norm_text(a) for a in option.aliases}:
                    return Cell(VALUE, index)
            if key.isdigit() and 1 <= int(key) <= len(self.options):
                return Cell(VALUE, int(key) - 1)
        elif isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(self.options):
            return Cell(VALUE, value - 1)
        raise ValueError(f"cần {self.expects()}, nhận được “{value}”")

    def points_table(self) -> np.ndarray:
        return np.array([to_scaled(o.points) for o in self.options], dtype=np.int64)

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        return self.points_table().take(a)

    def program(self, max_s: int) -> CellProgram:
        return table_program(self, max_s, len(self.options))  # a: the option's number from 0

    def evidence(self, cell: Cell) -> Any:
        return self.options[cell.a].label

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        option = self.options[cell.a]
        return f"{option.label}: {format_points(option.points)} điểm"

    def describe(self, max_points: Decimal) -> str:
        return "; ".join(f"{o.label}: {format_points(o.points)}" for o in self.options)

    def best(self) -> Option:
        return max(self.options, key=lambda o: o.points)

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("choice", "Chọn một mức trong danh sách", choices=tuple(o.label for o in self.options),
                         choice_points=tuple(o.points for o in self.options))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        best = self.best()
        return Recovery(f"Phấn đấu {subject} đạt mức “{best.label}”")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"“{self.best().label}”"
