"""Every leaf of the shipped rubrics gets a browser input, and what the input shows of a stored
answer is posted back as the same answer the engine scores."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from criteria import load_rubric, load_rubric_text
from scoring.engine import score
from scoring.inputs.readers import read_evidence
from web.portal.leaf_inputs import (
    CHECKLIST,
    CHOICE,
    DATE,
    DATES,
    NOT_APPLICABLE_TEXT,
    POINTS,
    RATIO,
    form_of,
    inputs_of,
    parts_of,
    text_of,
)
from web.portal.live import _through_frame, score_draft
from web.portal.sheet import tabs

ROOT = Path(__file__).resolve().parents[2]
DEMO = load_rubric(ROOT / "rubrics" / "demo-xa-2025.yaml")
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# A rubric of the ``reports`` kind (widget ``dates``), which no shipped rubric uses yet: the
# portal must draw and read it from its ``input_spec()`` alone (Cà Mau TCTP 1.2.1, dates illustrative).
REPORTS_TEXT = """id: thu-bao-cao
title: Bộ thử báo cáo
level: xã
year: 2025
source: thử nghiệm
nodes:
  - code: "1"
    name: Công tác chỉ đạo
    max: 2
    children:
      - code: "1.1"
        name: Báo cáo CCHC
        max: 2
        children:
          - code: "1.1.1"
            name: Tất cả báo cáo được gửi đúng thời gian quy định
            max: 1
            provenance: illustrative
            rule:
              kind: reports
              late: 0.5
              missing: 0
              reports:
                - {name: báo cáo quý I, due: 15/03/2025}
                - {name: báo cáo 6 tháng, due: 15/06/2025}
                - {name: báo cáo quý III, due: 15/09/2025}
                - {name: báo cáo năm, due: 15/12/2025}
          - code: "1.1.2"
            name: Có báo cáo đột xuất
            max: 1
            provenance: illustrative
            rule: {kind: boolean}
"""
REPORTS = load_rubric_text(REPORTS_TEXT, "thu-bao-cao.yaml")


def _posted(spec, text: str) -> str:
    form = form_of(spec, text)
    return text_of(spec, form, form.get("items", ()))


@pytest.mark.parametrize("path", sorted((ROOT / "rubrics").glob("*.yaml")), ids=lambda p: p.stem)
def test_every_leaf_of_every_rubric_has_an_input(path: Path) -> None:
    rubric = load_rubric(path)
    specs = inputs_of(rubric)
    assert set(specs) == {leaf.code for leaf in rubric.leaves()}
    for spec in specs.values():
        assert spec.prompt
        if spec.widget in (CHOICE, CHECKLIST):
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
    assert {CHOICE, DATE, RATIO, CHECKLIST, POINTS} <= widgets


def test_yes_no_words_typed_in_excel_show_as_the_rules_labels() -> None:
    spec = inputs_of(DEMO)["1.1.2"]
    assert parts_of(spec, "Có") == {"value": spec.choices[0]}
    assert parts_of(spec, "không") == {"value": spec.choices[1]}


def test_parts_are_joined_as_the_engine_reads_them() -> None:
    specs = inputs_of(DEMO)
    assert text_of(specs["1.1.4"], {"num": "45", "den": "50"}) == "45/50"
    assert text_of(specs["1.1.4"], {"percent": "97,5"}) == "97,5%"
    assert text_of(specs["2.2.1"], {"date": "2025-01-10"}) == "10/01/2025"
    assert text_of(specs["2.2.1"], {"word": "Không ban hành"}) == "Không ban hành"
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


@pytest.mark.parametrize("text", [
    "15/03/2025; 14/06/2025; 15/09/2025; 10/12/2025",  # all on time
    "15/03/2025; 16/06/2025; 15/09/2025; 10/12/2025",  # one late
    "15/03/2025; chưa gửi; 15/09/2025; 10/12/2025",  # one not sent, typed with a synonym
    "15/03/2025\n14/06/2025\n15/09/2025\nkhông gửi",  # one a line, as typed in an Excel cell
])
def test_a_dates_input_from_a_new_kind_round_trips(text: str) -> None:
    spec = inputs_of(REPORTS)["1.1.1"]
    assert spec.widget == DATES and spec.choices == ("báo cáo quý I", "báo cáo 6 tháng", "báo cáo quý III", "báo cáo năm")
    rows = parts_of(spec, text)["rows"]
    assert [r["name"] for r in rows] == list(spec.choices) and all("date" in r or "word" in r for r in rows)
    cells = {"1.1.1": text, "1.1.2": "Có"}
    posted = {code: _posted(inputs_of(REPORTS)[code], value) for code, value in cells.items()}
    before, after = score_draft(REPORTS, "Xã thử", cells), score_draft(REPORTS, "Xã thử", posted)
    assert not before.problems and not after.problems
    assert after.result.node("1.1.1").points == before.result.node("1.1.1").points
    assert after.result.totals == before.result.totals


def test_a_dates_input_posts_one_date_or_word_per_row() -> None:
    spec = inputs_of(REPORTS)["1.1.1"]
    form = {"date_0": "2025-03-15", "word_1": "không gửi", "date_2": "2025-09-16", "date_3": "2025-12-10"}
    text = text_of(spec, form)
    assert text == "15/03/2025; không gửi; 16/09/2025; 10/12/2025"
    assert score_draft(REPORTS, "Xã thử", {"1.1.1": text}).result.node("1.1.1").points == 0
    partial = text_of(spec, {"date_0": "2025-03-15"})  # the rest left blank: the rule names what is missing
    assert "nhận được 1 giá trị" in score_draft(REPORTS, "Xã thử", {"1.1.1": partial}).problems["1.1.1"]
    assert text_of(spec, {}) == ""


def test_a_count_of_the_wrong_length_is_shown_as_typed() -> None:
    spec = inputs_of(REPORTS)["1.1.1"]
    assert _posted(spec, "15/03/2025; 14/06/2025") == "15/03/2025; 14/06/2025"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_a_saves_partial_reads_the_same_tabs_and_totals_as_the_whole_tree(path: Path) -> None:
    """A leaf's save shows the fields' tabs and the totals without building the unit's whole result:
    the same figures as the page built from the whole result."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    leaves = {leaf.code for leaf in DEMO.leaves()}
    cells = {str(k): str(v) for k, v in data["evidence"].items() if str(k) in leaves}
    live = score_draft(DEMO, data["unit"], cells)
    whole = score(DEMO, _through_frame(DEMO, data["unit"], cells, {}, {})[0]).result(0)
    field = DEMO.nodes[1].code
    assert tabs(DEMO, live, field, "/f") == tabs(DEMO, whole, field, "/f")
    assert live.totals == whole.totals
