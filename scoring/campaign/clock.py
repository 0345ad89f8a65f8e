"""Time for a campaign: Vietnam time (UTC+7), and a clock tests and demonstrations can set.

Deadlines and log entries use ``Clock.now()``. ``SystemClock`` reads the computer's clock;
``FixedClock`` holds a moment that only moves when told (tests never sleep). The command line
uses a ``FixedClock`` when the environment variable ``PARINDEX_NOW`` is set, and the log then
marks every entry it writes as written under a simulated clock.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Protocol

from criteria import InputError

VN_TZ = dt.timezone(dt.timedelta(hours=7), "ICT")
NOW_VARIABLE = "PARINDEX_NOW"

_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")
_MOMENT_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S",
                   "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S")


class Clock(Protocol):
    simulated: bool

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The computer's clock, in Vietnam time, to the second."""

    simulated = False

    def now(self) -> dt.datetime:
        return dt.datetime.now(VN_TZ).replace(microsecond=0)


class FixedClock:
    """A clock that stands still until ``set`` or ``advance`` moves it."""

    simulated = True

    def __init__(self, at: dt.datetime | str):
        self.at = parse_moment(at) if isinstance(at, str) else _aware(at)

    def now(self) -> dt.datetime:
        return self.at

    def set(self, at: dt.datetime | str) -> None:
        self.at = parse_moment(at) if isinstance(at, str) else _aware(at)

    def advance(self, **delta: float) -> dt.datetime:
        self.at = self.at + dt.timedelta(**delta)
        return self.at


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=VN_TZ) if moment.tzinfo is None else moment


def parse_moment(text: str, end_of_day: bool = False) -> dt.datetime:
    """“31/01/2026”, “2026-01-31”, “31/01/2026 17:00” or ISO 8601 → an aware datetime.

    A date alone means the start of that day, or its last second when ``end_of_day`` (a
    deadline “31/01/2026” runs to 23:59:59). Raises ``ValueError`` in Vietnamese.
    """
    value = text.strip()
    try:
        return _aware(dt.datetime.fromisoformat(value)) if "T" in value or "+" in value else _plain(value, end_of_day)
    except ValueError:
        raise ValueError(f"“{text}” không phải thời điểm hợp lệ (cần ngày/tháng/năm, "
                         f"ví dụ 31/01/2026 hoặc 31/01/2026 17:00)") from None


def _plain(value: str, end_of_day: bool) -> dt.datetime:
    for fmt in _MOMENT_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=VN_TZ)
        except ValueError:
            continue
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        if end_of_day:
            day = day.replace(hour=23, minute=59, second=59)
        return day.replace(tzinfo=VN_TZ)
    raise ValueError(value)


def show_moment(moment: dt.datetime | str | None) -> str:
    """“17:00 ngày 31/01/2026” in Vietnam time; “—” for none."""
    if moment is None:
        return "—"
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    local = moment.astimezone(VN_TZ)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def clock_from_environment() -> Clock:
    """``FixedClock`` at ``$PARINDEX_NOW`` when set (demonstrations, rehearsals), else the system clock."""
    value = os.environ.get(NOW_VARIABLE, "").strip()
    if not value:
        return SystemClock()
    try:
        return FixedClock(parse_moment(value))
    except ValueError as exc:
        raise InputError.single(NOW_VARIABLE, "", str(exc)) from None
