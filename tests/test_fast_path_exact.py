"""The array engine's numpy kernel gives exactly the points of the slow Decimal reference
(benchmarks/naive.py) and of the tuned per-unit loop the benchmarks time it against
(benchmarks/tuned.py), in one chunk or many. The compiled kernel is held to the same, and to
the numpy kernel's arrays, in tests/test_fused_kernel.py.

Random typed evidence (hypothesis) on every shipped rubric and on a rubric that packs every
rule kind with its edges (negative floors, full points for không phát sinh, a survey that may
be absent, bonus and penalty caps, points set by hand); random rubrics with raw evidence
(the strategies of ``tests/strategies.py``); and synthetic raw evidence read through
``validate_frame``. Every node, every unit: points, applicable maximum, missing and
applicable counts, totals and ranks.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks import naive, tuned
from benchmarks.synthetic import raw_frame
from criteria import Node, Rubric, load_rubric, load_rubric_text
from criteria.loader import rubric_from_data
from criteria.numbers import SCALE, round_half_up, to_scaled
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE, Column
from criteria.rules.base import MAX_MAGNITUDE
from criteria.rules.deadline import NOT_ISSUED
from scoring import EvidenceTable, competition_ranks, rank, score, validate_frame
from scoring.compiled import compile_rubric
from scoring.engine import score_stream
from scoring.evidence import Override

from .strategies import evidence_rows, rubric_case

EDGES = """
id: every-kind-edges
title: Mọi loại quy tắc, với các trường hợp biên
level: xã
year: 2025
source: kiểm thử
classification: [{label: Tốt, min: 80}, {label: Khá, min: 65}, {label: Yếu, min: 0}]
survey: {code: "S"}
nodes:
  - code: "1"
    name: Lĩnh vực 1
    max: 10
    children:
      - code: "1.1"
        name: Tiêu chí 1.1
        max: 4
        children:
          - {code: "1.1.1", name: có/không, max: 1, provenance: illustrative, rule: {kind: boolean, no_points: -0.5}}
          - code: "1.1.2"
            name: lựa chọn
            max: 1
            provenance: illustrative
            rule: {kind: choice, options: [{label: Kịp thời, points: 1}, {label: Không kịp thời, points: 0.5}, {label: Không ban hành, points: 0}]}
          - {code: "1.1.3", name: thời hạn, max: 1, provenance: illustrative, rule: {kind: deadline, due: 31/12/2024, late: 0.5}}
          - code: "1.1.4"
            name: khoảng tỷ lệ
            max: 1
            provenance: illustrative
            rule: {kind: bands, bands: [{gt: 90, points: 1}, {ge: 70, le: 90, points: 0.5}, {ge: 33.3333, lt: 70, points: 0.25}, {lt: 33.3333, points: 0}]}
      - code: "1.2"
        name: Tiêu chí 1.2
        max: 6
        not_applicable: full_points
        children:
          - {code: "1.2.1", name: tỷ lệ có ngưỡng, max: 2, provenance: illustrative, rule: {kind: proportional, floor: {gt: 50}}}
          - {code: "1.2.2", name: bậc số lần, max: 2, provenance: illustrative, rule: {kind: count_ladder, steps: [{at_least: 4, points: 2}, {at_least: 2, points: 1}, {at_least: 1, points: 0.25}]}}
          - code: "1.2.3"
            name: cộng mục
            max: 1
            provenance: illustrative
            rule: {kind: additive, items: [{label: Bảng điện tử, points: 0.25}, {label: Website, points: 0.5}, {label: Truyền thống, points: 0.5}]}
          - {code: "1.2.4", name: trừ theo lần, max: 1, provenance: illustrative, rule: {kind: deduction, per_occurrence: 0.25, floor: -0.5}}
  - code: "2"
    name: Lĩnh vực 2
    max: 6
    not_applicable: not_allowed
    children:
      - {code: "2.1", name: thủ công, max: 2, provenance: illustrative, rule: {kind: manual}}
      - code: "2.2"
        name: khoảng số, thấp là tốt
        max: 3
        provenance: illustrative
        rule: {kind: bands, measure: number, better: lower, bands: [{gt: 2, points: 0}, {ge: 0.5, le: 2, points: 1.5}, {lt: 0.5, points: 3}]}
      - {code: "2.3", name: tỷ lệ một chữ số, max: 1, provenance: illustrative, rule: {kind: proportional, decimals: 1}}
  - code: "S"
    name: Khảo sát
    max: 5
    children:
      - {code: "S.1", name: SIPAS, max: 3, provenance: illustrative, rule: {kind: external, input: percent_of_max}}
      - {code: "S.2", name: XHH, max: 2, provenance: illustrative, rule: {kind: external}}
