"""Points lost → tasks: what was lost and why, what to do, who leads, who helps, by when.

A leaf with a remediation hint gives its task, lead and timing (roles mapped to the unit's real
offices by the profile). A leaf without one gets a task derived from its name and rule, marked
for the drafter to complete. Tasks are grouped by field in the rubric's order.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Iterable

from criteria import Node, Rubric
from criteria.rules.deadline import date_text

from scoring.calendar import Calendar
from scoring.plans.profile import Offices, Profile
from scoring.plans.prose import shortfall
from scoring.result import NodeResult, UnitResult

DRAFT_MARK = "Nhiệm vụ do dự thảo đề xuất từ tên và cách chấm của tiêu chí: bổ sung, hoàn thiện trước khi trình ký"


@dataclass(frozen=True)
class Assignment:
    """Lead, cooperating offices and timing of a task, after roles became real offices."""

    lead: str
    cooperate: tuple[str, ...]
    timing: str
    unknown_roles: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()  # for the drafter: a hint's deadline that had passed, …


@dataclass(frozen=True)
class Task:
    """One task of a plan: one lost sub-criterion, or several of one criterion sharing a hint."""

    codes: tuple[str, ...]  # the leaves it recovers
    group_code: str  # the field (top-level node) or the bonus/penalty section
    group_name: str
    name: str  # the leaf's name, or the criterion's when leaves were grouped
    lost: Decimal  # points this task recovers (penalty: the part of the deduction it caused)
    max: Decimal
    points: Decimal
    action: str
    product: str | None
    assignment: Assignment
    derived: bool  # no remediation hint: the draft proposes, the drafter completes
    penalty: bool = False
    priority: bool = False
    explanation: str | None = None  # the unit's own giải trình for these leaves, quoted
    shortfalls: tuple[str, ...] = ()  # one sentence per leaf: what was reached, what was required

    @property
    def key(self) -> str:
        return ", ".join(self.codes)

    @property
    def lead(self) -> str:
        return self.assignment.lead

    @property
    def cooperate(self) -> tuple[str, ...]:
        return self.assignment.cooperate

    @property
    def timing(self) -> str:
        return self.assignment.timing


@dataclass(frozen=True)
class TaskGroup:
    code: str
    name: str
    lost: Decimal
    max: Decimal
    tasks: tuple[Task, ...]
    penalty: bool = False


@dataclass
class PlanContext:
    """What every task needs: the rubric, the profile, the plan's year and date."""

    rubric: Rubric
    profile: Profile
    plan_year: int
    document_date: dt.date | None = None
    unknown_roles: set[str] = field(default_factory=set)
    not_before: dt.date | None = None  # dates before this in a hint's timing have passed
    calendar: Calendar | None = None  # moves the years of the rubric's hints to the acted-on year

    @property
    def offices(self) -> Offices:
        return Offices(self.profile)

    def assign(self, lead_role: str, cooperate_roles: Iterable[str], timing: str) -> Assignment:
        offices = self.offices
        unknown: list[str] = []
        lead, known = offices.resolve(lead_role)
        if not known:
            unknown.append(lead_role)
        helpers: list[str] = []
        for role in cooperate_roles:
            office, known = offices.resolve(role)
            if not known:
                unknown.append(role)
            if office != lead and office not in helpers and not is_chair(office):
                helpers.append(office)
        if is_chair(lead):  # the chairman signs and directs; an office leads the work
            lead = helpers.pop(0) if helpers else offices.resolve(self.profile.default_office)[0]
        if not helpers:
            helpers = ([h for h in self.profile.default_cooperate if h != lead and not is_chair(h)]
                       or list(self.profile.default_cooperate))
        self.unknown_roles.update(unknown)
        text, notes = self._future(timing_text(timing, self.plan_year))
        return Assignment(lead, tuple(helpers), text, tuple(unknown), notes)

    def _future(self, timing: str) -> tuple[str, tuple[str, ...]]:
        """A hint's date that is already past when the plan is signed moves on a year, noted."""
        if self.not_before is None:
            return timing, ()
        notes: list[str] = []

        def move(match: re.Match[str]) -> str:
            try:
                day = dt.datetime.strptime(match.group(0), "%d/%m/%Y").date()
            except ValueError:
                return match.group(0)
            if day >= self.not_before:  # type: ignore[operator]
                return match.group(0)
            later = _add_years(day, 1)
            notes.append(f"Thời hạn gợi ý {date_text(day)} đã qua: lùi sang {date_text(later)}, người soạn rà soát lại nội dung")
            return date_text(later)

        return _FULL_DATE.sub(move, timing), tuple(notes)

    def default_assignment(self, timing: str) -> Assignment:
        return self.assign(self.profile.default_office, (), timing)

    def shifted_due(self, due: dt.date) -> dt.date:
        """The rubric's due date moved to the plan's year; past the plan's own date → a year on."""
        shift = self.plan_year - self.rubric.year
        moved = _add_years(due, shift)
        if self.document_date is not None and moved < self.document_date:
            moved = _add_years(due, shift + 1)
        return moved


