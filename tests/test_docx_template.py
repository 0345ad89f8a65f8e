"""Documents written by filling the Word template read the same as those python-docx built.

The reference is the python-docx renderer of the plans (``tests/plan_docx_reference.py``, the
renderer before the template): for every shipped example unit and both plan kinds, the
template-filled .docx has the same ``word/document.xml`` (so the same text, layout values and
page breaks), the same text, and — where LibreOffice is installed — the same page count.
Drafter's notes are Word comments on the same text. The shipped template is what its build
script makes, a restyled template restyles the output, and a broken one is refused in words.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from criteria import InputError, load_rubric
from scoring.office import nd30
from scoring.office.docx_template import DEFAULT_TEMPLATE, load_template
from scoring.office.nd30 import Letterhead, Signature, Span
from scoring.office.templates import build
from scoring.plans.api import draft
from scoring.plans.document import Appendix, Article, Decides, PlanDocument, TableSpec
from scoring.plans.docx import render_docx_bytes
from scoring.plans.indices import IndexSource
from scoring.plans.profile import load_profiles, profile_for
from scoring.plans.scored import load_scored
from tests import plan_docx_reference as reference
from tests.tools import programs

ROOT = Path(__file__).resolve().parent.parent
RUBRIC = load_rubric(ROOT / "rubrics" / "demo-xa-2025.yaml")
SCORED = load_scored(RUBRIC, ROOT / "examples" / "communes.csv")
PROFILES = {
    "UBND xã An Phú": "xa-an-phu.yaml", "UBND xã Bình Minh": "xa-binh-minh.yaml",
    "UBND xã Đồng Tiến": "xa-dong-tien.yaml", "UBND xã Tân Lập": "xa-tan-lap.yaml",
    "UBND phường Sông Cầu": "phuong-song-cau.yaml",
}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def plan(unit: str, kind: str, indices: bool = False) -> PlanDocument:
    profiles = load_profiles(ROOT / "examples" / "profiles" / PROFILES[unit])
    sources = [IndexSource(ROOT / "rubrics" / r, ROOT / "examples" / "indices" / e) for r, e in (
        ("sipas-2025.yaml", "sipas-2025.csv"), ("papi-2024.yaml", "papi-2024-tinh.yaml"),
        ("dv-766-2025.yaml", "dv-766-2025.csv"))] if indices else []
    return draft(RUBRIC, SCORED, unit, profile_for(profiles, unit, "test"), kind=kind, target="tăng ít nhất 1 bậc",
                 indices=sources).document


def old_bytes(document: PlanDocument) -> bytes:
    return nd30.to_bytes(reference.render_docx(document))


def part(data: bytes, name: str = "word/document.xml") -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def normalised(xml: bytes) -> str:
    """The XML with what does not change the document removed: ``xml:space`` marks, comment dates,
    revision-session ids (``w:rsid…``)."""
    xml = xml.replace(b' xml:space="preserve"', b"")
    xml = re.sub(rb' w:rsid\w*="[^"]*"', b"", xml)
    xml = re.sub(rb' w:date="[^"]*"', b"", xml)
    return etree.tostring(etree.fromstring(xml), encoding="unicode")


def text_lines(xml: bytes) -> list[str]:
    """Every paragraph's text in reading order (body and table cells), as a reader sees it."""
    root = etree.fromstring(xml)
    return ["".join(node.text or "" if node.tag == f"{W}t" else "\n" if node.tag == f"{W}br" else "\t"
                    for node in p.iter(f"{W}t", f"{W}br", f"{W}tab")) for p in root.iter(f"{W}p")]


CASES = [(unit, kind) for unit in PROFILES for kind in ("remediation", "annual")]


@pytest.mark.parametrize(("unit", "kind"), CASES)
def test_every_example_plan_is_the_same_document_as_before(unit: str, kind: str) -> None:
    document = plan(unit, kind)
    new, old = render_docx_bytes(document), old_bytes(document)
    assert text_lines(part(new)) == text_lines(part(old))
    assert normalised(part(new)) == normalised(part(old))
    assert len(Document(io.BytesIO(new)).sections) == 1 + len(document.appendices)


def test_a_plan_with_other_indices_and_two_appendices_is_the_same_as_before() -> None:
    document = plan("UBND xã An Phú", "remediation", indices=True)
    assert len(document.appendices) == 2
    assert normalised(part(render_docx_bytes(document))) == normalised(part(old_bytes(document)))


