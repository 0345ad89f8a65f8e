"""The publication's workbook prints as an official table (A4 landscape, one page wide, a title
row, the header repeated, no commands in the notes), and its decision is written from the Word
template: appendix rows, counts and the Ghi chú line as before."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace

from docx import Document
from openpyxl import load_workbook

from criteria import load_rubric
from criteria.canonical import provenance_line
from scoring.campaign.publish import ranked_workbook
from scoring.campaign.standings import Standing, load_previous
from scoring.plans.docx import save_docx
from scoring.reports.decision import DecisionFacts, build_decision

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = load_rubric(ROOT / "rubrics" / "demo-xa-2025.yaml")
HEAD = (42, "ab" * 32)


def standings(n: int) -> list[Standing]:
    fields = [node.code for node in RUBRIC.nodes]
    return [Standing(f"UBND xã Số {i + 1}", Fraction(95 - i), Decimal(95 - i), Decimal(100), i + 1,
                     "Tốt" if i < 10 else "Khá", level="xã", appraised=Decimal(90 - i),
                     survey=None if i % 2 else Decimal(5), fields={code: Decimal(80) for code in fields})
            for i in range(n)]


def store(tmp_path: Path) -> SimpleNamespace:
    return SimpleNamespace(rubric=RUBRIC, info=SimpleNamespace(year=2025, name="Thử"), path=tmp_path / "cd.db",
                           now=lambda: dt.datetime(2026, 1, 26))


def test_the_ranked_workbook_prints_one_page_wide_with_a_title_and_no_commands(tmp_path: Path) -> None:
    rows = standings(40)
    path = ranked_workbook(store(tmp_path), rows, tmp_path / "xep-hang.xlsx", HEAD)
    book = load_workbook(path)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape" and str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$2:$2" and sheet.freeze_panes == "A3"
        assert sheet["A1"].font.bold and "NĂM 2025" in sheet["A1"].value
        assert sheet["A2"].value == "Hạng" and sheet["A2"].font.bold
    ranked = book["Xếp hạng"]
    assert ranked["A1"].value == "KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025 CỦA 40 ĐƠN VỊ"
    assert [ranked.cell(r, 2).value for r in (3, 42)] == ["UBND xã Số 1", "UBND xã Số 40"]
    assert ranked.cell(3, 8).value == 95 and ranked.cell(3, 8).number_format == "0.00"
    assert ranked.cell(3, 2).border.left.style == "thin" and not ranked.cell(3, 2).font.bold
    notes = " ".join(str(c.value) for row in ranked.iter_rows(min_row=43) for c in row if c.value)
    made_with = provenance_line(RUBRIC)  # the rubric's id, year, canonical hash and the engine version
    assert f"Tính theo: {made_with}" in notes
    notes = notes.replace(made_with, "")
    assert "parindex" not in notes and str(tmp_path) not in notes and HEAD[1] in notes  # no command to type
    previous = load_previous(path)  # last year's published table is read back, title row and all
    assert [(r.rank, r.unit) for r in previous[:2]] == [(1, "UBND xã Số 1"), (2, "UBND xã Số 2")]


def test_the_decision_has_every_unit_in_its_appendices(tmp_path: Path) -> None:
    rows = standings(30)
    facts = DecisionFacts(year=2025, issuer="Ủy ban nhân dân tỉnh Thử", place="Thử", signer="Nguyễn Văn A",
                          date=dt.date(2026, 1, 26))
    path = save_docx(build_decision(facts, rows, RUBRIC), tmp_path / "qd.docx")
    doc = Document(io.BytesIO(path.read_bytes()))
    assert len(doc.sections) == 3  # the decision, Phụ lục I, Phụ lục II
    ranked, fields = doc.tables[-2], doc.tables[-1]
    assert len(ranked.rows) == len(fields.rows) == 31  # header + one row per unit
    assert ranked.rows[1].cells[1].text == "UBND xã Số 1" and "95,00" in [c.text for c in ranked.rows[1].cells]
    assert [p.text[:7] for p in doc.paragraphs if p.text.startswith("Điều ")][:3] == ["Điều 1.", "Điều 2.", "Điều 3."]
