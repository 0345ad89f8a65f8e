"""Other indices a plan also aims at (SIPAS, PAPI, the QĐ 766/QĐ-TTg service index), each a
rubric of external leaves: the unit's component scores, a target per component, and the task.

A component's target comes from the profile (``index_targets: {rubric id: {code: "8" | "85%"}}``);
without one, the draft closes half the gap to the maximum, rounded up to 0,1 point.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from criteria import InputError, Rubric, load_rubric
from criteria.numbers import format_points, parse_decimal
from criteria.rules.base import nfc

from scoring.engine import score
from scoring.plans.tasks import Assignment, PlanContext, leaf_task_parts
from scoring.inputs.readers import read_evidence
from scoring.result import UnitResult


@dataclass(frozen=True)
class ComponentGoal:
    code: str
    name: str
    points: Decimal | None  # None: no score for the component (not applicable / missing)
    max: Decimal
    target: Decimal
    target_set: bool  # True: from the profile; False: the draft's default
    action: str
    assignment: Assignment
    derived: bool


@dataclass(frozen=True)
class OtherIndex:
    rubric: Rubric
    short: str  # “PAPI”, “SIPAS”, …
    title: str
    result: UnitResult
    components: tuple[ComponentGoal, ...]

    @property
    def points(self) -> Decimal:
        return self.result.totals.points

    @property
    def max(self) -> Decimal:
        return self.result.totals.max

    @property
    def target(self) -> Decimal:
        return sum((c.target for c in self.components if c.points is not None), Decimal(0))


def short_name(rubric: Rubric) -> str:
    """The abbreviation at the end of the title “… (PAPI)”, else the title."""
    match = re.search(r"\(([^()]+)\)\s*$", rubric.title)
    return match.group(1) if match else rubric.title


def default_target(points: Decimal, maximum: Decimal) -> Decimal:
    """Half the gap to the maximum, rounded up to 0,1 point, never above the maximum."""
    raw = points + (maximum - points) / 2
    return min(Decimal(math.ceil(raw * 10)) / 10, maximum)


def parse_component_target(text: str, maximum: Decimal, where: str) -> Decimal:
    """“8” (points) or “85%” (of the component's maximum)."""
    raw = str(text).strip()
    try:
        if raw.endswith("%"):
            share = parse_decimal(raw[:-1])
            if not 0 < share <= 100:
                raise ValueError("tỷ lệ phải trong khoảng (0; 100]")
            return maximum * share / 100
        value = parse_decimal(raw)
    except ValueError as exc:
        raise InputError.single(where, "", f"mục tiêu “{text}”: {exc}") from None
    if not 0 < value <= maximum:
        raise InputError.single(where, "", f"mục tiêu {text} ngoài khoảng (0; {format_points(maximum)}]")
    return value


@dataclass
class IndexSource:
    """An index rubric and the file of component results, read and scored once (batch mode
    drafts many units from one file)."""

    rubric_path: str | Path
    evidence_path: str | Path

    def __post_init__(self) -> None:
        self.rubric = load_rubric(self.rubric_path)
        self.sheet = score(self.rubric, read_evidence(self.rubric, self.evidence_path))

    def for_unit(self, unit: str, ctx: PlanContext) -> OtherIndex:
        """The unit's components with targets and tasks (a one-unit file serves any unit)."""
        rubric, sheet = self.rubric, self.sheet
        wanted = nfc(unit)
        if wanted not in sheet.units:
            if len(sheet.units) != 1:
                raise InputError.single(str(self.evidence_path), "",
                                        f"không có đơn vị “{unit}” trong kết quả {short_name(rubric)}")
            wanted = sheet.units[0]
        result = sheet.result(wanted, traces=True)
        own = PlanContext(rubric, ctx.profile, ctx.plan_year, ctx.document_date, ctx.unknown_roles, ctx.not_before)
        set_targets = ctx.profile.index_targets.get(rubric.id, {})
        unknown = sorted(set(set_targets) - {n.code for n in rubric.leaves()})
        if unknown:
            raise InputError.single("hồ sơ đơn vị", "index_targets",
                                    f"{rubric.id}: không có nội dung {', '.join(unknown)}")
        nodes = {n.code: n for n in result.nodes}
        components = []
        for node in rubric.leaves():
            leaf = nodes[node.code]
            points = leaf.points if leaf.status == "scored" else None
            if node.code in set_targets:
                where = f"index_targets.{rubric.id}.{node.code}"
                target = parse_component_target(set_targets[node.code], node.max, where)
            else:
                target = default_target(points or Decimal(0), node.max)
            action, _, assignment, derived = leaf_task_parts(node, leaf, own)
            components.append(ComponentGoal(node.code, node.name, points, node.max, target,
                                            node.code in set_targets, action, assignment, derived))
        return OtherIndex(rubric, short_name(rubric), rubric.title, result, tuple(components))
