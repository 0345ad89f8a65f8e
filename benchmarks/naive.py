"""The naive way, kept as the slow reference: per unit, per leaf, pure Python over dicts, Decimal.

It reads the same validated evidence as the engine (each unit a dict: leaf code → state, a,
b) but shares none of its arithmetic: no numpy, no scaled integers, no ``rule.score``. It
walks the tree recursively for every unit and computes each leaf's points from the rule's
written parameters with ``Decimal`` (and ``Fraction`` where a share must be compared
exactly). The benchmark times it; ``tests/test_fast_path_exact.py`` checks the engine
against it on random evidence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from criteria import Node, Rubric
from criteria.numbers import SCALE, round_half_up
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE
from criteria.rules.deadline import NOT_ISSUED
from scoring.evidence import EvidenceTable

Record = dict[str, tuple[int, int, int]]  # leaf code → (state, a, b)
Overrides = dict[str, Decimal]  # leaf code → points set by hand (appraisal), for one unit
EPOCH = dt.date(1970, 1, 1)
ZERO = Decimal(0)


def records(table: EvidenceTable) -> list[Record]:
    """The validated table as one plain dict per unit (what a naive program would hold)."""
    columns = {
        code: list(zip(col.state.tolist(), col.a.tolist(), col.b.tolist()))
        for code, col in table.columns.items()
    }
    return [{code: cells[i] for code, cells in columns.items()} for i in range(len(table))]


def overrides_of(table: EvidenceTable) -> list[Overrides]:
    """Points set by hand, one dict per unit in the table's order."""
    rows = {unit: i for i, unit in enumerate(table.units)}
    result: list[Overrides] = [{} for _ in table.units]
    for (unit, code), override in table.overrides.items():
        result[rows[unit]][code] = override.points
    return result


# ---------------------------------------------------------------- one leaf, by rule kind
def _boolean(node: Node, a: int, b: int) -> Decimal:
    return node.max if a == 1 else node.rule.no_points  # type: ignore[union-attr]


def _choice(node: Node, a: int, b: int) -> Decimal:
    return node.rule.options[a].points  # type: ignore[union-attr]


def _deadline(node: Node, a: int, b: int) -> Decimal:
    rule = node.rule
    if a == NOT_ISSUED:
        return rule.not_issued  # type: ignore[union-attr]
    if EPOCH + dt.timedelta(days=a) <= rule.due:  # type: ignore[union-attr]
        return rule.on_time_points(node.max)  # type: ignore[union-attr]
    return rule.late  # type: ignore[union-attr]


def _in_band(value: Fraction, band, percent: bool) -> bool:
    def bound(written: Decimal) -> Fraction:
        return Fraction(written) / 100 if percent else Fraction(written)

    if band.lower is not None:
        low, inclusive = band.lower
        if value < bound(low) or (value == bound(low) and not inclusive):
            return False
    if band.upper is not None:
        high, inclusive = band.upper
        if value > bound(high) or (value == bound(high) and not inclusive):
            return False
    return True


def _bands(node: Node, a: int, b: int) -> Decimal:
    rule = node.rule
    value = Fraction(a, b)
    for band in rule.bands:  # type: ignore[union-attr]
        if _in_band(value, band, rule.measure == "percent"):  # type: ignore[union-attr]
            return band.points
    raise AssertionError(f"{node.code}: {value} falls in no band")


def _share_of_max(node: Node, a: int, b: int, decimals: int) -> Decimal:
    return round_half_up(Fraction(a, b) * Fraction(node.max), decimals)


def _proportional(node: Node, a: int, b: int) -> Decimal:
    floor = node.rule.floor  # type: ignore[union-attr]
    if floor is not None:
        share, bound = Fraction(a, b), Fraction(floor.bound) / 100
        if share < bound or (share == bound and not floor.inclusive):
            return ZERO
    return _share_of_max(node, a, b, node.rule.decimals)  # type: ignore[union-attr]


def _count_ladder(node: Node, a: int, b: int) -> Decimal:
    for step in node.rule.steps:  # type: ignore[union-attr]
        if a >= step.at_least:
            return step.points
    return node.rule.otherwise  # type: ignore[union-attr]


def _additive(node: Node, a: int, b: int) -> Decimal:
    items = node.rule.items  # type: ignore[union-attr]
    total = sum((item.points for i, item in enumerate(items) if a & (1 << i)), ZERO)
    return min(total, node.max)


def _deduction(node: Node, a: int, b: int) -> Decimal:
    rule = node.rule
    return max(node.max - a * rule.per_occurrence, rule.floor)  # type: ignore[union-attr]


def _external(node: Node, a: int, b: int) -> Decimal:
    if node.rule.input == "points":  # type: ignore[union-attr]
        return Decimal(a) / SCALE
    return _share_of_max(node, a, b, node.rule.decimals)  # type: ignore[union-attr]


def _manual(node: Node, a: int, b: int) -> Decimal:
    return Decimal(a) / SCALE


LEAF_POINTS: dict[str, Callable[[Node, int, int], Decimal]] = {
    "boolean": _boolean, "choice": _choice, "deadline": _deadline, "bands": _bands,
    "proportional": _proportional, "count_ladder": _count_ladder, "additive": _additive,
    "deduction": _deduction, "external": _external, "manual": _manual,
}


