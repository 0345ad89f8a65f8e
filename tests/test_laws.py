"""The laws of scoring, searched for breaks by hypothesis on random rubrics and evidence."""

from __future__ import annotations

import json
from decimal import Decimal

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from criteria.loader import rubric_from_data
from criteria.numbers import round_half_up
from scoring import score, validate_frame
from scoring.reports.text import sheet_json

from .strategies import RubricCase, evidence_rows, leaf_case, rubric_case, single_leaf_rubric

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _score_rows(case: RubricCase, rows: list[dict], names: list[str] | None = None):
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    names = names or [f"Xã {i}" for i in range(len(rows))]
    frame = pd.DataFrame(rows, index=names, columns=list(case.leaves), dtype=object)
    return rubric, score(rubric, validate_frame(rubric, frame, "ngẫu nhiên"))


@st.composite
def scored(draw: st.DrawFn):
    case = draw(rubric_case())
    rows = draw(evidence_rows(case, draw(st.integers(1, 6))))
    return case, rows


@SETTINGS
@given(scored())
def test_points_stay_within_bounds_and_kept_plus_lost_is_max(data) -> None:
    case, rows = data
    rubric, sheet = _score_rows(case, rows)
    for result in sheet.results(traces=False):
        for node in result.nodes:
            assert node.points + node.lost == node.max
            if node.is_leaf:
                low = rubric.by_code[node.code].rule.lowest(rubric.by_code[node.code].max)
                assert low <= node.points <= node.max
                assert node.max in (Decimal(0), rubric.by_code[node.code].max)
        assert result.totals.points + result.totals.lost == result.totals.max


@SETTINGS
@given(scored())
def test_a_parent_is_the_sum_of_its_children(data) -> None:
    case, rows = data
    rubric, sheet = _score_rows(case, rows)
    for result in sheet.results(traces=False):
        by_code = {n.code: n for n in result.nodes}
        for node in rubric.all_nodes():
            if node.children:
                kids = [by_code[c.code] for c in node.children]
                assert by_code[node.code].points == sum((k.points for k in kids), Decimal(0))
                assert by_code[node.code].max == sum((k.max for k in kids), Decimal(0))
        top = [by_code[n.code] for n in rubric.nodes]
        assert result.totals.points == sum((n.points for n in top), Decimal(0))
        assert result.totals.max == sum((n.max for n in top), Decimal(0))


@SETTINGS
@given(leaf_case(), st.data())
def test_better_evidence_never_lowers_a_score(case, data) -> None:
    worse, better = data.draw(case.better_pair)
    rubric = rubric_from_data(single_leaf_rubric(case), "một lá")
    frame = pd.DataFrame({"1.1": [worse, better]}, index=["kém", "tốt"], dtype=object)
    sheet = score(rubric, validate_frame(rubric, frame, "một lá"))
    low, high = sheet.result(0).node("1.1").points, sheet.result(1).node("1.1").points
    assert low <= high, (case.rule, worse, better, low, high)


@SETTINGS
@given(scored(), st.data())
def test_not_applicable_leaf_leaves_the_maximum_by_exactly_its_max(data, draw) -> None:
    case, rows = data
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    policies = rubric.policy_of()
    excludable = [c for c in case.leaves if policies[c] == "exclude"]
    if not excludable:
        return
    code = draw.draw(st.sampled_from(excludable))
    row = dict(rows[0])
    row[code] = draw.draw(case.leaves[code].value)
    excluded = dict(row, **{code: "Không phát sinh"})
    _, sheet = _score_rows(case, [row, excluded], ["có", "không phát sinh"])
    with_leaf, without = sheet.result(0), sheet.result(1)
    leaf_max = rubric.by_code[code].max
    assert with_leaf.totals.max - without.totals.max == leaf_max
    for node in rubric.all_nodes():
        contains = any(n.code == code for n in node.walk())
        difference = with_leaf.node(node.code).max - without.node(node.code).max
        assert difference == (leaf_max if contains else 0)


@SETTINGS
@given(scored(), st.randoms())
def test_reordering_units_or_columns_changes_nothing(data, rnd) -> None:
    case, rows = data
    names = [f"Xã {i}" for i in range(len(rows))]
    _, sheet = _score_rows(case, rows, names)
    order = list(range(len(rows)))
    rnd.shuffle(order)
    columns = list(case.leaves)
    rnd.shuffle(columns)
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    frame = pd.DataFrame([rows[i] for i in order], index=[names[i] for i in order], columns=columns, dtype=object)
    shuffled = score(rubric, validate_frame(rubric, frame, "ngẫu nhiên"))
    for name in names:
        assert sheet.result(name) == shuffled.result(name)
    ranks = {r.unit: r.rank for r in __import__("scoring").rank(sheet)}
    ranks_shuffled = {r.unit: r.rank for r in __import__("scoring").rank(shuffled)}
    assert ranks == ranks_shuffled


@SETTINGS
@given(scored())
def test_a_batch_scores_each_unit_as_if_alone(data) -> None:
    case, rows = data
    names = [f"Xã {i}" for i in range(len(rows))]
    _, batch = _score_rows(case, rows, names)
    for i, name in enumerate(names):
        _, alone = _score_rows(case, [rows[i]], [name])
        assert alone.result(0) == batch.result(name)


@SETTINGS
@given(scored())
def test_json_round_trip_gives_the_same_numbers(data) -> None:
    case, rows = data
    rubric, sheet = _score_rows(case, rows)
    payload = json.loads(sheet_json(sheet), parse_float=Decimal)
    precision = rubric.precision
    for unit_data, result in zip(payload["units"], sheet.results()):
        assert unit_data["unit"] == result.unit
        assert Decimal(unit_data["totals"]["points"]) == round_half_up(result.totals.points, precision)
        for node_data, node in zip(unit_data["nodes"], result.nodes):
            assert node_data["code"] == node.code
            assert Decimal(node_data["points"]) == round_half_up(node.points, precision)
            assert Decimal(node_data["max"]) == round_half_up(node.max, precision)
            assert node_data["status"] == node.status


@SETTINGS
@given(scored())
def test_no_answer_is_never_not_applicable(data) -> None:
    case, rows = data
    rows = [{code: None for code in case.leaves}]
    rubric, sheet = _score_rows(case, rows)
    result = sheet.result(0)
    assert result.totals.points == 0
    assert result.totals.max == rubric.max_points
    assert result.totals.missing_leaves == len(case.leaves)
    assert all(n.status == "missing" for n in result.nodes)
