"""The calendar of a campaign, as data: which year was scored, which decision published the
result (số, ngày, who), when a plan is signed and which year it acts on.

Every date and year a plan or a Quyết định prints follows from it. A plan acts on the year
after the evaluated one unless told otherwise.

The rule for the years of a rubric's remediation hints (stated with the rubric format in the
README, “remediation”): a hint is written for a plan acting on the year after the rubric's
(“Ban hành Kế hoạch CCHC năm 2026 trước 31/12/2025” in a 2025 rubric). A plan acting on year Y
moves every year of the hint (task, product, timing together) by Y − rubric year − 1; and when
the hint's deadline still falls before the plan's signing date (or before year Y itself), the
whole hint moves on one more year (“… năm 2027 trước 31/12/2026”), silently in the text — the drafter is told in a comment.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Decision:
    """A document that published a result or set a plan: “313/QĐ-UBND”, 26/01/2026, its issuer."""

    number: str = ""  # “313/QĐ-UBND”; empty: left blank for the văn thư
    date: dt.date | None = None
    issuer: str = ""  # “Ủy ban nhân dân tỉnh Bình Định”

    def cite(self, about: str) -> str:
        """“Quyết định số 313/QĐ-UBND ngày 26/01/2026 của Ủy ban nhân dân tỉnh … về việc …”."""
        number = self.number or "      /QĐ-UBND"
        day = self.date.strftime("%d/%m/%Y") if self.date else "      /      /      "
        issuer = f" của {self.issuer}" if self.issuer else ""
        return f"Quyết định số {number} ngày {day}{issuer} {about}".strip()


@dataclass(frozen=True)
class Calendar:
    evaluated: int  # the year whose work was scored
    acted_on: int  # the year the plan's tasks are done in
    published: Decision | None = None  # the Quyết định công bố of the evaluated year
    plan_date: dt.date | None = None  # the signing date of the plan (None: left blank)

    @classmethod
    def derive(cls, evaluated: int, *, acted_on: int | None = None, published: Decision | None = None,
               plan_date: dt.date | None = None) -> "Calendar":
        return cls(evaluated, acted_on or evaluated + 1, published, plan_date)

    @property
    def shift(self) -> int:
        """Years a hint moves: hints are written for a plan acting on the evaluated year + 1."""
        return self.acted_on - self.evaluated - 1

    def hint_shift(self, timing: str, not_before: dt.date | None) -> int:
        """Years to move a hint whose timing is ``timing``: ``shift``, plus one for each year
        its deadline would still fall before ``not_before`` (the plan's signing)."""
        years = self.shift
        for _ in range(5):
            dates = [_date(m.group(0)) for m in _FULL_DATE.finditer(self.shift_years(timing, years))]
            if not_before is None or not any(d is not None and d < not_before for d in dates):
                break
            years += 1
        return years

    def published_sentence(self) -> str:
        """“theo Quyết định số 313/QĐ-UBND ngày 26/01/2026 của …” or “” when not known."""
        if self.published is None or not self.published.number:
            return ""
        return f"theo {self.published.cite('').rstrip()}"

    def is_published(self, on: dt.date | None = None) -> bool:
        """Was the evaluated year's result published by ``on`` (default: the plan's date)?
        Unknown publication: assumed published when the plan is signed in the acted-on year."""
        when = on or self.plan_date
        if self.published is not None and self.published.date is not None:
            return when is None or self.published.date <= when
        return when is None or when.year > self.evaluated

    def shift_years(self, text: str, years: int | None = None) -> str:
        """Years of a hint (those from the year before the evaluated one on) moved by ``years``
        (default ``shift``); older years (a decree's) stay."""
        by = self.shift if years is None else years
        if not by:
            return text

        def move(match: re.Match[str]) -> str:
            year = int(match.group(0))
            return str(year + by) if year >= self.evaluated - 1 else match.group(0)

        return _YEAR.sub(move, text)


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%d/%m/%Y").date()
    except ValueError:
        return None


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year + years, day=28)


_YEAR = re.compile(r"(?<![\d,.])(19|20)\d{2}(?!\d)")
_FULL_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")
