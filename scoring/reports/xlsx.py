"""The score table a unit signs, as .xlsx: BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM, one sheet per unit.

Every node with its maximum, points, points lost, index and status; each leaf with its
documents, or a flag when it has no data or no document, and the unit's giải trình; the totals
(bonus, penalty, index, classification) beneath. Several units add a “Tổng hợp” ranking sheet.
Points are numbers (exact decimals) so the sheet can still be summed; text never runs as a formula.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from criteria.canonical import provenance, provenance_line
from criteria.numbers import format_points

from scoring.ranking import rank
from scoring.reports.data import documents_text, evidence_gaps, sentence, unit_documents
from scoring.result import STATUS_VI, ScoreSheet, UnitResult
from scoring.office.xlsx_cells import BORDER, FIELD_FILL, FLAG_FILL, HEADER_FILL, font, put_text, save_workbook, wrapped_height

TITLE = "BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"
HEADERS = (
    ("STT", 8), ("Tiêu chí, tiêu chí thành phần", 44), ("Điểm tối đa", 9), ("Điểm tự đánh giá", 10),
    ("Điểm bị mất", 9), ("Chỉ số (%)", 9), ("Trạng thái", 14), ("Tài liệu kiểm chứng", 34),
    ("Diễn giải cách tính điểm", 40), ("Giải trình", 32),
)
HEADER_ROW = 5
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")


def score_workbook(sheet: ScoreSheet) -> Workbook:
    book = Workbook()
    book.remove(book.active)
    names: set[str] = set()
    if len(sheet) > 1:
        _summary(book.create_sheet("Tổng hợp"), sheet)
        names.add("Tổng hợp")
    for i in range(len(sheet)):
        result = sheet.result(i)
        _unit_sheet(book.create_sheet(_sheet_name(result.unit, names)), sheet, result)
    _provenance(book, sheet)
    return book


PROVENANCE_SHEET = "Nguồn gốc"


def _provenance(book: Workbook, sheet: ScoreSheet) -> None:
    """What the results were computed with: a footer on every printed page, and a last sheet
    with one labelled row each (rubric id, year, SHA-256 of its canonical form, engine)."""
    line = provenance_line(sheet.rubric).replace("&", "&&")  # & starts a footer code in Excel
    for ws in book.worksheets:
        ws.oddFooter.left.text = line
        ws.oddFooter.left.size = 8
    ws = book.create_sheet(PROVENANCE_SHEET)
    labels = {"rubric": "Mã bộ chỉ số", "year": "Năm", "rubric_sha256": "SHA-256 của bộ chỉ số (dạng chuẩn)",
              "engine": "Phiên bản phần mềm chấm"}
    for row, (key, value) in enumerate(provenance(sheet.rubric).items(), 1):
        put_text(ws.cell(row, 1), labels[key])
        if isinstance(value, int):
            ws.cell(row, 2).value = value
        else:
            put_text(ws.cell(row, 2), str(value))
    ws.column_dimensions["A"].width = 36
    ws.column_dimensions["B"].width = 70


def write_score_xlsx(sheet: ScoreSheet, path: str | Path) -> Path:
    path = Path(path)
    save_workbook(score_workbook(sheet), path)
    return path


def _sheet_name(unit: str, taken: set[str]) -> str:
    """Excel's sheet names: at most 31 characters, none of []:*?/\\', unique."""
    base = _SHEET_NAME_BAD.sub(" ", unit).strip()[:31] or "Đơn vị"
    name, number = base, 2
    while name.casefold() in {t.casefold() for t in taken}:
        suffix = f" ({number})"
        name, number = base[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name)
    return name


def _number_format(precision: int) -> str:
    return "0" if precision == 0 else "0." + "0" * precision


def _title(ws: Worksheet, lines: list[tuple[str, float, bool, bool]], width: int) -> None:
    last = get_column_letter(width)
    for row, (text, size, bold, italic) in enumerate(lines, 1):
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = put_text(ws.cell(row, 1), text)
        cell.font = font(size, bold=bold, italic=italic)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _headers(ws: Worksheet, headers: tuple[tuple[str, float], ...], row: int) -> None:
    for column, (text, width) in enumerate(headers, 1):
        cell = put_text(ws.cell(row, column), text)
        cell.font = font(12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.row_dimensions[row].height = 34
    ws.freeze_panes = f"C{row + 1}"
    ws.print_title_rows = f"{row}:{row}"


def _row(ws: Worksheet, row: int, values: list[object], number_format: str, *, bold: bool = False,
         italic: bool = False, indent: int = 0, fill=None, headers=HEADERS) -> None:  # noqa: ANN001
    for column, value in enumerate(values, 1):
        cell = ws.cell(row, column)
        if isinstance(value, (Decimal, int)) and not isinstance(value, bool):
            cell.value = value
            cell.number_format = number_format
            cell.alignment = Alignment(horizontal="right", vertical="top")
        else:
            if value not in (None, ""):
                put_text(cell, str(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent if column == 2 else 0,
                                       horizontal="center" if column == 1 else None)
        cell.font = font(12, bold=bold, italic=italic)
        cell.border = BORDER
        if fill is not None:
            cell.fill = fill
    texts = [(str(v), headers[c][1]) for c, v in enumerate(values) if isinstance(v, str) and c < len(headers)]
    ws.row_dimensions[row].height = wrapped_height(texts)


def _padded(values: list[object]) -> list[object]:
    return values + [""] * (len(HEADERS) - len(values))


def _unit_sheet(ws: Worksheet, sheet: ScoreSheet, result: UnitResult) -> None:
    rubric = sheet.rubric
    fmt = _number_format(rubric.precision)
    _title(ws, [(TITLE.format(year=rubric.year), 14, True, False), (f"Đơn vị: {result.unit}", 13, True, False),
                (f"{rubric.title} ({rubric.id})", 12, False, True)], len(HEADERS))
    _headers(ws, HEADERS, HEADER_ROW)
    gaps = {gap.code: gap for gap in evidence_gaps(result, sheet.evidence)}
    sections = {a.code: a for a in rubric.adjustments}
    row, section = HEADER_ROW + 1, None
    for node in result.nodes:
        if node.section != section:
            section = node.section
            adjustment = sections[section]
            word = "cộng" if adjustment.kind == "bonus" else "trừ"
            heading = f"{adjustment.name.upper()} (tối đa {word} {format_points(adjustment.cap)} điểm)"
            _row(ws, row, _padded([adjustment.code, heading]), fmt, bold=True, fill=FIELD_FILL)
            row += 1
        gap = gaps.get(node.code)
        evidence, how = "", ""
        explanation = result.explanations.get(node.code, "")
        if node.is_leaf:
            evidence = gap.words if gap else documents_text(unit_documents(sheet.evidence, result.unit, node.code))
            how = sentence(node.trace.explanation) if node.trace else ""
        top = node.depth == 0
        _row(ws, row, [node.code, node.name, node.max, node.points, node.lost, node.index, STATUS_VI[node.status],
                       evidence, how, explanation], fmt,
             bold=node.depth <= 1 and not node.is_leaf, indent=node.depth,
             fill=FLAG_FILL if gap else (FIELD_FILL if top and section is None else None))
        row += 1
    totals = result.totals
    lines: list[tuple[str, list[object]]] = [("Tổng điểm các lĩnh vực", [totals.max, totals.tree_points])]
    if rubric.adjustments:
        lines += [("Điểm thưởng", ["", totals.bonus]), ("Điểm trừ", ["", totals.penalty])]
    lines += [
        ("TỔNG ĐIỂM", [totals.max, totals.points, totals.lost]),
        ("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (%)", ["", "", "", totals.index]),
        ("Xếp loại", ["", totals.classification or "—"]),
        ("Số tiêu chí thành phần thiếu số liệu, tài liệu kiểm chứng", ["", len(gaps)]),
    ]
    for label, values in lines:
        _row(ws, row, _padded(["", label, *values]), fmt, bold=True)
        ws.cell(row, 4).number_format = "0" if label.startswith("Số tiêu chí") else fmt
        row += 1
    note = ws.cell(row + 1, 2)
    put_text(note, "Dòng tô màu: tiêu chí thành phần chưa có số liệu hoặc chưa kê khai tài liệu kiểm chứng; "
                   "đơn vị cần giải trình (cột Giải trình).").font = font(11, italic=True)
    _print_setup(ws, len(HEADERS), row)


def _summary(ws: Worksheet, sheet: ScoreSheet) -> None:
    rubric = sheet.rubric
    fmt = _number_format(rubric.precision)
    headers = (("Hạng", 7), ("Đơn vị", 40), ("Điểm", 10), ("Điểm tối đa", 10), ("Chỉ số (%)", 10),
               ("Xếp loại", 14), ("Số tiêu chí thành phần thiếu số liệu", 16))
    _title(ws, [(f"TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM {rubric.year}", 14, True, False),
                (f"{rubric.title} ({rubric.id}) — {len(sheet)} đơn vị", 12, False, True)], len(headers))
    _headers(ws, headers, 4)
    for row, ranked in enumerate(rank(sheet), 5):
        missing = sheet.totals(sheet.position(ranked.unit)).missing_leaves
        _row(ws, row, [ranked.rank, ranked.unit, ranked.points, ranked.max, ranked.index,
                       ranked.classification or "—", missing], fmt, headers=headers)
        for column in (1, 7):
            ws.cell(row, column).number_format = "0"
    _print_setup(ws, len(headers), 4 + len(sheet), portrait=True)


def _print_setup(ws: Worksheet, width: int, last_row: int, portrait: bool = False) -> None:
    ws.print_area = f"A1:{get_column_letter(width)}{last_row + 1}"
    ws.page_setup.orientation = "portrait" if portrait else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "Trang &P/&N"