def is_chair(office: str) -> bool:
    """“Chủ tịch UBND xã”, “Phó Chủ tịch …”: the people who sign and direct, not offices."""
    words = office.casefold().split()
    return words[:2] == ["chủ", "tịch"] or words[:3] == ["phó", "chủ", "tịch"]


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year + years, day=28)


_HAS_YEAR = re.compile(r"\b(19|20)\d{2}\b")
_PERIOD = re.compile(r"^(quý|tháng)\s+[0-9ivx ,–-]+$", re.IGNORECASE)
_DAY_MONTH = re.compile(r"\b(\d{1,2}/\d{1,2})\b(?!/)")
_FULL_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{4}\b")


def timing_text(timing: str, year: int) -> str:
    """A hint's timing for the plan's year: “Trong năm” → “Trong năm 2026”, “Quý I” →
    “Quý I/2026”, “trước 15/12” → “trước 15/12/2026”; “{year}”/“{năm}” are replaced."""
    text = " ".join(timing.replace("{year}", str(year)).replace("{năm}", str(year)).split())
    if _HAS_YEAR.search(text):
        return text
    if text.casefold() in ("trong năm", "cả năm", "năm"):
        return f"Trong năm {year}"
    if _PERIOD.match(text):
        return f"{text}/{year}"
    if _DAY_MONTH.search(text):
        return _DAY_MONTH.sub(lambda m: f"{m.group(1)}/{year}", text)
    return text


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]




def derived_action(node: Node, leaf: NodeResult | None, ctx: PlanContext) -> tuple[str, str | None, str]:
    """(action, product, timing) for a leaf without a hint, from its name and rule."""
    evidence = leaf.trace.evidence if leaf is not None and leaf.trace is not None else None
    # the criterion's name as the object of a sentence (“Nâng cao tỷ lệ hồ sơ …”), never quoted back
    subject = node.name[:1].lower() + node.name[1:] if node.name[1:2].islower() else node.name
    recovery = node.rule.recovery(subject, node.max, evidence, ctx.shifted_due)  # type: ignore[union-attr]
    timing = f"Trước ngày {date_text(recovery.due)}" if recovery.due is not None else "Trong năm"
    return recovery.action, node.evidence or recovery.product, timing


def leaf_task_parts(node: Node, leaf: NodeResult | None, ctx: PlanContext) -> tuple[str, str | None, Assignment, bool]:
    """(action, product, assignment, derived) of one leaf, hint first."""
    hint = node.remediation
    if hint is not None:
        calendar = ctx.calendar or Calendar.derive(ctx.rubric.year, acted_on=ctx.plan_year)
        years = calendar.hint_shift(hint.timing, ctx.not_before)

        def moved(text: str) -> str:
            return calendar.shift_years(text, years)

        action = moved(hint.task.strip().rstrip(".;"))
        product = moved(hint.product) if hint.product else node.evidence
        assignment = ctx.assign(hint.lead, hint.cooperate, moved(hint.timing))
        if years > calendar.shift:
            assignment = replace(assignment, notes=(
                f"Thời hạn gợi ý “{hint.timing}” đã qua so với ngày ký, thời gian thực hiện kế hoạch: nhiệm vụ "
                f"chuyển sang chu kỳ năm {calendar.acted_on} (“{assignment.timing}”); rà soát lại nội dung.",
                *assignment.notes))
        return action, product, assignment, False
    action, product, timing = derived_action(node, leaf, ctx)
    return action, product, ctx.default_assignment(timing), True