adjustments:
  - code: "T"
    name: Điểm thưởng
    kind: bonus
    cap: 1
    children:
      - {code: "T.1", name: thưởng 1, max: 0.75, provenance: illustrative, rule: {kind: boolean}}
      - {code: "T.2", name: thưởng 2, max: 0.5, provenance: illustrative, rule: {kind: count_ladder, steps: [{at_least: 2, points: 0.5}, {at_least: 1, points: 0.25}]}}
  - code: "P"
    name: Điểm trừ
    kind: penalty
    cap: 2
    children:
      - {code: "P.1", name: trừ 1, max: 1, provenance: illustrative, rule: {kind: deduction, per_occurrence: 0.5, floor: -1}}
      - {code: "P.2", name: trừ 2, max: 1, not_applicable: full_points, provenance: illustrative, rule: {kind: boolean}}
"""

SHIPPED = sorted((Path(__file__).parent.parent / "rubrics").glob("*.yaml"))
RUBRICS: dict[str, Rubric] = {"every-kind-edges": load_rubric_text(EDGES, "edges.yaml")}
RUBRICS.update({path.stem: load_rubric(path) for path in SHIPPED})
EPOCH = dt.date(1970, 1, 1)
BIG = MAX_MAGNITUDE


def _bounds(node: Node) -> list[Fraction]:
    """Values a leaf's rule turns on, as stored shares or numbers: the exact edges."""
    rule = node.rule
    if rule.kind == "bands":  # type: ignore[union-attr]
        scale = 100 if rule.measure == "percent" else 1  # type: ignore[union-attr]
        return [Fraction(side[0]) / scale for band in rule.bands  # type: ignore[union-attr]
                for side in (band.lower, band.upper) if side is not None and side[0] >= 0]
    if rule.kind == "proportional" and rule.floor is not None:  # type: ignore[union-attr]
        return [Fraction(rule.floor.bound) / 100]  # type: ignore[union-attr]
    return []


@st.composite
def _fraction(draw: st.DrawFn, node: Node, top: Fraction | None) -> tuple[int, int]:
    """A stored (a, b): a share of 1 when ``top`` is 1, a non-negative number when None."""
    edges = _bounds(node)
    if edges and draw(st.booleans()):
        edge = draw(st.sampled_from(edges))
        k = draw(st.integers(1, 10**6))
        a, b = edge.numerator * k, edge.denominator * k  # exactly on the edge, not reduced
        if a <= BIG and b <= BIG:
            return a, b
    b = draw(st.one_of(st.integers(1, 1000), st.integers(1, BIG)))
    limit = b if top is not None else BIG
    return draw(st.integers(0, limit)), b


