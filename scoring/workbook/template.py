"""The self-assessment workbook a unit fills: generated from any rubric.

Sheet “Tự đánh giá”: the tree with indentation and bold fields, maxima, the rule in words,
the evidence required; per leaf an input cell shaped by the rule kind, the documents it
holds (số/ký hiệu, ngày ban hành, trích yếu) and a giải trình; the structure is locked and
the sheet protected (no password: it guards against accidents, not people). Sheet “Thông tin
đơn vị”: the unit and what its report needs. Hidden: “Mã” (the keys of every row, for the
reader) and “Danh mục” (dropdown lists too long or too rich for Excel's inline lists).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from openpyxl import Workbook
from openpyxl.styles import Alignment, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from criteria import Adjustment, Node, Rubric, load_rubric
from criteria.files import need_suffix, refuse_overwriting
from criteria.model import NOT_APPLICABLE_WORDS_VI
from criteria.numbers import format_points

from scoring.workbook.inputs import (
    DATE_FORMAT, ITEM_INPUT, PROMPT_LIMIT, WHOLE_NODE_INPUT, CellInput, has_own_input, leaf_input,
)
from scoring.workbook.layout import (
    CODES_FIRST_ROW, CODES_SHEET, COLUMN_OF, COLUMNS, DEFAULT_RECIPIENTS, FORMAT_VERSION, INFO_FIELDS, INFO_SHEET,
    LISTS_SHEET, MAIN_SHEET, MARKER, META_RUBRIC, META_SHEET, META_YEAR, SIGNER_TITLES, item_key,
)
from scoring.office.xlsx_cells import (
    BORDER, FIELD_FILL, HEADER_FILL, INPUT_FILL, WRAP_TOP, font, put_text, save_workbook, wrapped_height,
)

TITLE_ROW, HEADER_ROW, NUMBER_ROW, FIRST_ROW = 1, 5, 7, 8  # header spans rows 5–6
_UNLOCKED = Protection(locked=False)
_INLINE_LIMIT = 255  # Excel's limit for an inline list ("a,b,c")


def build_template(rubric: Rubric, unit: str | None = None) -> Workbook:
    """The workbook for ``rubric``; ``unit`` pre-fills the unit's name."""
    return _Builder(rubric).build(unit)


def write_template(rubric: Rubric, path: str | Path, unit: str | None = None) -> Path:
    path = Path(path)
    save_workbook(build_template(rubric, unit), path)
    return path


def template_file(rubric_path: Path, output: Path, unit: str | None = None) -> Rubric:
    """``parindex template``: the self-assessment workbook of the rubric file, written to ``output`` (.xlsx)."""
    need_suffix(output, ".xlsx", "--output")
    refuse_overwriting(output, [rubric_path])
    rubric = load_rubric(rubric_path)
    write_template(rubric, output, unit)
    return rubric


def walk(nodes: tuple[Node, ...], depth: int = 0) -> Iterator[tuple[Node, int]]:
    for node in nodes:
        yield node, depth
        yield from walk(node.children, depth + 1)