def _with_evidence_note(action: str, node: Node, leaf: NodeResult) -> str:
    if leaf.status == "missing" and node.evidence:
        return f"{action}; lưu đầy đủ tài liệu kiểm chứng: {_lower_first(node.evidence)}"
    return action


def _ancestry(rubric: Rubric) -> dict[str, tuple[Node, Node | None]]:
    """code → (group node or section placeholder, parent node) for every node."""
    out: dict[str, tuple[Node, Node | None]] = {}

    def visit(node: Node, group: Node, parent: Node | None) -> None:
        out[node.code] = (group, parent)
        for child in node.children:
            visit(child, group, node)

    for top in rubric.nodes:
        visit(top, top, None)
    for adjustment in rubric.adjustments:
        for top in adjustment.children:
            visit(top, top, None)
    return out


def lost_tasks(result: UnitResult, ctx: PlanContext) -> list[TaskGroup]:
    """One task per lost sub-criterion (merged per criterion where leaves share a hint),
    grouped by field, fields in the rubric's order (as the real plans and the rubric list them)."""
    rubric = ctx.rubric
    ancestry = _ancestry(rubric)
    sections = {a.code: a for a in rubric.adjustments}
    section_of = {n.code: a.code for a in rubric.adjustments for top in a.children for n in top.walk()}
    nodes = {n.code: n for n in result.nodes}
    tasks: list[Task] = []
    for leaf in _lost_leaves(result, rubric):
        node = rubric.by_code[leaf.code]
        group, _ = ancestry[leaf.code]
        section = sections.get(section_of.get(leaf.code, ""))
        action, product, assignment, derived = leaf_task_parts(node, leaf, ctx)
        if section is not None:
            group_name = "Điểm trừ" if section.name.casefold() == "điểm trừ" else f"Điểm trừ: {section.name}"
            group_code = section.code
        else:
            group_code, group_name = group.code, group.name
        tasks.append(Task(
            codes=(leaf.code,), group_code=group_code, group_name=group_name, name=node.name,
            lost=leaf.lost, max=leaf.max, points=leaf.points,
            action=_with_evidence_note(action, node, leaf), product=product, assignment=assignment,
            derived=derived, penalty=section is not None, explanation=result.explanations.get(leaf.code),
            shortfalls=(shortfall(node, leaf),),
        ))
    tasks = _merge_shared_hints(tasks, rubric, ancestry, nodes)
    groups: dict[str, list[Task]] = {}
    for task in tasks:
        groups.setdefault(task.group_code, []).append(task)
    order = {code: i for i, code in enumerate([n.code for n in rubric.nodes] + list(sections))}
    out = []
    for code, items in groups.items():
        node = nodes.get(code)
        maximum = node.max if node is not None and code not in sections else sum((t.max for t in items), Decimal(0))
        out.append(TaskGroup(code, items[0].group_name, sum((t.lost for t in items), Decimal(0)), maximum,
                             tuple(items), penalty=items[0].penalty))
    out.sort(key=lambda g: (g.penalty, order[g.code]))
    return out


def _lost_leaves(result: UnitResult, rubric: Rubric) -> list[NodeResult]:
    """Main-tree leaves that lost points, then penalty leaves with the part of the deduction
    each one caused (the section's cap shared out in written order), in written order."""
    out = [n for n in result.nodes if n.is_leaf and n.section is None and n.lost > 0]
    by_code = {n.code: n for n in result.nodes}
    for adjustment in rubric.adjustments:
        if adjustment.kind != "penalty":
            continue
        left = adjustment.cap
        for top in adjustment.children:
            for node in top.walk():
                leaf = by_code[node.code]
                if not node.is_leaf or leaf.status != "scored" or leaf.lost <= 0:
                    continue
                share = min(leaf.lost, left)
                left -= share
                if share > 0:
                    out.append(leaf.model_copy(update={"lost": share}))
    return out


