"""The reports kind on Cà Mau QĐ 1880/QĐ-UBND 2013, TCTP 1.2.1: “Đủ số lượng và đúng thời gian quy
định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0” — four reports (quý I,
6 tháng, quý III, năm), each with its due date; the unit gives the date each was sent.

The due dates below are illustrative (the rubric's text does not state them)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from criteria import EvidenceError, load_rubric_text
from criteria.rules import KINDS, RULE_KINDS
from criteria.tables.report import ImportReport, LeafLine
from scoring import read_evidence, score, validate_frame
from scoring.plans.profile import load_profile
from scoring.plans.tasks import PlanContext, derived_action, leaf_target
from scoring.workbook.inputs import leaf_input
from scoring.workbook.layout import INFO_SHEET
from scoring.workbook.template import write_template
from tests.sheet_fill import cell_of, info_row

CA_MAU_121 = """id: thu
title: Bộ thử
level: cơ quan
year: 2013
source: thử nghiệm
nodes:
  - code: "1.2"
    name: Báo cáo CCHC
    max: 1
    children:
      - code: "1.2.1"
        name: Tất cả báo cáo được gửi đúng thời gian quy định
        max: 1
        provenance: illustrative
        rule:
          kind: reports
          late: {late}
          missing: 0
          reports:
            - {{name: báo cáo quý I, due: 15/03/2013}}
            - {{name: báo cáo 6 tháng, due: 15/06/2013}}
            - {{name: báo cáo quý III, due: 15/09/2013}}
            - {{name: báo cáo năm, due: 15/12/2013}}
