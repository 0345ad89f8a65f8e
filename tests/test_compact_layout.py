"""The compact layout of JSON and CSV (one line per unit) carries the numbers of the detailed layout.

Random rubrics (any precision 0–4, negative floors, bonus and penalty, a survey that may be absent,
points set by an appraiser), random evidence, unit names that a spreadsheet would run as formulas:
decoded, the compact JSON gives every node's points, maximum, status and trace, every unit's totals,
rank and explanations exactly as the detailed JSON; the wide CSV gives the long CSV's points. The
command line keeps the detailed layout up to 1,000 units, says so when it writes compactly, and
writes atomically.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import raw_frame
from cli import main
from criteria import Rubric, load_rubric
from criteria.canonical import provenance
from criteria.loader import rubric_from_data
from scoring import EvidenceTable, score, validate_frame
from scoring.reports import results
from scoring.reports.compact import COMPACT_FROM, CSV_PROVENANCE, CSV_TOTALS, write_compact_csv, write_compact_json
from scoring.reports.stream import sheet_csv_text, sheet_json_text
from scoring.result import ScoreSheet

from .strategies import evidence_rows, rubric_case
from .test_fast_path_exact import RUBRICS, evidence_tables

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
AN_PHU = ROOT / "examples" / "xa-an-phu.yaml"
COMMUNES = ROOT / "examples" / "communes.csv"
RISKY_NAMES = ["=SUM(A1:A9)", "+84 xã", "-1", "@xã", 'Xã "Mới", Hòa', "UBND xã Hòa Bình", "Phường 1\tA", "xã"]


def compact_json(sheet: ScoreSheet, traces: bool = True) -> dict:
    buffer = io.BytesIO()
    write_compact_json(sheet, buffer, traces)
    return json.loads(buffer.getvalue().decode("utf-8"), parse_float=Decimal)


def compact_csv(sheet: ScoreSheet) -> list[list[str]]:
    buffer = io.BytesIO()
    write_compact_csv(sheet, buffer)
    return list(csv.reader(io.StringIO(buffer.getvalue().decode("utf-8"), newline="")))


def assert_same_numbers(sheet: ScoreSheet) -> None:
    """The compact JSON and CSV decoded = the detailed JSON and CSV, node by node, unit by unit."""
    rubric = sheet.rubric
    for traces in (True, False):
        detailed = json.loads(sheet_json_text(sheet, traces), parse_float=Decimal)
        compact = compact_json(sheet, traces)
        assert {k: compact[k] for k in ("rubric", "year", "rubric_sha256", "engine")} == provenance(rubric)
        codes = [node["code"] for node in compact["nodes"]]
        assert len(compact["units"]) == len(detailed["units"]) == len(sheet)
        for mine, theirs in zip(compact["units"], detailed["units"]):
            assert (mine["unit"], mine["rank"], mine["totals"], mine["explanations"]) == \
                   (theirs["unit"], theirs["rank"], theirs["totals"], theirs["explanations"])
            assert codes == [node["code"] for node in theirs["nodes"]]
            assert len(mine["status"]) == len(mine["points"]) == len(mine["max"]) == len(codes)
            assert len(mine["trace"]) == len(codes) if traces else "trace" not in mine
            for j, node in enumerate(theirs["nodes"]):
                assert (mine["points"][j], mine["max"][j]) == (node["points"], node["max"]), node["code"]
                assert compact["status_codes"][mine["status"][j]] == node["status"]
                assert compact["nodes"][j]["leaf"] == node["leaf"]
                if "trace" in node:
                    assert compact["traces"][mine["trace"][j]] == node["trace"]
                elif traces:
                    assert mine["trace"][j] is None
        assert traces or compact["traces"] == []
    long_rows = list(csv.reader(io.StringIO(sheet_csv_text(sheet), newline="")))[1:]
    wide = compact_csv(sheet)
    header = wide[0]
    assert header[:len(CSV_TOTALS)] == CSV_TOTALS and header[-len(CSV_PROVENANCE):] == CSV_PROVENANCE
    width = len(CSV_TOTALS)
    nodes = len(sheet.compiled.nodes)
    assert len(wide) == len(sheet) + 1
    for k, row in enumerate(wide[1:]):
        assert len(row) == len(header)
        long = long_rows[k * nodes:(k + 1) * nodes]
        assert row[0] == long[0][0]  # the unit, made formula-safe the same way
        assert row[width:width + nodes] == [r[3] for r in long]  # each node's points, as the long CSV
        assert row[-len(CSV_PROVENANCE):] == long[0][-len(CSV_PROVENANCE):]
        unit = detailed["units"][k]
        assert Decimal(row[1]) == unit["totals"]["points"] and Decimal(row[2]) == unit["totals"]["max"]
        assert Decimal(row[3]) == unit["totals"]["lost"]
        assert (Decimal(row[4]) if row[4] else None) == unit["totals"]["index"]
        assert (row[5] or None) == unit["totals"]["class"] and int(row[6]) == unit["rank"]
        assert int(row[7]) == unit["totals"]["missing_leaves"]


def _with_names_and_explanations(table: EvidenceTable, names: list[str], explained: list[tuple[int, str]]
                                 ) -> EvidenceTable:
    renamed = dict(zip(table.units, names))
    codes = list(table.columns)
    return dataclasses.replace(
        table, units=names,
        overrides={(renamed[u], code): o for (u, code), o in table.overrides.items()},
        explanations={(names[i % len(names)], codes[i % len(codes)]): text for i, text in explained})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compact_layout_has_the_detailed_numbers_on_random_rubrics(data: st.DataObject) -> None:
    case = data.draw(rubric_case())
    case.data["precision"] = data.draw(st.integers(0, 4))
    rows = data.draw(evidence_rows(case, data.draw(st.integers(1, 9))))
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    frame = pd.DataFrame(rows, index=[f"Xã {i}" for i in range(len(rows))], columns=list(case.leaves), dtype=object)
    table = validate_frame(rubric, frame, "ngẫu nhiên")
    names = data.draw(st.lists(st.sampled_from(RISKY_NAMES), min_size=len(rows), max_size=len(rows), unique=True)
                      if len(rows) <= len(RISKY_NAMES) else st.just(table.units))
    explained = data.draw(st.lists(st.tuples(st.integers(0, 50), st.text(max_size=12)), max_size=3))
    assert_same_numbers(score(rubric, _with_names_and_explanations(table, names, explained)))


@pytest.mark.parametrize("name", sorted(RUBRICS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compact_layout_has_the_detailed_numbers_with_overrides(name: str, data: st.DataObject) -> None:
    """Every shipped rubric and one with every rule kind's edges; appraisers' overrides included."""
    rubric: Rubric = RUBRICS[name]
    if data.draw(st.booleans()):
        rubric = rubric.model_copy(update={"precision": data.draw(st.integers(0, 4))})
    assert_same_numbers(score(rubric, data.draw(evidence_tables(rubric))))


def test_repeated_values_share_one_trace_and_a_synthetic_campaign_matches() -> None:
    rubric = load_rubric(DEMO)
    sheet = score(rubric, validate_frame(rubric, raw_frame(rubric, 300, seed=5), "synthetic"))
    assert_same_numbers(sheet)
    compact = compact_json(sheet)
    leaves = sum(node["leaf"] for node in compact["nodes"])
    assert len(compact["traces"]) < leaves * len(sheet) / 2  # written once each, not once per cell
    assert len(set(map(json.dumps, compact["traces"]))) == len(compact["traces"])


def test_formula_cells_are_quoted_in_the_wide_csv() -> None:
    rubric = load_rubric(DEMO)
    table = validate_frame(rubric, raw_frame(rubric, len(RISKY_NAMES), seed=3), "synthetic")
    sheet = score(rubric, dataclasses.replace(table, units=RISKY_NAMES))
    rows = compact_csv(sheet)
    for row in rows[1:]:
        assert row[0] in RISKY_NAMES or (row[0][0] == "'" and row[0][1:] in RISKY_NAMES)
        assert row[0][:1] not in ("=", "+", "-", "@")


def run(*args: object):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


@pytest.fixture(scope="module")
def many_units(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One unit more than the automatic layout writes in detail."""
    path = tmp_path_factory.mktemp("many") / "xa.csv"
    raw_frame(load_rubric(DEMO), COMPACT_FROM + 1, seed=7).to_csv(path, encoding="utf-8")
    return path


