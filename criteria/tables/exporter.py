"""A rubric → its criteria table, .xlsx or .docx, in the shape provinces publish:
STT | Tiêu chí | Điểm tối đa | Cách tính điểm | Tài liệu kiểm chứng.

The rule text of a leaf is its original ``text`` when it has one, else ``rule.describe(max)``,
which the importer reads back to the same rule. What the table cannot show travels in hidden
data (``table_data``) unless ``bare``; importing the export gives the same rubric. Text cells
that begin with = + - @ are stored as text, never as formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from io import BytesIO
from typing import Any, BinaryIO

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from ..errors import RubricError
from ..model import Node, Rubric
from ..numbers import format_points
from .table_data import DOCX_PART_SUFFIX, collect, docx_part_xml

HEADERS = ("STT", "Tiêu chí", "Điểm tối đa", "Cách tính điểm", "Tài liệu kiểm chứng")
SECTION_TEXT = {
    "bonus": "Điểm thưởng: cộng điểm các tiêu chí dưới đây, tối đa {cap} điểm",
    "penalty": "Điểm trừ: trừ số điểm bị mất ở các tiêu chí dưới đây, tối đa {cap} điểm",
}
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    max: Decimal | None
    rule: str
    evidence: str
    depth: int
    leaf: bool


def rule_cell(node: Node) -> str:
    """The rule text a leaf is exported with."""
    return node.text if node.text else node.rule.describe(node.max)  # type: ignore[union-attr]


def table_rows(rubric: Rubric) -> list[Row]:
    rows: list[Row] = []

    def visit(node: Node, depth: int) -> None:
        if node.is_leaf:
            rows.append(Row(node.code, node.name, node.max, rule_cell(node), node.evidence or "", depth, True))
            return
        rows.append(Row(node.code, node.name, node.max, "", "", depth, False))
        for child in node.children:
            visit(child, depth + 1)

    for node in rubric.nodes:
        visit(node, 0)
    rows.append(Row("", "Tổng cộng", rubric.max_points, "", "", 0, False))
    for adjustment in rubric.adjustments:
        text = SECTION_TEXT[adjustment.kind].format(cap=format_points(adjustment.cap))
        rows.append(Row(adjustment.code, adjustment.name, adjustment.cap, text, "", 0, False))
        for child in adjustment.children:
            visit(child, 1)
    return rows


def table_bytes(rubric: Rubric, path: str | Path, bare: bool = False) -> bytes:
    """The table file's content; the format follows the extension of ``path`` (.xlsx or .docx).
    The caller writes it (atomically: ``scoring.office.atomic.write_atomic``)."""
    suffix = Path(path).suffix.lower()
    data = None if bare else collect(rubric, rule_cell).to_json()
    buffer = BytesIO()
    if suffix == ".xlsx":
        _xlsx(rubric, data, buffer)
    elif suffix == ".docx":
        _docx(rubric, data, buffer)
    else:
        raise RubricError.single(str(path), "", "định dạng không hỗ trợ; cần .xlsx hoặc .docx")
    return buffer.getvalue()


def _subtitle(rubric: Rubric) -> str:
    return f"(Kèm theo {rubric.source}; cấp {rubric.level}, năm {rubric.year})"


# ---------------------------------------------------------------- xlsx
def _text_cell(cell: Any, value: str) -> None:
    """A text cell that Excel will never run as a formula."""
    cell.value = value
    cell.data_type = "s"
    if value.startswith(FORMULA_STARTS):
        cell.quotePrefix = True


def _lines(text: str, width: int) -> int:
    """Lines a wrapped cell needs (Excel does not size rows itself for text written by a program)."""
    return sum(max(1, -(-len(line) // max(width - 2, 1))) for line in (text.split("\n") if text else [""]))


def _xlsx(rubric: Rubric, data: str | None, handle: BinaryIO) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Bộ chỉ số"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    _text_cell(sheet.cell(1, 1), rubric.title)
    sheet.cell(1, 1).font = Font(bold=True, size=13)
    _text_cell(sheet.cell(2, 1), _subtitle(rubric))
    sheet.cell(2, 1).font = Font(italic=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADERS))
    for column, title in enumerate(HEADERS, 1):
        cell = sheet.cell(4, column)
        _text_cell(cell, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        cell.border = border
        number = sheet.cell(5, column)
        _text_cell(number, f"({column})")
        number.alignment = Alignment(horizontal="center")
        number.border = border
    for index, row in enumerate(table_rows(rubric), 6):
        values = (row.code, row.name, None, row.rule, row.evidence)
        for column, value in enumerate(values, 1):
            cell = sheet.cell(index, column)
            if value:
                _text_cell(cell, value)
            cell.alignment = wrap
            cell.border = border
            cell.font = Font(bold=not row.leaf)
        if row.max is not None:
            sheet.cell(index, 3).value = row.max
    widths = (9, 48, 10, 60, 40)
    for column, width in zip("ABCDE", widths):
        sheet.column_dimensions[column].width = width
    for index, row in enumerate(table_rows(rubric), 6):
        texts = (row.code, row.name, "", row.rule, row.evidence)
        sheet.row_dimensions[index].height = 15 * max(_lines(text, width) for text, width in zip(texts, widths))
    sheet.row_dimensions[4].height = 30
    sheet.freeze_panes = "A6"
    sheet.print_title_rows = "4:5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if data is not None:
        hidden = book.create_sheet("parindex")
        _text_cell(hidden.cell(1, 1), "parindex-table/1: dữ liệu để nhập lại bảng này; không sửa")
        chunk = 30000
        for index, start in enumerate(range(0, len(data), chunk), 2):
            _text_cell(hidden.cell(index, 1), data[start:start + chunk])
        hidden.sheet_state = "hidden"
    book.save(handle)


# ---------------------------------------------------------------- docx
def _docx(rubric: Rubric, data: str | None, handle: BinaryIO) -> None:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(12)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(rubric.title.upper())
    run.bold = True
    run.font.size = Pt(13)
    subtitle = document.add_paragraph()
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    subtitle.add_run(_subtitle(rubric)).italic = True
    table = document.add_table(rows=1, cols=len(HEADERS))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, HEADERS):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    for row in table_rows(rubric):
        cells = table.add_row().cells
        values = (row.code, row.name, format_points(row.max) if row.max is not None else "", row.rule, row.evidence)
        for cell, value in zip(cells, values):
            lines = value.split("\n") if value else [""]
            cell.text = ""
            paragraph = cell.paragraphs[0]
            paragraph.add_run(lines[0]).bold = not row.leaf
            for line in lines[1:]:
                cell.add_paragraph().add_run(line).bold = not row.leaf
    widths = (Cm(1.5), Cm(7.5), Cm(1.8), Cm(9.5), Cm(5.4))
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths):
        column.w = width
    for table_row in table.rows:
        for cell, width in zip(table_row.cells, widths):
            cell.width = width
    if data is not None:
        part = Part(PackURI(DOCX_PART_SUFFIX), "application/xml", docx_part_xml(data), document.part.package)
        document.part.relate_to(part, RELATIONSHIP_TYPE.CUSTOM_XML)
    document.save(handle)