"""
ROOT = Path(__file__).resolve().parent.parent
ON_TIME = "15/03/2013; 14/06/2013; 15/09/2013; 10/12/2013"
ONE_LATE = "15/03/2013; 16/06/2013; 15/09/2013; 10/12/2013"
ONE_MISSING = "15/03/2013; không gửi; 15/09/2013; 10/12/2013"


def rubric(late: str = "0"):  # type: ignore[no-untyped-def]
    return load_rubric_text(CA_MAU_121.format(late=late), "thu.yaml")


def leaf(sheet, i: int):  # type: ignore[no-untyped-def]
    return sheet.result(i).node("1.2.1")


def scored(values: list[object], late: str = "0"):  # type: ignore[no-untyped-def]
    r = rubric(late)
    frame = pd.DataFrame({"1.2.1": values}, index=[f"u{i}" for i in range(len(values))], dtype=object)
    return score(r, validate_frame(r, frame, "thu.yaml"))


def test_full_points_only_when_every_report_was_sent_by_its_due_date() -> None:
    sheet = scored([ON_TIME, ONE_LATE, ONE_MISSING])
    assert [leaf(sheet, i).points for i in range(3)] == [Decimal(1), Decimal(0), Decimal(0)]
    assert leaf(sheet, 0).trace.explanation == "gửi 4/4 báo cáo, tất cả đúng hạn: 1 điểm"
    assert leaf(sheet, 1).trace.explanation == (
        "gửi 4/4 báo cáo, gửi sau hạn: báo cáo 6 tháng (gửi 16/06/2013, hạn 15/06/2013): 0 điểm")
    assert leaf(sheet, 2).trace.explanation == "gửi 3/4 báo cáo, không gửi: báo cáo 6 tháng: 0 điểm"
    assert leaf(sheet, 2).trace.evidence[1] == {"report": "báo cáo 6 tháng", "due": "2013-06-15", "sent": None}


def test_a_rubric_may_give_late_reports_more_than_missing_ones() -> None:
    sheet = scored([ON_TIME, ONE_LATE, ONE_MISSING], late="0.5")
    assert [leaf(sheet, i).points for i in range(3)] == [Decimal(1), Decimal("0.5"), Decimal(0)]


def test_a_yaml_list_and_spreadsheet_dates_read_like_the_text() -> None:
    listed = [dt.date(2013, 3, 15), dt.datetime(2013, 6, 14), "15/09/2013", "chưa gửi"]
    sheet = scored([listed])
    assert leaf(sheet, 0).points == 0
    assert leaf(sheet, 0).trace.explanation == "gửi 3/4 báo cáo, không gửi: báo cáo năm: 0 điểm"


@pytest.mark.parametrize(("value", "message"), [
    ("15/03/2013; 14/06/2013", "cần ngày gửi của 4 báo cáo theo thứ tự (báo cáo quý I; báo cáo 6 tháng; "
                               "báo cáo quý III; báo cáo năm)"),
    ("15/03/2013; 31/06/2013; 15/09/2013; 10/12/2013", "báo cáo thứ 2 (“báo cáo 6 tháng”): “31/06/2013” "
                                                       "không phải là ngày hợp lệ"),
    ("15/03/2013; ; 15/09/2013; 10/12/2013", "báo cáo thứ 2 (“báo cáo 6 tháng”): thiếu ngày gửi"),
])
def test_bad_evidence_names_the_file_the_unit_the_leaf_and_the_report(value: str, message: str) -> None:
    with pytest.raises(EvidenceError) as caught:
        scored([value])
    text = str(caught.value)
    assert "thu.yaml" in text and "đơn vị “u0”" in text and "“1.2.1”" in text and message in text


def test_the_rule_is_checked_when_the_rubric_loads() -> None:
    with pytest.raises(Exception, match="điểm phải giảm dần"):
        rubric(late="2")
    with pytest.raises(Exception, match="trùng tên"):
        load_rubric_text(CA_MAU_121.format(late=0).replace("báo cáo năm", "báo cáo quý I"), "thu.yaml")


def test_it_says_its_rule_label_input_action_and_target() -> None:
    r = rubric()
    node = r.by_code["1.2.1"]
    assert node.rule.describe(node.max) == (
        "Đủ số lượng (4 báo cáo: báo cáo quý I hạn 15/03/2013; báo cáo 6 tháng hạn 15/06/2013; báo cáo quý III "
        "hạn 15/09/2013; báo cáo năm hạn 15/12/2013) và đúng thời gian quy định: 1; Không đủ số lượng hoặc "
        "không đúng thời gian quy định: 0")
    assert RULE_KINDS["reports"].label == "báo cáo đủ số lượng, đúng thời gian"
    spec = node.rule.input_spec(node.max)
    assert spec.widget == "dates" and spec.choices[-1] == "báo cáo năm" and spec.words == ("không gửi",)
    cell = leaf_input(node, na_allowed=True)
    assert cell.prompt.endswith("báo cáo không gửi ghi “không gửi”; hoặc “Không áp dụng”.")
    profile = load_profile(ROOT / "examples" / "profiles" / "xa-an-phu.yaml")
    ctx = PlanContext(rubric=r, profile=profile, plan_year=2014)
    action, product, timing = derived_action(node, None, ctx)
    assert action.startswith("Gửi đủ 4 báo cáo đúng thời gian quy định: báo cáo quý I đến hết ngày 15/03/2014;")
    assert (product, timing) == (None, "Trong năm")
    assert leaf_target(node, ctx).endswith("báo cáo năm đến hết ngày 15/12/2014")
    report = ImportReport("bang.xlsx", leaves=[LeafLine("dòng 5", "1.2.1", "x", Decimal(1), "reports", "…")])
    assert "→ báo cáo đủ số lượng, đúng thời gian: …" in report.render()


def test_the_self_assessment_sheet_takes_the_dates_in_one_cell(tmp_path: Path) -> None:
    r = rubric()
    path = write_template(r, tmp_path / "mau.xlsx", unit="Sở A")
    book = load_workbook(path)
    cell_of(book, "1.2.1").value = ONE_LATE
    book[INFO_SHEET].cell(info_row(book, "unit"), 3).value = "Sở A"
    book.save(tmp_path / "da-dien.xlsx")
    sheet = score(r, read_evidence(r, tmp_path / "da-dien.xlsx"))
    assert leaf(sheet, 0).points == 0
    assert "báo cáo 6 tháng (gửi 16/06/2013, hạn 15/06/2013)" in leaf(sheet, 0).trace.explanation


def test_every_kind_states_its_label_and_is_listed_once() -> None:
    labels = [kind.label for kind in KINDS]
    assert all(labels) and len(set(labels)) == len(labels)
    assert list(RULE_KINDS.values()) == list(KINDS)