def _merge_shared_hints(tasks: list[Task], rubric: Rubric, ancestry: dict, nodes: dict) -> list[Task]:
    """Leaves of one criterion led by the same office become one task, their remedies joined
    (the same remedy once); leaves that hang straight under a field stay apart (the field is not
    a criterion), and so do tasks the drafter must write (no hint)."""
    top_codes = {n.code for n in rubric.nodes}
    merged: list[Task] = []
    index: dict[tuple, list[int]] = {}
    for task in tasks:
        node = rubric.by_code[task.codes[0]]
        _, parent = ancestry[node.code]
        hint = node.remediation
        is_criterion = parent is not None and parent.code not in top_codes
        key = (parent.code, task.lead) if hint is not None and is_criterion else None
        place = next((i for i in index.get(key, []) if compatible_timing(merged[i].timing, task.timing)), None) \
            if key is not None else None
        if place is None:
            if key is not None:
                index.setdefault(key, []).append(len(merged))
            merged.append(task)
            continue
        first = merged[place]
        merged[place] = replace(
            first, codes=first.codes + task.codes, name=parent.name,
            action=first.action if task.action in first.action else f"{first.action}; {_lower_first(task.action)}",
            assignment=replace(first.assignment, cooperate=tuple(dict.fromkeys(first.cooperate + task.cooperate)),
                               timing=later_timing(first.timing, task.timing),
                               notes=tuple(dict.fromkeys(first.assignment.notes + task.assignment.notes))),
            lost=first.lost + task.lost, max=first.max + task.max, points=first.points + task.points,
            product=first.product or task.product,
            explanation=_joined_explanation(first, task), shortfalls=first.shortfalls + task.shortfalls,
        )
    return merged


def _in_year(timing: str) -> bool:
    return timing.casefold().startswith(("trong năm", "cả năm"))


def compatible_timing(first: str, second: str) -> bool:
    """Two leaves' timings that one task can carry: the same, or one is just “Trong năm …”."""
    return first == second or _in_year(first) or _in_year(second)


def later_timing(first: str, second: str) -> str:
    """One timing for two compatible timings: the more precise one."""
    return second if _in_year(first) else first


def _timing_order(timing: str) -> tuple:
    match = _FULL_DATE.search(timing)
    if match:
        day, month, year = (int(p) for p in match.group(0).split("/"))
        return (year, month, day)
    quarter = re.search(r"quý\s+(IV|III|II|I)\b", timing, re.IGNORECASE)
    year = _HAS_YEAR.search(timing)
    if quarter:
        return (int(year.group(0)) if year else 0, {"I": 3, "II": 6, "III": 9, "IV": 12}[quarter.group(1).upper()], 31)
    return (0, 0, 0)


def _one_timing(timings: list[str]) -> str:
    """One timing for a criterion's task (never “Trong năm 2026; Thường xuyên; Trước …”): the
    same one; else the earliest deadline (what must be done first); else the periodic one
    (“Thường xuyên”, “Hằng quý”); else the latest quarter; else “Trong năm …”."""
    distinct = list(dict.fromkeys(timings))
    if len(distinct) == 1:
        return distinct[0]
    dated = [t for t in distinct if _FULL_DATE.search(t)]
    if dated:
        return min(dated, key=_timing_order)
    periodic = [t for t in distinct if t.casefold().startswith(("thường xuyên", "hằng", "hàng"))]
    if periodic:
        return periodic[0]
    specific = [t for t in distinct if not _in_year(t)]
    return max(specific, key=_timing_order) if specific else distinct[0]


def _joined_explanation(first: Task, task: Task) -> str | None:
    parts = [text for text in (first.explanation, task.explanation) if text]
    if len(parts) < 2:
        return parts[0] if parts else None
    head = first.explanation if len(first.codes) > 1 else f"{first.codes[0]}: {first.explanation}"
    return f"{head}; {task.codes[0]}: {task.explanation}"


