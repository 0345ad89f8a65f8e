"""Additive items: a checklist whose points add up, capped at the maximum.

"Tuyên truyền qua phương tiện trực tuyến (bảng/màn hình điện tử: 0,25; website, mạng xã hội:
0,25) và qua hình thức truyền thống: 0,5" (Xuân Lộc 4.2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field

from ..numbers import DecimalText, format_points, to_scaled
from .base import (
    OP_BITS, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, RuleModel, norm_text, table_program,
)

MAX_ITEMS = 62  # the set of items met is a bit mask in one int64
TABLE_ITEMS = 12  # up to this many items, score by a table of all 2**n subsets' points


class Item(RuleModel):
    label: str = Field(min_length=1)
    points: DecimalText = Field(gt=0)


class AdditiveRule(RuleKind):
    """Evidence lists the items met, by label or number, separated by “;”."""

    label: ClassVar[str] = "cộng điểm các mục"
    kind: Literal["additive"]
    items: tuple[Item, ...] = Field(min_length=1, max_length=MAX_ITEMS)

    def check(self, max_points: Decimal) -> list[str]:
        problems = []
        total = sum((i.points for i in self.items), Decimal(0))
        if total < max_points:
            problems.append(f"tổng điểm các mục ({format_points(total)}) nhỏ hơn điểm tối đa")
        labels = [norm_text(i.label) for i in self.items]
        if len(set(labels)) != len(labels):
            problems.append("các mục bị trùng tên")
        return problems

    def lowest(self, max_points: Decimal) -> Decimal:
        return Decimal(0)

    def expects(self) -> str:
        return "các mục đạt, cách nhau bởi “;” (tên hoặc số thứ tự: " + "; ".join(
            f"{n}. {i.label}" for n, i in enumerate(self.items, 1)
        ) + "), hoặc “Không có mục nào”"

    def parse_value(self, value: Any) -> Cell:
        if isinstance(value, str):
            if norm_text(value) in {"không có mục nào", "không", "không có"}:
                return Cell(VALUE, 0)
            parts = [p for p in value.replace("\n", ";").split(";") if p.strip()]
        elif isinstance(value, (list, tuple)):
            parts = list(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            parts = [str(value)]
        else:
            raise ValueError(f"cần {self.expects()}, nhận được “{value}”")
        mask = 0
        for part in parts:
            mask |= 1 << self._index(part)
        return Cell(VALUE, mask)

    def _index(self, part: Any) -> int:
        key = norm_text(str(part))
        for index, item in enumerate(self.items):
            if key == norm_text(item.label):
                return index
        if key.isdigit() and 1 <= int(key) <= len(self.items):
            return int(key) - 1
        raise ValueError(f"“{part}” không phải là mục nào của tiêu chí; cần {self.expects()}")

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        if len(self.items) <= TABLE_ITEMS:  # one lookup in the capped sum of every subset
            sums = np.zeros(1, dtype=np.int64)
            for item in self.items:
                sums = np.concatenate([sums, sums + to_scaled(item.points)])
            return np.minimum(sums, max_s).take(a)
        total = np.zeros(a.shape, dtype=np.int64)
        for index, item in enumerate(self.items):
            total += np.where((a >> index) & 1 == 1, to_scaled(item.points), 0)
        return np.minimum(total, max_s)

    def program(self, max_s: int) -> CellProgram:
        if len(self.items) <= TABLE_ITEMS:  # a: the bit mask of the items met
            return table_program(self, max_s, 2 ** len(self.items))
        return CellProgram(OP_BITS, (max_s, *(to_scaled(item.points) for item in self.items)))

    def met(self, cell: Cell) -> list[Item]:
        return [item for index, item in enumerate(self.items) if (cell.a >> index) & 1]

    def evidence(self, cell: Cell) -> Any:
        return [item.label for item in self.met(cell)]

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        met = self.met(cell)
        if not met:
            return "không đạt mục nào: 0 điểm"
        total = sum((i.points for i in met), Decimal(0))
        parts = " + ".join(f"{i.label} ({format_points(i.points)})" for i in met)
        capped = f", tối đa {format_points(max_points)}" if total > max_points else ""
        return f"{parts} = {format_points(min(total, max_points))} điểm{capped}"

    def describe(self, max_points: Decimal) -> str:
        return "Cộng điểm các mục đạt: " + "; ".join(
            f"{i.label}: {format_points(i.points)}" for i in self.items
        ) + f" (tối đa {format_points(max_points)})"

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("checklist", "Đánh dấu “Có” hoặc “Không” cho từng mục",
                         choices=tuple(i.label for i in self.items), choice_points=tuple(i.points for i in self.items))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        met = set(evidence) if isinstance(evidence, list) else set()
        missing = [item.label for item in self.items if item.label not in met]
        lower = [m[:1].lower() + m[1:] if m[1:2].islower() else m for m in missing]
        return Recovery(f"Thực hiện đầy đủ các nội dung về {subject}" + (f": {'; '.join(lower)}" if missing else ""))

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return "Đủ các nội dung: " + "; ".join(i.label for i in self.items)
