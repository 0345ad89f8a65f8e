"""The store: locations, exact text storage (never REAL), immutability and idempotency."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.hashers import check_password, get_hasher, identify_hasher

from scoring import campaign as c
from scoring.campaign.accounts import hashed_passwords
from scoring.campaign.clock import parse_moment, show_moment
from web.dburl import DatabaseUrlError, database_settings, sqlite_file
from web.store import models as m

from .conftest import FILES, ROUND1_TIME, SMALL, SURVEY, UNITS


def count(store, model) -> int:  # noqa: ANN001
    return store.objects(model).count()


def test_locations_are_paths_sqlite_urls_or_postgresql(tmp_path) -> None:
    assert sqlite_file("sqlite:///chien-dich.db").as_posix() == "chien-dich.db"
    assert sqlite_file("sqlite:////tmp/x.db").as_posix() == "/tmp/x.db"
    pg = database_settings("postgresql://nv:bi%20mat@may-chu:5433/cchc#xa-2025")
    assert (pg["ENGINE"], pg["NAME"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"]) == (
        "django.db.backends.postgresql", "cchc", "nv", "bi mat", "may-chu", "5433")
    with pytest.raises(DatabaseUrlError, match="không hỗ trợ cơ sở dữ liệu “mysql”"):
        sqlite_file("mysql://host/db")
    with pytest.raises(c.CampaignError, match="không tìm thấy tệp chiến dịch"):
        c.open_campaign(tmp_path / "khong-co.db")
    (tmp_path / "rac.db").write_text("không phải sqlite")
    with pytest.raises(c.CampaignError, match="không phải tệp chiến dịch"):
        c.open_campaign(tmp_path / "rac.db")


def test_a_campaign_is_never_overwritten(small, clock) -> None:
    again = small.location if not str(small.location).startswith("postgresql") else \
        f"{str(small.location).split('#')[0]}#{small.campaign.slug}"
    with pytest.raises(c.CampaignError, match="tệp đã tồn tại|đã có chiến dịch"):
        c.init(again, SMALL, "Lại", by="Sở", clock=clock, demo=True)
    assert c.verify(small).ok


def test_no_field_is_a_float_and_points_are_stored_as_text(small, clock) -> None:
    from django.db import models

    clock.set(ROUND1_TIME)
    c.appraise(small, "UBND xã An Phú", "1.2", points="1,5", reason="trễ", by="B")
    for model in m.RECORDED_MODELS.values():
        assert not any(isinstance(f, (models.FloatField, models.DecimalField)) for f in model._meta.get_fields()), model
    assert list(small.objects(m.Appraisal).values_list("points", flat=True)) == ["1.5"]


def test_a_new_submission_supersedes_and_withdrawal_leaves_none(small) -> None:
    (outcome,) = c.submit(small, [UNITS / "an-phu.yaml"])
    assert outcome.status == "không đổi"
    before = count(small, m.Submission)
    c.withdraw(small, "UBND xã An Phú", reason="Sửa 1.3", by="UBND xã An Phú")
    with pytest.raises(c.CampaignError, match="không có bản tự đánh giá đang nộp để rút"):
        c.withdraw(small, "UBND xã An Phú", reason="lại", by="UBND xã An Phú")
    assert c.self_sheet(small).result("UBND xã An Phú").totals.points == 0
    (again,) = c.submit(small, [UNITS / "an-phu.yaml"])
    assert again.status == "mới"  # the withdrawn one is not current any more
    assert count(small, m.Submission) == before + 1
    assert c.self_sheet(small).result("UBND xã An Phú").totals.points == Decimal("19.5")


def test_unknown_units_are_refused_and_nothing_is_written(small, tmp_path) -> None:
    other = tmp_path / "la.yaml"
    other.write_text("unit: UBND xã Lạ\nevidence: {\"1.1\": Có}\n", encoding="utf-8")
    entries = count(small, m.AuditEntry)
    with pytest.raises(c.CampaignError, match="không có đơn vị “UBND xã Lạ” trong chiến dịch"):
        c.submit(small, [UNITS / "binh-hoa.yaml", other])
    assert count(small, m.AuditEntry) == entries


def test_appraisal_is_checked_and_a_batch_is_all_or_nothing(small, clock) -> None:
    clock.set(ROUND1_TIME)
    bad = [
        c.Decision("UBND xã An Phú", "1.2", "trễ", points="1,5"),
        c.Decision("UBND xã An Phú", "1.2", "", points="1"),
        c.Decision("UBND xã An Phú", "2.1", "x", points="6"),
        c.Decision("UBND xã An Phú", "3.1", "x", points="1"),
        c.Decision("UBND xã An Phú", "1", "x", points="1"),
        c.Decision("UBND xã An Phú", "1.1", "x", evidence="có lẽ"),
        c.Decision("UBND xã An Phú", "1.1", "x", accept=True),
        c.Decision("UBND xã Ma", "1.1", "x"),
    ]
    with pytest.raises(c.CampaignError) as caught:
        c.appraise_many(small, bad, by="B")
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "quyết định thẩm định bắt buộc có lý do",
        "điểm 6 ngoài khoảng [0; 5]",
        "điểm điều tra xã hội học được nhập bằng campaign import-survey, không thẩm định",
        "không phải tiêu chí thành phần của bộ chỉ số",
        "số liệu thẩm định: cần “Đạt” hoặc “Không đạt” (Có/Không), nhận được “có lẽ”",
        "chấp nhận giải trình chỉ dùng ở vòng 2",
        messages[-1],
    ]
    assert messages[-1].startswith("không có đơn vị “UBND xã Ma” trong chiến dịch")
    assert count(small, m.Appraisal) == 0


def test_explanations_answer_round1_changes_only(small, clock) -> None:
    clock.set(ROUND1_TIME)
    c.appraise(small, "UBND xã Bình Hòa", "2.1", evidence="140/200", reason="Sổ theo dõi", by="B")
    c.appraise(small, "UBND xã Bình Hòa", "1.1", reason="Đủ tài liệu", by="B")
    c.close_phase(small, "round1", by="Sở")
    with pytest.raises(c.CampaignError, match="không bị điều chỉnh ở vòng 1 .*các tiêu chí bị điều chỉnh: 2.1"):
        c.explain(small, "UBND xã Bình Hòa", "1.1", "…", by="xã")
    seq = c.explain(small, "UBND xã Bình Hòa", "2.1", "150 hồ sơ đúng hạn", by="xã")
    assert seq > 0


def test_survey_import_rescales_units_without_survey_and_is_idempotent(small, clock) -> None:
    first = c.import_survey(small, SURVEY, by="Sở")
    second = c.import_survey(small, SURVEY, by="Sở")
    assert (first.changed, second.seq, second.changed) == (6, None, 0)
    sheet = c.appraised_sheet(small)
    dong_hai = sheet.result("UBND phường Đông Hải").totals
    an_phu = sheet.result("UBND xã An Phú").totals
    assert (dong_hai.max, an_phu.max) == (Decimal(20), Decimal(30))
    assert an_phu.points == Decimal("19.5") + Decimal("5.4") + Decimal("3.4")  # 85 % of 4 = 3,4


def test_a_survey_file_with_other_columns_is_refused(small, tmp_path) -> None:
    bad = tmp_path / "xhh.csv"
    bad.write_text("Đơn vị,3.1,1.1\nUBND xã An Phú,5,Có\n", encoding="utf-8")
    with pytest.raises(c.CampaignError, match="cột “1.1” không phải tiêu chí điều tra"):
        c.import_survey(small, bad, by="Sở")


def test_moments_are_read_and_shown_in_vietnam_time() -> None:
    assert show_moment(parse_moment("31/01/2026", end_of_day=True)) == "23:59 ngày 31/01/2026"
    assert show_moment(parse_moment("2026-01-31T10:00:00+00:00")) == "17:00 ngày 31/01/2026"
    with pytest.raises(ValueError, match="không phải thời điểm hợp lệ"):
        parse_moment("31/13/2026")


def test_files_are_read_in_order_given(small) -> None:
    assert [u for _, u, _ in small.units()] == c.unit_names_from_files(small, FILES)


def _workbook(path, rows, percent_column: int | None = None):  # noqa: ANN001, ANN202
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Khảo sát"
    for row in rows:
        sheet.append(row)
    if percent_column is not None:
        for cells in sheet.iter_rows(min_row=2, min_col=percent_column, max_col=percent_column):
            cells[0].number_format = "0%"
    book.save(path)
    return path


def test_survey_points_and_decisions_come_from_xlsx_too(small, clock, tmp_path) -> None:
    survey = _workbook(tmp_path / "khao-sat.xlsx", [["Đơn vị", 3.1, 3.2], ["UBND xã An Phú", 5.4, 0.85]], percent_column=3)
    c.import_survey(small, survey, by="Sở")
    assert c.appraised_sheet(small).result("UBND xã An Phú").node("3").points == Decimal("8.8")  # 85 % of 4 = 3,4
    clock.set(ROUND1_TIME)
    decisions = _workbook(tmp_path / "quyet-dinh.xlsx", [
        ["Đơn vị", "Mã", "Điểm", "Số liệu", "Lý do"],
        ["UBND xã An Phú", "1.2", 1.5, None, "Báo cáo trễ"],
        ["UBND xã An Phú", "1.3", None, 0.8, "Đối chiếu báo cáo năm"]], percent_column=4)
    read = c.read_decisions(decisions)
    assert [(d.code, d.points, d.evidence, d.place) for d in read] == [
        ("1.2", "1,5", None, "sheet Khảo sát, dòng 2"), ("1.3", None, "80%", "sheet Khảo sát, dòng 3")]
    c.appraise_many(small, read, by="Hội đồng")
    result = c.appraised_sheet(small).result("UBND xã An Phú")
    assert (result.node("1.2").points, result.node("1.3").points) == (Decimal("1.5"), Decimal("1.5"))


def test_the_log_prints_appraised_points_as_a_document_does() -> None:
    from scoring.campaign.appraisal import POINTS
    from scoring.campaign.status import _appraisal

    for stored, shown in (("0.50", "0,5"), ("2E+1", "20"), ("1.25", "1,25")):
        text = _appraisal({"points": stored, "round": 1, "code": "1.1", "action": POINTS, "reason": "hồ sơ thiếu"})
        assert f": điều chỉnh điểm {shown} điểm; lý do: hồ sơ thiếu" in text, text


def test_passwords_hashed_on_every_core_still_check_with_the_configured_hasher() -> None:
    pairs = hashed_passwords(12)  # enough for the process pool on a machine with two cores
    assert len({p for p, _ in pairs}) == 12
    configured = get_hasher("default").algorithm
    for password, hashed in pairs:
        assert identify_hasher(hashed).algorithm == configured
        assert check_password(password, hashed) and not check_password(password + "x", hashed)
