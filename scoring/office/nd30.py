"""Word documents in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I), with python-docx.

One place for the administrative format that reports, plans and decisions share: A4, margins,
Times New Roman, the two-column header, the place-and-date line, title, căn cứ, numbered
parts, Nơi nhận and signature, landscape appendices with a repeated header row, and page
numbers centred in the top margin from page 2.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.simpletypes import ST_HpsMeasure
from docx.shared import Cm, Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from scoring.office.atomic import write_atomic

FONT = "Times New Roman"
BODY_SIZE = 14
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
FIRST_LINE_INDENT = Cm(1.27)


@dataclass(frozen=True)
class Letterhead:
    """The issuing unit and the document's number and date (the top of page 1)."""

    issuer: str  # "ỦY BAN NHÂN DÂN XÃ AN PHÚ" (printed uppercase, bold)
    parent: str = ""  # "UBND TỈNH HÀ TĨNH" (uppercase, not bold); empty for none
    number: str = ""  # "Số: 12/KH-UBND"; empty → "Số:      /KH-UBND" is the caller's choice
    place: str = ""
    date: dt.date | None = None  # None → "ngày    tháng    năm" left blank for the văn thư


@dataclass(frozen=True)
class Signature:
    """The signature block and the distribution list beside it."""

    authority: tuple[str, ...] = ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    signer: str = ""
    recipients: tuple[str, ...] = field(default_factory=tuple)
    archive: str = "Lưu: VT."


def date_line(place: str, date: dt.date | None, year: int | None = None) -> str:
    """“An Phú, ngày 05 tháng 02 năm 2026”: day below 10 and months 1–2 take a leading 0."""
    if date is None:
        shown_year = year if year is not None else "      "
        return f"{place}, ngày      tháng      năm {shown_year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def document_number(number: int | str | None, kind: str, issuer_code: str) -> str:
    """“Số: 07/KH-UBND” (leading 0 below 10); no number → “Số:      /KH-UBND”."""
    if number in (None, ""):
        return f"Số:      /{kind}-{issuer_code}"
    if isinstance(number, int) or str(number).isdigit():
        number = f"{int(number):02d}"
    return f"Số: {number}/{kind}-{issuer_code}"


_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def _font_everywhere(r_pr) -> None:  # noqa: ANN001 - CT_RPr
    """Times New Roman for every script slot, so Vietnamese never falls back to another font."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for attribute in _FONT_SLOTS:
        fonts.set(qn(attribute), FONT)


def _set_run_font(run, size: float | None = None, bold: bool | None = None, italic: bool | None = None) -> None:
    if run._element.rPr is None:
        _new_run_properties(run._element, size, bold, italic)
        return
    run.font.name = FONT
    _font_everywhere(run._element.get_or_add_rPr())
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic


def _new_run_properties(r, size: float | None, bold: bool | None, italic: bool | None) -> None:  # noqa: ANN001
    """A new run's ``w:rPr`` built at once, element for element what python-docx's setters
    write (fonts, ``b``, ``i``, ``sz`` in the schema's order). The setters look up the
    schema's successor list for every child: half of the time of a plan's .docx was there."""
    r_pr = OxmlElement("w:rPr")
    fonts = OxmlElement("w:rFonts")
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), FONT)
    r_pr.append(fonts)
    for tag, on in (("w:b", bold), ("w:i", italic)):
        if on is not None:
            element = OxmlElement(tag)
            if not on:
                element.set(qn("w:val"), "0")
            r_pr.append(element)
    if size is not None:
        element = OxmlElement("w:sz")
        element.set(qn("w:val"), ST_HpsMeasure.convert_to_xml(Pt(size)))
        r_pr.append(element)
    r.insert(0, r_pr)


def new_document() -> DocxDocument:
    """A4 portrait, NĐ 30 margins, Times New Roman 14 as the base style."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    _margins(section)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _font_everywhere(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _page_numbers(section)
    return doc


def _margins(section) -> None:  # noqa: ANN001 - docx Section
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)


