"""Deadline: a document's date against a due date → on time / late / not issued.

"Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0" where the
rubric fixes the due date (e.g. the annual plan by 31/12 of the previous year).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import field_validator

from ..numbers import DecimalText, format_points, to_scaled
from .base import VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, norm_text, steps_program

NOT_ISSUED = -1  # a: days since 1970-01-01, or NOT_ISSUED
NOT_ISSUED_WORD = "Không ban hành"  # what a unit types for a document never issued
NOT_ISSUED_WORDS = frozenset({"không ban hành", "không", "chưa ban hành", "không có"})
_EPOCH = dt.date(1970, 1, 1)


def parse_date(value: Any) -> dt.date:
    """A date as units write it: 15/01/2025, 15-01-2025, 2025-01-15, or a spreadsheet date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, str):
        text = value.strip()
        for fmt in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S"):
            try:
                return dt.datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    raise ValueError(f"“{value}” không phải là ngày hợp lệ (cần dạng ngày/tháng/năm, ví dụ 15/01/2025)")


def date_text(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


class DeadlineRule(RuleKind):
    """Issued on or before ``due`` → ``on_time`` (the maximum by default); later → ``late``;
    not issued → ``missing``."""

    label: ClassVar[str] = "thời hạn"
    kind: Literal["deadline"]
    due: dt.date
    document: str = "văn bản"
    on_time: DecimalText | None = None
    late: DecimalText
    not_issued: DecimalText = Decimal(0)

    @field_validator("due", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return parse_date(value)

    def on_time_points(self, max_points: Decimal) -> Decimal:
        return max_points if self.on_time is None else self.on_time

    def check(self, max_points: Decimal) -> list[str]:
        problems = []
        on_time = self.on_time_points(max_points)
        if on_time != max_points:
            problems.append("điểm ban hành kịp thời phải bằng điểm tối đa")
        if not self.not_issued <= self.late <= on_time:
            problems.append("điểm phải giảm dần: kịp thời ≥ không kịp thời ≥ không ban hành")
        return problems

    def lowest(self, max_points: Decimal) -> Decimal:
        return min(self.not_issued, Decimal(0))

    def expects(self) -> str:
        return f"ngày ban hành {self.document} (ngày/tháng/năm) hoặc “Không ban hành”"

    def parse_value(self, value: Any) -> Cell:
        if isinstance(value, str) and norm_text(value) in NOT_ISSUED_WORDS:
            return Cell(VALUE, NOT_ISSUED)
        try:
            day = parse_date(value)
        except ValueError:
            raise ValueError(f"cần {self.expects()}, nhận được “{value}”") from None
        return Cell(VALUE, (day - _EPOCH).days)

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        due = (self.due - _EPOCH).days
        on_time = to_scaled(self.on_time) if self.on_time is not None else max_s
        issued = np.where(a <= due, on_time, to_scaled(self.late))
        return np.where(a == NOT_ISSUED, to_scaled(self.not_issued), issued)

    def program(self, max_s: int) -> CellProgram:
        # the points change only entering and leaving NOT_ISSUED, and after the due day
        return steps_program(self, max_s, [NOT_ISSUED, NOT_ISSUED + 1, (self.due - _EPOCH).days + 1])

    def evidence(self, cell: Cell) -> Any:
        return None if cell.a == NOT_ISSUED else (_EPOCH + dt.timedelta(days=cell.a)).isoformat()

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        due = date_text(self.due)
        if cell.a == NOT_ISSUED:
            return f"không ban hành {self.document}: {format_points(self.not_issued)} điểm"
        day = _EPOCH + dt.timedelta(days=cell.a)
        if day <= self.due:
            return (
                f"ban hành ngày {date_text(day)}, trong hạn {due}: "
                f"{format_points(self.on_time_points(max_points))} điểm"
            )
        return f"ban hành ngày {date_text(day)}, sau hạn {due}: {format_points(self.late)} điểm"

    def describe(self, max_points: Decimal) -> str:
        return (
            f"Ban hành kịp thời (đến hết ngày {date_text(self.due)}): "
            f"{format_points(self.on_time_points(max_points))}; "
            f"Ban hành không kịp thời: {format_points(self.late)}; "
            f"Không ban hành: {format_points(self.not_issued)}"
        )

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("date", f"Ngày ban hành {self.document} (ngày/tháng/năm), hoặc gõ “{NOT_ISSUED_WORD}”",
                         words=(NOT_ISSUED_WORD,))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        due = shift(self.due)
        return Recovery(f"Ban hành {self.document} trước ngày {date_text(due)}",
                        product=self.document[:1].upper() + self.document[1:], due=due)

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"Ban hành {self.document} trước ngày {date_text(shift(self.due))}"
