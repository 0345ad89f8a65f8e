"""What both plans share: their inputs, the letterhead and signature from the profile, the
sentence that states last year's result, the target and its arithmetic."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Sequence

from criteria import Rubric
from criteria.numbers import format_points, format_vn
from criteria.rules.deadline import date_text

from scoring.calendar import Calendar, Decision
from scoring.office.nd30 import Letterhead, Signature, document_number
from scoring.plans.indices import OtherIndex
from scoring.plans.peers import rank_of
from scoring.ranking import Standing
from scoring.plans.profile import Profile
from scoring.plans.targets import Goal, Target, basis_text, default_target, parse_target, plan_goal
from scoring.plans.tasks import Assignment, PlanContext, TaskGroup, upper_first
from scoring.result import UnitResult

KINDS = ("remediation", "annual")


@dataclass
class PlanInputs:
    """Everything one plan of one unit is drafted from."""

    rubric: Rubric
    result: UnitResult
    profile: Profile
    kind: str = "remediation"
    standings: list[Standing] | None = None  # every unit incl. this one; None: unknown
    target: Target | None = None
    others: list[OtherIndex] = field(default_factory=list)
    exact: bool = True
    calendar: Calendar | None = None  # None: from the rubric's year and the profile
    detail: bool = False  # a second appendix with the points of each lost sub-criterion
    ctx: PlanContext = field(init=False)

    def __post_init__(self) -> None:
        if self.calendar is None:
            self.calendar = calendar_for(self.rubric, self.profile, self.kind)
        cal = self.calendar
        self.ctx = PlanContext(self.rubric, self.profile, cal.acted_on, cal.plan_date, calendar=cal)
        # every task of a plan is done in the year it acts on (a remediation plan is moreover signed
        # after the index is published): a hint's deadline before then moves on a year
        published = cal.published.date if cal.published is not None else None
        start = dt.date(cal.acted_on, 1, 1)
        self.ctx.not_before = max(d for d in (cal.plan_date, published if self.kind == "remediation" else None, start)
                                  if d is not None)

    @property
    def cal(self) -> Calendar:
        assert self.calendar is not None  # set in __post_init__
        return self.calendar

    @property
    def year(self) -> int:
        return self.cal.evaluated

    @property
    def plan_year(self) -> int:
        return self.cal.acted_on

    @property
    def precision(self) -> int:
        return self.rubric.precision


def calendar_for(rubric: Rubric, profile: Profile, kind: str, *, acted_on: int | None = None,
                 plan_date: dt.date | None = None, published: Decision | None = None) -> Calendar:
    """The plan's calendar: options given here win over the profile; the evaluated year is the
    rubric's; the acted-on year defaults to the next."""
    info = profile.publication
    if published is None and (info.number or info.date):
        published = Decision(info.number, info.date, info.by)
    return Calendar.derive(rubric.year, acted_on=acted_on or profile.plan_year, published=published,
                           plan_date=plan_date or profile.document(kind).date)


def plan_bases(inputs: "PlanInputs", extra: Sequence[str]) -> tuple[str, ...]:
    """The căn cứ: the Quyết định công bố from the calendar when known (replacing a blank line of
    the profile about it), then the profile's own lines."""
    cal = inputs.cal
    if cal.published is None or not cal.published.number:
        return tuple(extra)
    about = (f"về việc công bố Chỉ số cải cách hành chính năm {cal.evaluated}"
             + (f" của các {inputs.profile.peer_group}" if inputs.profile.peer_group else ""))
    first = f"Căn cứ {cal.published.cite(about)}"
    return (first, *(line for line in extra if "công bố" not in line))


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX")


def roman(number: int) -> str:
    return ROMAN[number - 1] if 1 <= number <= len(ROMAN) else str(number)


