"""What a plan is drafted from: the profile (validated with file and line), the RESULT (evidence
scored on the fly, or the JSON of ``parindex score``), the other units (CSV), batch mode, and the
small rules of wording (timings, roles)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from cli import main
from criteria import InputError, load_rubric
from scoring.plans.api import draft, plan_filename
from scoring.plans.scored import load_scored
from scoring.plans.peers import read_peers_csv
from scoring.plans.profile import ProfileError, load_profile, load_profiles, profile_for
from scoring.plans.tasks import timing_text

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
CSV = ROOT / "examples" / "communes.csv"
TEST_RUBRIC = DATA / "rubric-plan.yaml"
PROFILE = DATA / "profile-an-phu.yaml"


def invoke(args: list[str]):  # noqa: ANN201 - click Result
    return CliRunner().invoke(main, [str(a) for a in args])


# ---------------------------------------------------------------- profile
def test_the_example_profiles_load_and_map_every_role_of_the_demo_rubric() -> None:
    roles = {leaf.remediation.lead for leaf in load_rubric(DEMO).leaves() if leaf.remediation} | {
        r for leaf in load_rubric(DEMO).leaves() if leaf.remediation for r in leaf.remediation.cooperate}
    for profile in load_profiles(ROOT / "examples" / "profiles"):
        from scoring.plans.profile import Offices

        offices = Offices(profile)
        assert all(offices.resolve(role)[1] for role in roles), profile.unit


@pytest.mark.parametrize("text, line, message", [
    ("unit: X\nissuer: Y\nshort_name: x\nplace: P\noffices: [{name: A}]\ncoordinator: A\ndefault_office: A\n"
     "signer: Z\n", 8, "không được phép"),
    ("unit: X\nissuer: Y\nshort_name: x\nplace: P\noffices: [{name: A}]\ncoordinator: A\ndefault_office: A\n"
     "remediation:\n  date: 31/02/2026\n", 9, "ngày hợp lệ"),
    ("unit: X\nissuer: Y\nshort_name: x\nplace: P\noffices: [{name: A}]\ncoordinator: A\ndefault_office: A\n"
     "unit: W\n", 8, "bị lặp"),
    ("unit: X\nissuer: Y\nplace: P\noffices: [{name: A}]\ncoordinator: A\ndefault_office: A\n", 1, "short_name"),
    ("unit: X\nissuer: Y\nshort_name: x\nplace: P\noffices:\n  - {name: A, roles: [Văn phòng]}\n"
     "  - {name: B, roles: [văn phòng]}\ncoordinator: A\ndefault_office: A\n", 6, "thuộc hai cơ quan"),
])
def test_a_bad_profile_is_reported_with_file_and_line(tmp_path: Path, text: str, line: int, message: str) -> None:
    path = tmp_path / "profile-x.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    problem = caught.value.problems[0]
    assert problem.file == str(path) and problem.place == f"dòng {line}" and message in str(problem)


def test_the_cli_prints_one_line_per_profile_problem_and_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "profile-x.yaml"
    path.write_text("unit: X\nissuer: Y\nsigner: Z\n", encoding="utf-8")
    result = invoke(["plan", "-r", TEST_RUBRIC, "--result", DATA / "units.csv", "-p", path, "-u", "UBND xã An Phú",
                     "-o", tmp_path / "k.docx"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert len(lines) >= 3 and all(str(path) in line for line in lines)
    assert not (tmp_path / "k.docx").exists()


def test_a_profile_for_another_unit_is_refused_and_a_template_is_filled_in(tmp_path: Path) -> None:
    profiles = [load_profile(PROFILE)]
    with pytest.raises(ProfileError, match="không có hồ sơ cho đơn vị “UBND xã Cẩm Hà”"):
        profile_for(profiles, "UBND xã Cẩm Hà", "p")
    template = load_profile(PROFILE).model_copy(update={"unit": "*", "issuer": "Ủy ban nhân dân {name}",
                                                        "short_name": "{name}"})
    filled = profile_for([template], "UBND xã Cẩm Hà", "p")
    assert (filled.unit, filled.issuer, filled.short_name) == ("UBND xã Cẩm Hà", "Ủy ban nhân dân xã Cẩm Hà", "xã Cẩm Hà")


# ---------------------------------------------------------------- result
def test_a_plan_from_the_score_json_matches_the_plan_from_evidence(tmp_path: Path) -> None:
    json_path = tmp_path / "ket-qua.json"
    assert invoke(["score", "-r", DEMO, "-e", CSV, "--format", "json", "-o", json_path]).exit_code == 0
    rubric = load_rubric(DEMO)
    profile = load_profile(ROOT / "examples" / "profiles" / "xa-tan-lap.yaml")
    from_json = draft(rubric, load_scored(rubric, json_path), "UBND xã Tân Lập", profile)
    from_evidence = draft(rubric, load_scored(rubric, CSV), "UBND xã Tân Lập", profile)
    assert from_json.tasks == from_evidence.tasks and from_json.lost == from_evidence.lost
    assert from_json.goal.rank_before == from_evidence.goal.rank_before == 4
    assert from_json.goal.chosen == from_evidence.goal.chosen


def test_a_file_of_several_units_needs_unit_or_all(tmp_path: Path) -> None:
    result = invoke(["plan", "-r", TEST_RUBRIC, "--result", DATA / "units.csv", "-p", PROFILE, "-o", tmp_path / "k.docx"])
    assert result.exit_code == 2 and "--unit" in result.output and "--all" in result.output


def test_a_json_of_another_rubric_is_refused(tmp_path: Path) -> None:
    json_path = tmp_path / "k.json"
    invoke(["score", "-r", DEMO, "-e", CSV, "--format", "json", "-o", json_path])
    with pytest.raises(InputError, match="demo-xa-2025"):
        load_scored(load_rubric(TEST_RUBRIC), json_path)


# ---------------------------------------------------------------- peers
def test_peers_csv_by_index_or_by_points(tmp_path: Path) -> None:
    by_index = tmp_path / "a.csv"
    by_index.write_text("Đơn vị,Chỉ số\nUBND xã Mới,\"81,25\"\nUBND xã Khác,90%\n", encoding="utf-8")
    by_points = tmp_path / "b.csv"
    by_points.write_text("unit,points,max\nUBND xã Mới,13,16\nUBND xã Ba,12,\n", encoding="utf-8")
    assert [(s.unit, s.exact) for s in read_peers_csv(by_index, Decimal(16))] == [
        ("UBND xã Mới", Decimal("81.25")), ("UBND xã Khác", 90)]
    assert [(s.unit, s.exact) for s in read_peers_csv(by_points, Decimal(16))] == [
        ("UBND xã Mới", Decimal("81.25")), ("UBND xã Ba", 75)]
    bad = tmp_path / "c.csv"
    bad.write_text("unit,index\nA,120\nA,50\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_peers_csv(bad, Decimal(16))
    assert [p.place for p in caught.value.problems] == ["dòng 2", "dòng 3"]


def test_peers_move_the_rank_and_the_target(tmp_path: Path) -> None:
    peers = tmp_path / "xa.csv"
    peers.write_text("unit,index\nUBND xã Số 1,72\nUBND xã Số 2,70\n", encoding="utf-8")
    out = tmp_path / "k.md"
    result = invoke(["plan", "-r", TEST_RUBRIC, "--result", DATA / "units.csv", "-p", PROFILE, "-u",
                     "UBND xã An Phú", "--peers", peers, "-t", "tăng ít nhất 2 bậc", "-o", out])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "xếp thứ 5/6 xã, thị trấn" in text  # two more units above
    assert "để xếp thứ 3 trở lên" in text and "UBND xã Số 1 đang xếp thứ 3" in text
    body, notes = text.split("<!--")
    assert "72% × 16 / 100 = 11,52 điểm" in notes and "xếp thứ 2/6" in notes  # the arithmetic: for the drafter
    assert "×" not in body and "tăng ít nhất 2 bậc so với năm 2025" in body  # the signer reads the target


def test_an_unreachable_target_is_said_clearly(tmp_path: Path) -> None:
    out = tmp_path / "k.md"
    result = invoke(["plan", "-r", TEST_RUBRIC, "--result", DATA / "units.csv", "-p", PROFILE, "-u",
                     "UBND xã An Phú", "-t", "99%", "-o", out])
    assert result.exit_code == 0 and "không đạt được" in result.output
    text = out.read_text(encoding="utf-8")
    assert "không đạt được trong một năm" in text and "kể cả khắc phục toàn bộ" in text
    assert "nhiệm vụ ưu tiên" not in text.split("## II.")[1].split("## III.")[0]


# ---------------------------------------------------------------- batch
def test_batch_mode_writes_one_plan_per_unit(tmp_path: Path) -> None:
    result = invoke(["plan", "-r", DEMO, "--result", CSV, "-p", ROOT / "examples" / "profiles", "--all", "-o", tmp_path,
                     "-k", "annual"])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == sorted(plan_filename(u, "annual", "docx") for u in load_scored(load_rubric(DEMO), CSV).units)
    assert "ke-hoach-cchc-xa-an-phu.docx" in files
    for name in files:
        assert Document(str(tmp_path / name)).paragraphs  # each one opens
    assert "Đã ghi 5 kế hoạch" in result.output


def test_batch_mode_reports_every_unit_without_a_profile_before_writing(tmp_path: Path) -> None:
    result = invoke(["plan", "-r", TEST_RUBRIC, "--result", DATA / "units.csv", "-p", PROFILE, "--all",
                     "-o", tmp_path / "out"])
    assert result.exit_code == 2
    assert sum("không có hồ sơ cho đơn vị" in line for line in result.output.splitlines()) == 3
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- wording
@pytest.mark.parametrize("given, expected", [
    ("Trong năm", "Trong năm 2026"), ("Quý I", "Quý I/2026"), ("Quý II, III", "Quý II, III/2026"),
    ("Tháng 12", "Tháng 12/2026"), ("Trước 15/12", "Trước 15/12/2026"), ("Thường xuyên", "Thường xuyên"),
    ("Quý I/2027", "Quý I/2027"), ("Trước 31/12/{year}", "Trước 31/12/2026"),
])
def test_timings_are_given_the_plan_year(given: str, expected: str) -> None:
    assert timing_text(given, 2026) == expected


def test_unknown_roles_are_kept_capitalised_and_warned_about(tmp_path: Path) -> None:
    result = invoke(["plan", "-r", TEST_RUBRIC, "--result", DATA / "units.csv", "-p", PROFILE, "-u",
                     "UBND xã An Phú", "-o", tmp_path / "k.docx"])
    assert result.exit_code == 0
    assert "cảnh báo: UBND xã An Phú: vai trò “công chức Địa chính” chưa có trong hồ sơ" in result.output
    doc = Document(str(tmp_path / "k.docx"))
    cells = {c.text for t in doc.tables for row in t.rows for c in row.cells}
    assert any("Công chức Địa chính" in c for c in cells)


def test_a_deadline_leaf_without_a_hint_gets_the_next_due_date(tmp_path: Path) -> None:
    rubric = load_rubric(ROOT / "rubrics" / "ca-mau-1880-2013.yaml")  # real text, no hints at all
    evidence = tmp_path / "e.yaml"
    evidence.write_text('unit: Sở A\nevidence: {"1.1.1": Ban hành không kịp thời, "1.1.2": Có, "1.1.3": Đạt yêu cầu,'
                        ' "1.1.4": 80%, "1.2.1": Không, "1.2.2": Đạt yêu cầu}\n', encoding="utf-8")
    profile = load_profile(PROFILE).model_copy(update={"unit": "Sở A"})
    outcome = draft(rubric, load_scored(rubric, evidence), "Sở A", profile)
    from scoring.plans.markdown import render_markdown

    text = render_markdown(outcome.document)
    assert outcome.tasks == 3 and len([n for n in outcome.review if n.startswith("Nhiệm vụ do dự thảo đề xuất")]) == 3
    assert "đạt mức “Ban hành kịp thời”" in text and "ban hành không kịp thời, chưa đạt mức “ban hành kịp thời”" in text
    assert "Trong năm 2014" in text


def test_a_hint_deadline_already_past_at_signing_moves_on_a_year_and_says_so() -> None:
    rubric = load_rubric(DEMO)
    hint = rubric.by_code["1.1.1"].remediation
    assert hint is not None and hint.timing == "Trước 31/12/2025"
    profile = load_profile(ROOT / "examples" / "profiles" / "xa-binh-minh.yaml")  # signs in 2026, date left blank
    scored = load_scored(rubric, CSV)
    remediation = draft(rubric, scored, "UBND xã Bình Minh", profile)
    from scoring.plans.markdown import render_markdown

    text = render_markdown(remediation.document)
    row = next(line for line in text.splitlines() if line.startswith("| ") and "Kế hoạch CCHC năm" in line)
    assert "Kế hoạch CCHC năm 2027" in row and "| Trước 31/12/2026 |" in row  # task and deadline moved together
    body = text.split("<!--")[0]
    assert "đã qua" not in body and "2026 đúng thời hạn" not in body  # silently in the text …
    assert any("“Trước 31/12/2025” đã qua" in note and "chu kỳ năm 2026" in note for note in remediation.review)
    annual = draft(rubric, scored, "UBND xã Bình Minh", profile, kind="annual")
    annual_text = render_markdown(annual.document)
    # an annual plan for 2026 does its tasks in 2026: the 2026 plan it would issue is itself; next is 2027's
    assert "Kế hoạch CCHC năm 2027" in annual_text and "Trước 31/12/2026" in annual_text
    assert "Trước 31/12/2025" not in annual_text.split("<!--")[0]


def test_the_profile_shown_in_the_docs_is_valid(tmp_path: Path) -> None:
    import re

    text = (ROOT / "docs" / "plans.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(unit: .*?)```", text, re.S)
    assert block is not None
    path = tmp_path / "profile-doc.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    profile = load_profile(path)
    assert profile.remediation.number == 12 and profile.index_targets["dv-766-2025"]["D1"] == "80%"