@st.composite
def _value(draw: st.DrawFn, node: Node) -> tuple[int, int]:
    rule = node.rule
    kind = rule.kind  # type: ignore[union-attr]
    max_s = to_scaled(node.max)
    if kind == "boolean":
        return draw(st.integers(0, 1)), 1
    if kind == "choice":
        return draw(st.integers(0, len(rule.options) - 1)), 1  # type: ignore[union-attr]
    if kind == "deadline":
        due = (rule.due - EPOCH).days  # type: ignore[union-attr]
        return draw(st.one_of(st.just(NOT_ISSUED), st.integers(due - 3, due + 3), st.integers(0, 40_000))), 1
    if kind == "bands":
        return draw(_fraction(node, Fraction(1) if rule.measure == "percent" else None))  # type: ignore[union-attr]
    if kind == "proportional" or (kind == "external" and rule.input == "percent_of_max"):  # type: ignore[union-attr]
        return draw(_fraction(node, Fraction(1)))
    if kind in ("count_ladder", "deduction"):
        return draw(st.one_of(st.integers(0, 6), st.integers(0, BIG))), 1
    if kind == "additive":
        return draw(st.integers(0, 2 ** len(rule.items) - 1)), 1  # type: ignore[union-attr]
    if kind in ("external", "manual"):
        return draw(st.integers(0, max_s)), SCALE
    raise AssertionError(kind)


@st.composite
def evidence_tables(draw: st.DrawFn, rubric: Rubric) -> EvidenceTable:
    n = draw(st.integers(1, 12))
    policies = rubric.policy_of()
    units = [f"Xã {i}" for i in range(n)]
    columns = {}
    for leaf in rubric.leaves():
        states = [VALUE, MISSING] + ([NOT_APPLICABLE] if policies[leaf.code] != "not_allowed" else [])
        cells = []
        for _ in range(n):
            state = draw(st.sampled_from(states))
            cells.append((state, *draw(_value(leaf))) if state == VALUE else (state, 0, 1))
        state, a, b = (np.array(x, dtype=dtype) for x, dtype in zip(zip(*cells), (np.int8, np.int64, np.int64)))
        columns[leaf.code] = Column(state, a, b)
    table = EvidenceTable(rubric.id, units, columns, "hypothesis")
    for _ in range(draw(st.integers(0, 3))):
        leaf = draw(st.sampled_from(rubric.leaves()))
        low = to_scaled(leaf.rule.lowest(leaf.max))  # type: ignore[union-attr]
        points = Decimal(draw(st.integers(low, to_scaled(leaf.max)))) / SCALE
        table = table.with_override(rubric, draw(st.sampled_from(units)), leaf.code,
                                    Override(points, "thẩm định lại"))
    return table


def assert_same_as_reference(rubric: Rubric, table: EvidenceTable, kernel: str = "numpy") -> None:
    sheet = score(rubric, table, kernel=kernel)  # type: ignore[arg-type]
    assert sheet.kernel == kernel
    reference = naive.score_units(rubric, naive.records(table), naive.overrides_of(table))
    compiled = compile_rubric(rubric)
    for i, unit in enumerate(reference):
        for row, node in enumerate(compiled.nodes):
            got = (int(sheet.points[row, i]), int(sheet.maximum[row, i]),
                   int(sheet.missing[row, i]), int(sheet.applicable[row, i]))
            want = (to_scaled(unit.points[node.code]), to_scaled(unit.maximum[node.code]),
                    unit.missing[node.code], unit.applicable[node.code])
            assert got == want, f"unit {i}, node {node.code}: engine {got} ≠ reference {want}"
        got_totals = tuple(int(x[i]) for x in (sheet.tree_points, sheet.tree_max, sheet.bonus,
                                               sheet.penalty, sheet.total))
        want_totals = tuple(to_scaled(x) for x in (unit.tree_points, unit.tree_max, unit.bonus,
                                                   unit.penalty, unit.total))
        assert got_totals == want_totals, f"unit {i}: totals {got_totals} ≠ {want_totals}"
        assert sheet.index_exact(i) == unit.index
    ranks = naive.rank_units(reference)
    assert competition_ranks(sheet.index_order_keys()).tolist() == ranks
    loop = tuned.score_units(tuned.compile_program(rubric), table)  # the benchmark's baseline
    assert tuned.mismatches(tuned.compile_program(rubric), loop, sheet) == []
    assert tuned.competition_ranks(loop.total, loop.tree_max) == ranks
    for row in rank(sheet):
        unit = reference[sheet.position(row.unit)]
        index = None if unit.index is None else round_half_up(unit.index, 4)
        want = (ranks[sheet.position(row.unit)], unit.total, unit.tree_max, index, rubric.classify(unit.index))
        assert (row.rank, row.points, row.max, row.index, row.classification) == want