def letter(number: int) -> str:
    """a, b, …, z, then aa, ab … (NĐ 30 lettered points)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    number -= 1
    return letters[number] if number < 26 else letters[number // 26 - 1] + letters[number % 26]


def count(number: int) -> str:
    """“05”, “12”: counts in closing lines carry a leading zero below 10, as văn thư write."""
    return f"{number:02d}"


def points(value: Decimal) -> str:
    return format_points(value)


def letterhead(inputs: PlanInputs) -> Letterhead:
    profile = inputs.profile
    doc = profile.document(inputs.kind)
    return Letterhead(
        issuer=profile.issuer, parent=profile.parent,
        number=document_number(doc.number, "KH", profile.issuer_code),
        place=profile.place, date=inputs.cal.plan_date,
    )


def document_year(inputs: PlanInputs) -> int:
    """The year printed in a blank date line: a remediation plan is signed in the plan's year,
    after the index is published; an annual plan by 31/12 of the year before it."""
    if inputs.cal.plan_date is not None:
        return inputs.cal.plan_date.year
    return inputs.plan_year if inputs.kind == "remediation" else inputs.plan_year - 1


def attached_to(inputs: PlanInputs) -> str:
    """“Kèm theo Kế hoạch số 12/KH-UBND ngày 05/02/2026 của Ủy ban nhân dân xã An Phú”."""
    profile = inputs.profile
    doc = profile.document(inputs.kind)
    number = document_number(doc.number, "KH", profile.issuer_code).removeprefix("Số:").lstrip(" ") or "/"
    if doc.number in (None, ""):
        number = "     " + number
    year = document_year(inputs)
    day = date_text(inputs.cal.plan_date) if inputs.cal.plan_date else f"      /      /{year or ''}"
    return f"Kèm theo Kế hoạch số {number} ngày {day} của {profile.issuer}"


def signature(inputs: PlanInputs) -> Signature:
    profile = inputs.profile
    doc = profile.document(inputs.kind)
    recipients = doc.recipients if doc.recipients is not None else profile.recipients
    return Signature(authority=profile.signature.authority, signer=profile.signature.signer,
                     recipients=tuple(recipients), archive=profile.archive)


def index_text(inputs: PlanInputs) -> str:
    t = inputs.result.totals
    return f"{format_vn(t.index, inputs.precision)}%" if t.index is not None else "—"


def result_sentence(inputs: PlanInputs, groups: Sequence[TaskGroup]) -> str:
    """Last year's index, points, rank and group, and where the points were lost."""
    t = inputs.result.totals
    profile = inputs.profile
    parts = [f"Năm {inputs.year}, Chỉ số CCHC của {profile.short_name} đạt {index_text(inputs)} "
             f"({points(t.points)}/{points(t.max)} điểm)"]
    if inputs.standings and len(inputs.standings) > 1:
        parts.append(f"xếp thứ {rank_of(inputs.standings, inputs.result.unit)}/{len(inputs.standings)} {profile.peer_group}")
    if t.classification:
        parts.append(f"xếp loại {t.classification}")
    sentence = ", ".join(parts)
    if profile.published_by:
        sentence += f" (theo {profile.published_by})"
    leaves = sum(len(task.codes) for g in groups for task in g.tasks)
    fields = sum(1 for g in groups if not g.penalty)
    penalty = any(g.penalty for g in groups)
    if leaves:
        where = [f"{fields} lĩnh vực"] if fields else []
        where += ["mục điểm trừ"] if penalty else []
        sentence += (f". Đơn vị bị mất {points(t.lost)} điểm ở {leaves} tiêu chí thành phần"
                     + (f" thuộc {' và '.join(where)}" if where else ""))
        if t.missing_leaves:
            sentence += f", trong đó {t.missing_leaves} tiêu chí thành phần thiếu tài liệu kiểm chứng"
    else:
        sentence += ". Đơn vị không bị mất điểm ở tiêu chí thành phần nào"
    return sentence + "."


def tree_gains(groups: Sequence[TaskGroup]) -> list[tuple[str, Decimal]]:
    """(task key, points) of the main tree's tasks, in the plan's order: what a target may use."""
    return [(task.key, task.lost) for g in groups if not g.penalty for task in g.tasks]


