"""How the input cell of a leaf is shaped by its rule kind: a dropdown or a checked number,
with the prompt Excel shows when the cell is selected.

Excel stores validation formulas with English function names and “.” decimals whatever the
user's language; ``{c}`` stands for the cell itself (relative reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from criteria import Node
from criteria.rules import (
    AdditiveRule, BandsRule, BooleanRule, ChoiceRule, CountLadderRule, DeadlineRule, DeductionRule,
    ExternalRule, ManualRule, ProportionalRule,
)

from scoring.workbook.layout import ITEM_NO, ITEM_YES, NOT_APPLICABLE, NOT_ISSUED

PROMPT_LIMIT = 255  # Excel refuses longer prompts and error messages
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class InputSpec:
    """``items`` for a dropdown, else ``formula`` (a custom check); ``prompt`` in Vietnamese."""

    prompt: str
    items: tuple[str, ...] = ()
    formula: str = ""
    number_format: str = "General"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _checked(test: str, na: bool) -> str:
    return f'OR({test},{{c}}="{NOT_APPLICABLE}")' if na else test


def leaf_input(leaf: Node, na_allowed: bool) -> InputSpec:
    """The input cell of ``leaf``; ``na_allowed``: “Không áp dụng” may be chosen."""
    rule = leaf.rule
    na_words = f"; hoặc “{NOT_APPLICABLE}”" if na_allowed else ""
    na_item = (NOT_APPLICABLE,) if na_allowed else ()
    top = _plain(leaf.max)
    share = 'OR(AND(ISNUMBER({c}),{c}>=0,{c}<=100),ISNUMBER(SEARCH("/",{c})))'
    if isinstance(rule, BooleanRule):
        return InputSpec(f"Chọn “{rule.yes_label}” hoặc “{rule.no_label}”{na_words}.",
                         items=(rule.yes_label, rule.no_label, *na_item))
    if isinstance(rule, ChoiceRule):
        return InputSpec(f"Chọn một mức trong danh sách{na_words}.",
                         items=(*(o.label for o in rule.options), *na_item))
    if isinstance(rule, DeadlineRule):
        test = f'OR(AND(ISNUMBER({{c}}),{{c}}>=DATE(2000,1,1)),{{c}}="{NOT_ISSUED}")'
        return InputSpec(f"Ngày ban hành {rule.document} (ngày/tháng/năm), hoặc gõ “{NOT_ISSUED}”{na_words}.",
                         formula=_checked(test, na_allowed), number_format=DATE_FORMAT)
    if isinstance(rule, ProportionalRule) or (isinstance(rule, BandsRule) and rule.measure == "percent"):
        return InputSpec(f"Tỷ lệ % từ 0 đến 100 (ví dụ 95 hoặc 95%), hoặc số đạt/tổng số (ví dụ 45/50){na_words}.",
                         formula=_checked(share, na_allowed))
    if isinstance(rule, BandsRule):
        return InputSpec(f"Một số không âm{na_words}.", formula=_checked("AND(ISNUMBER({c}),{c}>=0)", na_allowed))
    if isinstance(rule, (CountLadderRule, DeductionRule)):
        what = f"Số {rule.unit}" + (" vi phạm (0 nếu không có)" if isinstance(rule, DeductionRule) else "")
        return InputSpec(f"{what}: số nguyên không âm{na_words}.",
                         formula=_checked("AND(ISNUMBER({c}),{c}>=0,{c}=INT({c}))", na_allowed))
    if isinstance(rule, ExternalRule):
        if rule.input == "points":
            text, test = f"Điểm nhận được từ {rule.source_name}, từ 0 đến {top.replace('.', ',')}", \
                f"AND(ISNUMBER({{c}}),{{c}}>=0,{{c}}<={top})"
        else:
            text, test = f"Tỷ lệ % nhận được từ {rule.source_name}, từ 0 đến 100", \
                "AND(ISNUMBER({c}),{c}>=0,{c}<=100)"
        return InputSpec(f"{text}; để trống nếu chưa có kết quả{na_words}.", formula=_checked(test, na_allowed))
    if isinstance(rule, ManualRule):
        test = f'OR(AND(ISNUMBER({{c}}),{{c}}>=0,{{c}}<={top}),ISNUMBER(SEARCH("|",{{c}})))'
        return InputSpec(f"Điểm tự chấm từ 0 đến {top.replace('.', ',')}; ghi lý do ở cột Giải trình{na_words}.",
                         formula=_checked(test, na_allowed))
    if isinstance(rule, AdditiveRule):
        if na_allowed:
            return InputSpec(f"Chọn “{NOT_APPLICABLE}” nếu không phát sinh; nếu không, đánh dấu từng mục ở các dòng dưới.",
                             items=(NOT_APPLICABLE,))
        return InputSpec("")
    raise TypeError(f"unknown rule kind {type(rule).__name__}")  # pragma: no cover - Rule is closed


WHOLE_NODE_INPUT = InputSpec(
    f"Chọn “{NOT_APPLICABLE}” nếu cả tiêu chí không phát sinh (để trống các tiêu chí thành phần); "
    "ghi lý do ở cột Giải trình.", items=(NOT_APPLICABLE,))
ITEM_INPUT = InputSpec(f"Chọn “{ITEM_YES}” nếu đơn vị đạt mục này, “{ITEM_NO}” nếu không.", items=(ITEM_YES, ITEM_NO))


def has_own_input(leaf: Node, na_allowed: bool) -> bool:
    """An additive leaf is answered on its item rows; its own cell only says “Không áp dụng”."""
    return not isinstance(leaf.rule, AdditiveRule) or na_allowed
