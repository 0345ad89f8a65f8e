"""The floor: the engine's arithmetic as bare numpy on the same typed evidence, and nothing else.

What the hardware cannot avoid doing to give the same answer: each leaf's points from its
``(state, a, b)`` arrays with the fewest array passes that stay exact (integer arithmetic,
lookup tables where a table is smaller than the arithmetic), the applicable maximum and the
missing/applicable counts of every node summed in place, the totals, and the competition
ranks. The rubric's structure and constants are resolved before the clock starts, as a
compiled program would; no validation, no objects per unit. The benchmark checks that it
gives exactly the engine's points, so it cannot be faster by being wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable

import numpy as np

from criteria import Node, Rubric
from criteria.numbers import SCALE_DIGITS, to_scaled
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE
from criteria.rules.deadline import NOT_ISSUED
from scoring.compiled import CompiledRubric, compile_rubric
from scoring.evidence import EvidenceTable

Earn = Callable[[np.ndarray, np.ndarray], np.ndarray]
EPOCH = dt.date(1970, 1, 1)
TABLE_ITEMS = 16  # additive checklists up to this many items score by a 2**k lookup table


def _share(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


def _rounded_share(max_s: int, decimals: int) -> Earn:
    """a/b × max rounded half-up to ``decimals``: (2·a·max_q + b) // 2b steps."""
    quantum = 10 ** (SCALE_DIGITS - decimals)
    twice_max_q = 2 * (max_s // quantum)

    def earn(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        steps = a * twice_max_q
        steps += b
        steps //= 2 * b
        steps *= quantum
        return steps

    return earn


def _at_least(a: np.ndarray, b: np.ndarray, bound: Fraction, inclusive: bool) -> np.ndarray:
    left, right = a * bound.denominator, b * bound.numerator
    return left >= right if inclusive else left > right


def earn_function(node: Node, max_s: int) -> Earn:
    """Leaf points for arrays of ``a`` and ``b``, by rule kind, with constants bound now."""
    rule = node.rule
    kind = rule.kind  # type: ignore[union-attr]
    if kind == "boolean":
        no = to_scaled(rule.no_points)  # type: ignore[union-attr]
        return (lambda a, b: a * max_s) if no == 0 else (lambda a, b: a * (max_s - no) + no)
    if kind == "choice":
        table = np.array([to_scaled(o.points) for o in rule.options], dtype=np.int64)  # type: ignore[union-attr]
        return lambda a, b: table.take(a)
    if kind == "deadline":
        due = (rule.due - EPOCH).days  # type: ignore[union-attr]
        on_time = to_scaled(rule.on_time_points(node.max))  # type: ignore[union-attr]
        late, none = to_scaled(rule.late), to_scaled(rule.not_issued)  # type: ignore[union-attr]
        return lambda a, b: np.where(a > due, late, np.where(a == NOT_ISSUED, none, on_time))
    if kind == "bands":
        percent = rule.measure == "percent"  # type: ignore[union-attr]
        bands = rule.bands  # type: ignore[union-attr]
        # contiguous, highest range first: walk up from the lowest band by its upper neighbour's lower bound
        steps = [
            ((Fraction(band.lower[0]) / 100 if percent else Fraction(band.lower[0])), band.lower[1],
             to_scaled(band.points))
            for band in reversed(bands[:-1])
        ]
        lowest = to_scaled(bands[-1].points)

        def earn_bands(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            points = np.full(a.shape, lowest, dtype=np.int64)
            for bound, inclusive, value in steps:
                points[_at_least(a, b, bound, inclusive)] = value
            return points

        return earn_bands
    if kind == "proportional":
        share = _rounded_share(max_s, rule.decimals)  # type: ignore[union-attr]
        floor = rule.floor  # type: ignore[union-attr]
        if floor is None:
            return share
        bound = Fraction(floor.bound) / 100

        def earn_floored(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            points = share(a, b)
            points[~_at_least(a, b, bound, floor.inclusive)] = 0
            return points

        return earn_floored
    if kind == "count_ladder":
        ascending = list(reversed(rule.steps))  # type: ignore[union-attr]
        thresholds = np.array([s.at_least for s in ascending], dtype=np.int64)
        table = np.array([to_scaled(rule.otherwise)] + [to_scaled(s.points) for s in ascending], dtype=np.int64)  # type: ignore[union-attr]
        return lambda a, b: table.take(np.searchsorted(thresholds, a, side="right"))
    if kind == "additive":
        values = [to_scaled(i.points) for i in rule.items]  # type: ignore[union-attr]
        if len(values) <= TABLE_ITEMS:
            sums = np.zeros(1, dtype=np.int64)
            for value in values:
                sums = np.concatenate([sums, sums + value])
            table = np.minimum(sums, max_s)
            return lambda a, b: table.take(a)

        def earn_items(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            total = np.zeros(a.shape, dtype=np.int64)
            for i, value in enumerate(values):
                total += ((a >> i) & 1) * value
            return np.minimum(total, max_s, out=total)

        return earn_items
    if kind == "deduction":
        per, floor_s = to_scaled(rule.per_occurrence), to_scaled(rule.floor)  # type: ignore[union-attr]
        return lambda a, b: np.maximum(max_s - a * per, floor_s)
    if kind == "external" and rule.input == "percent_of_max":  # type: ignore[union-attr]
        return _rounded_share(max_s, rule.decimals)  # type: ignore[union-attr]
    if kind in ("external", "manual"):
        return lambda a, b: a
    raise ValueError(f"unknown rule kind {kind}")


@dataclass(frozen=True)
class FloorLeaf:
    row: int
    code: str
    max_s: int
    earn: Earn
    full_points: bool  # không phát sinh counts the maximum
    in_section: bool  # bonus/penalty: unanswered means excluded
    in_survey: bool


@dataclass(frozen=True)
class FloorPlan:
    compiled: CompiledRubric
    leaves: tuple[FloorLeaf, ...]
    survey_codes: tuple[str, ...]  # leaves whose all-missing rescales the survey away
    bonus_caps: tuple[tuple[tuple[int, ...], int], ...]  # (top rows, cap)
    penalty_caps: tuple[tuple[tuple[int, ...], int], ...]  # (leaf rows, cap)
    cap_at_max: bool


def plan(rubric: Rubric) -> FloorPlan:
    compiled = compile_rubric(rubric)
    survey_rows = set(compiled.survey_leaf_rows)
    rescale = rubric.survey is not None and rubric.survey.when_absent == "rescale"
    leaves = tuple(
        FloorLeaf(row, compiled.nodes[row].code, compiled.max_scaled[row],
                  earn_function(compiled.nodes[row], compiled.max_scaled[row]),
                  compiled.policy[row] == "full_points", compiled.section[row] is not None,
                  rescale and row in survey_rows)
        for row in compiled.leaf_rows
    )
    bonus, penalty = [], []
    for adjustment in rubric.adjustments:
        tops = compiled.section_rows[adjustment.code]
        if adjustment.kind == "bonus":
            bonus.append((tops, to_scaled(adjustment.cap)))
        else:
            rows = tuple(r for r in compiled.leaf_rows if compiled.section[r] == adjustment.code)
            penalty.append((rows, to_scaled(adjustment.cap)))
    return FloorPlan(
        compiled, leaves, tuple(compiled.nodes[r].code for r in compiled.survey_leaf_rows) if rescale else (),
        tuple(bonus), tuple(penalty), not rubric.bonus_may_exceed_max,
    )


@dataclass
class FloorResult:
    points: np.ndarray
    maximum: np.ndarray
    missing: np.ndarray
    applicable: np.ndarray
    total: np.ndarray
    tree_max: np.ndarray
    ranks: np.ndarray


def score_floor(floor_plan: FloorPlan, table: EvidenceTable) -> FloorResult:
    compiled = floor_plan.compiled
    n_nodes, n = len(compiled.nodes), len(table)
    points = np.empty((n_nodes, n), dtype=np.int64)
    maximum = np.empty((n_nodes, n), dtype=np.int64)
    missing = np.empty((n_nodes, n), dtype=np.int32)
    applicable = np.empty((n_nodes, n), dtype=np.int32)
    answered: dict[int, np.ndarray] = {}
    no_survey = None
    if floor_plan.survey_codes:
        no_survey = np.logical_and.reduce([table.columns[c].state == MISSING for c in floor_plan.survey_codes])
    for leaf in floor_plan.leaves:
        column = table.columns[leaf.code]
        state = column.state
        scored = state == VALUE
        np.multiply(leaf.earn(column.a, column.b), scored, out=points[leaf.row])
        if leaf.in_section:
            counted = scored if not leaf.full_points else state != MISSING
            missing[leaf.row] = 0
            applicable[leaf.row] = scored
            answered[leaf.row] = scored
        else:
            counted = True if leaf.full_points else state != NOT_APPLICABLE
            unanswered = state == MISSING
            if leaf.in_survey:
                counted = counted & ~no_survey
                unanswered &= ~no_survey
            missing[leaf.row] = unanswered
            applicable[leaf.row] = scored | unanswered
        if leaf.full_points:
            points[leaf.row][state == NOT_APPLICABLE] = leaf.max_s
        np.multiply(counted, leaf.max_s, out=maximum[leaf.row])
    for row in compiled.post_order:
        first, *rest = compiled.children[row]
        for array in (points, maximum, missing, applicable):
            array[row] = array[first]
            for kid in rest:
                array[row] += array[kid]
    tree_points = points[list(compiled.top_rows)].sum(axis=0)
    tree_max = maximum[list(compiled.top_rows)].sum(axis=0)
    total = tree_points.copy()
    for tops, cap in floor_plan.bonus_caps:
        total += np.minimum(points[list(tops)].sum(axis=0), cap)
    if floor_plan.cap_at_max:
        np.minimum(total, np.maximum(tree_max, tree_points), out=total)
    for rows, cap in floor_plan.penalty_caps:
        lost = sum(((maximum[r] - points[r]) * answered[r] for r in rows), np.zeros(n, np.int64))
        total -= np.minimum(lost, cap)
    keys = np.where(tree_max == 0, -np.inf, total / np.where(tree_max == 0, 1, tree_max))
    order = np.argsort(-keys, kind="stable")
    ordered = keys[order]
    starts = np.ones(n, dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = np.maximum.accumulate(np.where(starts, np.arange(1, n + 1), 0))
    return FloorResult(points, maximum, missing, applicable, total, tree_max, ranks)