def test_small_runs_keep_the_detailed_layout_byte_for_byte(tmp_path: Path) -> None:
    rubric = load_rubric(DEMO)
    sheet = score(rubric, results.read_with_details(rubric, [COMMUNES])[0])
    for fmt, text in (("json", sheet_json_text(sheet)), ("csv", sheet_csv_text(sheet))):
        out = tmp_path / f"ket-qua.{fmt}"
        result = run("score", "-r", DEMO, "-e", COMMUNES, "-f", fmt, "-o", out)
        assert result.exit_code == 0 and "dạng gọn" not in result.output
        assert out.read_text(encoding="utf-8") == text
        assert run("score", "-r", DEMO, "-e", COMMUNES, "-f", fmt, "--layout", "chi-tiet").output.endswith(text)


def test_many_units_are_written_compactly_with_a_note(tmp_path: Path, many_units: Path) -> None:
    out = tmp_path / "ket-qua.json"
    result = run("score", "-r", DEMO, "-e", many_units, "-f", "json", "-o", out)
    assert result.exit_code == 0, result.output
    assert f"{COMPACT_FROM + 1:,} đơn vị".replace(",", ".") in result.output and "--layout chi-tiet" in result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["layout"] == "compact" and len(data["units"]) == COMPACT_FROM + 1
    assert out.read_text(encoding="utf-8").count("\n") < 2 * (COMPACT_FROM + 1) + len(data["traces"]) + 200
    detailed = tmp_path / "chi-tiet.csv"
    assert run("score", "-r", DEMO, "-e", many_units, "-f", "csv", "--layout", "chi-tiet", "-o", detailed).exit_code == 0
    assert detailed.read_text(encoding="utf-8").startswith("unit,code,name,")


