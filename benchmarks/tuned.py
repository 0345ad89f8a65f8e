"""The baseline a careful programmer would write without arrays: a tuned per-unit Python loop.

Exact like the engine — integers in 1/10 000 of a point, shares compared by cross-multiplying
integers — but one unit at a time in plain Python: every constant (band bounds as integer
pairs, scaled points, rounding quanta, subset sums of checklists) is resolved once per rubric,
the tree is a flat post-order list, and the inner loop touches no ``Decimal``, ``Fraction`` or
object per node. It shares no code with the engine or with ``rule.score``: its leaf formulas
are written from the rules' parameters, so the benchmark's equality check (every node of every
unit) tests one against the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from criteria import Node, Rubric
from criteria.numbers import SCALE_DIGITS, to_scaled
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE
from criteria.rules.deadline import NOT_ISSUED
from scoring.compiled import compile_rubric
from scoring.evidence import EvidenceTable

Earn = Callable[[int, int], int]
EPOCH = dt.date(1970, 1, 1)


def _pair(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


def _rounded_share(max_s: int, decimals: int) -> Earn:
    """a/b × max, rounded half-up to ``decimals`` (points ≥ 0), in integers."""
    quantum = 10 ** (SCALE_DIGITS - decimals)
    twice_max, twice_quantum = 2 * max_s, 2 * quantum
    return lambda a, b: (twice_max * a + b * quantum) // (twice_quantum * b) * quantum


def earn_function(node: Node) -> Earn:
    """Leaf points in scaled integers from one cell's (a, b), constants bound now."""
    rule = node.rule
    kind = rule.kind  # type: ignore[union-attr]
    max_s = to_scaled(node.max)
    if kind == "boolean":
        no = to_scaled(rule.no_points)  # type: ignore[union-attr]
        return lambda a, b: max_s if a == 1 else no
    if kind == "choice":
        options = tuple(to_scaled(o.points) for o in rule.options)  # type: ignore[union-attr]
        return lambda a, b: options[a]
    if kind == "deadline":
        due = (rule.due - EPOCH).days  # type: ignore[union-attr]
        on_time = to_scaled(rule.on_time_points(node.max))  # type: ignore[union-attr]
        late, none = to_scaled(rule.late), to_scaled(rule.not_issued)  # type: ignore[union-attr]
        return lambda a, b: none if a == NOT_ISSUED else on_time if a <= due else late
    if kind == "bands":
        scale = 100 if rule.measure == "percent" else 1  # type: ignore[union-attr]
        # highest band first: a value is in the first band whose lower bound it reaches
        steps = []
        for band in rule.bands:  # type: ignore[union-attr]
            if band.lower is None:
                steps.append((0, 1, True, to_scaled(band.points)))
                break
            num, den = _pair(Fraction(band.lower[0]) / scale)
            steps.append((num, den, band.lower[1], to_scaled(band.points)))
        bands = tuple(steps)

        def band_points(a: int, b: int) -> int:
            for num, den, inclusive, points in bands:
                left, right = a * den, num * b
                if left > right or (inclusive and left == right):
                    return points
            return bands[-1][3]

        return band_points
    if kind == "proportional":
        share = _rounded_share(max_s, rule.decimals)  # type: ignore[union-attr]
        floor = rule.floor  # type: ignore[union-attr]
        if floor is None:
            return share
        num, den = _pair(Fraction(floor.bound) / 100)
        inclusive = floor.inclusive

        def floored(a: int, b: int) -> int:
            left, right = a * den, num * b
            return share(a, b) if left > right or (inclusive and left == right) else 0

        return floored
    if kind == "count_ladder":
        ladder = tuple((s.at_least, to_scaled(s.points)) for s in rule.steps)  # type: ignore[union-attr]
        otherwise = to_scaled(rule.otherwise)  # type: ignore[union-attr]

        def step_points(a: int, b: int) -> int:
            for at_least, points in ladder:
                if a >= at_least:
                    return points
            return otherwise

        return step_points
    if kind == "additive":
        items = [to_scaled(item.points) for item in rule.items]  # type: ignore[union-attr]
        sums = [0]
        for points in items:
            sums += [s + points for s in sums]
        capped = tuple(min(s, max_s) for s in sums)
        return lambda a, b: capped[a]
    if kind == "deduction":
        per, floor_s = to_scaled(rule.per_occurrence), to_scaled(rule.floor)  # type: ignore[union-attr]
        return lambda a, b: max(max_s - a * per, floor_s)
    if kind == "external":
        if rule.input == "points":  # type: ignore[union-attr]
            return lambda a, b: a
        return _rounded_share(max_s, rule.decimals)  # type: ignore[union-attr]
    if kind == "manual":
        return lambda a, b: a
    if kind == "reports":  # a: some report late, b: some report not sent
        on_time = to_scaled(rule.on_time) if rule.on_time is not None else max_s  # type: ignore[union-attr]
        late, unsent = to_scaled(rule.late), to_scaled(rule.missing)  # type: ignore[union-attr]
        return lambda a, b: unsent if b else late if a else on_time
    raise ValueError(f"unknown rule kind {kind}")


