"""Table rows → a tree of draft nodes, rebuilt from the codes.

- "1", "1.1", "1.1.1": the parent is the node whose code is the longest prefix.
- Roman numerals ("I", "II") are fields; their code becomes the Arabic number ("2"). Under a
  field, criteria written "2.1" keep their code; criteria that restart at "1" get the field's
  number in front ("1" under field II → "2.1", "1.1" → "2.1.1").
- "a", "b)", "c." are items of the nearest numbered node: "1.1" + "a" → "1.1.a".
- A row without a code continues the node above it: its text (and its points, as
  "label: points") is added to that node's rule text; its evidence to that node's evidence.
  This is how provinces list options under a sub-criterion.
- A row named "Điểm thưởng"/"Điểm cộng"/"Điểm trừ" (or whose rule text begins so) opens a
  bonus or penalty section; "Tổng cộng" rows are checked, not imported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from ..numbers import format_points, parse_decimal
from ..rule_text import clean_text, one_line
from .codes import Code, read_code, split_leading_code
from .grid import Grid
from .header import Header, fold, numbering_row

SECTION_WORDS = re.compile(r"^diem (thuong|cong|tru)\b")
TOTAL_WORDS = re.compile(r"^(tong cong|tong diem|tong so diem|tong so|tong|cong)\b")
SECTION_CODES = {"bonus": "T", "penalty": "TR"}


@dataclass
class Draft:
    """A node as read from the table, before validation."""

    code: str
    name: str
    row: int  # index in the grid
    max_text: object = None
    rule_lines: list[str] = field(default_factory=list)
    evidence_lines: list[str] = field(default_factory=list)
    children: list["Draft"] = field(default_factory=list)
    section: Literal["bonus", "penalty"] | None = None
    restart: bool | None = None  # numbering of the children restarts at 1 (Roman fields, sections)
    max: Decimal | None = None

    @property
    def rule_text(self) -> str:
        return "\n".join(self.rule_lines)

    @property
    def evidence(self) -> str:
        return "\n".join(self.evidence_lines)


@dataclass
class Total:
    row: int
    value: object


@dataclass
class Layout:
    """What the table holds: top-level nodes, sections, total rows, and what went wrong."""

    top: list[Draft] = field(default_factory=list)
    sections: list[Draft] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)
    problems: list[tuple[int, str, str | None]] = field(default_factory=list)  # (row, message, code)
    notes: list[tuple[int, str, str | None]] = field(default_factory=list)

    def all(self) -> list[Draft]:
        out: list[Draft] = []

        def visit(draft: Draft) -> None:
            out.append(draft)
            for child in draft.children:
                visit(child)

        for draft in self.top + self.sections:
            visit(draft)
        return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return clean_text(str(value))


class _Builder:
    def __init__(self, grid: Grid, header: Header):
        self.grid = grid
        self.header = header
        self.layout = Layout()
        self.by_code: dict[str, Draft] = {}
        self.context: Draft | None = None  # the Roman field or section being read
        self.last: Draft | None = None
        self.last_numbered: Draft | None = None

    def value(self, row: int, role: str, coded_row: bool) -> object:
        if role not in self.header.columns:
            return None
        column = self.header.columns[role]
        cell = self.grid.cell(row, column)
        if cell.origin is not None:
            if cell.origin[0] <= self.header.row or cell.beside(column):
                return None  # part of the header, or a label spread across the row
            if cell.below(row, column) and not (coded_row and role in ("rule", "evidence")):
                return None  # a merged code/name/max belongs to its first row only
        return cell.value

    def run(self) -> Layout:
        for row in range(self.header.row + 1, len(self.grid.rows)):
            self.read_row(row)
        return self.layout

    def read_row(self, row: int) -> None:
        raw = {role: self.value(row, role, coded_row=False) for role in ("code", "name", "max", "rule", "evidence")}
        if all(_text(v) == "" for v in raw.values()):
            return
        if numbering_row([cell.value for cell in self.grid.rows[row] if cell.origin is None]):
            return
        code_text, name = raw["code"], one_line(_text(raw["name"]))
        if TOTAL_WORDS.match(fold(code_text)) or (not _text(code_text) and TOTAL_WORDS.match(fold(name))):
            self.layout.totals.append(Total(row, raw["max"]))
            return
        try:
            code = read_code(code_text)
        except ValueError as exc:
            split = split_leading_code(_text(code_text))
            if split is None or name:
                self.layout.problems.append((row, str(exc), None))
                return
            code, name = split
        if code is None and name:
            split = split_leading_code(name)
            if split is not None and split[0].kind in ("roman", "number"):
                code, name = split
        section = self.section_of(name, _text(raw["rule"]))
        if code is None and section is None:
            self.continue_last(row, name, raw)
            return
        full = {role: self.value(row, role, coded_row=True) for role in ("rule", "evidence")}
        self.add(row, code, name, raw["max"], _text(full["rule"]), _text(full["evidence"]), section)

    def section_of(self, name: str, rule: str) -> Literal["bonus", "penalty"] | None:
        for text in (name, rule):
            match = SECTION_WORDS.match(fold(text))
            if match:
                return "penalty" if match.group(1) == "tru" else "bonus"
        return None

    def continue_last(self, row: int, name: str, raw: dict[str, object]) -> None:
        if self.last is None:
            self.layout.notes.append((row, "dòng trước tiêu chí đầu tiên, không có mã: bỏ qua", None))
            return
        rule = _text(raw["rule"])
        if name:
            points = _text(raw["max"])
            self.last.rule_lines.append(f"{name}: {points}" if points else name)
        elif _text(raw["max"]):
            self.layout.problems.append((row, "dòng không có mã và tên nhưng có điểm", self.last.code))
        if rule:
            self.last.rule_lines.append(rule)
        evidence = _text(raw["evidence"])
        if evidence:
            self.last.evidence_lines.append(evidence)

    def add(self, row: int, code: Code | None, name: str, max_text: object, rule: str, evidence: str,
            section: Literal["bonus", "penalty"] | None) -> None:
        if not name:
            self.layout.problems.append((row, "thiếu tên tiêu chí", code.text if code else None))
            return
        top_level = code is None or code.kind == "roman" or (code.kind != "letter" and len(code.parts) == 1)
        if section is not None and top_level:
            final = str(code.roman_value) if code and code.kind == "roman" else (code.text if code else
                                                                                 SECTION_CODES[section])
            draft = Draft(final, name, row, max_text, section=section)
            if rule and not SECTION_WORDS.match(fold(rule)):
                draft.rule_lines.append(rule)
            self.register(draft, None)
            self.layout.sections.append(draft)
            self.context, self.last, self.last_numbered = draft, draft, draft
            return
        assert code is not None
        if code.kind == "roman":
            draft = Draft(str(code.roman_value), name, row, max_text)
            if self.register(draft, None):
                self.layout.top.append(draft)
            self.context, self.last, self.last_numbered = draft, draft, draft
            return
        if code.kind == "letter":
            parent = self.last_numbered
            if parent is None:
                self.layout.problems.append((row, f"mục “{code.text}” không thuộc tiêu chí nào", None))
                return
            draft = Draft(f"{parent.code}.{code.text}", name, row, max_text, [rule] if rule else [],
                          [evidence] if evidence else [])
            if self.register(draft, parent):
                parent.children.append(draft)
            self.last = draft
            return
        final = self.full_code(code)
        parent = self.parent_of(final)
        draft = Draft(final, name, row, max_text, [rule] if rule else [], [evidence] if evidence else [])
        if parent is None and "." in final:
            self.layout.problems.append((row, f"không tìm thấy tiêu chí cha của “{final}”", final))
            return
        if self.register(draft, parent, code):
            (parent.children if parent else self.layout.top).append(draft)
        self.last, self.last_numbered = draft, draft

    def full_code(self, code: Code) -> str:
        context = self.context
        if context is None:
            return code.text
        if context.restart is None:
            context.restart = not (len(code.parts) > 1 and code.parts[0] == context.code)
        return f"{context.code}.{code.text}" if context.restart else code.text

    def parent_of(self, code: str) -> Draft | None:
        parts = code.split(".")
        for length in range(len(parts) - 1, 0, -1):
            found = self.by_code.get(".".join(parts[:length]))
            if found is not None:
                return found
        return None

    def register(self, draft: Draft, parent: Draft | None, code: Code | None = None) -> bool:
        if draft.code in self.by_code and code is not None and code.from_number and "." in code.text:
            widened = draft.code + "0"  # Excel turned "1.10" into 1.1
            if widened not in self.by_code:
                self.layout.notes.append((draft.row, f"mã “{draft.code}” bị Excel lưu thành số; đọc là “{widened}”",
                                          widened))
                draft.code = widened
        if draft.code in self.by_code:
            first = self.by_code[draft.code]
            self.layout.problems.append(
                (draft.row, f"mã “{draft.code}” bị lặp (đã có ở {self.grid.place(first.row)})", draft.code))
            return False
        self.by_code[draft.code] = draft
        return True


def read_layout(grid: Grid, header: Header) -> Layout:
    """Rows → drafts; maxima read and checked ("0,5", "1.5", "2 điểm")."""
    layout = _Builder(grid, header).run()
    for draft in layout.all():
        text = _text(draft.max_text)
        if text:
            try:
                draft.max = parse_decimal(draft.max_text if not isinstance(draft.max_text, str) else text)
            except ValueError as exc:
                layout.problems.append((draft.row, f"điểm tối đa: {exc}", draft.code))
                continue
            if draft.max < 0:
                layout.problems.append((draft.row, "điểm tối đa không được âm", draft.code))
        elif not draft.children:
            layout.problems.append((draft.row, "thiếu điểm tối đa", draft.code))
        elif draft.section is not None:
            layout.problems.append((draft.row, "phần điểm thưởng/điểm trừ cần ghi mức tối đa ở cột điểm tối đa",
                                    draft.code))
    return layout


def check_sums(layout: Layout, use_child_sums: bool) -> list[tuple[int, str, str | None]]:
    """Parents whose maximum is not the sum of their children's. Returns the findings; when
    ``use_child_sums`` is false they are also problems (the rubric would not validate)."""
    findings = []

    def visit(draft: Draft) -> None:
        for child in draft.children:
            visit(child)
        if not draft.children or draft.section is not None:
            return
        if any(child.max is None for child in draft.children):
            return
        total = sum((child.max for child in draft.children), Decimal(0))  # type: ignore[misc]
        if draft.max is None:
            draft.max = total
            layout.notes.append((draft.row, f"không ghi điểm tối đa; lấy tổng các tiêu chí con: "
                                            f"{format_points(total)}", draft.code))
        elif total != draft.max:
            message = (f"tổng điểm tối đa các tiêu chí con ({format_points(total)}) khác điểm tối đa ghi ở "
                       f"dòng này ({format_points(draft.max)})")
            if use_child_sums:
                message += f"; đã lấy tổng các tiêu chí con ({format_points(total)})"
                draft.max = total
            else:
                layout.problems.append((draft.row, message, draft.code))
            findings.append((draft.row, message, draft.code))

    for draft in layout.top + layout.sections:
        visit(draft)
    if layout.top and all(d.max is not None for d in layout.top):
        total = sum((d.max for d in layout.top), Decimal(0))  # type: ignore[misc]
        for row in layout.totals:
            try:
                stated = parse_decimal(row.value if not isinstance(row.value, str) else _text(row.value))
            except ValueError:
                continue
            if stated != total:
                findings.append((row.row, f"dòng tổng ghi {format_points(stated)}, tổng các lĩnh vực là "
                                          f"{format_points(total)}", None))
    return findings