# ---------------------------------------------------------------- one unit
@dataclass
class NaiveUnit:
    """Every node's points, applicable maximum and counts, and the unit's totals."""

    points: dict[str, Decimal] = field(default_factory=dict)
    maximum: dict[str, Decimal] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)  # leaves without evidence below
    applicable: dict[str, int] = field(default_factory=dict)  # leaves scored or missing below
    answered: dict[str, bool] = field(default_factory=dict)  # leaf scored from evidence
    tree_points: Decimal = ZERO
    tree_max: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    total: Decimal = ZERO

    @property
    def index(self) -> Fraction | None:
        return None if self.tree_max == 0 else Fraction(self.total) * 100 / Fraction(self.tree_max)


def _leaf(unit: NaiveUnit, node: Node, cell: tuple[int, int, int], policy: str,
          in_section: bool, no_survey: bool, set_by_hand: Decimal | None) -> None:
    state, a, b = cell
    points, maximum, missing, answered = ZERO, node.max, 0, False
    if set_by_hand is not None:  # a person's points replace whatever the evidence said
        points, answered = set_by_hand, True
    elif no_survey:
        maximum = ZERO
    elif state == VALUE:
        points, answered = LEAF_POINTS[node.rule.kind](node, a, b), True  # type: ignore[union-attr]
    elif state == MISSING:
        if in_section:  # a bonus or penalty not answered: nothing to add or take
            maximum = ZERO
        else:
            missing = 1
    elif state == NOT_APPLICABLE:
        if policy == "full_points":
            points = node.max
        else:
            maximum = ZERO
    unit.points[node.code], unit.maximum[node.code] = points, maximum
    unit.missing[node.code], unit.answered[node.code] = missing, answered
    unit.applicable[node.code] = int(answered or missing)


def _node(unit: NaiveUnit, node: Node, record: Record, policies: dict[str, str],
          in_section: bool, no_survey: bool, by_hand: Overrides) -> None:
    if node.is_leaf:
        _leaf(unit, node, record[node.code], policies[node.code], in_section, no_survey,
              by_hand.get(node.code))
        return
    points, maximum, missing, applicable = ZERO, ZERO, 0, 0
    for child in node.children:
        _node(unit, child, record, policies, in_section, no_survey, by_hand)
        points += unit.points[child.code]
        maximum += unit.maximum[child.code]
        missing += unit.missing[child.code]
        applicable += unit.applicable[child.code]
    unit.points[node.code], unit.maximum[node.code] = points, maximum
    unit.missing[node.code], unit.applicable[node.code] = missing, applicable


def _survey_leaves(rubric: Rubric) -> list[str]:
    if rubric.survey is None:
        return []
    return [n.code for n in rubric.by_code[rubric.survey.code].walk() if n.is_leaf]


def _lost_when_answered(unit: NaiveUnit, node: Node) -> Decimal:
    if node.is_leaf:
        answered = unit.answered[node.code]
        return unit.maximum[node.code] - unit.points[node.code] if answered else ZERO
    return sum((_lost_when_answered(unit, child) for child in node.children), ZERO)


def score_unit(rubric: Rubric, record: Record, by_hand: Overrides | None = None,
               policies: dict[str, str] | None = None) -> NaiveUnit:
    """One unit's points for every node, by walking the tree."""
    by_hand = by_hand or {}
    policies = policies or rubric.policy_of()
    survey = _survey_leaves(rubric)
    rescale = rubric.survey is not None and rubric.survey.when_absent == "rescale"
    no_survey = rescale and bool(survey) and all(record[code][0] == MISSING for code in survey)
    unit = NaiveUnit()
    for node in rubric.nodes:
        is_survey = rubric.survey is not None and node.code == rubric.survey.code
        _node(unit, node, record, policies, False, no_survey and is_survey, by_hand)
        unit.tree_points += unit.points[node.code]
        unit.tree_max += unit.maximum[node.code]
    for adjustment in rubric.adjustments:
        for node in adjustment.children:
            _node(unit, node, record, policies, True, False, by_hand)
        if adjustment.kind == "bonus":
            earned = sum((unit.points[n.code] for n in adjustment.children), ZERO)
            unit.bonus += min(earned, adjustment.cap)
        else:
            lost = sum((_lost_when_answered(unit, n) for n in adjustment.children), ZERO)
            unit.penalty += min(lost, adjustment.cap)
    total = unit.tree_points + unit.bonus
    if not rubric.bonus_may_exceed_max:
        total = min(total, max(unit.tree_max, unit.tree_points))
    unit.total = total - unit.penalty
    return unit


def score_units(rubric: Rubric, units: list[Record], by_hand: list[Overrides] | None = None) -> list[NaiveUnit]:
    policies = rubric.policy_of()
    hands = by_hand or [{} for _ in units]
    return [score_unit(rubric, record, hand, policies) for record, hand in zip(units, hands)]


def rank_units(units: list[NaiveUnit]) -> list[int]:
    """Competition ranks by exact index, highest first; no index ranks last."""
    indices = [u.index for u in units]
    ordered = sorted((i for i in indices if i is not None), reverse=True)
    first_place: dict[Fraction, int] = {}
    for place, index in enumerate(ordered, 1):
        first_place.setdefault(index, place)
    last = len(ordered) + 1
    return [last if i is None else first_place[i] for i in indices]