def test_compact_layout_on_request_to_the_screen_and_refused_for_other_formats(tmp_path: Path) -> None:
    result = run("score", "-r", DEMO, "-e", AN_PHU, "-f", "json", "--layout", "gon")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["layout"] == "compact" and data["units"][0]["unit"] == "UBND xã An Phú"
    assert "rubric_sha256" in data and "engine" in data
    wide = run("score", "-r", DEMO, "-e", AN_PHU, "-f", "csv", "--layout", "gon").stdout.splitlines()
    assert len(wide) == 2 and wide[1].startswith("UBND xã An Phú,")
    refused = run("score", "-r", DEMO, "-e", AN_PHU, "--layout", "gon")
    assert refused.exit_code == 2 and "--layout chỉ dùng với --format json hoặc csv" in refused.output


def test_a_failed_compact_write_leaves_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "ket-qua.json"
    out.write_text("bản cũ", encoding="utf-8")

    def broken(sheet: ScoreSheet, handle: io.BufferedIOBase, traces: bool = True, progress: object = None) -> None:
        handle.write(b'{"layout": "compact", "units": [')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(results, "write_compact_json", broken)
    result = run("score", "-r", DEMO, "-e", AN_PHU, "-f", "json", "--layout", "gon", "-o", out)
    assert result.exit_code == 2, result.output
    assert out.read_text(encoding="utf-8") == "bản cũ"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.json"]


def test_the_detailed_json_gives_each_appraisers_override_its_own_trace() -> None:
    """The detailed writer remembered each trace's text by ``id()``: an override's trace, built
    afresh and freed, left its id to the next override, whose text was then the earlier one's."""
    from scoring.evidence import Override

    rubric = load_rubric(DEMO)
    table = validate_frame(rubric, raw_frame(rubric, 40, seed=1), "synthetic")
    for k, leaf in enumerate(rubric.leaves()[:30]):
        table = table.with_override(rubric, table.units[k], leaf.code, Override(Decimal(k) / 100, f"lý do {k}"))
    sheet = score(rubric, table)
    written = json.loads(sheet_json_text(sheet))["units"]
    for i, unit in enumerate(written):
        expected = [n.trace.model_dump() for n in sheet.result(i).nodes if n.trace is not None]
        assert [n["trace"] for n in unit["nodes"] if "trace" in n] == expected
    assert_same_numbers(sheet)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(st.integers(-(2**62), 2**62) | st.integers(-10**7, 10**7), min_size=1, max_size=20),
       precision=st.integers(0, 4))
def test_numbers_round_and_print_as_the_detailed_writer(values: list[int], precision: int) -> None:
    """Vectorised half-up rounding and printing = ``stream._Rounder``, value by value, huge values included."""
    import numpy as np

    from scoring.reports.pieces import Numbers
    from scoring.reports.stream import _Rounder

    numbers, rounder = Numbers(precision), _Rounder(precision)
    keys = numbers.points_keys(np.array(values, dtype=np.int64))
    assert numbers.texts(keys, False) == [repr(rounder.points(v)[0]) for v in values]
    assert numbers.texts(keys, True) == [rounder.points(v)[1] for v in values]
    maxima = [abs(v) // 3 + 1 for v in values]
    index = numbers.index_keys(np.array(values, dtype=np.int64), np.array(maxima, dtype=np.int64))
    assert numbers.texts(index, True) == [rounder.index(v, m)[1] for v, m in zip(values, maxima)]


def test_a_plan_refuses_the_compact_json_saying_what_to_give_instead(tmp_path: Path) -> None:
    compact = tmp_path / "gon.json"
    assert run("score", "-r", DEMO, "-e", COMMUNES, "-f", "json", "--layout", "gon", "-o", compact).exit_code == 0
    result = run("plan", "--rubric", DEMO, "--result", compact, "--unit", "UBND xã Bình Minh",
                 "--profile", ROOT / "examples" / "profiles" / "xa-binh-minh.yaml", "-o", tmp_path / "kh.docx")
    assert result.exit_code == 2 and "dạng gọn" in result.output and "--layout chi-tiet" in result.output
    assert not (tmp_path / "kh.docx").exists()
