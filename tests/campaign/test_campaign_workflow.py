"""The whole workflow on the example communes and the demonstration rubric, through the API:
submit, appraise with reasons, explain, close, import survey points, rank, publish — and every
number of the published table traced back through the diff and the log."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from criteria import load_rubric
from scoring import campaign as c
from scoring import read_evidence, score
from scoring.campaign.verification import entries
from scoring.inputs.readers import combine

from .conftest import BACKENDS, ROOT, new_location

DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CAMPAIGN_FILES = ROOT / "examples" / "campaign"
APPRAISER = "Trần Thị Thu (Sở Nội vụ)"
OPTIONS = c.PublishOptions(issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", place="Hà Tĩnh", signer="Nguyễn Văn An",
                           subject="các xã, phường")


@pytest.fixture(scope="module", params=BACKENDS)
def run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest, django_db_blocker):  # noqa: ANN001, ANN201
    """A finished campaign of the five example communes (published into tmp_path/cong-bo)."""
    with django_db_blocker.unblock():
        yield from _run(tmp_path_factory, request)


def _run(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest):  # noqa: ANN202
    tmp_path = tmp_path_factory.mktemp("xa")
    clock = c.FixedClock("02/01/2026 08:00")
    store = c.init(new_location(request.param, tmp_path, request, "xa.db"), DEMO, "Chỉ số CCHC cấp xã năm 2025",
                   by="Sở Nội vụ", clock=clock, demo=True,
                   deadlines={"tu-danh-gia": "31/01/2026", "tham-dinh-1": "28/02/2026", "giai-trinh": "10/03/2026",
                              "tham-dinh-2": "20/03/2026"})
    c.add_unit(store, c.unit_names_from_files(store, [ROOT / "examples" / "communes.csv"]), by="Sở Nội vụ")
    c.add_account(store, APPRAISER, "tham-dinh", by="Sở Nội vụ")
    c.add_account(store, "Hội đồng thẩm định", "tham-dinh", by="Sở Nội vụ")
    c.add_account(store, "Sở", "quan-tri", by="Sở Nội vụ")
    c.add_unit_accounts(store, by="Sở Nội vụ")
    first = c.submit(store, EXAMPLES)
    again = c.submit(store, EXAMPLES)
    clock.set("05/02/2026 08:00")
    c.appraise(store, "UBND xã An Phú", "1.1.4", evidence="44/50", reason="Thiếu biên bản nghiệm thu", by=APPRAISER)
    c.appraise_many(store, c.read_decisions(CAMPAIGN_FILES / "tham-dinh-vong-1.csv"), by="Hội đồng thẩm định")
    c.close_phase(store, "tham-dinh-1", by="Sở Nội vụ")
    c.explain(store, "UBND xã An Phú", "1.1.4", "Bổ sung biên bản nghiệm thu: 48/50 nhiệm vụ", by="UBND xã An Phú")
    c.explain(store, "UBND phường Sông Cầu", "1.2.1", "Đã gửi qua thư điện tử ngày 14/9/2025", by="UBND phường Sông Cầu")
    clock.set("11/03/2026 08:00")
    c.appraise(store, "UBND xã An Phú", "1.1.4", accept=True, reason="Biên bản xác nhận 48/50", by=APPRAISER)
    c.appraise(store, "UBND phường Sông Cầu", "1.2.1", reason="Hệ thống ghi nhận ngày 20/9/2025", by=APPRAISER)
    survey = c.import_survey(store, CAMPAIGN_FILES / "khao-sat-2025.csv", by="Sở Nội vụ")
    survey_again = c.import_survey(store, CAMPAIGN_FILES / "khao-sat-2025.csv", by="Sở Nội vụ")
    c.close_phase(store, "tham-dinh-2", by="Sở Nội vụ")
    previous = c.load_previous(CAMPAIGN_FILES / "ket-qua-2024.csv")
    publication = c.publish(store, tmp_path / "cong-bo", OPTIONS, by="Sở Nội vụ", previous=previous)
    yield store, publication, {"first": first, "again": again, "survey": survey, "survey_again": survey_again}
    store.close()


def test_submissions_are_idempotent_and_survey_points_are_left_to_the_import(run) -> None:
    store, _, steps = run
    assert [o.status for o in steps["first"]] == ["mới"] * 5
    assert [o.status for o in steps["again"]] == ["không đổi"] * 5
    assert [o.seq for o in steps["again"]] == [o.seq for o in steps["first"]]
    assert {o.unit: o.dropped_survey for o in steps["first"]}["UBND xã An Phú"] == ("8.1", "8.2", "8.3")
    assert steps["survey"].changed == 12 and steps["survey_again"].seq is None


def test_without_changes_the_campaign_scores_as_the_engine_does(run) -> None:
    """Appraisal aside, the campaign's result is the engine's result on the same evidence."""
    store, _, _ = run
    rubric = load_rubric(DEMO)
    engine = score(rubric, combine([read_evidence(rubric, p) for p in EXAMPLES]))
    final = c.appraised_sheet(store)
    changed = {"UBND xã Bình Minh", "UBND phường Sông Cầu", "UBND xã Tân Lập", "UBND xã Đồng Tiến"}
    assert final.result("UBND xã An Phú").totals == engine.result("UBND xã An Phú").totals
    for unit in changed:
        assert final.result(unit).totals != engine.result(unit).totals


def test_appraisal_changes_carry_who_why_and_their_log_numbers(run) -> None:
    store, _, _ = run
    song_cau = c.diff(store, "UBND phường Sông Cầu")
    row = next(r for r in song_cau.rows if r.code == "1.2.1")
    assert (row.self_points, row.appraised, row.change, row.status) == (Decimal(1), Decimal(0), Decimal(-1), "điều chỉnh")
    assert [s.what.split(" — ")[0] for s in row.steps] == ["Vòng 1", "Giải trình của đơn vị: Đã gửi qua thư điện tử ngày 14/9/2025", "Vòng 2"]
    assert row.steps[0].reason == "Báo cáo CCHC quý III gửi ngày 20/9/2025, quá hạn quy định"
    assert row.steps[0].by == "Hội đồng thẩm định"
    assert row.steps[2].what == "Vòng 2 — giữ kết quả vòng 1"
    log = {e.seq: e for e in entries(store)}
    for step in row.steps:
        assert log[step.seq].unit == "UBND phường Sông Cầu"
    an_phu = next(r for r in c.diff(store, "UBND xã An Phú").rows if r.code == "1.1.4")
    assert (an_phu.self_points, an_phu.appraised, an_phu.status) == (Decimal(2), Decimal(2), "chấp nhận giải trình")
    assert [s.what for s in an_phu.steps] == [
        "Vòng 1 — điều chỉnh số liệu", "Giải trình của đơn vị: Bổ sung biên bản nghiệm thu: 48/50 nhiệm vụ",
        "Vòng 2 — chấp nhận giải trình, giữ điểm tự đánh giá"]
    binh_minh = next(r for r in c.diff(store, "UBND xã Bình Minh").rows if r.code == "3.4.2")
    assert binh_minh.appraised == Decimal("0.25")
    assert "người điều chỉnh: Hội đồng thẩm định" in binh_minh.appraised_text


def test_ranking_classification_and_comparison_with_last_year(run) -> None:
    store, publication, _ = run
    rows = publication.rows
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5]
    assert [(r.unit, r.classification) for r in rows][:2] == [("UBND xã An Phú", "Xuất sắc"), ("UBND phường Sông Cầu", "Tốt")]
    assert rows[0].change.words() == "tăng 3 bậc" and rows[1].change.words() == "tăng 3 bậc"
    assert rows[3].change.words() == "giảm 3 bậc"
    dong_tien = next(r for r in rows if r.unit == "UBND xã Đồng Tiến")
    assert dong_tien.survey is None and dong_tien.max == Decimal(64)  # no survey: rescaled
    indices = c.indices(store)
    assert all(indices[r.unit] == r.index for r in rows)
    sheet = c.appraised_sheet(store)
    for r in rows:  # field sub-indices are the engine's node indices
        result = sheet.result(r.unit, traces=False)
        assert r.fields == {node.code: result.node(node.code).index for node in store.rubric.nodes}
    for r in rows:
        assert r.total == r.appraised + (r.survey or 0)
        assert r.index == (r.total / r.max * 100).quantize(Decimal("0.0001"))


def test_every_published_number_traces_back_through_the_diff_and_the_log(run) -> None:
    store, publication, _ = run
    book = load_workbook(publication.files["xlsx"])
    sheet = book["Xếp hạng"]
    assert sheet["A1"].value.startswith("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM")  # the title row
    header = [cell.value for cell in sheet[2]]
    published = {}
    for values in sheet.iter_rows(min_row=3, values_only=True):
        if values[0] is None:
            break
        published[values[1]] = dict(zip(header, values))
    assert len(published) == 5
    log = {e.seq: e for e in entries(store)}
    for unit, row in published.items():
        d = c.diff(store, unit)
        leaves = [r for r in d.rows if r.is_leaf]
        fields = [r for r in d.rows if r.depth == 0 and r.section is None]
        assert Decimal(str(row["Tổng điểm"])) == round(d.totals.points, 2)
        assert d.totals.tree_points == sum((r.appraised for r in fields), Decimal(0))
        assert d.totals.points == d.totals.tree_points + d.totals.bonus - d.totals.penalty
        assert Decimal(str(row["Điểm thẩm định"])) == round(d.totals.points - (d.survey_points or 0), 2)
        assert Decimal(str(row["Chỉ số CCHC (%)"])) == round(d.totals.index, 2)
        survey = row["Điểm điều tra XHH"]
        if survey is not None:
            assert Decimal(str(survey)) == round(d.survey_points, 2)
        for r in leaves:
            if r.self_points is not None and r.appraised != r.self_points:
                assert r.steps, f"{unit} {r.code}: a change with no decision"
                assert all(s.seq in log for s in r.steps)
                assert any(log[s.seq].action.startswith("appraise") and log[s.seq].detail["row"]["reason"] for s in r.steps)
    assert c.verify(store).ok
    assert c.verify(store, f"{publication.head[0]}:{publication.head[1]}").ok


def test_the_published_decision_is_an_nd30_document_with_the_ranked_appendix(run) -> None:
    _, publication, _ = run
    doc = Document(str(publication.files["docx"]))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "QUYẾT ĐỊNH" in text and "Về việc công bố Chỉ số cải cách hành chính năm 2025 của các xã, phường" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH" in text and "QUYẾT ĐỊNH:" in text
    assert "Điều 1." in text and "Điều 3." in text and "Phụ lục I" in text
    assert publication.head[1] not in text and "Mã kiểm tra" not in text  # the hash stays in the record
    assert "(chi tiết tại Phụ lục I, II kèm theo)" in text and "của 05 xã, phường theo" in text
    assert "năm 2026 của Chủ tịch" in text  # the appendices' date line carries the decision's year
    signature = "\n".join(c.text for c in doc.tables[1].rows[0].cells[0].paragraphs)
    assert "- Như Điều 3;" in signature and "- Sở Nội vụ;" not in signature  # Điều 3 names it already
    appendix = doc.tables[2]  # letterhead, signature, then the ranked table
    header = [cell.text for cell in appendix.rows[0].cells]
    assert header[:3] == ["Hạng", "Đơn vị", "Điểm thẩm định"]
    first = [cell.text for cell in appendix.rows[1].cells]
    top = publication.rows[0]
    assert first[:2] == ["1", "UBND xã An Phú"] and first[6] == "96,61" and first[-1] == "Năm trước xếp thứ 4; tăng 3 bậc"
    assert appendix.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # header row repeats on every page
    assert str(top.index).startswith("96.61")
    sections = doc.sections
    assert sections[0].page_width < sections[0].page_height and sections[1].page_width > sections[1].page_height
    for name in ("bars", "heat_map"):
        assert publication.files[name].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_after_publication_the_campaign_is_locked_and_republishing_is_idempotent(run, tmp_path: Path) -> None:
    store, publication, _ = run
    with pytest.raises(c.PhaseLocked, match="Chiến dịch đã công bố kết quả"):
        c.import_survey(store, CAMPAIGN_FILES / "khao-sat-2025.csv", by="Sở")
    count = len(entries(store))
    again = c.publish(store, tmp_path / "lan-2", OPTIONS, by="Sở Nội vụ")
    assert again.seq == publication.seq and len(entries(store)) == count


def test_a_previous_campaign_file_compares_like_its_published_table(run) -> None:
    store, publication, _ = run
    from_file = c.load_previous(store.path)
    from_table = c.load_previous(publication.files["xlsx"])
    assert [(r.rank, r.unit, round(r.index, 2)) for r in from_file] == [(r.rank, r.unit, r.index) for r in from_table]
    rows = c.rank(store, from_file)
    assert {r.change.words() for r in rows} == {"giữ nguyên"}


def test_a_campaign_result_feeds_the_remediation_plan(run, tmp_path: Path) -> None:
    """The plan generator's contract: the appraised sheet as RESULT, every unit a peer."""
    from scoring.plans.api import draft, write_plan
    from scoring.plans.scored import scored_from_sheet
    from scoring.plans.profile import load_profile

    store, publication, _ = run
    scored = scored_from_sheet(c.appraised_sheet(store), str(store.path))
    assert [s.unit for s in sorted(scored.standings, key=lambda s: -s.index)] == [r.unit for r in publication.rows]
    outcome = draft(store.rubric, scored, "UBND xã Tân Lập", load_profile(ROOT / "examples" / "profiles" / "xa-tan-lap.yaml"),
                    kind="remediation", target="tăng ít nhất 1 bậc", peers=scored.standings)
    assert outcome.goal.reachable and outcome.tasks > 0
    assert write_plan(outcome, tmp_path / "ke-hoach.docx").stat().st_size > 0


def test_a_previous_table_without_ranks_is_ranked_by_the_exact_index(tmp_path: Path) -> None:
    """Indices a float cannot tell apart still rank apart; equal ones share a rank (1, 2, 2, 4)."""
    path = tmp_path / "ket-qua-cu.csv"
    path.write_text("Đơn vị,Chỉ số CCHC (%)\nUBND xã A,\"80,000000000000000001\"\nUBND xã B,80\n"
                    "UBND xã C,\"90,5\"\nUBND xã D,80\n", encoding="utf-8")
    rows = c.load_previous(path)
    assert [(r.unit, r.rank, r.index) for r in rows] == [
        ("UBND xã A", 2, Decimal("80.000000000000000001")), ("UBND xã B", 3, Decimal(80)),
        ("UBND xã C", 1, Decimal("90.5")), ("UBND xã D", 3, Decimal(80))]
