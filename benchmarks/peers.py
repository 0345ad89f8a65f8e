"""Peers on the same typed evidence: the pandas version an analyst would write, and OpenFisca.

Both read the engine's validated ``EvidenceTable`` (state, a, b per leaf) — converting it to
their own input is done before the clock starts — and their outputs are checked against the
engine's: the pandas version is the same rules in floats (the usual way), so its wrong totals
and the ranks they move are counted; OpenFisca computes in integers and must match exactly.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from criteria import Rubric
from criteria.loader import rubric_from_data
from criteria.numbers import SCALE
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE
from criteria.rules.deadline import NOT_ISSUED
from scoring.compiled import compile_rubric
from scoring.evidence import EvidenceTable
from scoring.ranking import competition_ranks

from . import tuned


@dataclass
class PeerRun:
    seconds: float  # wall, median
    cpu_seconds: float  # CPU, median
    note: str  # what was checked, or why it was skipped
    ok: bool  # outputs as expected (exact peers: equal; float peers: measured)


def median_time(run: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        cpus.append(time.process_time() - start_cpu)
        walls.append(time.perf_counter() - start)
    return sorted(walls)[len(walls) // 2], sorted(cpus)[len(cpus) // 2], result


# ---------------------------------------------------------------- the analyst's pandas version
def _float_points(node, a, b):
    """One leaf's points in floats, as an analyst writes them from the rubric's text."""
    rule, top = node.rule, float(node.max)
    kind = rule.kind
    if kind == "boolean":
        return np.where(a == 1, top, float(rule.no_points))
    if kind == "choice":
        return a.map({i: float(o.points) for i, o in enumerate(rule.options)}).to_numpy()
    if kind == "deadline":
        due = (rule.due - tuned.EPOCH).days
        issued = np.where(a <= due, float(rule.on_time_points(node.max)), float(rule.late))
        return np.where(a == NOT_ISSUED, float(rule.not_issued), issued)
    if kind == "bands":
        value = a / b * (100 if rule.measure == "percent" else 1)
        conditions, choices = [], []
        for band in rule.bands:
            if band.lower is None:
                conditions.append(np.ones(len(a), dtype=bool))
            else:
                bound = float(band.lower[0])
                conditions.append((value >= bound) if band.lower[1] else (value > bound))
            choices.append(float(band.points))
        return np.select(conditions, choices)
    if kind == "proportional":
        share = a / b
        points = (share * top).round(rule.decimals).to_numpy()
        if rule.floor is not None:
            bound = float(rule.floor.bound)
            passes = (share * 100 >= bound) if rule.floor.inclusive else (share * 100 > bound)
            points = np.where(passes, points, 0.0)
        return points
    if kind == "count_ladder":
        return np.select([a >= s.at_least for s in rule.steps], [float(s.points) for s in rule.steps],
                         float(rule.otherwise))
    if kind == "additive":
        total = sum(np.where((a.to_numpy() >> i) & 1 == 1, float(item.points), 0.0) for i, item in enumerate(rule.items))
        return np.minimum(total, top)
    if kind == "deduction":
        return np.maximum(top - a * float(rule.per_occurrence), float(rule.floor)).to_numpy()
    if kind == "external" and rule.input == "percent_of_max":
        return (a / b * top).round(rule.decimals).to_numpy()
    if kind == "reports":
        on_time = float(rule.on_time) if rule.on_time is not None else top
        return np.where(b != 0, float(rule.missing), np.where(a != 0, float(rule.late), on_time))
    return (a / SCALE).to_numpy()  # external points, manual: points as written


def pandas_frame(rubric: Rubric, table: EvidenceTable):
    """The typed evidence as the analyst's wide DataFrame (outside the clock)."""
    import pandas as pd

    data = {}
    for leaf in rubric.leaves():
        column = table.columns[leaf.code]
        data[f"{leaf.code}|state"], data[f"{leaf.code}|a"], data[f"{leaf.code}|b"] = column.state, column.a, column.b
    return pd.DataFrame(data, index=table.units)