def noted_decision() -> PlanDocument:
    """Every block kind, each with a drafter's note; a table with a spanned row and cell notes."""
    table = TableSpec(("Hạng", "Đơn vị", "Chỉ số (%)"), (("1", "UBND xã A", "91,5"), (Span("Nhóm Khá", 3),),
                                                         ("2", "UBND xã B & C <mới>", "70")),
                      (2.0, 15.0, 8.2), ("center", "left", "right"), bold_rows=(1,), group_rows=(1,),
                      cell_notes=((0, 2, "Kiểm tra lại chỉ số của xã A."), (1, 1, "Tên nhóm theo bộ chỉ số.")),
                      size=11)
    document = PlanDocument(
        letterhead=Letterhead("Ủy ban nhân dân tỉnh Hà Tĩnh", "", "Số:      /QĐ-UBND", "Hà Tĩnh"), year=2026,
        kind_title="Quyết định", summary="Về việc công bố Chỉ số cải cách hành chính năm 2025",
        bases=("Căn cứ Luật Tổ chức chính quyền địa phương", "Theo đề nghị của Giám đốc Sở Nội vụ"),
        signature=Signature(("CHỦ TỊCH",), "Nguyễn Văn A", ("Như Điều 3", "Bộ Nội vụ (để báo cáo)")),
        attached_to="Kèm theo Quyết định số      /QĐ-UBND", enacting="Chủ tịch Ủy ban nhân dân tỉnh Hà Tĩnh",
        notes=["Ngày ký: văn thư điền."],
        appendices=[Appendix("Phụ lục I", "Kết quả", table, "Tổng cộng: 02 đơn vị./.", ("Ghi chú: đồng hạng.",))],
    )
    document.body.append(Decides(notes=("Kiểm tra căn cứ.",)))
    document.body.append(Article(1, "Công bố Chỉ số cải cách hành chính năm 2025.", ("Số đơn vị: 2.",)))
    document.heading("I. MỤC ĐÍCH", notes=["Mục ghi chú."])
    document.para("Nội dung.", lead="Thời gian:", notes=["Hai ghi chú,", "trên cùng một đoạn."])
    document.bullet("Nhiệm vụ", parts=[("Chủ trì:", "Văn phòng")], notes=["Giao đúng cơ quan."])
    return document


def comments(data: bytes) -> list[str]:
    root = etree.fromstring(part(data, "word/comments.xml"))
    return ["".join(t.text or "" for t in c.iter(f"{W}t")) for c in root.iter(f"{W}comment")]


def anchored_text(data: bytes) -> dict[str, str]:
    """Each comment id → the text inside its range (where Word shows the note)."""
    root = etree.fromstring(part(data))
    inside: dict[str, list[str]] = {}
    open_ids: set[str] = set()
    for node in root.iter(f"{W}commentRangeStart", f"{W}commentRangeEnd", f"{W}t"):
        if node.tag == f"{W}commentRangeStart":
            open_ids.add(node.get(f"{W}id"))
            inside.setdefault(node.get(f"{W}id"), [])
        elif node.tag == f"{W}commentRangeEnd":
            open_ids.discard(node.get(f"{W}id"))
        else:
            for i in open_ids:
                inside[i].append(node.text or "")
    return {i: "".join(parts) for i, parts in inside.items()}


def test_drafter_notes_are_comments_on_the_same_text_as_python_docx_puts_them() -> None:
    document = noted_decision()
    new, old = render_docx_bytes(document), old_bytes(document)
    assert text_lines(part(new)) == text_lines(part(old))
    assert "Kiểm tra lại chỉ số" not in " ".join(text_lines(part(new)))  # notes never in the body
    assert comments(new) == comments(old) == list(dict.fromkeys(comments(old)))
    assert sorted(anchored_text(new).values()) == sorted(anchored_text(old).values())
    assert anchored_text(new)["0"] == "QUYẾT ĐỊNH"  # the document's note sits on its title
    reread = Document(io.BytesIO(new))  # Word's reader (python-docx) sees the same comments
    assert [c.text for c in reread.comments] == comments(old)
    assert "UBND xã B & C <mới>" in [cell.text for cell in reread.tables[-1]._cells]


def without_notes(document: PlanDocument) -> PlanDocument:
    body = [replace(block, notes=()) for block in document.body]
    appendices = [replace(a, table=replace(a.table, cell_notes=())) for a in document.appendices]
    return replace(document, body=body, appendices=appendices, notes=[])


def test_a_plan_without_notes_has_no_comments_part() -> None:
    document = plan("UBND xã Tân Lập", "annual")
    assert document.review()  # the example has notes for the drafter …
    data = render_docx_bytes(without_notes(document))  # … without them, no comments part at all
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert "word/comments.xml" not in archive.namelist()
        assert b"comments" not in archive.read("[Content_Types].xml")


