"""An .xlsx opened for reading evidence: every cell as text, whatever Excel or LibreOffice did.

Formulas. The result a file stores beside a formula is whatever the program that last wrote
the file put there: nothing in the file proves it (``=0*1`` may carry a stored 4). So a formula
cell is read only when it is arithmetic on written numbers (``=45/50``, ``=10+2``, ``=(3+4)*2``):
parindex computes it exactly itself, and refuses it when a stored result disagrees. A formula
that refers to other cells or calls a function (``=B5/B6``, ``=SUM(…)``) is refused with a
message for that cell, as are error values (#REF!): the clerk pastes the value instead.
"""

from __future__ import annotations

import ast
import re
import warnings
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from criteria import EvidenceError, InputError
from criteria.files import not_a, sheet_problem, xlsx_problem
from criteria.rules.base import nfc
from scoring.office.xlsx_cells import value_text


class CellError(ValueError):
    """A cell that cannot be read as data (the message says why, in Vietnamese)."""


def _load(path: Path, data_only: bool) -> Workbook:
    with warnings.catch_warnings():  # “Data Validation extension is not supported…”: harmless here
        warnings.simplefilter("ignore")
        return load_workbook(path, data_only=data_only)


def open_workbook(path: Path, error: type[InputError], data_only: bool = False) -> Workbook:
    """A workbook opened within bounds, or ``error`` naming the file (and the far cell) in Vietnamese:
    a zip bomb or damaged zip/XML never reaches a library message or a traceback."""
    name = str(path)
    problem = xlsx_problem(path)
    if problem is not None:
        raise error.single(name, "", problem)
    try:
        book = _load(path, data_only=data_only)
    except FileNotFoundError:
        raise error.single(name, "", "không tìm thấy tệp") from None
    except IsADirectoryError:
        raise error.single(name, "", "đây là một thư mục, cần một tệp") from None
    except Exception:
        raise error.single(name, "", f"không đọc được tệp Excel: {not_a(path, 'xlsx')}") from None
    for ws in book.worksheets:
        far = sheet_problem(ws)
        if far is not None:
            raise error.single(name, *far)
    return book


class ReadBook:
    """A workbook and the means to read its cells as text."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(path)
        self.book = open_workbook(self.path, EvidenceError)
        self._cached: Workbook | None = None

    def cached_value(self, sheet: str, row: int, column: int) -> tuple[Any, str]:
        """A formula cell's last calculated value and its type (``e`` for an error)."""
        if self._cached is None:
            self._cached = open_workbook(self.path, EvidenceError, data_only=True)
        cell = self._cached[sheet].cell(row, column)
        return cell.value, cell.data_type

    def text(self, ws: Worksheet, row: int, column: int) -> str:
        """The cell as text (“” when empty or hidden under a merge); raises ``CellError``."""
        cell = ws.cell(row, column)
        if isinstance(cell, MergedCell):
            return ""
        value, kind = cell.value, cell.data_type
        if kind == "f":
            formula = str(value)
            computed = literal_formula(formula)
            if computed is None:
                raise CellError(f"ô chứa công thức “{formula[:60]}” tham chiếu ô khác hoặc dùng hàm: giá trị lưu sẵn "
                                "trong tệp không kiểm chứng được; hãy nhập giá trị trực tiếp (Dán đặc biệt → Giá trị)")
            stored, stored_kind = self.cached_value(ws.title, row, column)
            if stored is not None and stored_kind == "n" and not isinstance(stored, bool) \
                    and Decimal(repr(stored)) != computed and abs(Decimal(repr(stored)) - computed) > abs(computed) * Decimal("1e-12"):
                raise CellError(f"công thức “{formula[:60]}” cho {value_text(computed)} nhưng tệp lưu giá trị "
                                f"{value_text(stored)}; hãy nhập giá trị trực tiếp")
            value, kind = computed, "n"
        if kind == "e":
            raise CellError(f"ô có lỗi công thức {value}; hãy nhập giá trị trực tiếp")
        return value_text(value, cell.number_format)


_FORMULA_TOKENS = re.compile(r"^[0-9.+\-*/() ]*$")


def literal_formula(formula: str) -> Decimal | None:
    """``=10+2`` → 12: a formula of written numbers and + − × ÷ ( ), computed exactly; ``None``
    for anything else (a cell reference, a function, a result that is no finite decimal)."""
    body = formula[1:] if formula.startswith("=") else formula
    if not body.strip() or len(body) > 200 or not _FORMULA_TOKENS.match(body) or body.count("(") > 20:
        return None
    try:
        tree = ast.parse(body, mode="eval")
        result = _evaluate(tree.body)
    except (SyntaxError, ValueError, ZeroDivisionError, RecursionError, MemoryError):
        return None
    denominator = result.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator != 1 or abs(result) > 10**12:
        return None
    return Decimal(result.numerator) / Decimal(result.denominator)


def _evaluate(node: ast.AST) -> Fraction:
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
        return Fraction(str(node.value))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.UAdd, ast.USub)):
        value = _evaluate(node.operand)
        return -value if isinstance(node.op, ast.USub) else value
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        return left / right
    raise ValueError("không phải phép tính trên số")


def header_text(value: Any) -> str:
    """A header cell as a code: a number typed as 1.1 stays “1.1” (codes use dots)."""
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return "" if value is None else nfc(str(value))


def multi_row_merges(ws: Worksheet, first_row: int, columns: set[int]) -> list[str]:
    """Merged ranges below ``first_row`` that span several rows across one of ``columns``."""
    found = []
    for merged in ws.merged_cells.ranges:
        if merged.max_row < first_row or merged.min_row == merged.max_row:
            continue
        if any(merged.min_col <= c <= merged.max_col for c in columns):
            found.append(merged.coord)
    return sorted(found)
