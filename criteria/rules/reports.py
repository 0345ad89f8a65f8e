"""Reports counted against their due dates: all sent on time → full points, else less.

"Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian
quy định: 0" (Cà Mau QĐ 1880/QĐ-UBND 2013, TCTP 1.2.1: the quarterly reports for quý I and quý
III, the six-month report and the annual report). The rule lists the reports, each with its due
date; a unit's evidence gives, for each report in that order, the date it was sent or “không
gửi”, in one cell: ``15/03/2013; 14/06/2013; không gửi; 10/12/2013`` (or a YAML list).

A unit that sent every report on or before its due date gets ``on_time`` (the maximum); one that
sent every report but some late gets ``late``; one that did not send every report gets
``missing`` (the rubric's “không đủ số lượng”).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, ClassVar, Literal

import numpy as np
from pydantic import Field, field_validator, model_validator

from ..numbers import DecimalText, format_points, to_scaled
from .base import (
    OP_FLAGS, VALUE, Cell, CellProgram, DueShift, InputSpec, Recovery, RuleKind, RuleModel, is_blank, norm_text,
)
from .deadline import date_text, parse_date

MAX_REPORTS = 62  # the reports sent late and those not sent are bit masks in one int64 each
NOT_SENT_WORD = "không gửi"
NOT_SENT_WORDS = frozenset({"không gửi", "chưa gửi", "không", "không có"})
SEPARATORS = (";", "\n")


class Report(RuleModel):
    """One report the rule counts, with the last day it may be sent."""

    name: str = Field(min_length=1)
    due: dt.date

    @field_validator("due", mode="before")
    @classmethod
    def _date(cls, value: Any) -> dt.date:
        return parse_date(value)


class ReportsRule(RuleKind):
    """Every report sent on or before its ``due`` → ``on_time`` (the maximum by default); every
    report sent, some late → ``late``; some report not sent → ``missing``."""

    label: ClassVar[str] = "báo cáo đủ số lượng, đúng thời gian"
    kind: Literal["reports"]
    reports: tuple[Report, ...] = Field(min_length=1, max_length=MAX_REPORTS)
    on_time: DecimalText | None = None
    late: DecimalText
    missing: DecimalText = Decimal(0)

    @model_validator(mode="after")
    def _distinct_names(self) -> ReportsRule:
        names = [norm_text(r.name) for r in self.reports]
        if len(set(names)) != len(names):
            raise ValueError("hai báo cáo trùng tên: mỗi báo cáo cần một tên riêng")
        return self

    def on_time_points(self, max_points: Decimal) -> Decimal:
        return max_points if self.on_time is None else self.on_time

    def check(self, max_points: Decimal) -> list[str]:
        problems = []
        on_time = self.on_time_points(max_points)
        if on_time != max_points:
            problems.append("điểm gửi đủ và đúng hạn phải bằng điểm tối đa")
        if not self.missing <= self.late <= on_time:
            problems.append("điểm phải giảm dần: đủ và đúng hạn ≥ đủ nhưng không đúng hạn ≥ không đủ số lượng")
        return problems

    def lowest(self, max_points: Decimal) -> Decimal:
        return min(self.missing, Decimal(0))

    def _names(self) -> str:
        return "; ".join(r.name for r in self.reports)

    def expects(self) -> str:
        return (f"ngày gửi của {len(self.reports)} báo cáo theo thứ tự ({self._names()}), cách nhau bằng “;”, "
                f"báo cáo không gửi ghi “{NOT_SENT_WORD}”")

    def _parts(self, value: Any) -> list[Any]:
        if isinstance(value, (list, tuple)):
            return list(value)
        if isinstance(value, str):
            text = value
            for separator in SEPARATORS[1:]:
                text = text.replace(separator, SEPARATORS[0])
            return [part.strip() for part in text.split(SEPARATORS[0])]
        return [value]  # one date (a spreadsheet date, a YAML date): only a rule of one report

    def parse_value(self, value: Any) -> Cell:
        parts = self._parts(value)
        if len(parts) != len(self.reports):
            raise ValueError(f"cần {self.expects()}; nhận được {len(parts)} giá trị (“{_shown(value)}”)")
        late = missing = 0
        shown = []
        for number, (report, part) in enumerate(zip(self.reports, parts)):
            where = f"báo cáo thứ {number + 1} (“{report.name}”)"
            if isinstance(part, str) and norm_text(part) in NOT_SENT_WORDS:
                missing |= 1 << number
                shown.append(NOT_SENT_WORD)
                continue
            if is_blank(part):
                raise ValueError(f"{where}: thiếu ngày gửi; báo cáo không gửi ghi “{NOT_SENT_WORD}”")
            try:
                day = parse_date(part)
            except ValueError as exc:
                raise ValueError(f"{where}: {exc}") from None
            if day > report.due:
                late |= 1 << number
            shown.append(date_text(day))
        return Cell(VALUE, late, missing, note="; ".join(shown))

    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        on_time = to_scaled(self.on_time) if self.on_time is not None else max_s
        sent = np.where(a != 0, to_scaled(self.late), on_time)
        return np.where(b != 0, to_scaled(self.missing), sent)

    def program(self, max_s: int) -> CellProgram:
        # a: reports sent late (bits), b: reports not sent (bits); only whether each is 0 counts
        flags = np.array([0, 1, 0, 1], dtype=np.int64), np.array([0, 0, 1, 1], dtype=np.int64)
        return CellProgram(OP_FLAGS, tuple(int(p) for p in self.score(*flags, max_s)))

    def _sent(self, cell: Cell) -> list[dt.date | None]:
        parts = (cell.note or "").split("; ")
        return [None if part == NOT_SENT_WORD else parse_date(part) for part in parts]

    def evidence(self, cell: Cell) -> Any:
        return [{"report": r.name, "due": r.due.isoformat(), "sent": None if day is None else day.isoformat()}
                for r, day in zip(self.reports, self._sent(cell))]

    def explain(self, cell: Cell, max_points: Decimal) -> str:
        sent = self._sent(cell)
        count = sum(day is not None for day in sent)
        parts = [f"gửi {count}/{len(self.reports)} báo cáo"]
        not_sent = [r.name for r, day in zip(self.reports, sent) if day is None]
        if not_sent:
            parts.append(f"không gửi: {'; '.join(not_sent)}")
        late = [f"{r.name} (gửi {date_text(day)}, hạn {date_text(r.due)})"
                for r, day in zip(self.reports, sent) if day is not None and day > r.due]
        if late:
            parts.append(f"gửi sau hạn: {'; '.join(late)}")
        if not_sent:
            points = self.missing
        elif late:
            points = self.late
        else:
            parts.append("tất cả đúng hạn")
            points = self.on_time_points(max_points)
        return f"{', '.join(parts)}: {format_points(points)} điểm"

    def _dues(self, shift: DueShift) -> str:
        return "; ".join(f"{r.name} đến hết ngày {date_text(shift(r.due))}" for r in self.reports)

    def describe(self, max_points: Decimal) -> str:
        head = (f"Đủ số lượng ({len(self.reports)} báo cáo: "
                f"{'; '.join(f'{r.name} hạn {date_text(r.due)}' for r in self.reports)}) và đúng thời gian quy định: "
                f"{format_points(self.on_time_points(max_points))}; ")
        if self.late == self.missing:
            return head + f"Không đủ số lượng hoặc không đúng thời gian quy định: {format_points(self.late)}"
        return (head + f"Đủ số lượng nhưng không đúng thời gian quy định: {format_points(self.late)}; "
                f"Không đủ số lượng: {format_points(self.missing)}")

    def input_spec(self, max_points: Decimal) -> InputSpec:
        return InputSpec("dates", f"Ngày gửi từng báo cáo theo thứ tự ({self._names()}), cách nhau bằng dấu “;”; "
                                  f"báo cáo không gửi ghi “{NOT_SENT_WORD}”",
                         choices=tuple(r.name for r in self.reports), words=(NOT_SENT_WORD,))

    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        return Recovery(f"Gửi đủ {len(self.reports)} báo cáo đúng thời gian quy định: {self._dues(shift)}")

    def target(self, max_points: Decimal, shift: DueShift) -> str:
        return f"Gửi đủ {len(self.reports)} báo cáo, đúng hạn: {self._dues(shift)}"


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "; ".join(str(part) for part in value)
    return str(value)