def pages(soffice: str, pdfinfo: str, data: bytes, folder: Path, name: str) -> int:
    source = folder / f"{name}.docx"
    source.write_bytes(data)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "pdf",
                    "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    info = subprocess.run([pdfinfo, str(folder / f"{name}.pdf")], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def test_libreoffice_prints_as_many_pages_as_before(tmp_path: Path) -> None:
    soffice, pdfinfo = programs("soffice", "pdfinfo")
    for unit, kind in (("UBND xã Bình Minh", "remediation"), ("UBND phường Sông Cầu", "annual")):
        document = plan(unit, kind)
        name = f"{kind}-{PROFILES[unit].removesuffix('.yaml')}"
        new = pages(soffice, pdfinfo, render_docx_bytes(document), tmp_path, f"new-{name}")
        assert new == pages(soffice, pdfinfo, old_bytes(document), tmp_path, f"old-{name}")
        assert new > 2  # portrait text and a landscape appendix


def test_the_shipped_template_is_what_its_build_script_makes(tmp_path: Path) -> None:
    assert build.build(tmp_path / "nd30.docx").read_bytes() == DEFAULT_TEMPLATE.read_bytes()


def restyled(tmp_path: Path, change) -> Path:
    source = zipfile.ZipFile(DEFAULT_TEMPLATE)
    path = tmp_path / "mau-tinh.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = change(data.decode()).encode()
            target.writestr(name, data)
    return path


def test_a_restyled_template_restyles_the_plan(tmp_path: Path) -> None:
    """A văn thư's edits: the motto's second line reworded, body text in 13 pt, a placeholder
    Word cut in two runs. The plan follows the template; its words do not change."""
    def change(xml: str) -> str:
        xml = xml.replace("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc")
        body = xml.index("{{body}}")
        size = xml.rindex('<w:sz w:val="28"/>', 0, body)
        xml = xml[:size] + '<w:sz w:val="26"/>' + xml[size + len('<w:sz w:val="28"/>'):]
        return xml.replace("<w:t>{{heading}}</w:t>", "<w:t>{{head</w:t></w:r><w:r><w:t>ing}}</w:t>")
    document = plan("UBND xã An Phú", "remediation")
    data = render_docx_bytes(document, restyled(tmp_path, change))
    reread = Document(io.BytesIO(data))
    assert "Độc lập – Tự do – Hạnh phúc" in [p.text for p in reread.tables[0]._cells[1].paragraphs]
    texts = text_lines(part(data))
    assert texts == [line.replace("Độc lập - Tự do - Hạnh phúc", "Độc lập – Tự do – Hạnh phúc")
                     for line in text_lines(part(old_bytes(document)))]
    body = next(p for p in reread.paragraphs if p.text.startswith("- Khắc phục"))
    assert body.runs[0].font.size.pt == 13
    heading = next(p for p in reread.paragraphs if p.text == "I. MỤC ĐÍCH, YÊU CẦU")
    assert heading.runs[0].bold


def test_a_template_missing_a_placeholder_is_refused_in_words(tmp_path: Path) -> None:
    path = restyled(tmp_path, lambda xml: xml.replace("{{signer}}", "").replace("{{cell}}", "ô"))
    with pytest.raises(InputError) as caught:
        load_template(path)
    assert "{{cell}}" in str(caught.value) and str(path) in str(caught.value)
    with pytest.raises(InputError, match="document.xml hỏng"):
        load_template(restyled(tmp_path, lambda xml: xml[:-40]))
    (tmp_path / "hong.docx").write_text("không phải docx")
    with pytest.raises(InputError, match="không đọc được"):
        load_template(tmp_path / "hong.docx")
    with pytest.raises(InputError, match="không tìm thấy"):
        load_template(tmp_path / "khong-co.docx")


def test_the_plan_command_takes_a_province_template_and_refuses_a_broken_one(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import main

    template = restyled(tmp_path, lambda xml: xml.replace("Độc lập - Tự do - Hạnh phúc", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC"))
    base = ["plan", "-r", str(ROOT / "rubrics" / "demo-xa-2025.yaml"), "--result", str(ROOT / "examples" / "communes.csv"),
            "-p", str(ROOT / "examples" / "profiles" / "xa-an-phu.yaml"), "-u", "UBND xã An Phú"]
    out = tmp_path / "ke-hoach.docx"
    result = CliRunner().invoke(main, [*base, "--template", str(template), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "ĐỘC LẬP - TỰ DO - HẠNH PHÚC" in [p.text for p in Document(str(out)).tables[0]._cells[1].paragraphs]
    broken = restyled(tmp_path, lambda xml: xml.replace("{{body}}", "văn bản"))
    result = CliRunner().invoke(main, [*base, "--template", str(broken), "-o", str(tmp_path / "khong.docx")])
    assert result.exit_code == 2 and "{{body}}" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "khong.docx").exists()