@dataclass(frozen=True)
class Program:
    """The rubric resolved once: leaves with their formulas, sums in post order, totals."""

    n_nodes: int
    leaves: tuple[tuple[int, str, Earn, int, bool, bool, bool], ...]  # row, code, earn, max, full, section, survey
    sums: tuple[tuple[int, tuple[int, ...]], ...]
    tops: tuple[int, ...]
    adjustments: tuple[tuple[bool, int, tuple[int, ...], tuple[int, ...]], ...]  # bonus?, cap, tops, leaves
    survey_codes: tuple[str, ...]
    rescale: bool
    cap_at_max: bool


def compile_program(rubric: Rubric) -> Program:
    compiled = compile_rubric(rubric)
    survey_rows = set(compiled.survey_leaf_rows)
    leaves = tuple(
        (row, compiled.nodes[row].code, earn_function(compiled.nodes[row]), compiled.max_scaled[row],
         compiled.policy[row] == "full_points", compiled.section[row] is not None, row in survey_rows)
        for row in compiled.leaf_rows
    )

    def below(top: int) -> list[int]:
        kids = compiled.children[top]
        return [top] if not kids else [leaf for kid in kids for leaf in below(kid)]

    adjustments = tuple(
        (adj.kind == "bonus", to_scaled(adj.cap), compiled.section_rows[adj.code],
         tuple(r for top in compiled.section_rows[adj.code] for r in below(top)))
        for adj in rubric.adjustments
    )
    survey = rubric.survey
    return Program(
        n_nodes=len(compiled.nodes), leaves=leaves,
        sums=tuple((row, compiled.children[row]) for row in compiled.post_order),
        tops=compiled.top_rows, adjustments=adjustments,
        survey_codes=tuple(compiled.nodes[r].code for r in compiled.survey_leaf_rows),
        rescale=survey is not None and survey.when_absent == "rescale" and bool(compiled.survey_leaf_rows),
        cap_at_max=not rubric.bonus_may_exceed_max,
    )


@dataclass
class Scored:
    """Per unit: every node's points, maximum, missing and applicable counts; and the totals."""

    points: list[list[int]]
    maximum: list[list[int]]
    missing: list[list[int]]
    applicable: list[list[int]]
    total: list[int]
    tree_max: list[int]


