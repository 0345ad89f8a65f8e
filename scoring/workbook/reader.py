"""Reading a filled self-assessment workbook back: cells → raw evidence → ``validate_frame``.

Rows are found by their key (hidden column), so a moved row still reads; a leaf whose row is
gone, an unknown key, a repeated row, a row typed outside any criterion, a cell merged over
several rows, a formula without a value — each is one problem naming the sheet and cell,
all of them reported together with the problems of the values themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import pandas as pd
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from criteria import EvidenceError, Problem, Rubric
from criteria.rules.base import norm_text, says_not_applicable
from criteria.rules.boolean import FALSE_WORDS, TRUE_WORDS
from criteria.rules.deadline import date_text, parse_date

from scoring.evidence import Document, EvidenceTable, ProblemList, validate_frame
from scoring.workbook.details import UnitDetails
from scoring.workbook.layout import (
    CODES_FIRST_ROW, CODES_SHEET, COLUMNS, INFO_FIELDS, INFO_SHEET, INPUT_KEYS, MARKER,
    META_RUBRIC, META_SHEET, META_YEAR, item_key, split_key,
)
from scoring.office.xlsx_book import CellError, ReadBook, multi_row_merges
from scoring.office.xlsx_cells import place

_HEADER_SCAN = 30  # the header is looked for in the first rows
_LEAF_INPUTS = set(INPUT_KEYS)


@dataclass(frozen=True)
class TemplateMeta:
    rubric_id: str
    year: Any
    sheet: str
    rows: dict[str, int]  # key → its row when the template was generated


def template_meta(book: ReadBook) -> TemplateMeta | None:
    """The hidden sheet's record, or ``None`` when the workbook is not a self-assessment sheet."""
    if CODES_SHEET not in book.book.sheetnames:
        return None
    ws = book.book[CODES_SHEET]
    if ws.cell(1, 1).value != MARKER:
        return None
    labels = {str(ws.cell(r, 1).value): ws.cell(r, 2).value for r in range(2, CODES_FIRST_ROW - 1)}
    rows = {}
    for row, key in ws.iter_rows(min_row=CODES_FIRST_ROW, max_col=2, values_only=True):
        if key is not None and isinstance(row, int):
            rows[str(key)] = row
    return TemplateMeta(str(labels.get(META_RUBRIC, "")), labels.get(META_YEAR), str(labels.get(META_SHEET, "")), rows)


def expected_keys(rubric: Rubric) -> tuple[set[str], set[str]]:
    """(keys that must have a row: leaves and additive items, every key the template may hold)."""
    required: set[str] = set()
    for leaf in rubric.leaves():
        required.add(leaf.code)
        asked = leaf.rule.input_spec(leaf.max)  # type: ignore[union-attr]
        if asked.widget == "checklist":
            required.update(item_key(leaf.code, n) for n in range(1, len(asked.choices) + 1))
    known = required | set(rubric.by_code) | {a.code for a in rubric.adjustments}
    return required, known


class _Collected:
    """Problems with the row and column they sit at, so they print in reading order."""

    def __init__(self, name: str):
        self.name = name
        self.items: list[tuple[tuple[int, int, int], Problem]] = []

    def add(self, order: tuple[int, int, int], where: str, message: str, code: str | None = None) -> None:
        self.items.append((order, Problem(self.name, where, message, code)))

    def raise_if_any(self, more: Iterable[tuple[tuple[int, int, int], Problem]] = ()) -> None:
        everything = sorted([*self.items, *more], key=lambda item: item[0])
        problems = ProblemList()
        for _, problem in everything:
            problems.add(problem)
        problems.raise_if_any(self.name)


@dataclass(frozen=True)
class SheetContents:
    """All a filled sheet holds: the validated table and details, and the cells as the clerk typed
    them (by leaf code) with the giải trình and documents — what a form shows back to its user."""

    table: EvidenceTable
    details: UnitDetails
    cells: dict[str, str]
    explanations: dict[tuple[str, str], str]
    documents: dict[tuple[str, str], list[Document]]


