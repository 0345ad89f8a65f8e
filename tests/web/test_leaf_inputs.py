"""Every leaf of the shipped rubrics gets a browser input, and what the input shows of a stored
answer is posted back as the same answer the engine scores."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from criteria import load_rubric
from scoring.engine import score
from scoring.inputs.readers import read_evidence
from web.portal.leaf_inputs import (
    CHECKLIST,
    DATE,
    MANUAL,
    NOT_APPLICABLE_TEXT,
    RATIO,
    SELECT,
    inputs_of,
    parts_of,
    text_of,
)
from web.portal.live import _through_frame, score_draft

ROOT = Path(__file__).resolve().parents[2]
DEMO = load_rubric(ROOT / "rubrics" / "demo-xa-2025.yaml")
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _posted(spec, text: str) -> str:
    parts = parts_of(spec, text)
    form = {k: v for k, v in parts.items() if k != "items"}
    return text_of(spec, form, parts.get("items", ()))


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_leaf_of_every_rubric_has_an_input(path: Path) -> None:
    rubric = load_rubric(path)
    specs = inputs_of(rubric)
    assert set(specs) == {leaf.code for leaf in rubric.leaves()}
    for spec in specs.values():
        assert spec.prompt
        if spec.widget in (SELECT, CHECKLIST):
            assert spec.choices


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_shown_then_posted_scores_the_same(path: Path) -> None:
    """(A criterion declared “không phát sinh” as a whole is kept in the draft as typed.)"""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    cells = {str(k): str(v) for k, v in data["evidence"].items()}
    specs = inputs_of(DEMO)
    posted = {code: _posted(specs[code], text) if code in specs else text for code, text in cells.items()}
    before = score_draft(DEMO, data["unit"], cells)
    after = score_draft(DEMO, data["unit"], posted)
    assert not before.problems and not after.problems
    assert after.result.totals == before.result.totals
    assert [n.points for n in after.result.nodes] == [n.points for n in before.result.nodes]


def test_widgets_cover_the_kinds_of_the_demo_rubric() -> None:
    widgets = {spec.widget for spec in inputs_of(DEMO).values()}
    assert {SELECT, DATE, RATIO, CHECKLIST, MANUAL} <= widgets


def test_yes_no_words_typed_in_excel_show_as_the_rules_labels() -> None:
    spec = inputs_of(DEMO)["1.1.2"]
    assert parts_of(spec, "Có") == {"value": spec.choices[0]}
    assert parts_of(spec, "không") == {"value": spec.choices[1]}


def test_parts_are_joined_as_the_engine_reads_them() -> None:
    specs = inputs_of(DEMO)
    assert text_of(specs["1.1.4"], {"num": "45", "den": "50"}) == "45/50"
    assert text_of(specs["1.1.4"], {"percent": "97,5"}) == "97,5%"
    assert text_of(specs["2.2.1"], {"date": "2025-01-10"}) == "10/01/2025"
    assert text_of(specs["2.2.1"], {"not_issued": "1"}) == "Không ban hành"
    assert text_of(specs["1.4.2"], {}, [specs["1.4.2"].choices[1], specs["1.4.2"].choices[0]]) == "2; 1"
    assert text_of(specs["1.4.2"], {"none": "1"}) == "Không có mục nào"
    assert text_of(specs["3.4.2"], {"points": "1", "reason": "Biên bản kiểm tra"}) == "1 | Biên bản kiểm tra"
    assert text_of(specs["3.3.1"], {"na": "1", "num": "1", "den": "2"}) == NOT_APPLICABLE_TEXT
    assert text_of(specs["1.1.4"], {}) == ""


def test_a_refused_cell_is_named_and_the_rest_still_scores() -> None:
    data = yaml.safe_load((ROOT / "examples" / "xa-an-phu.yaml").read_text(encoding="utf-8"))
    cells = {str(k): str(v) for k, v in data["evidence"].items()}
    whole = score_draft(DEMO, data["unit"], cells).result
    cells["1.3.1"] = "bốn"
    live = score_draft(DEMO, data["unit"], cells)
    assert set(live.problems) == {"1.3.1"} and "không phải là số" in live.problems["1.3.1"]
    lost = whole.node("1.3.1").points
    assert live.result.totals.tree_points == whole.totals.tree_points - lost
    assert live.result.node("1.3.1").status == "missing"


def test_live_points_are_the_engines() -> None:
    path = ROOT / "examples" / "xa-dong-tien.yaml"
    table = read_evidence(DEMO, path)
    expected = score(DEMO, table).result(0)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    live = score_draft(DEMO, data["unit"], {str(k): str(v) for k, v in data["evidence"].items()})
    assert live.result.totals == expected.totals


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_cell_by_cell_equals_validate_frame(path: Path) -> None:
    """The live path reads each cell as validate_frame does: same points, same traces."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    leaves = {leaf.code for leaf in DEMO.leaves()}
    cells = {str(k): str(v) for k, v in data["evidence"].items() if str(k) in leaves}
    cells["1.3.1"] = "bốn"  # and a refused cell on both paths
    fast = score_draft(DEMO, data["unit"], cells)
    slow_table, slow_problems = _through_frame(DEMO, data["unit"], cells, {}, {})
    slow = score(DEMO, slow_table).result(0)
    assert fast.problems == slow_problems
    assert fast.result.totals == slow.totals
    assert [fast.node(n.code) for n in slow.nodes] == list(slow.nodes)  # traces built on demand, the same