def score_units(program: Program, table: EvidenceTable) -> Scored:
    """Every unit, one at a time."""
    cells = {code: (col.state.tolist(), col.a.tolist(), col.b.tolist()) for code, col in table.columns.items()}
    by_hand: dict[tuple[int, str], int] = {}
    if table.overrides:
        rows = {unit: i for i, unit in enumerate(table.units)}
        by_hand = {(rows[u], code): to_scaled(o.points) for (u, code), o in table.overrides.items()}
    leaves = [(row, code, earn, max_s, full, section, survey, *cells[code])
              for row, code, earn, max_s, full, section, survey in program.leaves]
    survey_states = [cells[code][0] for code in program.survey_codes]
    out = Scored([], [], [], [], [], [])
    n_nodes = program.n_nodes
    for i in range(len(table)):
        points, maximum = [0] * n_nodes, [0] * n_nodes
        missing, applicable = [0] * n_nodes, [0] * n_nodes
        answered = [False] * n_nodes
        no_survey = program.rescale and all(states[i] == MISSING for states in survey_states)
        for row, code, earn, max_s, full, section, survey, states, a_s, b_s in leaves:
            state = states[i]
            hand = by_hand.get((i, code)) if by_hand else None
            if hand is not None:
                points[row], maximum[row], applicable[row], answered[row] = hand, max_s, 1, True
            elif survey and no_survey:
                pass
            elif state == VALUE:
                points[row], maximum[row], applicable[row], answered[row] = earn(a_s[i], b_s[i]), max_s, 1, True
            elif state == MISSING:
                if not section:
                    maximum[row], missing[row], applicable[row] = max_s, 1, 1
            elif state == NOT_APPLICABLE and full:
                points[row], maximum[row] = max_s, max_s
        for row, kids in program.sums:
            p = m = x = y = 0
            for kid in kids:
                p += points[kid]
                m += maximum[kid]
                x += missing[kid]
                y += applicable[kid]
            points[row], maximum[row], missing[row], applicable[row] = p, m, x, y
        tree_points = sum(points[r] for r in program.tops)
        tree_max = sum(maximum[r] for r in program.tops)
        bonus = penalty = 0
        for is_bonus, cap, tops, section_leaves in program.adjustments:
            if is_bonus:
                bonus += min(sum(points[r] for r in tops), cap)
            else:
                penalty += min(sum(maximum[r] - points[r] for r in section_leaves if answered[r]), cap)
        total = tree_points + bonus
        if program.cap_at_max:
            total = min(total, tree_max)
        out.points.append(points)
        out.maximum.append(maximum)
        out.missing.append(missing)
        out.applicable.append(applicable)
        out.total.append(total - penalty)
        out.tree_max.append(tree_max)
    return out


def competition_ranks(total: list[int], tree_max: list[int]) -> list[int]:
    """Ranks by exact index, highest first (ties share the best place; no index ranks last).
    Float keys of integer ratios below 2**53 order exactly as the fractions do."""
    keys = [t / m if m else float("-inf") for t, m in zip(total, tree_max)]
    order = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)
    ranks = [0] * len(keys)
    place, previous = 0, None
    for position, i in enumerate(order, 1):
        if keys[i] != previous:
            place, previous = position, keys[i]
        ranks[i] = place
    return ranks


def mismatches(program: Program, scored: Scored, sheet) -> list[str]:
    """Where the loop and the engine differ, node by node and unit by unit (empty when equal)."""
    found = []
    arrays = (("points", scored.points, sheet.points), ("maximum", scored.maximum, sheet.maximum),
              ("missing", scored.missing, sheet.missing), ("applicable", scored.applicable, sheet.applicable))
    for name, ours, engine in arrays:
        mine = np.array(ours, dtype=np.int64).T if ours else np.zeros(engine.shape, dtype=np.int64)
        bad = np.argwhere(mine != engine)
        found += [f"{name}[node {r}, unit {c}]: loop {mine[r, c]} ≠ engine {engine[r, c]}" for r, c in bad[:5]]
    for name, ours, engine in (("total", scored.total, sheet.total), ("tree_max", scored.tree_max, sheet.tree_max)):
        bad = np.flatnonzero(np.array(ours, dtype=np.int64) != engine)
        found += [f"{name}[unit {c}]: loop {ours[c]} ≠ engine {engine[c]}" for c in bad[:5]]
    return found
