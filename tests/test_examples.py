"""The shipped rubrics and example communes: valid, consistent, and lawful in JSON."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from criteria import load_rubric
from scoring import read_evidence, score
from scoring.inputs.readers import combine

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_rubric_validates_and_says_where_each_leaf_comes_from(path: Path) -> None:
    rubric = load_rubric(path)
    for leaf in rubric.leaves():
        assert leaf.provenance in ("quoted", "adapted", "illustrative")
        if leaf.provenance != "illustrative":
            assert leaf.source


def test_the_demonstration_rubric_uses_every_rule_kind_and_a_survey_block() -> None:
    rubric = load_rubric(DEMO)
    from criteria.rules import RULE_KINDS

    shown_elsewhere = {"reports"}  # newer than the demonstration data: tests/test_reports_rule.py scores it
    assert {leaf.rule.kind for leaf in rubric.leaves()} | shown_elsewhere == set(RULE_KINDS)
    assert rubric.max_points == 100
    assert rubric.survey is not None and rubric.by_code[rubric.survey.code].max == 30
    assert {p.provenance for p in rubric.leaves()} == {"quoted", "adapted", "illustrative"}


def test_the_wide_csv_scores_exactly_like_the_yaml_files() -> None:
    rubric = load_rubric(DEMO)
    from_yaml = score(rubric, combine([read_evidence(rubric, p) for p in EXAMPLES]))
    from_csv = score(rubric, read_evidence(rubric, ROOT / "examples" / "communes.csv"))
    assert sorted(from_yaml.units) == sorted(from_csv.units)
    for unit in from_yaml.units:
        a, b = from_yaml.result(unit), from_csv.result(unit)
        assert a.totals == b.totals
        assert [(n.code, n.points, n.max, n.status) for n in a.nodes] == [(n.code, n.points, n.max, n.status) for n in b.nodes]


def test_examples_cover_strong_weak_not_applicable_and_missing() -> None:
    rubric = load_rubric(DEMO)
    sheet = score(rubric, combine([read_evidence(rubric, p) for p in EXAMPLES]))
    indices = [sheet.result(u).totals.index for u in sheet.units]
    assert max(indices) >= 90 and min(indices) < 65
    statuses = {n.status for u in sheet.units for n in sheet.result(u).nodes}
    assert statuses == {"scored", "missing", "not_applicable"}
    assert any(sheet.result(u).totals.max < 100 for u in sheet.units)  # rescaled or excluded


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_the_json_of_every_example_obeys_the_laws(path: Path) -> None:
    result = CliRunner().invoke(main, ["score", "-r", str(DEMO), "-e", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output, parse_float=Decimal)
    rubric = load_rubric(DEMO)
    (unit,) = payload["units"]
    nodes = {n["code"]: n for n in unit["nodes"]}
    for node in rubric.all_nodes():
        data = nodes[node.code]
        assert data["points"] + data["lost"] == data["max"]
        if node.children:
            assert data["points"] == sum(nodes[c.code]["points"] for c in node.children)
            assert data["max"] == sum(nodes[c.code]["max"] for c in node.children)
        else:
            assert data["points"] <= node.max and data["trace"]["explanation"]
    totals = unit["totals"]
    assert totals["points"] + totals["lost"] == totals["max"]
    assert totals["tree_points"] == sum(nodes[n.code]["points"] for n in rubric.nodes)
    assert totals["points"] == min(totals["tree_points"] + totals["bonus"], totals["max"]) - totals["penalty"]
    # the index comes from exact points; recomputed from the printed ones it agrees to 0,01
    assert abs(totals["index"] - totals["points"] / totals["max"] * 100) <= Decimal("0.01")


def test_rubric_schema_is_json_schema() -> None:
    result = CliRunner().invoke(main, ["rubric", "schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["title"] == "Rubric" and "nodes" in schema["properties"]
    assert "Node" in schema["$defs"] and "BandsRule" in schema["$defs"]