class SheetReader:
    """One self-assessment workbook → ``EvidenceTable`` (one unit) and ``UnitDetails``."""

    def __init__(self, rubric: Rubric, book: ReadBook, meta: TemplateMeta):
        self.rubric, self.book, self.meta = rubric, book, meta
        self.problems = _Collected(book.name)
        self.rows: dict[str, int] = {}
        self.info_cells: dict[str, tuple[int, int]] = {}

    # ------------------------------------------------------------------ entry
    def read(self) -> tuple[EvidenceTable, UnitDetails]:
        contents = self.read_all()
        return contents.table, contents.details

    def read_all(self) -> SheetContents:
        """Every problem of the sheet at once (``EvidenceError``, each with its sheet and cell), or
        its contents."""
        if self.meta.rubric_id != self.rubric.id:
            raise EvidenceError.single(self.book.name, f"sheet {CODES_SHEET}",
                                       f"mẫu được tạo cho bộ chỉ số “{self.meta.rubric_id}”, không phải “{self.rubric.id}”; "
                                       "hãy tạo mẫu mới bằng parindex template")
        ws = self._main_sheet()
        columns = self._columns(ws)
        details = self._details()
        self._find_rows(ws, columns)
        values, explanations, documents = self._values(ws, columns, details.unit)
        frame = pd.DataFrame([values], index=[details.unit], dtype=object)
        value_column = columns["value"]
        unit_cell = self.info_cells.get("unit", (0, 0))

        def place_of(row: int, code: str) -> str:
            if not code:
                return place(INFO_SHEET, f"C{unit_cell[0]}")
            return place(ws.title, f"{get_column_letter(value_column)}{self.rows.get(code, 0)}")

        more = []
        try:
            table = validate_frame(self.rubric, frame, self.book.name, place_of, explanations, documents)
        except EvidenceError as exc:
            table = None
            for problem in exc.problems:
                row = self.rows.get(problem.code or "", 0)
                order = (0, row, value_column) if problem.code else (1, unit_cell[0], 3)
                more.append((order, problem))
        self.problems.raise_if_any(more)
        assert table is not None
        return SheetContents(table, details, values, explanations, documents)

    # ------------------------------------------------------------------ structure
    def _main_sheet(self) -> Worksheet:
        name = self.meta.sheet
        if name not in self.book.book.sheetnames:
            raise EvidenceError.single(self.book.name, "", f"không tìm thấy sheet “{name}” (sheet đã bị đổi tên hoặc xóa?)")
        return self.book.book[name]

    def _columns(self, ws: Worksheet) -> dict[str, int]:
        """Columns found by their header text, so an inserted column does not shift the reading."""
        wanted = {norm_text(c.header): c.key for c in COLUMNS}
        found: dict[str, int] = {}
        self.header_row = 0
        for row in ws.iter_rows(min_row=1, max_row=_HEADER_SCAN):
            for cell in row:
                key = wanted.get(norm_text(cell.value)) if isinstance(cell.value, str) else None
                if key is not None and key not in found:
                    found[key] = cell.column
                    self.header_row = max(self.header_row, cell.row)
        missing = [c.header for c in COLUMNS if c.key not in found]
        if missing:
            raise EvidenceError.single(
                self.book.name, f"sheet {ws.title}",
                "không tìm thấy cột " + ", ".join(f"“{h}”" for h in missing) + " (hàng tiêu đề đã bị sửa?)")
        return found

    def _find_rows(self, ws: Worksheet, columns: dict[str, int]) -> None:
        required, known = expected_keys(self.rubric)
        key_column = columns["key"]
        inputs = {key: columns[key] for key in _LEAF_INPUTS}
        started = False
        for row in range(self.header_row + 1, ws.max_row + 1):
            key = self._text(ws, row, key_column)
            if not key:
                if started:
                    self._stray_row(ws, row, inputs)
                continue
            started = True
            if key in self.rows:
                self.problems.add((0, row, key_column), place(ws.title, f"{get_column_letter(key_column)}{row}"),
                                  f"dòng của “{key}” bị lặp (đã có ở dòng {self.rows[key]}); hãy xóa dòng thừa")
                continue
            if key not in known:
                self.problems.add((0, row, key_column), place(ws.title, f"{get_column_letter(key_column)}{row}"),
                                  f"mã “{key}” ở cột ẩn “Mã (không sửa)” không có trong bộ chỉ số {self.rubric.id}")
                continue
            self.rows[key] = row
            self._locked_inputs(ws, row, key, inputs)
        for key in sorted(required - set(self.rows), key=lambda k: self.meta.rows.get(k, 0)):
            code, number = split_key(key)
            was = self.meta.rows.get(key)
            where = f"sheet {ws.title}, dòng {was} (mẫu gốc)" if was else f"sheet {ws.title}"
            what = f"dòng mục {number} của tiêu chí này" if number else "dòng của tiêu chí này"
            self.problems.add((0, was or 0, 0), where,
                              f"không tìm thấy {what}: dòng đã bị xóa hoặc mẫu không khớp bộ chỉ số; "
                              "hãy khôi phục dòng (Hoàn tác) hoặc tạo mẫu mới", code)
        for coord in multi_row_merges(ws, self.header_row + 1, set(inputs.values()) | {key_column}):
            first = int("".join(ch for ch in coord.split(":")[0] if ch.isdigit()))
            self.problems.add((0, first, 0), place(ws.title, coord),
                              "ô gộp trải qua nhiều dòng; hãy bỏ gộp ô (Unmerge) và nhập riêng cho từng tiêu chí")

    def _stray_row(self, ws: Worksheet, row: int, inputs: dict[str, int]) -> None:
        for column in sorted(inputs.values()):
            if self._text(ws, row, column):
                self.problems.add((0, row, column), place(ws.title, f"{get_column_letter(column)}{row}"),
                                  "dòng này không thuộc tiêu chí nào (dòng chèn thêm?); hãy nhập vào dòng của tiêu chí")
                return

    def _locked_inputs(self, ws: Worksheet, row: int, key: str, inputs: dict[str, int]) -> None:
        """Text typed where the template allows none (possible only once unprotected)."""
        node = self.rubric.by_code.get(key)
        if node is not None and node.is_leaf:
            return
        if node is not None:  # a field or criterion: “Không áp dụng” as a whole, and a giải trình
            allowed = {inputs["value"], inputs["explanation"]}
        else:  # additive item rows answer in the value column; section headings take nothing
            allowed = {inputs["value"]} if split_key(key)[1] is not None else set()
        for column in sorted(set(inputs.values()) - allowed):
            if self._text(ws, row, column):
                self.problems.add((0, row, column), place(ws.title, f"{get_column_letter(column)}{row}"),
                                  f"“{key}” không phải tiêu chí thành phần: không nhập ở dòng này", split_key(key)[0])

    # ------------------------------------------------------------------ values
    def _text(self, ws: Worksheet, row: int, column: int, code: str | None = None) -> str:
        try:
            return self.book.text(ws, row, column)
        except CellError as exc:
            self.problems.add((0, row, column), place(ws.title, f"{get_column_letter(column)}{row}"), str(exc), code)
            return ""

    def _values(self, ws: Worksheet, columns: dict[str, int], unit: str) -> tuple[
        dict[str, str], dict[tuple[str, str], str], dict[tuple[str, str], list[Document]]
    ]:
        """Raw values by code (leaves, and criteria declared không phát sinh as a whole), giải trình, documents."""
        values: dict[str, str] = {}
        explanations: dict[tuple[str, str], str] = {}
        documents: dict[tuple[str, str], list[Document]] = {}
        for leaf in self.rubric.leaves():
            row = self.rows.get(leaf.code)
            if row is None:
                continue
            code = leaf.code
            raw = self._text(ws, row, columns["value"], code)
            explanation = self._text(ws, row, columns["explanation"], code)
            asked = leaf.rule.input_spec(leaf.max)  # type: ignore[union-attr]
            if asked.widget == "checklist":
                raw = self._additive(ws, columns["value"], leaf.code, len(asked.choices), raw)
            if asked.widget == "points" and raw and "|" not in raw and not says_not_applicable(raw):
                if explanation:
                    raw = f"{raw} | {explanation}"
                else:
                    column = columns["explanation"]
                    self.problems.add((0, row, column), place(ws.title, f"{get_column_letter(column)}{row}"),
                                      "điểm tự chấm cần ghi lý do ở cột Giải trình", code)
                    raw = ""
            values[code] = raw
            if explanation:
                explanations[(unit, code)] = explanation
            docs = self._documents(ws, row, columns, code)
            if docs:
                documents[(unit, code)] = docs
        for node in self.rubric.all_nodes():
            row = self.rows.get(node.code)
            if node.is_leaf or row is None:
                continue
            raw = self._text(ws, row, columns["value"], node.code)
            if raw:
                values[node.code] = raw
            explanation = self._text(ws, row, columns["explanation"], node.code)
            if explanation:
                explanations[(unit, node.code)] = explanation
        return values, explanations, documents

    def _additive(self, ws: Worksheet, column: int, code: str, count: int, own: str) -> str:
        """The item rows' Có/Không → “1; 3” (the items met), or the leaf's own cell."""
        met, answered = [], False
        for number in range(1, count + 1):
            row = self.rows.get(item_key(code, number))
            if row is None:
                continue
            answer = norm_text(self._text(ws, row, column, code))
            if not answer:
                continue
            answered = True
            if answer in TRUE_WORDS:
                met.append(str(number))
            elif answer not in FALSE_WORDS:
                self.problems.add((0, row, column), place(ws.title, f"{get_column_letter(column)}{row}"),
                                  f"cần “Có” hoặc “Không”, nhận được “{answer}”", code)
        if own and answered:
            self.problems.add((0, self.rows[code], column),
                              place(ws.title, f"{get_column_letter(column)}{self.rows[code]}"),
                              f"đã khai “{own}” nhưng vẫn đánh dấu các mục bên dưới; chỉ chọn một cách", code)
            return ""
        if own or not answered:
            return own
        return "; ".join(met) if met else "Không có mục nào"

    def _documents(self, ws: Worksheet, row: int, columns: dict[str, int], code: str) -> list[Document]:
        """Số/ký hiệu, ngày, trích yếu; several documents are written one per line."""
        numbers = _lines(self._text(ws, row, columns["doc_number"], code))
        summaries = _lines(self._text(ws, row, columns["doc_summary"], code))
        dates = []
        column = columns["doc_date"]
        for text in _lines(self._text(ws, row, column, code)):
            try:
                dates.append(date_text(parse_date(text)))
            except ValueError:
                self.problems.add((0, row, column), place(ws.title, f"{get_column_letter(column)}{row}"),
                                  f"ngày ban hành “{text}” không hợp lệ (cần ngày/tháng/năm, ví dụ 15/01/2025)", code)
                dates.append(text)
        count = max(len(numbers), len(dates), len(summaries))
        pad = lambda items: items + [""] * (count - len(items))  # noqa: E731
        return [Document(n, d, s) for n, d, s in zip(pad(numbers), pad(dates), pad(summaries))]

    # ------------------------------------------------------------------ unit details
    def _details(self) -> UnitDetails:
        if INFO_SHEET not in self.book.book.sheetnames:
            self.problems.add((1, 0, 0), "", f"không tìm thấy sheet “{INFO_SHEET}”")
            return UnitDetails(unit="")
        ws = self.book.book[INFO_SHEET]
        fields = {f.key for f in INFO_FIELDS}
        texts: dict[str, str] = {}
        for row in range(1, ws.max_row + 1):
            key = ws.cell(row, 1).value
            if key in fields:
                self.info_cells[key] = (row, 3)
                texts[key] = self._info_text(ws, row)
        for key in ("unit", "year"):
            if key not in self.info_cells:
                self.problems.add((1, 0, 0), f"sheet {INFO_SHEET}", f"thiếu dòng “{key}” (sheet đã bị sửa?)")
        year = texts.get("year", "")
        if year and year != str(self.rubric.year):
            row = self.info_cells["year"][0]
            self.problems.add((1, row, 3), place(INFO_SHEET, f"C{row}"),
                              f"năm đánh giá “{year}” khác năm của bộ chỉ số ({self.rubric.year})")
        date = None
        if texts.get("date"):
            try:
                date = parse_date(texts["date"])
            except ValueError as exc:
                row = self.info_cells["date"][0]
                self.problems.add((1, row, 3), place(INFO_SHEET, f"C{row}"), str(exc))
        recipients = tuple(r.strip().lstrip("-+•").strip().rstrip(";.").strip()
                           for r in _lines(texts.get("recipients", "")))
        return UnitDetails(
            unit=texts.get("unit", ""), level=texts.get("level", ""), year=self.rubric.year,
            parent=texts.get("parent", ""), issuer=texts.get("issuer", ""), place=texts.get("place", ""),
            number=texts.get("number", ""), date=date, signer=texts.get("signer", ""),
            signer_title=texts.get("signer_title", ""), recipients=tuple(r for r in recipients if r),
            difficulties=texts.get("difficulties", ""), proposals=texts.get("proposals", ""),
        )

    def _info_text(self, ws: Worksheet, row: int) -> str:
        try:
            return self.book.text(ws, row, 3)
        except CellError as exc:
            self.problems.add((1, row, 3), place(INFO_SHEET, f"C{row}"), str(exc))
            return ""


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def read_self_assessment(rubric: Rubric, book: ReadBook, meta: TemplateMeta) -> tuple[EvidenceTable, UnitDetails]:
    return SheetReader(rubric, book, meta).read()
