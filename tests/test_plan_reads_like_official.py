"""A check that reads like an official: for every shipped example unit, the remediation plan, the
annual plan and the Quyết định công bố are read back from Word and held to what a signer would
otherwise correct by hand (issue 12): the years follow the calendar, no drafter's note in the body
or the Ghi chú column (they are Word comments), no formula, arrow or “×” in what is signed, % on
ratios, thresholds as published, no repeated Nơi nhận line, an appendix of the seeds' size, the
chairman directing rather than leading, section III in words, fields in the rubric's order."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from cli import main
from criteria import load_rubric
from scoring import read_evidence, score
from scoring.plans.document import PlanDocument
from scoring.reports.decision import DecisionFacts, build_decision, recipients_after
from scoring.reports.docx import build_report, split_archive
from scoring.workbook.details import UnitDetails

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
CSV = ROOT / "examples" / "communes.csv"
RUBRIC = load_rubric(DEMO)
SHEET = score(RUBRIC, read_evidence(RUBRIC, CSV))
PROFILES = {
    "UBND xã An Phú": "xa-an-phu.yaml", "UBND xã Bình Minh": "xa-binh-minh.yaml",
    "UBND xã Đồng Tiến": "xa-dong-tien.yaml", "UBND xã Tân Lập": "xa-tan-lap.yaml",
    "UBND phường Sông Cầu": "phuong-song-cau.yaml",
}
EVALUATED, ACTED_ON = 2025, 2026
DRAFTER_WORDS = ("người soạn", "dự thảo", "lưu ý", "đã qua", "gợi ý", "tự đề xuất", "(xem ")
MACHINE_SIGNS = ("×", "→", "≈", " = ", " − ", "/100 ×")


def plan(tmp: Path, unit: str, kind: str, *extra: str) -> Document:
    out = tmp / f"{kind}-{PROFILES[unit]}.docx"
    result = CliRunner().invoke(main, ["plan", "-r", str(DEMO), "--result", str(CSV), "-u", unit, "-k", kind,
                                       "-p", str(ROOT / "examples" / "profiles" / PROFILES[unit]), "-o", str(out),
                                       *extra], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return Document(str(out))


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Document]:
    tmp = tmp_path_factory.mktemp("official")
    built = {}
    for unit in PROFILES:
        built[(unit, "remediation")] = plan(tmp, unit, "remediation", "--target", "nhóm Tốt")
        built[(unit, "annual")] = plan(tmp, unit, "annual")
    return built


def body_texts(doc: Document) -> list[str]:
    """What the official signs: every paragraph, and every cell of every table."""
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def appendix(doc: Document, first: str = "STT") -> list[list[str]]:
    tables = [t for t in doc.tables if t.rows[0].cells[0].text == first]
    rows = []
    for row in tables[0].rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    return rows


def recipients(doc: Document) -> list[str]:
    table = next(t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    return [p.text for p in table.rows[0].cells[0].paragraphs if p.text.startswith("- ")]


UNITS = list(PROFILES)


# ---------------------------------------------------------------- years
@pytest.mark.parametrize("unit", UNITS)
def test_the_years_follow_the_calendar(docs: dict, unit: str) -> None:
    remediation = docs[(unit, "remediation")]
    text = "\n".join(body_texts(remediation))
    assert f"năm {EVALUATED}\nvà nâng cao Chỉ số cải cách hành chính năm {ACTED_ON}" in text
    date_line = next(p.text for p in remediation.tables[0].rows[0].cells[1].paragraphs if "ngày" in p.text)
    assert date_line.endswith(f"năm {ACTED_ON}")  # signed after the publication, in the acted-on year
    # the rubric's hint “Ban hành Kế hoạch CCHC năm 2026 trước 31/12/2025” moves as a whole
    assert "Kế hoạch CCHC năm 2026" not in text or "Kế hoạch CCHC năm 2027" not in text
    for day, month, year in re.findall(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b", text):
        if int(year) >= EVALUATED:  # no deadline before the plan is signed (dates of past events stay)
            context = text[max(0, text.find(f"{day}/{month}/{year}") - 12):text.find(f"{day}/{month}/{year}")]
            if "trước" in context.casefold():
                assert dt.date(int(year), int(month), int(day)) >= dt.date(ACTED_ON, 1, 1), context
    annual = docs[(unit, "annual")]
    annual_text = "\n".join(body_texts(annual))
    assert f"Năm {EVALUATED}, Chỉ số CCHC" not in annual_text  # not published when an annual plan is signed
    assert f"Kết quả năm {EVALUATED}" not in annual_text and f"Tự đánh giá năm {EVALUATED}" in annual_text
    annual_date = next(p.text for p in annual.tables[0].rows[0].cells[1].paragraphs if "ngày" in p.text)
    assert annual_date.endswith(f"năm {EVALUATED}")


# ---------------------------------------------------------------- drafter's notes
@pytest.mark.parametrize("kind", ["remediation", "annual"])
@pytest.mark.parametrize("unit", UNITS)
def test_no_drafter_note_in_the_body_or_the_ghi_chu(docs: dict, unit: str, kind: str) -> None:
    doc = docs[(unit, kind)]
    for text in body_texts(doc):
        for word in DRAFTER_WORDS:
            assert word not in text.casefold(), (word, text)
    assert all(c.author == "parindex (dự thảo)" for c in doc.comments)


def test_the_drafters_notes_are_word_comments_on_what_they_concern(docs: dict) -> None:
    doc = docs[("UBND xã Bình Minh", "remediation")]
    notes = [c.text for c in doc.comments]
    assert any(n.startswith("Cơ sở xác định mục tiêu") for n in notes)
    assert any("Nhiệm vụ do dự thảo đề xuất" in n for n in notes)
    assert any("“Trước 31/12/2025” đã qua" in n for n in notes)  # the hint moved a year, silently in the text


# ---------------------------------------------------------------- prose, not machine notation
@pytest.mark.parametrize("kind", ["remediation", "annual"])
@pytest.mark.parametrize("unit", UNITS)
def test_no_formula_arrow_or_times_sign_in_what_is_signed(docs: dict, unit: str, kind: str) -> None:
    for text in body_texts(docs[(unit, kind)]):
        for sign in MACHINE_SIGNS:
            assert sign not in text, (sign, text)
        assert "thuộc mức" not in text and not re.search(r"-\d+(,\d+)? điểm", text), text


@pytest.mark.parametrize("unit", UNITS)
def test_what_was_lost_is_one_sentence_per_criterion_with_percent_on_ratios(docs: dict, unit: str) -> None:
    paragraphs = [p.text for p in docs[(unit, "remediation")].paragraphs]
    lost = [p.removeprefix("Tồn tại, hạn chế: ") for p in paragraphs if p.startswith("Tồn tại, hạn chế:")]
    sentences = [s for p in lost for s in re.split(r"(?<=\.) (?=[A-ZĐÂĂÊÔƠƯ])", p)]
    leaves = [n for n in SHEET.result(unit).nodes if n.is_leaf and n.lost > 0 and n.section is None]
    assert len(sentences) >= len(leaves)  # at least one per lost sub-criterion of the tree
    ratios = [s for s in sentences if s.startswith("Tỷ lệ")]
    assert ratios
    for sentence in ratios:
        for _, sign in re.findall(r"(?:đạt|còn) (\d[\d,]*)(%?)", sentence):
            assert sign == "%", sentence
    joined = " ".join(lost)
    if unit == "UBND xã Bình Minh":
        assert "Tỷ lệ hồ sơ TTHC giải quyết trễ hạn còn 5%, chưa đạt yêu cầu 0%." in joined
        assert "so với dự toán được giao đạt 87%, chưa đạt mức từ 100% trở lên" in joined  # “(%)” in the name


# ---------------------------------------------------------------- targets
@pytest.mark.parametrize("unit", UNITS)
def test_the_threshold_is_written_as_published(docs: dict, unit: str) -> None:
    text = "\n".join(p.text for p in docs[(unit, "remediation")].paragraphs)
    totals = SHEET.result(unit).totals
    good = next(b for b in RUBRIC.classification if b.label == "Tốt")
    if totals.index is not None and totals.index >= good.min:
        assert "giữ vững kết quả" in text
        return
    level = "80 điểm" if totals.max == 100 else "80%"
    assert f"đạt từ {level} trở lên, xếp loại “Tốt”." in text
    assert not re.search(r"từ 80,\d+", text)  # not the total the tasks happen to reach


# ---------------------------------------------------------------- Nơi nhận
@pytest.mark.parametrize("kind", ["remediation", "annual"])
@pytest.mark.parametrize("unit", UNITS)
def test_no_noi_nhan_line_twice_and_one_luu_line_last(docs: dict, unit: str, kind: str) -> None:
    lines = recipients(docs[(unit, kind)])
    assert len(lines) == len(set(lines))
    assert [line for line in lines if line.startswith("- Lưu")] == [lines[-1]]


def test_the_self_assessment_report_prints_a_typed_luu_line_once() -> None:
    sheet = score(RUBRIC, read_evidence(RUBRIC, ROOT / "examples" / "xa-an-phu.yaml"))
    details = UnitDetails("UBND xã An Phú", recipients=("Sở Nội vụ", "Lưu: VT, VP."))
    doc = build_report(sheet, 0, details)
    table = next(t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text)
    lines = [p.text for p in table.rows[0].cells[0].paragraphs if p.text.startswith("- ")]
    assert lines == ["- Sở Nội vụ;", "- Lưu: VT, VP."]
    assert split_archive(("- Lưu: VT.",)) == ((), "Lưu: VT.")


# ---------------------------------------------------------------- tasks as the seeds write them
@pytest.mark.parametrize("unit", UNITS)
def test_the_appendix_is_as_short_as_the_seeds_and_in_the_rubrics_order(docs: dict, unit: str) -> None:
    rows = appendix(docs[(unit, "remediation")])
    assert rows[0] == ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú"]
    tasks = [r for r in rows[1:] if r[0].isdigit()]
    result = SHEET.result(unit)
    leaves = [n for n in result.nodes if n.is_leaf and n.lost > 0]
    if result.totals.lost <= 17:  # a commune that lost a sixth of the points or less (seed 004: 14 rows)
        assert len(tasks) <= 20, len(tasks)
    assert len(tasks) <= 36 and (len(tasks) < len(leaves) or len(leaves) <= 10)  # leaves of a criterion merged
    names = [r[1] for r in rows[1:] if not r[0].isdigit()]
    order = [n.name for n in RUBRIC.nodes] + ["Các nội dung bị trừ điểm"]
    assert [order.index(n) for n in names] == sorted(order.index(n) for n in names)
    assert all(";" not in r[4] for r in tasks)  # one timing per task


@pytest.mark.parametrize("unit", UNITS)
def test_section_three_gives_each_office_its_tasks_in_words_and_the_chairman_leads_nothing(docs: dict,
                                                                                          unit: str) -> None:
    doc = docs[(unit, "remediation")]
    paragraphs = [p.text for p in doc.paragraphs]
    part = paragraphs[paragraphs.index("III. TỔ CHỨC THỰC HIỆN"):]
    headings = [p for p in part if re.match(r"^\d+\. ", p)]
    assert headings and all(h.split(". ", 1)[1].startswith(("Giao ", "Các bộ phận")) and h.endswith(":")
                            for h in headings)
    assert not any("Chủ tịch" in h for h in headings)
    assert not any(re.search(r"tiêu chí \d+(\.\d+)+;", p) for p in part)  # no code lists
    for row in appendix(doc)[1:]:
        if row[0].isdigit():
            assert "Chủ tịch" not in row[2] and "Chủ tịch" not in row[3], row


@pytest.mark.parametrize("unit", UNITS)
def test_the_annual_plan_has_one_timing_per_task_and_a_budget_column(docs: dict, unit: str) -> None:
    tables = [t for t in docs[(unit, "annual")].tables if t.rows[0].cells[0].text == "TT"]
    header = [c.text for c in tables[0].rows[0].cells]
    assert "Dự kiến kinh phí" in header
    column = header.index("Thời gian thực hiện")
    for row in tables[0].rows[1:]:
        if not row.cells[0].text.isdigit():
            continue
        timing = row.cells[column].text
        assert ";" not in timing and "Trong năm 2026, " not in timing, timing


# ---------------------------------------------------------------- the Quyết định công bố
@dataclass(frozen=True)
class Change:
    previous_rank: int | None
    delta: int

    def words(self) -> str:
        return f"tăng {self.delta} bậc" if self.delta > 0 else f"giảm {-self.delta} bậc"


@dataclass(frozen=True)
class Ranked:
    rank: int
    unit: str
    appraised: Decimal
    survey: Decimal | None
    total: Decimal
    max: Decimal
    index: Decimal | None
    classification: str | None
    fields: dict = field(default_factory=dict)
    change: Change | None = None


def decision() -> PlanDocument:
    units = sorted((SHEET.result(u) for u in SHEET.units), key=lambda u: -(u.totals.index or 0))
    rows = [Ranked(i, u.unit, u.totals.points, None, u.totals.points, u.totals.max, u.totals.index,
                   u.totals.classification, {}, Change(len(units) - i + 1, 2 * i - len(units) - 1 or 1))
            for i, u in enumerate(units, 1)]
    facts = DecisionFacts(year=EVALUATED, issuer="Ủy ban nhân dân tỉnh Hà Tĩnh", place="Hà Tĩnh",
                          subject="các xã, phường", appraisal_closed=dt.date(2026, 3, 11))
    return build_decision(facts, rows, RUBRIC)


def decision_text(doc: PlanDocument) -> str:
    lines = [doc.summary, *doc.bases, doc.attached_to, *(getattr(b, "text", "") for b in doc.body),
             *doc.signature.recipients]
    for part in doc.appendices:
        lines += [part.title, *part.footnotes,
                  *(str(getattr(c, "text", c)) for row in part.table.rows for c in row)]
    return "\n".join(lines)


def test_the_decision_cites_the_rubric_and_the_calendar_and_counts_right() -> None:
    doc = decision()
    text = decision_text(doc)
    assert len(doc.bases) >= 4 and doc.bases[-1].startswith("Theo đề nghị của")
    assert "Căn cứ kết quả thẩm định Chỉ số cải cách hành chính năm 2025 của các xã, phường (kết thúc ngày 11/03/2026)" in doc.bases
    assert any(b.startswith("Căn cứ Quyết định số") and RUBRIC.title in b for b in doc.bases)
    assert any("ghi số, ngày" in n or "điền căn cứ" in n for n in doc.review())  # blanks are the drafter's
    assert "của 05 xã, phường theo" in text and "(chi tiết tại Phụ lục I, II kèm theo)" in text
    assert "đơn vị (các" not in text
    assert "ngày      tháng      năm 2026 của Chủ tịch" in doc.attached_to  # the appendices' date line has a year
    assert not re.search(r"\b[0-9a-f]{64}\b", text) and "Mã kiểm tra" not in text and "→" not in text


def test_the_decision_does_not_send_to_a_body_that_article_three_names() -> None:
    doc = decision()
    article = next(b for b in doc.body if getattr(b, "number", 0) == 3)
    assert "Giám đốc Sở Nội vụ" in article.text
    assert doc.signature.recipients == ("Như Điều 3", "Bộ Nội vụ (để báo cáo)")
    assert recipients_after("Chánh Văn phòng UBND tỉnh, Giám đốc Sở Nội vụ …", ["Như Điều 3", "Sở Nội vụ;",
                                                                                "Sở Tài chính"]) == (
        "Như Điều 3", "Sở Tài chính")