def decide_goal(inputs: PlanInputs, groups: Sequence[TaskGroup]) -> Goal:
    target = inputs.target
    if target is None and inputs.profile.target:
        target = parse_target(inputs.profile.target, inputs.rubric, "hồ sơ đơn vị: target")
    if target is None:
        target = default_target(inputs.result.totals, inputs.rubric, inputs.standings, inputs.result.unit)
    return plan_goal(target, inputs.result.totals, tree_gains(groups), inputs.rubric,
                     inputs.result.unit, inputs.standings)


def goal_sentence(inputs: PlanInputs, goal: Goal) -> str:
    """The measurable target, as the real plans write it: the threshold as the rubric publishes
    it (“đạt từ 80 điểm trở lên, xếp loại “Tốt””), never the arithmetic behind it."""
    plan_year, year = inputs.plan_year, inputs.year
    who = f"Chỉ số CCHC của {inputs.profile.short_name}"
    target = goal.target
    if goal.goal_total is None or not goal.reachable or target.kind == "all":
        return (f"Phấn đấu năm {plan_year} khắc phục toàn bộ các nội dung bị mất điểm của Chỉ số CCHC năm {year}, "
                f"nâng cao kết quả Chỉ số CCHC của {inputs.profile.short_name}.")
    if goal.already:
        return f"Năm {plan_year} giữ vững kết quả năm {year} và khắc phục các nội dung còn bị mất điểm."
    if target.kind == "group":
        band = next(b for b in inputs.rubric.classification if b.label == target.value)
        level = (f"đạt từ {points(band.min)} điểm trở lên" if inputs.result.totals.max == 100
                 else f"đạt từ {format_vn(band.min, 2, trim=True)}% trở lên")
        return f"Phấn đấu năm {plan_year}, {who} {level}, xếp loại “{band.label}”."
    if target.kind == "rank_up":
        return f"Phấn đấu cải thiện vị trí xếp hạng Chỉ số CCHC năm {plan_year}, tăng ít nhất {target.value} bậc so với năm {year}."
    if target.kind == "rank":
        return (f"Phấn đấu năm {plan_year}, {who} xếp thứ {target.value} trở lên trong các "
                f"{inputs.profile.peer_group}.")
    if target.kind == "points":
        return f"Phấn đấu năm {plan_year}, {who} đạt từ {points(target.value)} điểm trở lên."  # type: ignore[arg-type]
    return f"Phấn đấu năm {plan_year}, {who} đạt từ {format_vn(target.value, 2, trim=True)}% trở lên."  # type: ignore[arg-type]


def basis_lines(inputs: PlanInputs, goal: Goal) -> list[str]:
    return basis_text(goal, inputs.year, inputs.plan_year, inputs.profile.short_name,
                      inputs.profile.peer_group, inputs.precision, goal.chosen)


def office_short(inputs: PlanInputs) -> str:
    """The coordinator's real office (the profile names a role or an office)."""
    office, _ = inputs.ctx.offices.resolve(inputs.profile.coordinator)
    return office


def report_to(inputs: PlanInputs) -> str:
    """Whom the coordinator reports to: “UBND xã An Phú để báo cáo UBND tỉnh …”."""
    profile = inputs.profile
    return profile.issuer + (f" để báo cáo {profile.superior}" if profile.superior else "")


def closing_words(inputs: PlanInputs, plan: str) -> str:
    """The last paragraph of a plan's “Tổ chức thực hiện”, for the plan named ``plan``."""
    profile = inputs.profile
    return (f"Trên đây là {plan} của {profile.short_name}. Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, "
            f"các bộ phận, cán bộ, công chức kịp thời phản ánh về {profile.issuer} (qua {office_short(inputs)}) để "
            f"xem xét, giải quyết./.")


def task_parts(product: str | None, assignment: Assignment) -> list[tuple[str, str]]:
    """The labelled tail of a task line: sản phẩm, chủ trì, phối hợp, thời gian, lưu ý."""
    parts = [("Sản phẩm:", f"{upper_first(product.rstrip('.'))}.")] if product else []
    parts += [("Chủ trì:", f"{assignment.lead};"), ("phối hợp:", f"{', '.join(assignment.cooperate)};"),
              ("thời gian:", f"{assignment.timing}.")]
    return parts  # the assignment's notes are the drafter's: comments, never text
