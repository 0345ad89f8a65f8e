"""What a unit signs: the .xlsx score table, the .docx report with its chart, and the CLI for them."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from cli import main
from criteria import load_rubric
from scoring import read_evidence, score
from scoring.reports.charts import chart_png
from scoring.reports.docx import build_report
from scoring.inputs.readers import combine
from scoring.reports.data import evidence_gaps
from scoring.workbook.details import UnitDetails
from scoring.inputs.xlsx import read_workbook
from scoring.reports.xlsx import score_workbook

from .tools import programs

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "rubrics" / "demo-xa-2025.yaml"
FILLED = ROOT / "examples" / "xa-dong-tien-tu-danh-gia.xlsx"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def rubric():
    return load_rubric(DEMO)


@pytest.fixture(scope="module")
def dong_tien(rubric):
    read = read_workbook(rubric, FILLED)
    return score(rubric, read.table), read.details["UBND xã Đồng Tiến"]


def texts_of(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


# ------------------------------------------------------------------ .xlsx score table
def test_the_score_table_has_every_node_its_totals_and_flags_the_leaves_without_evidence(rubric, dong_tien) -> None:
    sheet, _ = dong_tien
    ws = score_workbook(sheet)["UBND xã Đồng Tiến"]
    assert ws["A1"].value == "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2025"
    rows = {ws.cell(r, 1).value: r for r in range(6, ws.max_row + 1) if ws.cell(r, 1).value}
    result = sheet.result(0)
    for node in result.nodes:
        r = rows[node.code]
        assert [ws.cell(r, c).value for c in (3, 4, 5)] == [node.max, node.points, node.lost]
        assert ws.cell(r, 6).value == node.index
    gaps = evidence_gaps(result, sheet.evidence)
    assert {g.code for g in gaps if g.kind == "missing"} == {"1.2.2", "4.2.2", "6.2.2", "7.2"}
    for gap in gaps:
        r = rows[gap.code]
        assert ws.cell(r, 8).value == gap.words and ws.cell(r, 1).fill.fgColor.rgb.endswith("F8CBAD")
    assert ws.cell(rows["4.2.2"], 10).value.startswith("Danh sách cử cán bộ")  # the giải trình
    labels = {ws.cell(r, 2).value: r for r in range(6, ws.max_row + 1)}
    assert ws.cell(labels["TỔNG ĐIỂM"], 4).value == result.totals.points
    assert ws.cell(labels["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)"], 6).value == result.totals.index
    assert ws.cell(labels["Xếp loại"], 4).value == result.totals.classification


def test_text_that_looks_like_a_formula_is_written_as_text(rubric, tmp_path: Path) -> None:
    table = read_evidence(rubric, ROOT / "examples" / "xa-an-phu.yaml")
    unit = table.units[0]
    table.explanations[(unit, "1.1.4")] = '=HYPERLINK("http://x","bấm")'
    table.explanations[(unit, "4.2.1")] = "-1+2"
    path = tmp_path / "s.xlsx"
    score_workbook(score(rubric, table)).save(path)
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "HYPERLINK" in xml
    ws = load_workbook(path).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert '=HYPERLINK("http://x","bấm")' in values and "-1+2" in values


def test_several_units_get_a_ranking_sheet_and_one_sheet_each(rubric) -> None:
    sheet = score(rubric, combine([read_evidence(rubric, p) for p in EXAMPLES]))
    book = score_workbook(sheet)
    assert book.sheetnames[0] == "Tổng hợp" and book.sheetnames[-1] == "Nguồn gốc" and len(book.sheetnames) == 7
    ranking = book["Tổng hợp"]
    assert [ranking.cell(r, 1).value for r in range(5, 10)] == [1, 2, 3, 4, 5]


# ------------------------------------------------------------------ .docx report
def test_the_report_has_the_three_parts_the_guidance_asks_for(rubric, dong_tien, tmp_path: Path) -> None:
    sheet, details = dong_tien
    path = tmp_path / "bao-cao.docx"
    build_report(sheet, 0, details).save(path)
    document = Document(path)  # opens with python-docx
    text = texts_of(document)
    for expected in ("BÁO CÁO", "Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm 2025",
                     "ỦY BAN NHÂN DÂN", "XÃ ĐỒNG TIẾN", "Số: 05/BC-UBND", "Đồng Tiến, ngày 08 tháng 01 năm 2026",
                     "I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", "II. CÁC TIÊU CHÍ THÀNH PHẦN CHƯA CÓ TÀI LIỆU KIỂM CHỨNG",
                     "III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ", "Xã mới thành lập từ 01/7/2025",
                     "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Bình", "Nơi nhận:", "- Lưu: VT.",
                     "Phụ lục", "Kèm theo Báo cáo số 05/BC-UBND ngày 08/01/2026 của UBND xã Đồng Tiến"):
        assert expected in text, expected
    totals = sheet.result(0).totals
    assert f"Tổng điểm tự đánh giá: {str(totals.points).replace('.', ',')}/" in text  # decimal comma
    missing = document.tables[1]  # part (b): the leaves without evidence, with the giải trình
    rows = [[c.text for c in row.cells] for row in missing.rows]
    assert rows[0] == ["Mã", "Tiêu chí thành phần", "Điểm tối đa", "Giải trình"]
    assert [r[0] for r in rows[1:]] == ["1.2.2", "4.2.2", "6.2.2", "7.2"]
    assert rows[2][3].startswith("Danh sách cử cán bộ")
    assert len(document.inline_shapes) == 1  # the chart
    assert document.sections[-1].orientation == 1  # the appendix is landscape


def test_the_report_table_lists_every_node_of_the_unit(rubric, dong_tien) -> None:
    sheet, details = dong_tien
    document = build_report(sheet, 0, details)
    appendix = next(t for t in document.tables if t.rows[0].cells[0].text == "STT")
    codes = {row.cells[0].text for row in appendix.rows}
    assert codes >= {n.code for n in sheet.result(0).nodes} | {a.code for a in rubric.adjustments}
    header_xml = appendix.rows[0]._tr.xml
    assert "w:tblHeader" in header_xml  # repeated on every page


def test_a_report_from_yaml_evidence_uses_the_units_name_and_leaves_blanks_for_the_clerk(rubric) -> None:
    sheet = score(rubric, read_evidence(rubric, ROOT / "examples" / "xa-an-phu.yaml"))
    text = texts_of(build_report(sheet, 0, chart=False))
    assert "XÃ AN PHÚ" in text and "Số:      /BC-UBND" in text and "An Phú, ngày      tháng      năm" in text
    assert "[Nêu khó khăn, vướng mắc (nếu có).]" in text
    assert "Tất cả tiêu chí thành phần đều có số liệu." in text


def test_unit_details_name_the_issuer_and_the_signature_as_clerks_do() -> None:
    assert UnitDetails("UBND xã An Phú").issuing_body == "ỦY BAN NHÂN DÂN XÃ AN PHÚ"
    assert UnitDetails("UBND xã An Phú").place_name == "An Phú"
    assert UnitDetails("UBND xã An Phú").authority == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    assert UnitDetails("UBND xã An Phú", signer_title="Phó Chủ tịch").authority == (
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")
    assert UnitDetails("Sở Nội vụ", signer_title="Giám đốc").issuer_code == "SNV"


def test_the_report_renders_to_pdf_with_libreoffice(dong_tien, tmp_path: Path) -> None:
    soffice, pdftotext = programs("soffice", "pdftotext")
    sheet, details = dong_tien
    path = tmp_path / "bao-cao.docx"
    build_report(sheet, 0, details).save(path)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=180)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "bao-cao.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "BÁO CÁO" in text and "Phụ lục" in text and "KT. CHỦ TỊCH" in text
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 4
    assert pages[1].strip().startswith("2")  # page numbers from page 2, at the top


# ------------------------------------------------------------------ chart
def test_the_chart_is_a_png_of_the_fields(dong_tien) -> None:
    sheet, _ = dong_tien
    png = chart_png(sheet.result(0))
    assert png.startswith(PNG) and len(png) > 10_000


# ------------------------------------------------------------------ command line
def test_the_commands_generate_score_and_report(tmp_path: Path) -> None:
    runner = CliRunner()
    template = tmp_path / "tu-danh-gia.xlsx"
    result = runner.invoke(main, ["template", "-r", str(DEMO), "-o", str(template), "--unit", "UBND xã An Phú"])
    assert result.exit_code == 0 and template.exists(), result.output
    base = ["score", "-r", str(DEMO), "-e", str(FILLED)]
    result = runner.invoke(main, [*base, "--format", "xlsx", "-o", str(tmp_path / "bang-diem.xlsx")])
    assert result.exit_code == 0, result.output
    assert load_workbook(tmp_path / "bang-diem.xlsx").sheetnames == ["UBND xã Đồng Tiến", "Nguồn gốc"]
    result = runner.invoke(main, [*base, "--format", "docx", "-o", str(tmp_path / "bao-cao.docx"),
                                  "--chart", str(tmp_path / "bieu-do.png")])
    assert result.exit_code == 0, result.output
    assert "Trần Văn Bình" in texts_of(Document(tmp_path / "bao-cao.docx"))
    assert (tmp_path / "bieu-do.png").read_bytes().startswith(PNG)


@pytest.mark.parametrize("args, message", [
    (["--format", "docx"], "--format docx cần --output"),
    (["--format", "xlsx", "-o", "x.docx"], "--output cần tên tệp .xlsx"),
    (["--chart", "x.jpg"], "--chart cần tên tệp .png"),
])
def test_report_options_are_checked_before_any_work(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["score", "-r", str(DEMO), "-e", str(FILLED), *args])
    assert result.exit_code == 2 and message in result.output


def test_a_report_of_many_units_asks_which_one(tmp_path: Path) -> None:
    runner = CliRunner()
    base = ["score", "-r", str(DEMO), "-e", str(ROOT / "examples" / "communes.csv")]
    result = runner.invoke(main, [*base, "--format", "docx", "-o", str(tmp_path / "r.docx")])
    assert result.exit_code == 2 and "--unit" in result.output
    result = runner.invoke(main, [*base, "--format", "docx", "-o", str(tmp_path / "r.docx"), "--unit", "UBND xã Tân Lập"])
    assert result.exit_code == 0, result.output
    assert "XÃ TÂN LẬP" in texts_of(Document(tmp_path / "r.docx"))
    result = runner.invoke(main, [*base, "--unit", "UBND xã Không Có"])
    assert result.exit_code == 2 and "không có đơn vị “UBND xã Không Có”" in result.output


def test_what_parindex_writes_is_nfc_even_when_the_rubric_file_is_not(tmp_path: Path) -> None:
    import unicodedata

    from criteria import load_rubric_text
    from scoring.workbook.layout import COLUMN_OF, MAIN_SHEET
    from scoring.workbook.template import build_template
    from tests.sheet_fill import key_rows

    text = (ROOT / "tests" / "data" / "mini.yaml").read_text(encoding="utf-8")
    decomposed = load_rubric_text(unicodedata.normalize("NFD", text), "mini-nfd.yaml")
    assert not unicodedata.is_normalized("NFC", unicodedata.normalize("NFD", text))
    assert unicodedata.is_normalized("NFC", decomposed.nodes[0].name)  # the loader composes
    book = build_template(decomposed)
    ws = book[MAIN_SHEET]
    name = ws.cell(key_rows(book)["1"], COLUMN_OF["name"]).value
    assert name == unicodedata.normalize("NFC", decomposed.nodes[0].name)
    path = tmp_path / "e.csv"
    path.write_text("Đơn vị,1.1.3\nUBND xã An Phú,Đạt yêu cầu\n", encoding="utf-8")
    sheet = score(decomposed, read_evidence(decomposed, path))
    text = texts_of(build_report(sheet, 0, chart=False))
    assert unicodedata.is_normalized("NFC", text) and "Công tác chỉ đạo" in text