def pandas_scores(rubric: Rubric, frame):
    """Every node's points and maximum as DataFrame columns, totals, ranks by index."""
    import pandas as pd

    compiled = compile_rubric(rubric)
    points, maximum = pd.DataFrame(index=frame.index), pd.DataFrame(index=frame.index)
    survey_codes = [compiled.nodes[r].code for r in compiled.survey_leaf_rows]
    no_survey = np.zeros(len(frame), dtype=bool)
    if survey_codes and rubric.survey.when_absent == "rescale":
        no_survey = (frame[[f"{c}|state" for c in survey_codes]] == MISSING).all(axis=1).to_numpy()
    for row in compiled.leaf_rows:
        node = compiled.nodes[row]
        state, a, b = (frame[f"{node.code}|{x}"] for x in ("state", "a", "b"))
        earned = _float_points(node, a, b)
        top = float(node.max)
        full = compiled.policy[row] == "full_points"
        in_section = compiled.section[row] is not None
        value, missing, na = state == VALUE, state == MISSING, state == NOT_APPLICABLE
        points[node.code] = np.where(value, earned, np.where(na & full, top, 0.0))
        counted = value | (missing & (not in_section)) | (na & full)
        if node.code in survey_codes:
            counted = counted & ~no_survey
            points[node.code] = np.where(no_survey, 0.0, points[node.code])
        maximum[node.code] = np.where(counted, top, 0.0)
    for row in compiled.post_order:
        kids = [compiled.nodes[k].code for k in compiled.children[row]]
        points[compiled.nodes[row].code] = points[kids].sum(axis=1)
        maximum[compiled.nodes[row].code] = maximum[kids].sum(axis=1)
    tops = [compiled.nodes[r].code for r in compiled.top_rows]
    tree_points, tree_max = points[tops].sum(axis=1), maximum[tops].sum(axis=1)
    bonus = pd.Series(0.0, index=frame.index)
    penalty = pd.Series(0.0, index=frame.index)
    for adjustment in rubric.adjustments:
        codes = [n.code for n in adjustment.children]
        if adjustment.kind == "bonus":
            bonus += points[codes].sum(axis=1).clip(upper=float(adjustment.cap))
        else:
            leaves = [n.code for top in adjustment.children for n in top.walk() if n.is_leaf]
            answered = frame[[f"{c}|state" for c in leaves]].to_numpy() == VALUE
            lost = ((maximum[leaves] - points[leaves]) * answered).sum(axis=1)
            penalty += lost.clip(upper=float(adjustment.cap))
    total = tree_points + bonus
    if not rubric.bonus_may_exceed_max:
        total = np.minimum(total, tree_max)
    total = total - penalty
    index = (total / tree_max * 100).where(tree_max > 0)
    ranks = index.rank(method="min", ascending=False, na_option="bottom").astype(int)
    return total.to_numpy(), tree_max.to_numpy(), ranks.to_numpy()


def pandas_errors(sheet, totals: np.ndarray) -> tuple[int, int]:
    """Totals that differ from the exact ones at the engine's 4 decimals, and the ranks those
    wrong totals move: the float totals, rounded to 4 decimals, ranked exactly against the same
    maxima (so float noise in the last digit of a right total moves nothing)."""
    scaled = np.rint(totals * SCALE).astype(np.int64)
    wrong = int(np.count_nonzero(scaled != sheet.total))
    with np.errstate(divide="ignore", invalid="ignore"):
        keys = np.where(sheet.tree_max == 0, -np.inf, scaled / sheet.tree_max)
    moved = competition_ranks(keys) != competition_ranks(sheet.index_order_keys())
    return wrong, int(np.count_nonzero(moved))


# ---------------------------------------------------------------- the rubric subset for OpenFisca
def one_leaf_per_kind(rubric: Rubric) -> Rubric:
    """A rubric of one field holding the first leaf of each rule kind (what both sides score)."""
    picked: dict[str, object] = {}
    for leaf in rubric.leaves():
        if leaf.rule.kind not in picked and rubric.policy_of()[leaf.code] != "full_points":  # type: ignore[union-attr]
            picked[leaf.rule.kind] = leaf  # type: ignore[union-attr]
    children = [leaf.model_dump(mode="json", exclude_none=True, exclude_defaults=True) for leaf in picked.values()]
    field_max = sum(leaf.max for leaf in picked.values())  # type: ignore[attr-defined]
    data = {
        "id": f"{rubric.id}-kinds", "title": f"{rubric.title}: một tiêu chí mỗi loại quy tắc",
        "level": rubric.level, "year": rubric.year, "source": rubric.source,
        "nodes": [{"code": "K", "name": "Mỗi loại quy tắc một tiêu chí", "max": str(field_max), "children": children}],
    }
    return rubric_from_data(data, "một tiêu chí mỗi loại")


def subset_table(rubric: Rubric, subset: Rubric, table: EvidenceTable) -> EvidenceTable:
    codes = [leaf.code for leaf in subset.leaves()]
    return EvidenceTable(subset.id, table.units, {c: table.columns[c] for c in codes}, table.source)
