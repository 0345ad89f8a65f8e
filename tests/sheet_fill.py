"""Filling a generated self-assessment workbook the way a clerk would, from a unit's YAML evidence.

Dropdown cells get the label, dates a date cell, numbers a number, ratios the text “45/50”,
additive leaves a “Có”/“Không” per item row, documents one per line.

``python -m tests.sheet_fill`` rebuilds the filled example the docs use
(examples/xa-dong-tien-tu-danh-gia.xlsx) after the template or the demo rubric changes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from criteria import Rubric
from criteria.rules import AdditiveRule, DeadlineRule, ManualRule
from criteria.rules.base import says_not_applicable
from criteria.rules.deadline import parse_date
from criteria.yaml_lines import load_yaml
from scoring.workbook.layout import COLUMN_OF, INFO_SHEET, MAIN_SHEET, NOT_APPLICABLE, item_key


def key_rows(book: Workbook) -> dict[str, int]:
    """Key → row in the main sheet (the hidden key column)."""
    ws = book[MAIN_SHEET]
    column = COLUMN_OF["key"]
    return {ws.cell(r, column).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value}


def info_row(book: Workbook, key: str) -> int:
    ws = book[INFO_SHEET]
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == key)


def cell_of(book: Workbook, code: str, column: str = "value") -> Any:
    return book[MAIN_SHEET].cell(key_rows(book)[code], COLUMN_OF[column])


def fill(book: Workbook, rubric: Rubric, data: dict[str, Any]) -> Workbook:
    """Write one unit's YAML evidence (as loaded) into ``book``."""
    ws = book[MAIN_SHEET]
    rows = key_rows(book)
    book[INFO_SHEET].cell(info_row(book, "unit"), 3).value = data["unit"]
    explanations = dict(data.get("explanations") or {})
    for code, value in dict(data.get("evidence") or {}).items():
        leaf = rubric.by_code[code]
        row = rows[code]
        cell = ws.cell(row, COLUMN_OF["value"])
        if isinstance(value, str) and says_not_applicable(value):
            cell.value = NOT_APPLICABLE  # a leaf, or a whole criterion on its own row
        elif isinstance(leaf.rule, AdditiveRule):
            mask = leaf.rule.parse_value(value).a
            for number in range(1, len(leaf.rule.items) + 1):
                answer = "Có" if (mask >> (number - 1)) & 1 else "Không"
                ws.cell(rows[item_key(code, number)], COLUMN_OF["value"]).value = answer
        elif isinstance(leaf.rule, ManualRule):
            if isinstance(value, dict):
                points, reason = value["points"], value["reason"]
            else:
                points, _, reason = str(value).partition("|")
            cell.value = _number(points)
            explanations[code] = reason.strip()
        elif isinstance(leaf.rule, DeadlineRule) and not _not_issued(value):
            day = parse_date(value)
            cell.value = dt.datetime(day.year, day.month, day.day)
        elif isinstance(value, dict):
            cell.value = f"{value.get('numerator', value.get('tu_so'))}/{value.get('denominator', value.get('mau_so'))}"
        elif isinstance(value, (list, tuple)):
            cell.value = "; ".join(str(v) for v in value)
        else:
            typed(cell, value)
    for code, text in explanations.items():
        ws.cell(rows[code], COLUMN_OF["explanation"]).value = text
    for code, documents in (data.get("documents") or {}).items():
        for key, field in (("doc_number", "number"), ("doc_date", "date"), ("doc_summary", "summary")):
            texts = [str(d.get(field) or "") for d in documents]
            if any(texts):
                ws.cell(rows[code], COLUMN_OF[key]).value = "\n".join(texts)
    return book


def typed(cell: Any, value: Any) -> None:
    """What Excel stores when a clerk types ``value``: “92,4%” → 0,924 shown as a percentage,
    “8,75” → a number; ratios (“45/50”) and words stay text."""
    if isinstance(value, bool):
        cell.value = "Có" if value else "Không"
    elif isinstance(value, (int, Decimal)):
        cell.value = value
    elif isinstance(value, str) and value.strip().endswith("%") and _is_number(value.strip()[:-1]):
        cell.value = _number(value.strip()[:-1]) / 100
        cell.number_format = "0.0%"
    elif isinstance(value, str) and _is_number(value):
        cell.value = _number(value)
    else:
        cell.value = value


def _is_number(text: str) -> bool:
    try:
        _number(text)
    except ValueError:
        return False
    return True


def _number(text: Any) -> Any:
    from criteria.numbers import parse_decimal

    return parse_decimal(text.strip() if isinstance(text, str) else text)


def _not_issued(value: Any) -> bool:
    return isinstance(value, str) and not any(ch.isdigit() for ch in value)


def filled_copy(template: Path, rubric: Rubric, evidence_yaml: Path, target: Path) -> Path:
    book = load_workbook(template)
    fill(book, rubric, load_yaml(evidence_yaml))
    book.save(target)
    return target


EXAMPLE_DETAILS = {
    "place": "Đồng Tiến",
    "number": "05",
    "date": dt.datetime(2026, 1, 8),
    "signer": "Trần Văn Bình",
    "signer_title": "Phó Chủ tịch",
    "recipients": "Sở Nội vụ (để tổng hợp);\nThường trực Đảng ủy, HĐND xã;\nChủ tịch, các Phó Chủ tịch UBND xã",
    "difficulties": "- Xã mới thành lập từ 01/7/2025; hồ sơ của các xã cũ chưa tập hợp đầy đủ.\n"
                    "- Hệ thống thông tin báo cáo của tỉnh chưa cấp tài khoản cho một số công chức mới.",
    "proposals": "Đề nghị Sở Nội vụ hướng dẫn việc kê khai tài liệu kiểm chứng đối với hồ sơ do các xã cũ "
                 "lưu trữ trước khi sắp xếp.",
}


def write_example(root: Path) -> Path:
    """The filled workbook of xã Đồng Tiến shipped in examples/, with its report details."""
    from criteria import load_rubric
    from scoring.workbook.template import build_template

    rubric = load_rubric(root / "rubrics" / "demo-xa-2025.yaml")
    book = fill(build_template(rubric), rubric, load_yaml(root / "examples" / "xa-dong-tien.yaml"))
    for key, value in EXAMPLE_DETAILS.items():
        book[INFO_SHEET].cell(info_row(book, key), 3).value = value
    target = root / "examples" / "xa-dong-tien-tu-danh-gia.xlsx"
    book.save(target)
    return target


if __name__ == "__main__":
    print(write_example(Path(__file__).resolve().parent.parent))
