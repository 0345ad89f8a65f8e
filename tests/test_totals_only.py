"""Totals only (``score_totals``, ``TotalsScorer``, ``score_stream(..., keep="totals")``) gives every
unit exactly the totals of its full sheet — tree points and maximum, bonus, penalty, total, the
main tree's missing leaves — and so the same ``Totals``, ranks and classes, with both kernels: on
random evidence for every shipped rubric and the every-kind-edges rubric (missing, không phát sinh
excluded or at full points, points set by hand), on random rubrics, over many blocks of units
with points set by hand in each, and where whole units answered no survey question.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import raw_frame
from criteria import Rubric
from criteria.loader import rubric_from_data
from criteria.numbers import SCALE, to_scaled
from criteria.rules import MISSING, Column
from scoring import EvidenceTable, rank, score, validate_frame
from scoring.compiled import compile_rubric
from scoring.engine import TOTALS_BLOCK_UNITS, TotalsScorer, _plan, score_stream, score_totals
from scoring.evidence import Override
from scoring.ranking import class_labels, competition_ranks

from .strategies import evidence_rows, rubric_case
from .test_fast_path_exact import RUBRICS, evidence_tables

TOTALS = ("tree_points", "tree_max", "bonus", "penalty", "total", "missing_leaves")
KERNELS = ["numpy", "compiled"]
HAS_NUMBA = importlib.util.find_spec("numba") is not None


def _kernel_or_skip(kernel: str) -> None:
    if kernel == "compiled" and not HAS_NUMBA:
        pytest.skip("numba is not installed")


def assert_totals_of_the_sheet(rubric: Rubric, table: EvidenceTable, kernel: str) -> None:
    """Totals only, with ``kernel``, equal the full numpy sheet's totals, unit by unit."""
    sheet = score(rubric, table, kernel="numpy")
    totals = score_totals(rubric, table, kernel=kernel)  # type: ignore[arg-type]
    assert totals.kernel == kernel and len(totals) == len(sheet) and totals.units == sheet.units
    missing = sheet.missing[list(sheet.compiled.top_rows)].sum(axis=0)
    want = {"tree_points": sheet.tree_points, "tree_max": sheet.tree_max, "bonus": sheet.bonus,
            "penalty": sheet.penalty, "total": sheet.total, "missing_leaves": missing}
    for name in TOTALS:
        got = getattr(totals, name)
        assert got.dtype == np.int64 and got.tolist() == want[name].tolist(), name
    for i in range(len(sheet)):
        assert totals.totals(i) == sheet.totals(i)
        assert totals.index_exact(i) == sheet.index_exact(i)
    assert np.array_equal(competition_ranks(totals.index_order_keys()), competition_ranks(sheet.index_order_keys()))
    assert class_labels(totals.rubric, totals.total, totals.tree_max) == class_labels(sheet.rubric, sheet.total, sheet.tree_max)
    assert rank(totals) == rank(sheet)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", sorted(RUBRICS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_totals_only_equal_the_sheets_totals_on_random_evidence(kernel: str, name: str, data: st.DataObject) -> None:
    _kernel_or_skip(kernel)
    rubric = RUBRICS[name]
    assert_totals_of_the_sheet(rubric, data.draw(evidence_tables(rubric)), kernel)


@pytest.mark.parametrize("kernel", KERNELS)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_totals_only_equal_the_sheets_totals_on_random_rubrics(kernel: str, data: st.DataObject) -> None:
    _kernel_or_skip(kernel)
    case = data.draw(rubric_case())
    rows = data.draw(evidence_rows(case, data.draw(st.integers(1, 8))))
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    frame = pd.DataFrame(rows, index=[f"Xã {i}" for i in range(len(rows))], columns=list(case.leaves), dtype=object)
    table = validate_frame(rubric, frame, "ngẫu nhiên")
    if kernel == "compiled" and _plan(compile_rubric(rubric)).fused is None:  # constants beyond int64
        with pytest.raises(RuntimeError):
            score_totals(rubric, table, kernel="compiled")
        assert score_totals(rubric, table).kernel == "numpy"
        assert_totals_of_the_sheet(rubric, table, "numpy")
        return
    assert_totals_of_the_sheet(rubric, table, kernel)


