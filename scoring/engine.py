"""The engine: validated evidence of N units → exact points of every node, as integer arrays.

One code path for one unit or a hundred thousand: a single unit is a table of one row.
Points are integers in 1/10 000 of a point (``criteria.numbers.SCALE``), so every sum is
exact; rounding happens once, inside the rule kinds that define it (proportional).
"""

from __future__ import annotations

import numpy as np

from criteria import Rubric
from criteria.numbers import to_scaled
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE

from .compiled import compile_rubric
from .evidence import EvidenceTable
from .result import LEAF_EXCLUDED, LEAF_FULL, LEAF_MISSING, LEAF_NO_SURVEY, LEAF_SCORED, ScoreSheet


def score(rubric: Rubric, evidence: EvidenceTable) -> ScoreSheet:
    """Score every unit of ``evidence`` against ``rubric``."""
    if evidence.rubric_id != rubric.id:
        raise ValueError(f"evidence is for rubric {evidence.rubric_id!r}, not {rubric.id!r}")
    compiled = compile_rubric(rubric)
    n_units, n_nodes = len(evidence), len(compiled.nodes)
    points = np.zeros((n_nodes, n_units), dtype=np.int64)
    maximum = np.zeros((n_nodes, n_units), dtype=np.int64)
    leaf_status = np.zeros((n_nodes, n_units), dtype=np.int8)
    missing = np.zeros((n_nodes, n_units), dtype=np.int32)  # leaves without evidence below
    applicable = np.zeros((n_nodes, n_units), dtype=np.int32)  # leaves scored or missing below

    no_survey = _survey_absent(compiled, evidence)
    overrides = _overrides_by_leaf(evidence)
    for row in compiled.leaf_rows:
        node = compiled.nodes[row]
        column = evidence.columns[node.code]
        max_s = compiled.max_scaled[row]
        state = column.state
        earned = node.rule.score(column.a, column.b, max_s)  # type: ignore[union-attr]
        full = compiled.policy[row] == "full_points"
        status = np.select(
            [state == VALUE, state == MISSING, state == NOT_APPLICABLE],
            [LEAF_SCORED, LEAF_MISSING, LEAF_FULL if full else LEAF_EXCLUDED],
        ).astype(np.int8)
        if compiled.section[row] is not None:  # bonus/penalty: no answer = nothing to add or take
            status = np.where(state == MISSING, LEAF_EXCLUDED, status).astype(np.int8)
        if no_survey is not None and row in compiled.survey_leaf_rows:
            status = np.where(no_survey, LEAF_NO_SURVEY, status).astype(np.int8)
        if node.code in overrides:
            earned = earned.copy()  # a rule may hand back a view of its evidence
        for i, points_set in overrides.get(node.code, ()):
            status[i] = LEAF_SCORED
            earned[i] = points_set
        counted = (status != LEAF_EXCLUDED) & (status != LEAF_NO_SURVEY)
        points[row] = np.where(status == LEAF_SCORED, earned, np.where(status == LEAF_FULL, max_s, 0))
        maximum[row] = np.where(counted, max_s, 0)
        leaf_status[row] = status
        missing[row] = status == LEAF_MISSING
        applicable[row] = (status == LEAF_SCORED) | (status == LEAF_MISSING)

    for row in compiled.post_order:
        kids = list(compiled.children[row])
        points[row] = points[kids].sum(axis=0)
        maximum[row] = maximum[kids].sum(axis=0)
        missing[row] = missing[kids].sum(axis=0)
        applicable[row] = applicable[kids].sum(axis=0)

    tree = list(compiled.top_rows)
    tree_points = points[tree].sum(axis=0)
    tree_max = maximum[tree].sum(axis=0)
    bonus = np.zeros(n_units, dtype=np.int64)
    penalty = np.zeros(n_units, dtype=np.int64)
    for adjustment in rubric.adjustments:
        rows = list(compiled.section_rows[adjustment.code])
        cap = to_scaled(adjustment.cap)
        if adjustment.kind == "bonus":
            bonus += np.minimum(points[rows].sum(axis=0), cap)
        else:
            penalty += np.minimum(_answered_lost(compiled, rows, points, maximum, leaf_status), cap)
    total = tree_points + bonus
    if not rubric.bonus_may_exceed_max:
        total = np.minimum(total, tree_max)  # tree points never exceed the tree's maximum
    total = total - penalty
    return ScoreSheet(
        compiled=compiled,
        evidence=evidence,
        points=points,
        maximum=maximum,
        leaf_status=leaf_status,
        missing=missing,
        applicable=applicable,
        tree_points=tree_points,
        tree_max=tree_max,
        bonus=bonus,
        penalty=penalty,
        total=total,
    )


def _overrides_by_leaf(evidence: EvidenceTable) -> dict[str, list[tuple[int, int]]]:
    """Points set by hand, as (unit row, scaled points) per leaf code."""
    if not evidence.overrides:
        return {}
    rows = {unit: i for i, unit in enumerate(evidence.units)}
    grouped: dict[str, list[tuple[int, int]]] = {}
    for (unit, code), override in evidence.overrides.items():
        grouped.setdefault(code, []).append((rows[unit], to_scaled(override.points)))
    return grouped


def _answered_lost(compiled, rows, points, maximum, leaf_status) -> np.ndarray:
    """Points lost in a penalty section, counting only leaves that were answered."""
    lost = np.zeros(points.shape[1], dtype=np.int64)
    for top in rows:
        stack = [top]
        while stack:
            row = stack.pop()
            if compiled.children[row]:
                stack.extend(compiled.children[row])
            else:
                answered = leaf_status[row] == LEAF_SCORED
                lost += np.where(answered, maximum[row] - points[row], 0)
    return lost


def _survey_absent(compiled, evidence: EvidenceTable) -> np.ndarray | None:
    """Units with no survey answer at all, where the rubric rescales without a survey."""
    survey = compiled.rubric.survey
    if survey is None or survey.when_absent != "rescale" or not compiled.survey_leaf_rows:
        return None
    absent = np.ones(len(evidence), dtype=bool)
    for row in compiled.survey_leaf_rows:
        absent &= evidence.columns[compiled.nodes[row].code].state == MISSING
    return absent
