"""How the input cell of a leaf is shaped by its rule kind: a dropdown or a checked number,
with the prompt Excel shows when the cell is selected.

Excel stores validation formulas with English function names and “.” decimals whatever the
user's language; ``{c}`` stands for the cell itself (relative reference).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from criteria import Node
from criteria.rules import InputSpec

from scoring.workbook.layout import ITEM_NO, ITEM_YES, NOT_APPLICABLE

PROMPT_LIMIT = 255  # Excel refuses longer prompts and error messages
DATE_FORMAT = "dd/mm/yyyy"


@dataclass(frozen=True)
class CellInput:
    """``items`` for a dropdown, else ``formula`` (a custom check); ``prompt`` in Vietnamese."""

    prompt: str
    items: tuple[str, ...] = ()
    formula: str = ""
    number_format: str = "General"


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _checked(test: str, na: bool) -> str:
    return f'OR({test},{{c}}="{NOT_APPLICABLE}")' if na else test


def _number_test(spec: InputSpec) -> str:
    parts = ["ISNUMBER({c})"]
    if spec.minimum is not None:
        parts.append(f"{{c}}>={_plain(spec.minimum)}")
    if spec.maximum is not None:
        parts.append(f"{{c}}<={_plain(spec.maximum)}")
    if spec.integer:
        parts.append("{c}=INT({c})")
    return f"AND({','.join(parts)})"


_SHARE_TEST = 'OR(AND(ISNUMBER({c}),{c}>=0,{c}<=100),ISNUMBER(SEARCH("/",{c})))'


def cell_input(spec: InputSpec) -> CellInput:
    """A kind's input (``InputSpec``) as an Excel cell: a dropdown, or a check formula and a prompt."""
    na = spec.allows_not_applicable
    prompt = f"{spec.prompt}; hoặc “{NOT_APPLICABLE}”." if na else f"{spec.prompt}."
    if spec.widget == "choice":
        return CellInput(prompt, items=(*spec.choices, *((NOT_APPLICABLE,) if na else ())))
    if spec.widget == "checklist":  # answered on its item rows; its own cell only says “Không áp dụng”
        if na:
            return CellInput(f"Chọn “{NOT_APPLICABLE}” nếu không phát sinh; nếu không, đánh dấu từng mục ở các dòng dưới.",
                             items=(NOT_APPLICABLE,))
        return CellInput("")
    if spec.widget == "date":
        words = "".join(f',{{c}}="{word}"' for word in spec.words)
        test = f"OR(AND(ISNUMBER({{c}}),{{c}}>=DATE(2000,1,1)){words})"
        return CellInput(prompt, formula=_checked(test, na), number_format=DATE_FORMAT)
    if spec.widget == "ratio":
        return CellInput(prompt, formula=_checked(_SHARE_TEST, na))
    if spec.widget == "number":
        return CellInput(prompt, formula=_checked(_number_test(spec), na))
    if spec.widget == "points":
        return CellInput(prompt, formula=_checked(f'OR({_number_test(spec)},ISNUMBER(SEARCH("|",{{c}})))', na))
    return CellInput(prompt)  # dates, text: checked by the rule when the sheet is read


def leaf_input(leaf: Node, na_allowed: bool) -> CellInput:
    """The input cell of ``leaf``; ``na_allowed``: “Không áp dụng” may be chosen."""
    return cell_input(leaf.rule.input_for(leaf.max, na_allowed))  # type: ignore[union-attr]


WHOLE_NODE_INPUT = CellInput(
    f"Chọn “{NOT_APPLICABLE}” nếu cả tiêu chí không phát sinh (để trống các tiêu chí thành phần); "
    "ghi lý do ở cột Giải trình.", items=(NOT_APPLICABLE,))
ITEM_INPUT = CellInput(f"Chọn “{ITEM_YES}” nếu đơn vị đạt mục này, “{ITEM_NO}” nếu không.", items=(ITEM_YES, ITEM_NO))


def has_own_input(leaf: Node, na_allowed: bool) -> bool:
    """An additive leaf is answered on its item rows; its own cell only says “Không áp dụng”."""
    return leaf.rule.input_spec(leaf.max).widget != "checklist" or na_allowed  # type: ignore[union-attr]