def _page_numbers(section) -> None:  # noqa: ANN001
    """Arabic page number centred in the top margin, not on page 1."""
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    _set_run_font(run, 13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def paragraph(
    container, text: str = "", *, size: float = BODY_SIZE, bold: bool = False, italic: bool = False,  # noqa: ANN001
    align: str = "justify", indent: bool = False, space_after: float = 6, keep_with_next: bool = False,
) -> Paragraph:
    """A paragraph of one run; ``container`` is the document or a table cell."""
    para = container.add_paragraph()
    para.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY, "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    fmt = para.paragraph_format
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    if indent:
        fmt.first_line_indent = FIRST_LINE_INDENT
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        run = _text_run(para, unicodedata.normalize("NFC", text))  # one spelling of each Vietnamese letter
        _set_run_font(run, size, bold, italic)
    return para


def add_run(para: Paragraph, text: str, *, size: float = BODY_SIZE, bold: bool = False, italic: bool = False) -> None:
    run = _text_run(para, unicodedata.normalize("NFC", text))
    _set_run_font(run, size, bold, italic)


def _text_run(para: Paragraph, text: str) -> Run:
    """``para.add_run(text)`` without python-docx's character-by-character scan when the text
    holds no tab or line break (nearly always): the same ``w:r`` with one ``w:t``."""
    if "\t" in text or "\n" in text or "\r" in text:
        return para.add_run(text)
    r = para._p.add_r()
    if text:
        r.add_t(text)
    return Run(r, para)


def _short_rule(container, width_cm: float, cell_width_cm: float) -> None:  # noqa: ANN001
    """A centred rule ``width_cm`` long: an empty tiny paragraph with a bottom border."""
    para = paragraph(container, "", align="center", space_after=2)
    run = para.add_run("")
    _set_run_font(run, 2)
    para.paragraph_format.line_spacing = Pt(3)
    side = max((cell_width_cm - width_cm) / 2, 0)
    para.paragraph_format.left_indent = Cm(side)
    para.paragraph_format.right_indent = Cm(side)
    p_pr = para._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    p_pr.append(borders)


def set_widths(table: Table, widths_cm: Sequence[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (grid + every cell).

    A merged cell (``w:gridSpan``) gets the sum of the columns it spans.
    """
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(Cm(width).twips)))
    for row in table.rows:
        column = 0
        for tc in row._tr.tc_lst:
            span = tc.grid_span
            tc.width = Cm(sum(widths_cm[column:column + span]))
            column += span


def _no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _cell_text(cell, lines: Sequence[tuple[str, float, bool, bool]], align: str = "center") -> list[Paragraph]:  # noqa: ANN001
    cell.paragraphs[0]._element.getparent().remove(cell.paragraphs[0]._element)
    made = []
    for text, size, bold, italic in lines:
        made.append(paragraph(cell, text, size=size, bold=bold, italic=italic, align=align, space_after=0))
    return made


def issuer_lines(issuer: str) -> list[str]:
    """The issuing body in uppercase, broken as văn thư do: “ỦY BAN NHÂN DÂN” / “XÃ AN PHÚ”."""
    text = issuer.upper().strip()
    if "\n" in text:
        return [line.strip() for line in text.splitlines() if line.strip()]
    for head in ("ỦY BAN NHÂN DÂN ", "HỘI ĐỒNG NHÂN DÂN "):
        if text.startswith(head) and len(text) > 24:
            return [head.strip(), text[len(head):]]
    return [text]


def add_letterhead(doc: DocxDocument, head: Letterhead, year: int | None = None) -> None:
    """The two-column header of page 1 (issuer and number | national motto and date)."""
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_widths(table, (6.0, 10.5))
    left_lines = []
    if head.parent:
        left_lines.append((head.parent.upper(), 13, False, False))
    left_lines.extend((line, 13, True, False) for line in issuer_lines(head.issuer))
    _cell_text(table.rows[0].cells[0], left_lines)
    _short_rule(table.rows[0].cells[0], 2.2, 6.0)
    paragraph(table.rows[0].cells[0], head.number or "Số:      /KH-UBND", size=13, align="center", space_after=0)
    _cell_text(table.rows[0].cells[1], [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True, False),
        ("Độc lập - Tự do - Hạnh phúc", 14, True, False),
    ])
    _short_rule(table.rows[0].cells[1], 5.6, 10.5)
    paragraph(table.rows[0].cells[1], date_line(head.place, head.date, year), size=14, italic=True,
              align="center", space_after=0)
    paragraph(doc, "", space_after=6)


def add_title(doc: DocxDocument, kind: str, summary: str) -> None:
    """“KẾ HOẠCH” and its summary line, centred bold, with a short rule beneath."""
    paragraph(doc, kind.upper(), bold=True, align="center", space_after=0, keep_with_next=True)
    paragraph(doc, summary, bold=True, align="center", space_after=0, keep_with_next=True)
    _short_rule(doc, 3.0, 16.5)
    paragraph(doc, "", space_after=0)


def add_bases(doc: DocxDocument, bases: Sequence[str]) -> None:
    """Căn cứ: italic, one per line, each ending “;”, the last “.”."""
    cleaned = [b.strip().rstrip(";.") for b in bases if b.strip()]
    for position, base in enumerate(cleaned):
        end = "." if position == len(cleaned) - 1 else ";"
        paragraph(doc, f"{base}{end}", italic=True, indent=True)


def heading(doc: DocxDocument, text: str) -> Paragraph:
    """A numbered part or section heading (“I. MỤC ĐÍCH, YÊU CẦU”, “1. …”): bold, indented."""
    return paragraph(doc, text, bold=True, indent=True, keep_with_next=True)


def subheading(doc: DocxDocument, text: str) -> Paragraph:
    """A lettered item (“a) …”) that heads the lines below it: regular weight, indented, kept
    with the next paragraph so it never ends a page alone."""
    return paragraph(doc, text, indent=True, keep_with_next=True)


def body(doc: DocxDocument, text: str, *, italic: bool = False) -> Paragraph:
    return paragraph(doc, text, indent=True, italic=italic)


def article(doc: DocxDocument, number: int, text: str) -> Paragraph:
    """An article of a Quyết định: “Điều 1.” in bold, then its text, indented and justified."""
    para = paragraph(doc, "", indent=True)
    add_run(para, f"Điều {number}. ", bold=True)
    add_run(para, text)
    return para


def enacting_formula(doc: DocxDocument, authority: str) -> None:
    """The authority line above the căn cứ (“CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …”), bold, centred."""
    paragraph(doc, authority.upper(), bold=True, align="center", space_after=12, keep_with_next=True)


def decides(doc: DocxDocument) -> None:
    """“QUYẾT ĐỊNH:” between the căn cứ and the articles, bold, centred."""
    paragraph(doc, "QUYẾT ĐỊNH:", bold=True, align="center", space_after=12, keep_with_next=True)


def bullet(doc: DocxDocument, text: str, sign: str = "-") -> Paragraph:
    """“- …” bullets and “+ …” sub-bullets, as NĐ 30 numbers the lowest levels."""
    return paragraph(doc, f"{sign} {text}", indent=True)


def add_signature(doc: DocxDocument, signature: Signature) -> None:
    """Nơi nhận (left, 12 bold italic + list 11) beside the signature block (right), kept on
    one page together with the last line of text above it (a signature never stands alone)."""
    if doc.paragraphs:
        doc.paragraphs[-1].paragraph_format.keep_with_next = True
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    set_widths(table, (8.0, 8.5))
    _keep_row_whole(table.rows[0])  # the signature block never breaks across pages
    left, right = table.rows[0].cells
    _cell_text(left, [("Nơi nhận:", 12, True, True)], align="left")
    items = [r.strip().rstrip(";.") for r in signature.recipients if r.strip()]
    for item in items:
        paragraph(left, f"- {item};", size=11, align="left", space_after=0)
    paragraph(left, f"- {signature.archive.rstrip('.')}.", size=11, align="left", space_after=0)
    lines = [(text.upper(), 14, True, False) for text in signature.authority]
    _cell_text(right, lines)
    for _ in range(4):
        paragraph(right, "", space_after=0)
    paragraph(right, signature.signer, bold=True, align="center", space_after=0)


def add_landscape_section(doc: DocxDocument) -> None:
    """Start a new page in landscape for an appendix table (same margins, numbers go on)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    _margins(section)
    section.different_first_page_header_footer = False


def appendix_heading(doc: DocxDocument, label: str, title: str, attached_to: str) -> None:
    """“Phụ lục I”, its uppercase title, and “(Kèm theo Kế hoạch số … ngày … của …)”."""
    paragraph(doc, label, bold=True, align="center", space_after=0, keep_with_next=True)
    paragraph(doc, title.upper(), bold=True, align="center", space_after=0, keep_with_next=True)
    paragraph(doc, f"({attached_to})", italic=True, align="center", space_after=12, keep_with_next=True)


def _repeat_header(row) -> None:  # noqa: ANN001
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


@dataclass(frozen=True)
class Span:
    """A table cell that spans ``columns`` grid columns (group rows, total rows)."""

    text: str
    columns: int = 1
    align: str | None = None  # None: the column's alignment


def _fill_cell(cell, text: str, size: float, bold: bool, align: str, keep: bool = False) -> list[Paragraph]:  # noqa: ANN001
    """Cell text; each “\\n” starts a new paragraph inside the cell. ``keep``: keep with the
    next row (a group heading row never ends a page alone)."""
    lines = str(text).split("\n")
    made = _cell_text(cell, [(line, size, bold, False) for line in lines], align=align)
    for para in made:
        if keep:
            para.paragraph_format.keep_with_next = True
    return made


def add_table(
    doc: DocxDocument, headers: Sequence[str], rows: Sequence[Sequence[str | Span]], widths_cm: Sequence[float],
    *, size: float = 12, bold_rows: Sequence[int] = (), align: Sequence[str] | None = None,
    keep_rows: Sequence[int] = (), indents: Sequence[int] = (), indent_column: int = 1,
) -> Table:
    """A bordered table; the header row repeats on every page; ``bold_rows`` index ``rows``.

    A row may hold ``Span`` cells that merge several columns; its spans must add up to the
    number of headers. A cell's text may hold several lines (“\\n”), each its own paragraph.
    Rows are kept whole on a page; ``keep_rows`` (group headings) stay on the page of the row
    after them. ``indents`` gives each row's depth, shown as a left indent in ``indent_column``
    (a tree's names).
    """
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers):
        _cell_text(cell, [(text, size, True, False)])
    bold = set(bold_rows)
    keep = set(keep_rows)
    for index, values in enumerate(rows):
        row = table.add_row()
        _keep_row_whole(row)
        cells = row.cells
        column = 0
        for value in values:
            span = value if isinstance(value, Span) else Span(str(value))
            if column + span.columns > len(headers):
                raise ValueError(f"hàng {index + 1} của bảng có nhiều ô hơn số cột ({len(headers)})")
            cell = cells[column]
            if span.columns > 1:
                cell = cell.merge(cells[column + span.columns - 1])
            where = span.align or (align[column] if align else "left")
            made = _fill_cell(cell, span.text, size, index in bold, where, index in keep)
            if column == indent_column and index < len(indents) and indents[index]:
                for para in made:
                    para.paragraph_format.left_indent = Cm(0.35 * indents[index])
            column += span.columns
        if column != len(headers):
            raise ValueError(f"hàng {index + 1} của bảng có {column} ô, cần {len(headers)}")
    set_widths(table, widths_cm)
    return table


def _keep_row_whole(row) -> None:  # noqa: ANN001
    """A row is not split across pages (a clerk reads one criterion on one page)."""
    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:cantSplit")
    element.set(qn("w:val"), "true")
    tr_pr.append(element)


def add_figure(doc: DocxDocument, png: bytes, width_cm: float, caption: str = "") -> None:
    """A centred picture with an italic caption beneath (charts in a report)."""
    para = paragraph(doc, "", align="center", space_after=2, keep_with_next=bool(caption))
    para.add_run().add_picture(io.BytesIO(png), width=Cm(width_cm))
    if caption:
        paragraph(doc, caption, size=12, italic=True, align="center")


def to_bytes(doc: DocxDocument) -> bytes:
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def save(doc: DocxDocument, path: str | Path) -> Path:
    """Save atomically: the .docx appears whole or not at all."""
    return write_atomic(path, to_bytes(doc))
