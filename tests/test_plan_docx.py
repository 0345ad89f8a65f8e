"""The plans as Word documents, read back with python-docx: the parts a plan must have, one
appendix row per task, every lost sub-criterion accounted for, the appendix's total of points lost
equal to the unit's, and the NĐ 30/2020 layout values (A4, margins, fonts, landscape appendix,
repeated header row, page numbers from page 2)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Pt

from cli import main
from criteria import load_rubric
from criteria.numbers import parse_decimal
from scoring import read_evidence, score

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
INDICES = ["--index", "rubrics/sipas-2025.yaml", "examples/indices/sipas-2025.csv",
           "--index", "rubrics/papi-2024.yaml", "examples/indices/papi-2024-tinh.yaml",
           "--index", "rubrics/dv-766-2025.yaml", "examples/indices/dv-766-2025.csv"]


def run(args: list[str]) -> str:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def make(tmp: Path, unit: str, kind: str, *extra: str) -> Document:
    out = tmp / f"{kind}-{PROFILES[unit]}.docx"
    run(["plan", "-r", str(DEMO), "--result", str(CSV), "-p", str(ROOT / "examples" / "profiles" / PROFILES[unit]),
         "-u", unit, "-k", kind, "-o", str(out), *extra])
    return Document(str(out))


def mm(*lengths) -> tuple[int, ...]:  # noqa: ANN002 - docx Length values, stored in twips
    return tuple(round(length.mm) for length in lengths)


def texts(doc: Document) -> list[str]:
    return [p.text for p in doc.paragraphs]


def table_rows(table) -> list[list[str]]:  # noqa: ANN001
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:  # a merged cell appears once per grid column
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                cells.append(cell.text)
        rows.append(cells)
    return rows


def appendix_tables(doc: Document) -> list:
    return [t for t in doc.tables if t.rows[0].cells[0].text in ("STT", "TT")]


def lost_codes(unit: str) -> set[str]:
    """Sub-criteria that lost points: the tree's, and the penalty section's that were answered."""
    result = SHEET.result(unit)
    penalty = {n.code for a in RUBRIC.adjustments if a.kind == "penalty" for top in a.children for n in top.walk()}
    return {n.code for n in result.nodes if n.is_leaf and n.lost > 0
            and (n.section is None or (n.code in penalty and n.status == "scored"))}


@pytest.fixture(scope="module")
def plans(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Document]:
    tmp = tmp_path_factory.mktemp("plans")
    built = {}
    for unit in PROFILES:
        built[(unit, "remediation")] = make(tmp, unit, "remediation")
        built[(unit, "annual")] = make(tmp, unit, "annual")
    return built


@pytest.fixture(scope="module")
def detailed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Document]:
    """Remediation plans with the second appendix (--detail): the points of each sub-criterion."""
    tmp = tmp_path_factory.mktemp("detailed")
    return {unit: make(tmp, unit, "remediation", "--detail") for unit in PROFILES}


def comments(doc: Document) -> list[str]:
    return [c.text for c in doc.comments]


@pytest.mark.parametrize("unit", PROFILES)
def test_remediation_plan_has_its_parts(plans: dict, unit: str) -> None:
    doc = plans[(unit, "remediation")]
    body = texts(doc)
    for part in ("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "2. Yêu cầu",
                 "II. NHIỆM VỤ VÀ GIẢI PHÁP", "III. TỔ CHỨC THỰC HIỆN", "Phụ lục"):
        assert part in body, part
    joined = "\n".join(body)
    assert re.search(r"Chỉ số CCHC của .+ đạt \d+,\d\d% \(\d+(,\d+)?/\d+ điểm\)", joined)  # index and points
    assert re.search(r"xếp thứ \d/5 xã, phường", joined)  # rank among the five communes
    assert "Chỉ số CCHC = tổng điểm đạt được / tổng điểm tối đa" not in joined  # the arithmetic is a comment
    assert any(c.startswith("Cơ sở xác định mục tiêu") and "Chỉ số CCHC = tổng điểm đạt được" in c
               for c in comments(doc))
    assert "giải quyết./." in joined
    signature = [t for t in doc.tables if "Nơi nhận:" in t.rows[0].cells[0].text]
    assert signature and "CHỦ TỊCH" in signature[0].rows[0].cells[1].text


@pytest.mark.parametrize("unit", PROFILES)
def test_one_appendix_row_per_task_and_every_lost_point_accounted_for(detailed: dict, unit: str) -> None:
    doc = detailed[unit]
    main, detail = appendix_tables(doc)
    rows = table_rows(main)
    assert rows[0] == ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú"]
    tasks = [r for r in rows[1:] if r[0].isdigit()]
    assert [int(r[0]) for r in tasks] == list(range(1, len(tasks) + 1))
    body = texts(doc)
    start, end = body.index("II. NHIỆM VỤ VÀ GIẢI PHÁP"), body.index("III. TỔ CHỨC THỰC HIỆN")
    bullets = [t for t in body[start:end] if t.startswith("- ")]
    assert [b[2:] for b in bullets] == [r[1] for r in tasks]  # one task in II per appendix row, same words
    leaves = [r for r in table_rows(detail)[1:] if r[0].isdigit()]
    assert sorted(r[1] for r in leaves) == sorted(lost_codes(unit))  # every lost sub-criterion, once
    assert {int(r[7]) for r in leaves} == set(range(1, len(tasks) + 1))  # each leaf points to its task
    totals = SHEET.result(unit).totals
    lost = sum((parse_decimal(r[6]) for r in leaves), Decimal(0))
    assert table_rows(detail)[-1][1] == f"{lost:f}".rstrip("0").rstrip(".").replace(".", ",") + " điểm bị mất"
    bonus = totals.points + totals.penalty - totals.tree_points
    assert lost - max(bonus, Decimal(0)) == totals.lost


@pytest.mark.parametrize("unit", PROFILES)
@pytest.mark.parametrize("kind", ["remediation", "annual"])
def test_no_appendix_cell_is_ever_empty(plans: dict, unit: str, kind: str) -> None:
    """Only Ghi chú (and the annual plan's Dự kiến kinh phí) may stay blank, as in the seeds."""
    for table in appendix_tables(plans[(unit, kind)]):
        rows = table_rows(table)
        optional = {i for i, h in enumerate(rows[0]) if h in ("Ghi chú", "Dự kiến kinh phí")}
        for row in rows:
            assert all(cell.strip() for i, cell in enumerate(row) if i not in optional or len(row) < len(rows[0])), row


def test_a_leaf_without_a_hint_is_derived_and_marked_for_the_drafter(plans: dict) -> None:
    unhinted = {leaf.code for leaf in RUBRIC.leaves() if leaf.remediation is None}
    assert unhinted  # the demo rubric keeps a few on purpose
    marked = 0
    for unit in PROFILES:
        doc = plans[(unit, "remediation")]
        notes = comments(doc)
        for code in unhinted & lost_codes(unit):
            assert any(n.startswith("Nhiệm vụ do dự thảo đề xuất") and f"tiêu chí {code})" in n for n in notes), code
            marked += 1
        text = "\n".join(texts(doc)) + "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
        assert "dự thảo" not in text.casefold() and "người soạn" not in text.casefold()
    assert marked


def test_full_points_and_not_applicable_produce_no_task(plans: dict) -> None:
    unit = "UBND xã Đồng Tiến"  # has không phát sinh leaves and a missing survey
    result = SHEET.result(unit)
    quiet = {n.code for n in result.nodes if n.is_leaf and n.lost == 0}
    assert any(n.status == "not_applicable" for n in result.nodes if n.is_leaf)
    (table,) = appendix_tables(plans[(unit, "remediation")])
    codes = {c.strip() for r in table_rows(table)[1:] if r[0].isdigit() for c in r[1].split(",")}
    assert not codes & quiet


@pytest.mark.parametrize("unit", PROFILES)
def test_annual_plan_has_targets_and_one_task_per_criterion_lost_first(plans: dict, unit: str) -> None:
    doc = plans[(unit, "annual")]
    body = texts(doc)
    for part in ("I. MỤC TIÊU, YÊU CẦU VÀ CHỈ TIÊU", "3. Chỉ tiêu cụ thể",
                 "II. NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM 2026", "III. GIẢI PHÁP THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN"):
        assert part in body, part
    targets, tasks = appendix_tables(doc)
    target_rows = [r for r in table_rows(targets)[1:] if r[0].isdigit()]
    assert [r[1] for r in target_rows] == [leaf.code for leaf in RUBRIC.leaves() if leaf.code in
                                           {n.code for top in RUBRIC.nodes for n in top.walk()}]
    task_rows = [r for r in table_rows(tasks)[1:] if r[0].isdigit()]
    criteria = [c for top in RUBRIC.nodes for c in (top.children or (top,))]
    codes = [r[1].split(" ", 1)[0].rstrip(".") for r in task_rows]
    assert sorted(codes) == sorted(c.code for c in criteria)  # one task per criterion, none twice
    result = SHEET.result(unit)
    flags = [result.node(code).lost > 0 for code in codes]
    assert flags == sorted(flags, reverse=True)  # every criterion that lost points comes first
    assert all(r[3].strip() and r[6].strip() for r in task_rows)  # product and timing


@pytest.mark.parametrize("kind", ["remediation", "annual"])
def test_nd30_layout_values_read_back(plans: dict, kind: str) -> None:
    doc = plans[("UBND xã An Phú", kind)]
    first, last = doc.sections[0], doc.sections[-1]
    assert mm(first.page_width, first.page_height) == (210, 297)  # A4
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert mm(first.top_margin, first.bottom_margin, first.left_margin, first.right_margin) == (20, 20, 30, 15)
    assert first.different_first_page_header_footer  # no number on page 1
    header_xml = first.header._element.xml
    assert "PAGE" in header_xml and first.header.paragraphs[0].alignment == 1  # centred
    assert last.orientation == WD_ORIENT.LANDSCAPE and mm(last.page_width, last.page_height) == (297, 210)
    assert mm(last.left_margin, last.right_margin) == (30, 15)
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    for table in appendix_tables(doc):
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert all(r.font.name == "Times New Roman" for r in runs)
    assert all(r.font.size is None or Pt(11) <= r.font.size <= Pt(14) for r in runs)
    date = next(p for p in doc.tables[0].rows[0].cells[1].paragraphs if "ngày" in p.text)
    assert all(r.italic for r in date.runs if r.text.strip())
    if kind == "remediation":
        left = doc.tables[0].rows[0].cells[0].text
        assert "ỦY BAN NHÂN DÂN\nXÃ AN PHÚ" in left and "Số: 12/KH-UBND" in left
        assert date.text == "An Phú, ngày 05 tháng 02 năm 2026"


def test_bases_are_italic_and_end_with_semicolons_then_a_full_stop(plans: dict) -> None:
    doc = plans[("UBND xã An Phú", "remediation")]
    bases = [p for p in doc.paragraphs if p.text.startswith("Căn cứ")]
    assert len(bases) == 2 and bases[0].text.endswith(";") and bases[1].text.endswith(".")
    assert all(r.italic for p in bases for r in p.runs)


def test_other_indices_add_a_section_each_and_their_own_appendix(tmp_path: Path) -> None:
    doc = make(tmp_path, "UBND xã Bình Minh", "remediation", *INDICES)
    body = "\n".join(texts(doc))
    assert "1. Chỉ số cải cách hành chính (PAR INDEX)" in body
    for name in ("(SIPAS): năm 2025 đạt", "(PAPI): năm 2024 đạt", "(QĐ 766): năm 2025 đạt"):
        assert name in body
    main_table, others = appendix_tables(doc)
    rows = [r for r in table_rows(others)[1:] if r[0].isdigit()]
    assert len(rows) == 5 + 8 + 5
    assert all(r[3].startswith("Từ ") for r in rows)


def test_the_markdown_quick_look_has_the_same_tasks() -> None:
    output = run(["plan", "-r", str(DEMO), "--result", str(CSV), "-p", str(ROOT / "examples" / "profiles"),
                  "-u", "UBND xã Tân Lập", "-f", "md"])
    rows = [line.split(" | ")[1] for line in output.splitlines() if re.match(r"^\| \d+ \|", line)]
    part = output.split("## II. NHIỆM VỤ VÀ GIẢI PHÁP")[1].split("## III.")[0]
    tasks = [line[2:] for line in part.splitlines() if line.startswith("- ")]
    assert rows and rows == tasks
    assert "## I. MỤC ĐÍCH, YÊU CẦU" in output and "Ghi chú cho người soạn" in output


@pytest.mark.parametrize("kind, closing", [
    ("remediation", "Yêu cầu các bộ phận, cán bộ, công chức tập trung tổ chức thực hiện có hiệu quả Kế hoạch này. "
                    "Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo Ủy ban nhân dân xã An Phú "
                    "(qua Văn phòng HĐND và UBND xã) để xem xét, giải quyết./."),
    ("annual", "Trên đây là Kế hoạch cải cách hành chính năm 2026 của xã An Phú. Trong quá trình thực hiện, nếu có "
               "khó khăn, vướng mắc, các bộ phận, cán bộ, công chức kịp thời phản ánh về Ủy ban nhân dân xã An Phú "
               "(qua Văn phòng HĐND và UBND xã) để xem xét, giải quyết./."),
])
def test_both_plans_close_their_organisation_part_with_the_coordinator(plans: dict, kind: str, closing: str) -> None:
    body = texts(plans[("UBND xã An Phú", kind)])
    assert any("đầu mối theo dõi, đôn đốc" in t and "báo cáo Ủy ban nhân dân xã An Phú để báo cáo "
               "Ủy ban nhân dân tỉnh (qua Sở Nội vụ)" in t for t in body)
    assert closing in body


def test_the_units_own_explanations_are_quoted_beside_what_was_lost(tmp_path: Path) -> None:
    out = tmp_path / "dong-tien.docx"
    run(["plan", "-r", str(DEMO), "--result", str(ROOT / "examples" / "xa-dong-tien.yaml"),
         "-p", str(ROOT / "examples" / "profiles" / "xa-dong-tien.yaml"), "-o", str(out)])
    doc = Document(str(out))
    text = "\n".join(texts(doc))
    notes = "\n".join(comments(doc))
    rubric_text = (ROOT / "examples" / "xa-dong-tien.yaml").read_text(encoding="utf-8")
    assert "03 công chức mới điều động về chưa được cấp chứng thư số" in rubric_text
    assert "Đơn vị đã giải trình" not in text  # the unit's own words are for the drafter, not the signer
    assert re.search(r"Đơn vị đã giải trình \([\d., ]+\): 03 công chức mới điều động về chưa được cấp chứng thư số", notes)
    # a leaf that lost nothing has no task, so its explanation (if any) is not repeated
    assert notes.count("Đơn vị đã giải trình") <= len(re.findall(r'^  "[\d.]+":', rubric_text.split("explanations:")[1].split("documents:")[0], re.M))