def _many_blocks(rubric: Rubric) -> EvidenceTable:
    """Two full blocks and a ragged one; points set by hand on every leaf, spread over the
    blocks; where the rubric has survey questions, every fifth unit answered none of them."""
    n = 2 * TOTALS_BLOCK_UNITS + 37
    table = validate_frame(rubric, raw_frame(rubric, n, seed=11), "synthetic")
    compiled = compile_rubric(rubric)
    survey = {compiled.nodes[row].code for row in compiled.survey_leaf_rows}
    if survey:
        columns = dict(table.columns)
        for code in survey:
            state = columns[code].state.copy()
            state[::5] = MISSING
            columns[code] = Column(state, columns[code].a, columns[code].b)
        table = EvidenceTable(table.rubric_id, table.units, columns, table.source)
    rng = np.random.default_rng(7)
    items = []
    for leaf in rubric.leaves():
        low, high = to_scaled(leaf.rule.lowest(leaf.max)), to_scaled(leaf.max)  # type: ignore[union-attr]
        for unit in rng.choice(n, size=4, replace=False):
            points = Decimal(int(rng.integers(low, high + 1))) / SCALE
            items.append((table.units[int(unit)], leaf.code, Override(points, "thẩm định lại")))
    return table.with_overrides(rubric, items)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", sorted(RUBRICS))
def test_totals_only_over_many_blocks_with_points_set_by_hand_and_no_survey(kernel: str, name: str) -> None:
    _kernel_or_skip(kernel)
    rubric = RUBRICS[name]
    table = _many_blocks(rubric)
    assert_totals_of_the_sheet(rubric, table, kernel)


@pytest.mark.parametrize("kernel", KERNELS)
@pytest.mark.parametrize("name", ["every-kind-edges", "demo-xa-2025"])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_totals_scorer_gives_each_table_its_own_totals(kernel: str, name: str, data: st.DataObject) -> None:
    """Tables of varying sizes one after another (a smaller after a larger), fresh or reused
    totals arrays: each result equals a fresh ``score_totals`` of its table until the next call."""
    _kernel_or_skip(kernel)
    rubric = RUBRICS[name]
    fresh, reused = TotalsScorer(rubric, kernel), TotalsScorer(rubric, kernel, reuse=True)  # type: ignore[arg-type]
    kept = []
    for _ in range(3):
        table = data.draw(evidence_tables(rubric))
        want = score(rubric, table, kernel="numpy").totals_only()
        got_fresh, got_reused = fresh.score(table), reused.score(table)
        kept.append((got_fresh, want))
        for name_ in TOTALS:
            assert np.array_equal(getattr(got_reused, name_), getattr(want, name_)), name_
    for got, want in kept:  # results not reused outlive the next call
        assert all(np.array_equal(getattr(got, x), getattr(want, x)) for x in TOTALS)


@pytest.mark.parametrize("reuse", [False, True])
def test_a_stream_of_totals_equals_the_stream_of_sheets(reuse: bool) -> None:
    rubric = RUBRICS["demo-xa-2025"]
    tables = [validate_frame(rubric, raw_frame(rubric, n, seed=n), "synthetic") for n in (300, 5000, 1)]
    sheets = [(s.total.copy(), s.tree_max.copy()) for s in score_stream(rubric, tables)]
    totals = [(t.total.copy(), t.tree_max.copy()) for t in score_stream(rubric, tables, reuse=reuse, keep="totals")]
    assert [(a.tolist(), b.tolist()) for a, b in totals] == [(a.tolist(), b.tolist()) for a, b in sheets]


def test_a_stream_keeps_a_sheet_or_totals_nothing_else() -> None:
    rubric = RUBRICS["demo-xa-2025"]
    with pytest.raises(ValueError, match="keep"):
        score_stream(rubric, [], keep="nodes")  # type: ignore[arg-type]