@pytest.mark.parametrize("name", sorted(RUBRICS))
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_equals_decimal_reference_on_random_evidence(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    assert_same_as_reference(rubric, data.draw(evidence_tables(rubric)))


@pytest.mark.parametrize("name", sorted(RUBRICS))
def test_engine_equals_decimal_reference_on_synthetic_raw_evidence(name: str) -> None:
    rubric = RUBRICS[name]
    table = validate_frame(rubric, raw_frame(rubric, 400, seed=7), "synthetic")
    assert_same_as_reference(rubric, table)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_engine_equals_decimal_reference_on_random_rubrics(data: st.DataObject) -> None:
    case = data.draw(rubric_case())
    rows = data.draw(evidence_rows(case, data.draw(st.integers(1, 8))))
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    frame = pd.DataFrame(rows, index=[f"Xã {i}" for i in range(len(rows))], columns=list(case.leaves), dtype=object)
    assert_same_as_reference(rubric, validate_frame(rubric, frame, "ngẫu nhiên"))


def _same_sheet(one, other) -> None:
    for name in ("points", "maximum", "leaf_status", "missing", "applicable",
                 "tree_points", "tree_max", "bonus", "penalty", "total"):
        assert np.array_equal(getattr(one, name), getattr(other, name)), name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_chunked_scoring_equals_unchunked_on_random_rubrics(data: st.DataObject) -> None:
    """Chunk sizes that split the units unevenly (1, 2, 3, 5, …) give the same arrays, overrides
    and survey-less units included."""
    case = data.draw(rubric_case())
    rows = data.draw(evidence_rows(case, data.draw(st.integers(2, 13))))
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    frame = pd.DataFrame(rows, index=[f"Xã {i}" for i in range(len(rows))], columns=list(case.leaves), dtype=object)
    table = validate_frame(rubric, frame, "ngẫu nhiên")
    whole = score(rubric, table, chunk_units=len(table), kernel="numpy")
    chunk = data.draw(st.integers(1, len(table) - 1))
    _same_sheet(score(rubric, table, chunk_units=chunk, kernel="numpy"), whole)


@pytest.mark.parametrize("name", sorted(RUBRICS))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_chunked_scoring_equals_unchunked_on_random_evidence(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    table = data.draw(evidence_tables(rubric))
    whole = score(rubric, table, chunk_units=max(len(table), 1), kernel="numpy")
    for chunk in {1, 2, 3, 5, max(1, len(table) - 1)}:
        _same_sheet(score(rubric, table, chunk_units=chunk, kernel="numpy"), whole)


def test_chunked_scoring_equals_unchunked_on_synthetic_campaign() -> None:
    """Several chunks of the default size and a ragged last one, on the demo rubric."""
    rubric = RUBRICS["demo-xa-2025"]
    table = validate_frame(rubric, raw_frame(rubric, 3_001, seed=11), "synthetic")
    whole = score(rubric, table, chunk_units=len(table), kernel="numpy")
    for chunk in (1_000, 1_024, 2_999):
        _same_sheet(score(rubric, table, chunk_units=chunk, kernel="numpy"), whole)
    streamed = list(score_stream(rubric, [table.take(list(range(1_500))), table.take(list(range(1_500, 3_001)))]))
    assert np.array_equal(np.concatenate([s.total for s in streamed]), whole.total)
    assert np.array_equal(np.concatenate([s.points for s in streamed], axis=1), whole.points)