def total_lost(groups: Iterable[TaskGroup]) -> Decimal:
    return sum((g.lost for g in groups), Decimal(0))


def bonus_counted(result: UnitResult) -> Decimal:
    """Bonus points that did raise the total (after the cap at the maximum)."""
    t = result.totals
    return t.points + t.penalty - t.tree_points


def mark_priority(groups: list[TaskGroup], keys: set[str]) -> list[TaskGroup]:
    return [
        replace(g, tasks=tuple(replace(t, priority=t.key in keys) for t in g.tasks)) for g in groups
    ]


# ---------------------------------------------------------------- the annual plan's tasks
@dataclass(frozen=True)
class CriterionTask:
    """The annual plan's task for one criterion of the rubric (every criterion has one)."""

    code: str
    name: str
    group_code: str
    group_name: str
    action: str
    product: str
    assignment: Assignment
    derived: bool
    lost: Decimal  # points lost last year under this criterion (0: none)
    max: Decimal
    points: Decimal
    leaves: tuple[str, ...]
    targets: tuple[tuple[str, str, str], ...]  # (leaf code, measurable target, lead) for Phụ lục I


def criteria_of(rubric: Rubric) -> list[tuple[Node, Node]]:
    """(field, criterion) pairs: the children of each field; a field that is a leaf is its own."""
    pairs = []
    for top in rubric.nodes:
        if top.is_leaf:
            pairs.append((top, top))
        else:
            pairs.extend((top, child) for child in top.children)
    return pairs


def leaf_target(node: Node, ctx: PlanContext) -> str:
    """The level a leaf must reach for full points, in words (a chỉ tiêu for Phụ lục 1)."""
    return node.rule.target(node.max, ctx.shifted_due)  # type: ignore[union-attr]


def criterion_tasks(result: UnitResult, ctx: PlanContext) -> list[CriterionTask]:
    """One task per criterion, in the rubric's order (callers put lost ones first)."""
    nodes = {n.code: n for n in result.nodes}
    out = []
    for top, criterion in criteria_of(ctx.rubric):
        leaves = [n for n in criterion.walk() if n.is_leaf]
        actions: list[str] = []
        products: list[str] = []
        weights: dict[str, Decimal] = {}
        targets: list[tuple[str, str, str]] = []
        helpers: list[str] = []
        timings: list[str] = []
        derived = False
        unknown: list[str] = []
        notes: list[str] = []
        for leaf in leaves:
            action, product, assignment, leaf_derived = leaf_task_parts(leaf, nodes.get(leaf.code), ctx)
            derived |= leaf_derived
            if action not in actions:
                actions.append(action)
            if product and product not in products:
                products.append(product)
            weights[assignment.lead] = weights.get(assignment.lead, Decimal(0)) + leaf.max
            helpers.extend(h for h in assignment.cooperate if h not in helpers)
            if assignment.timing not in timings:
                timings.append(assignment.timing)
            unknown.extend(assignment.unknown_roles)
            notes.extend(n for n in assignment.notes if n not in notes)
            targets.append((leaf.code, leaf_target(leaf, ctx), assignment.lead))
        lead = max(weights, key=lambda office: (weights[office], -list(weights).index(office)))
        others = [o for o in weights if o != lead] + [h for h in helpers if h != lead and h not in weights]
        result_node = nodes[criterion.code]
        action = "; ".join(upper_first(a) if i == 0 else _lower_first(a) for i, a in enumerate(actions))
        out.append(CriterionTask(
            code=criterion.code, name=criterion.name, group_code=top.code, group_name=top.name,
            action=action, product="; ".join(products) or "Báo cáo kết quả thực hiện",
            assignment=Assignment(lead, tuple(others) or ctx.profile.default_cooperate,
                                  _one_timing(timings), tuple(unknown), tuple(notes)),
            derived=derived, lost=result_node.lost, max=result_node.max, points=result_node.points,
            leaves=tuple(leaf.code for leaf in leaves),
            targets=tuple(targets),
        ))
    return out