class _Builder:
    def __init__(self, rubric: Rubric):
        self.rubric = rubric
        self.policies = rubric.policy_of()
        self.book = Workbook()
        self.main: Worksheet = self.book.active
        self.main.title = MAIN_SHEET
        self.info = self.book.create_sheet(INFO_SHEET)
        self.codes = self.book.create_sheet(CODES_SHEET)
        self.lists = self.book.create_sheet(LISTS_SHEET)
        self.row = FIRST_ROW
        self.code_row = CODES_FIRST_ROW
        self.list_columns: dict[tuple[str, ...], str] = {}
        self.validations: dict[tuple[str, str, str], DataValidation] = {}
        self.unit_cell = ""

    # ------------------------------------------------------------------ whole book
    def build(self, unit: str | None) -> Workbook:
        self._info_sheet(unit)
        self._codes_head()
        self._main_head()
        for node, depth in walk(self.rubric.nodes):
            self._node(node, depth, section=None)
        for adjustment in self.rubric.adjustments:
            self._section(adjustment)
            for node, depth in walk(adjustment.children, 1):
                self._node(node, depth, section=adjustment)
        self._main_finish()
        for sheet in (self.codes, self.lists):
            sheet.sheet_state = "hidden"
        self.book.security = WorkbookProtection(lockStructure=True)
        self.book.active = 0
        return self.book

    # ------------------------------------------------------------------ main sheet
    def _main_head(self) -> None:
        ws, last = self.main, get_column_letter(len(COLUMNS) - 1)
        year = self.rubric.year
        lines = [
            (f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}", font(14, bold=True), 22),
            (self.rubric.title, font(12, italic=True), 18),
            (None, font(12, bold=True), 18),
            ("Hướng dẫn: nhập vào các ô màu vàng. Cột “Số liệu kê khai”: chọn trong danh sách hoặc nhập số, "
             "ngày theo gợi ý hiện ra khi chọn ô; tiêu chí không phát sinh chọn “Không áp dụng” (nếu bộ chỉ số "
             "cho phép; chọn ở dòng tiêu chí nếu cả tiêu chí không phát sinh). Ghi tài liệu kiểm chứng (số, ký hiệu; ngày ban hành; trích yếu), mỗi văn bản một dòng "
             "(Alt+Enter). Tiêu chí thành phần chưa có tài liệu kiểm chứng phải có giải trình. Thông tin đơn vị "
             "nhập ở sheet “Thông tin đơn vị”. Điểm do phần mềm tính khi chấm (parindex score).",
             font(11, italic=True), 48),
        ]
        for offset, (text, style, height) in enumerate(lines):
            row = TITLE_ROW + offset
            ws.merge_cells(f"A{row}:{last}{row}")
            cell = ws.cell(row, 1)
            if text is None:
                cell.value = f'="Đơn vị: "&{self.unit_cell}'
            else:
                put_text(cell, text)
            cell.font = style
            cell.alignment = Alignment(horizontal="left" if offset == 3 else "center", vertical="center",
                                       wrap_text=True)
            ws.row_dimensions[row].height = height
        for index, column in enumerate(COLUMNS, 1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = column.width
            self._header(ws.cell(HEADER_ROW, index), column.group or column.header)
            self._header(ws.cell(HEADER_ROW + 1, index), column.header if column.group else None)
            if column.group is None:
                ws.merge_cells(f"{letter}{HEADER_ROW}:{letter}{HEADER_ROW + 1}")
            number = ws.cell(NUMBER_ROW, index)
            if column.key != "key":
                put_text(number, f"({index})")
            number.font = font(10, italic=True)
            number.alignment = Alignment(horizontal="center")
            number.border = BORDER
        groups = [i for i, c in enumerate(COLUMNS, 1) if c.group]
        ws.merge_cells(start_row=HEADER_ROW, start_column=groups[0], end_row=HEADER_ROW, end_column=groups[-1])
        ws.row_dimensions[HEADER_ROW].height = 20
        ws.row_dimensions[HEADER_ROW + 1].height = 34

    @staticmethod
    def _header(cell, text: str | None) -> None:  # noqa: ANN001
        if text is not None:
            put_text(cell, text)
        cell.font = font(12, bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.fill = HEADER_FILL
        cell.border = BORDER

    def _main_finish(self) -> None:
        ws = self.main
        last_row = self.row - 1
        ws.column_dimensions[get_column_letter(COLUMN_OF["key"])].hidden = True
        ws.freeze_panes = f"C{FIRST_ROW}"
        ws.print_title_rows = f"{HEADER_ROW}:{NUMBER_ROW}"
        ws.print_area = f"A1:{get_column_letter(len(COLUMNS) - 1)}{last_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.5
        ws.oddFooter.center.text = "Trang &P/&N"
        _protect(ws)

    def _cells(self, key: str, kind: str, values: dict[str, object], *, bold: bool = False,
               italic: bool = False, indent: int = 0, fill=None) -> int:  # noqa: ANN001
        """Write one row of the main sheet and record its key; returns the row."""
        ws, row = self.main, self.row
        for index, column in enumerate(COLUMNS, 1):
            cell = ws.cell(row, index)
            value = values.get(column.key)
            if isinstance(value, Decimal):
                cell.value = value
            elif value is not None:
                put_text(cell, str(value))
            cell.font = font(12, bold=bold, italic=italic)
            cell.alignment = Alignment(wrap_text=True, vertical="top", indent=indent if column.key == "name" else 0,
                                       horizontal="center" if column.key in ("stt", "max") else None)
            cell.border = BORDER
            if fill is not None:
                cell.fill = fill
        put_text(ws.cell(row, COLUMN_OF["key"]), key)
        wrapped = [(str(values.get(c.key) or ""), c.width) for c in COLUMNS if c.key in ("name", "rule", "required")]
        ws.row_dimensions[row].height = wrapped_height(wrapped)
        self.codes[f"A{self.code_row}"].value = row
        for target, value in zip(("B", "C"), (key, kind)):  # a code may start with “=”: text, never a formula
            put_text(self.codes[f"{target}{self.code_row}"], value)
        self.code_row += 1
        self.row += 1
        return row

    def _node(self, node: Node, depth: int, section: Adjustment | None) -> None:
        values: dict[str, object] = {"stt": node.code, "name": node.name, "max": node.max}
        if not node.is_leaf:
            top = depth == 0 and section is None
            row = self._cells(node.code, "field" if top else "node", values, bold=depth <= 1 and section is None,
                              indent=depth, fill=FIELD_FILL if top else None)
            self._input(row, "explanation")
            if section is None and all(self.policies[n.code] != "not_allowed" for n in node.walk() if n.is_leaf):
                self._input(row, "value")
                self._validate(row, "value", WHOLE_NODE_INPUT)
            return
        policy = self.policies[node.code]
        na_allowed = policy != "not_allowed"
        spec = leaf_input(node, na_allowed)
        rule_text = node.text or node.rule.describe(node.max)  # type: ignore[union-attr]
        if na_allowed:
            rule_text += f"\n(Không phát sinh: {NOT_APPLICABLE_WORDS_VI[policy]}.)"
        own_input = has_own_input(node, na_allowed)
        asked = node.rule.input_spec(node.max)  # type: ignore[union-attr]
        items = tuple(zip(asked.choices, asked.choice_points)) if asked.widget == "checklist" else None
        if items is not None:
            rule_text += "\nĐánh dấu “Có” hoặc “Không” cho từng mục ở các dòng dưới."
        values.update(rule=rule_text, required=node.evidence or "")
        row = self._cells(node.code, "leaf", values, indent=depth)
        for key in ("doc_number", "doc_date", "doc_summary", "explanation"):
            self._input(row, key)
        self.main.cell(row, COLUMN_OF["doc_date"]).number_format = DATE_FORMAT
        self._validate(row, "doc_date", CellInput(
            "Ngày ban hành văn bản (ngày/tháng/năm); nhiều văn bản: mỗi ngày một dòng, theo thứ tự cột Số, ký hiệu."))
        if own_input:
            self._input(row, "value")
            self.main.cell(row, COLUMN_OF["value"]).number_format = spec.number_format
            self._validate(row, "value", spec)
        for number, (label, points) in enumerate(items or (), 1):
            item_row = self._cells(item_key(node.code, number), "item",
                                   {"name": f"- {label}", "max": points}, italic=True, indent=depth + 1)
            self._input(item_row, "value")
            self._validate(item_row, "value", ITEM_INPUT)

    def _section(self, adjustment: Adjustment) -> None:
        word = "Cộng điểm các tiêu chí đạt" if adjustment.kind == "bonus" else "Trừ số điểm bị mất của các tiêu chí"
        self._cells(adjustment.code, "section", {
            "stt": adjustment.code, "name": adjustment.name.upper(), "max": adjustment.cap,
            "rule": f"{word}, tối đa {format_points(adjustment.cap)} điểm; không tính vào điểm tối đa.",
        }, bold=True, fill=FIELD_FILL)

    def _input(self, row: int, key: str) -> None:
        cell = self.main.cell(row, COLUMN_OF[key])
        cell.protection = _UNLOCKED
        cell.fill = INPUT_FILL

    # ------------------------------------------------------------------ validation
    def _validate(self, row: int, key: str, spec: CellInput) -> None:
        ref = f"{get_column_letter(COLUMN_OF[key])}{row}"
        if spec.items:
            kind, formula = "list", self._list_formula(spec.items)
        elif spec.formula:
            kind, formula = "custom", spec.formula.replace("{c}", ref)
        else:
            kind, formula = "any", ""
        if not spec.prompt and kind == "any":
            return
        group = (kind, formula, spec.prompt)
        validation = self.validations.get(group) if kind != "custom" else None
        if validation is None:
            prompt = spec.prompt[:PROMPT_LIMIT]
            options = dict(allow_blank=True, showInputMessage=True, showErrorMessage=kind != "any",
                           promptTitle="Nhập số liệu", prompt=prompt, errorTitle="Giá trị không hợp lệ",
                           error=prompt)
            validation = (DataValidation(type=kind, formula1=formula, **options) if kind != "any"
                          else DataValidation(**options))
            self.main.add_data_validation(validation)
            self.validations[group] = validation
        validation.add(ref)

    def _list_formula(self, items: tuple[str, ...]) -> str:
        inline = ",".join(items)
        if len(inline) + 2 <= _INLINE_LIMIT and not any(("," in i or '"' in i) for i in items):
            return f'"{inline}"'
        column = self.list_columns.get(items)
        if column is None:
            column = get_column_letter(len(self.list_columns) + 1)
            self.list_columns[items] = column
            for offset, item in enumerate(items, 1):
                put_text(self.lists[f"{column}{offset}"], item)
        return f"'{LISTS_SHEET}'!${column}$1:${column}${len(items)}"

    # ------------------------------------------------------------------ other sheets
    def _info_sheet(self, unit: str | None) -> None:
        ws = self.info
        for letter, width in (("A", 10), ("B", 30), ("C", 50), ("D", 50)):
            ws.column_dimensions[letter].width = width
        ws.column_dimensions["A"].hidden = True
        ws.merge_cells("B1:D1")
        put_text(ws["B1"], "THÔNG TIN ĐƠN VỊ VÀ BÁO CÁO").font = font(14, bold=True)
        ws["B1"].alignment = Alignment(horizontal="center")
        put_text(ws["B2"], "Nhập vào các ô màu vàng; (*) là bắt buộc. Các thông tin này dùng để lập báo cáo "
                           "tự đánh giá (parindex score --format docx).").font = font(11, italic=True)
        ws.merge_cells("B2:D2")
        for letter, text in zip("BCD", ("Nội dung", "Thông tin", "Hướng dẫn")):
            self._header(ws[f"{letter}3"], text)
        defaults = {"unit": unit or "", "level": self.rubric.level, "year": self.rubric.year,
                    "recipients": DEFAULT_RECIPIENTS}
        for row, field in enumerate(INFO_FIELDS, 4):
            put_text(ws[f"A{row}"], field.key)
            put_text(ws[f"B{row}"], field.label).font = font(12, bold=True)
            value = ws[f"C{row}"]
            default = defaults.get(field.key)
            if isinstance(default, int):
                value.value = default
            elif default:
                put_text(value, default)
            value.font = font(12)
            value.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")
            if not field.locked:
                value.protection = _UNLOCKED
                value.fill = INPUT_FILL
            put_text(ws[f"D{row}"], field.hint).font = font(11, italic=True)
            for letter in "BCD":
                ws[f"{letter}{row}"].border = BORDER
            for letter in "BD":
                ws[f"{letter}{row}"].alignment = WRAP_TOP
            ws.row_dimensions[row].height = 60 if field.key in ("recipients", "difficulties", "proposals") else 20
            if field.key == "unit":
                self.unit_cell = f"'{INFO_SHEET}'!C{row}"
            if field.key == "date":
                value.number_format = DATE_FORMAT
            if field.key == "signer_title":
                titles = DataValidation(type="list", formula1=f'"{",".join(SIGNER_TITLES)}"', allow_blank=True,
                                        showErrorMessage=False, showInputMessage=True, promptTitle="Chức vụ",
                                        prompt="Chọn hoặc gõ chức vụ người ký (ví dụ Giám đốc).")
                ws.add_data_validation(titles)
                titles.add(f"C{row}")
        ws.row_dimensions[2].height = 30
        ws["B2"].alignment = WRAP_TOP
        ws.print_area = f"B1:D{3 + len(INFO_FIELDS)}"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        _protect(ws)

    def _codes_head(self) -> None:
        ws = self.codes
        rows = ((MARKER, FORMAT_VERSION), (META_RUBRIC, self.rubric.id), (META_YEAR, self.rubric.year),
                (META_SHEET, MAIN_SHEET), ("Tạo lúc", dt.datetime.now().replace(microsecond=0).isoformat()))
        for row, (label, value) in enumerate(rows, 1):
            put_text(ws.cell(row, 1), label)
            if isinstance(value, str):
                put_text(ws.cell(row, 2), value)
            else:
                ws.cell(row, 2).value = value
        for column, text in enumerate(("Dòng", "Mã", "Loại"), 1):
            put_text(ws.cell(CODES_FIRST_ROW - 1, column), text)


def _protect(ws: Worksheet) -> None:
    """Protect the sheet (no password) but let the unit resize rows and columns."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
