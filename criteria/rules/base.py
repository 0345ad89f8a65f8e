"""What every rule kind shares: the typed evidence column and the reading of one cell.

A leaf's evidence for N units is a ``Column`` of integer arrays, so the engine can
score a whole campaign with array arithmetic. Each rule kind (one module each)
says how a cell becomes ``(a, b, note)`` and how ``(a, b)`` become points.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
import unicodedata
from abc import abstractmethod
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Callable, ClassVar, Literal, NamedTuple

import numpy as np

from ..frozen import Frozen
from ..numbers import AmbiguousNumber, format_points, format_vn, parse_decimal

VALUE, MISSING, NOT_APPLICABLE = 0, 1, 2
STATE_NAMES = {VALUE: "scored", MISSING: "missing", NOT_APPLICABLE: "not_applicable"}

# Largest count or amount accepted in evidence (every a and b of a ``Column`` is at most this).
MAX_MAGNITUDE = 10**12
INT64_HEADROOM = 2**62  # a product or sum below this never wraps in int64


def exact(limit: int, *arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """``arrays`` ready for arithmetic whose results reach at most ``limit`` in magnitude.

    ``limit`` is proven by the caller from ``MAX_MAGNITUDE`` and the rubric's own constants
    (a bound's denominator, a maximum in 1/10 000 points): below ``INT64_HEADROOM`` the arrays
    stay int64 (fast and exact); above it they become Python integers (object arrays): exact,
    slower, and only for rubrics with extreme constants (a bound like 50,0000001 %, a leaf
    worth 1 000 points rounded to 4 decimals).
    """
    if limit < INT64_HEADROOM:
        return arrays
    return tuple(np.asarray(x).astype(object) for x in arrays)


class CellProgram(NamedTuple):
    """A rule's points for one cell ``(a, b)``, in the words of the engine's compiled kernel.

    The numpy ``score`` of a kind makes several passes over a column; the compiled kernel
    (``scoring/fused.py``) scores every leaf of a unit in one loop, so each kind also says, beside
    its ``score``, which of a few generic integer programs gives the same points (``program``).
    ``op`` is one of the ``OP_*`` codes below and ``constants`` its integers (all in int64):

    - ``OP_COPY`` ``()``: ``a``.
    - ``OP_TABLE`` ``(t0, …, tk-1)``: ``t[a]`` (``a`` outside ``0…k-1`` is refused).
    - ``OP_STEPS`` ``(k, th0 < … < thk-1, v0, …, vk)``: ``v[number of thresholds ≤ a]``.
    - ``OP_FLAGS`` ``(v0, v1, v2, v3)``: ``v[(a ≠ 0) + 2·(b ≠ 0)]``.
    - ``OP_RATIO_STEPS`` ``(base, m, (num, den, inclusive, value) × m)``: start at ``base``; for each
      step in order, ``value`` when ``a·den > b·num`` (or ``=`` when inclusive).
    - ``OP_SHARE`` ``(twice_max_q, quantum, has_floor, num, den, inclusive)``:
      ``(a·twice_max_q + b) // (2·b) · quantum``, or 0 below the floor ``a·den ≥ b·num`` (``>``).
    - ``OP_AFFINE_FLOOR`` ``(c0, c1, low)``: ``max(c0 + c1·a, low)``.
    - ``OP_BITS`` ``(cap, v0, …, vm-1)``: ``min(Σ v_i over the bits i set in a, cap)``.

    A kind returns ``None`` when its products could leave int64 (where ``exact`` widens to Python
    integers): the engine then scores the rubric with the numpy kernels.
    """

    op: int
    constants: tuple[int, ...] = ()


OP_COPY, OP_TABLE, OP_STEPS, OP_FLAGS, OP_RATIO_STEPS, OP_SHARE, OP_AFFINE_FLOOR, OP_BITS = range(8)
INT64_MIN = -(2**63)


def fits_int64(limit: int) -> bool:
    """Whether arithmetic reaching ``limit`` in magnitude stays in int64 (as ``exact`` decides)."""
    return limit < INT64_HEADROOM


def table_program(rule: "RuleKind", max_s: int, size: int) -> CellProgram:
    """``OP_TABLE`` for a rule whose ``a`` is one of ``0 … size-1``: its own ``score`` of each."""
    points = rule.score(np.arange(size, dtype=np.int64), np.ones(size, dtype=np.int64), max_s)
    return CellProgram(OP_TABLE, tuple(int(p) for p in points))


def steps_program(rule: "RuleKind", max_s: int, thresholds: list[int]) -> CellProgram:
    """``OP_STEPS`` for a rule whose points change only where ``a`` reaches one of ``thresholds``:
    its own ``score`` below the first and at each threshold."""
    ascending = sorted(set(thresholds))
    at = np.array([ascending[0] - 1, *ascending], dtype=np.int64)
    points = rule.score(at, np.ones(len(at), dtype=np.int64), max_s)
    return CellProgram(OP_STEPS, (len(ascending), *ascending, *(int(p) for p in points)))


NOT_APPLICABLE_WORDS = frozenset(
    {"không phát sinh", "kps", "không áp dụng", "không áp dụng (không phát sinh)", "n/a", "na"}
)


def norm_text(value: str) -> str:
    """NFC, trimmed, inner spaces folded, case folded: how labels are compared."""
    return " ".join(unicodedata.normalize("NFC", value).split()).casefold()


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, str) and not value.strip():
        return True
    pd = sys.modules.get("pandas")  # pandas.NA / NaT exist only once pandas is loaded: never load it here
    return pd is not None and (value is pd.NA or value is pd.NaT)


def says_not_applicable(value: Any) -> bool:
    return isinstance(value, str) and norm_text(value) in NOT_APPLICABLE_WORDS


class Cell(NamedTuple):
    state: int
    a: int = 0
    b: int = 1
    note: str | None = None


@dataclass
class Column:
    """Typed evidence of one leaf for every unit (row order = the units' order)."""

    state: np.ndarray  # int8: VALUE / MISSING / NOT_APPLICABLE
    a: np.ndarray  # int64, meaning depends on the rule kind
    b: np.ndarray  # int64, denominator or second value
    note: np.ndarray | None = None  # object: free text kept with the value (reasons)

    @classmethod
    def from_cells(cls, cells: list[Cell]) -> "Column":
        notes = [c.note for c in cells]
        return cls(
            state=np.fromiter((c.state for c in cells), dtype=np.int8, count=len(cells)),
            a=np.fromiter((c.a for c in cells), dtype=np.int64, count=len(cells)),
            b=np.fromiter((c.b for c in cells), dtype=np.int64, count=len(cells)),
            note=np.array(notes, dtype=object) if any(n is not None for n in notes) else None,
        )

    def take(self, rows: np.ndarray | list[int]) -> "Column":
        return Column(
            self.state[rows], self.a[rows], self.b[rows], None if self.note is None else self.note[rows]
        )

    def cell(self, row: int) -> Cell:
        note = None if self.note is None else self.note[row]
        return Cell(int(self.state[row]), int(self.a[row]), int(self.b[row]), note)


class RuleModel(Frozen):
    """A rule kind or a part of one (a band, an option): frozen, unknown keys refused."""


Widget = Literal["choice", "date", "dates", "number", "ratio", "points", "checklist", "text"]


@dataclass(frozen=True)
class InputSpec:
    """What a leaf asks a unit to type, as plain data for any front end (an Excel cell, a web form).

    ``widget`` is the kind of input:

    - ``choice``: one of ``choices`` (a dropdown);
    - ``date``: a date (ngày/tháng/năm), or one of ``words`` (“Không ban hành”);
    - ``dates``: one date for each of ``choices`` in order, or one of ``words`` in its place; typed
      in one cell separated by “;”;
    - ``number``: a number in [``minimum``, ``maximum``], whole when ``integer``;
    - ``ratio``: a share, as a percentage (95, 95%) or achieved/total (45/50);
    - ``points``: points given by a person in [``minimum``, ``maximum``], with the reason after “|”
      or in the explanation beside it;
    - ``checklist``: each of ``choices`` met or not (one answer per item);
    - ``text``: free text in the form the prompt states.

    ``prompt`` is the Vietnamese help shown with the input (a front end adds its own words for
    “Không áp dụng” when ``allows_not_applicable``).
    """

    widget: Widget
    prompt: str
    choices: tuple[str, ...] = ()
    choice_points: tuple[Decimal, ...] = ()  # each choice's points, where the rule states them
    words: tuple[str, ...] = ()
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    integer: bool = False
    allows_not_applicable: bool = False


@dataclass(frozen=True)
class Recovery:
    """The action that recovers a leaf's lost points, as a plan writes it.

    ``product`` is what the action yields when the rule knows it (the document to issue), ``due``
    the date it must be done by when the rule has one (already moved to the plan's year).
    """

    action: str
    product: str | None = None
    due: dt.date | None = None


DueShift = Callable[[dt.date], dt.date]
"""Moves a due date stated in the rubric to the year a plan is for."""


def same_day(day: dt.date) -> dt.date:
    return day


class RuleKind(RuleModel):
    """The contract of a rule kind: one module per kind, with the rubric's wording beside it.

    A kind reads a unit's evidence into a ``Cell`` (``parse_value``), scores a whole column of
    cells with array arithmetic (``score``), and says in Vietnamese what it expects, what it scored
    and why, what it is called, what a unit types, what recovers lost points and what full points
    need. Callers never ask which kind a rule is: they call these methods.
    """

    label: ClassVar[str]
    """The kind's Vietnamese name, as criteria tables show it (“thời hạn”)."""

    @abstractmethod
    def check(self, max_points: Decimal) -> list[str]:
        """Problems of the rule against the leaf's maximum, in Vietnamese (empty: consistent)."""

    @abstractmethod
    def lowest(self, max_points: Decimal) -> Decimal:
        """The fewest points the rule can give (below zero for a deduction)."""

    @abstractmethod
    def expects(self) -> str:
        """What the evidence must be, in Vietnamese, for error messages (“cần …”)."""

    @abstractmethod
    def parse_value(self, value: Any) -> Cell:
        """One unit's evidence (a YAML value or a sheet's cell) → a ``Cell``; ``ValueError`` with a
        Vietnamese message when it cannot be read (the caller adds the file and place)."""

    @abstractmethod
    def score(self, a: np.ndarray, b: np.ndarray, max_s: int) -> np.ndarray:
        """Points (scaled integers, see ``criteria.numbers.SCALE``) for every unit's ``(a, b)``;
        ``max_s`` is the leaf's maximum, scaled."""

    @abstractmethod
    def evidence(self, cell: Cell) -> Any:
        """The evidence of one cell as plain JSON data (for traces and reports)."""

    @abstractmethod
    def explain(self, cell: Cell, max_points: Decimal) -> str:
        """Why one cell got its points, in Vietnamese, ending with “: N điểm”."""

    @abstractmethod
    def describe(self, max_points: Decimal) -> str:
        """The rule in the rubric's words (“Ban hành kịp thời: 1; …”)."""

    @abstractmethod
    def input_spec(self, max_points: Decimal) -> InputSpec:
        """The input a unit fills for this leaf in a sheet or a form."""

    @abstractmethod
    def recovery(self, subject: str, max_points: Decimal, evidence: Any, shift: DueShift) -> Recovery:
        """What to do to recover the points lost, as a plan's task reads (no points, no formula);
        ``subject`` is the leaf's name as the object of the sentence (not quoted, first letter lower),
        ``evidence`` what ``evidence()`` gave for the unit's cell (``None`` when not scored),
        ``shift`` moves the rubric's due dates to the plan's year."""

    @abstractmethod
    def target(self, max_points: Decimal, shift: DueShift) -> str:
        """The level a unit must reach for full points, in words (a plan's chỉ tiêu)."""

    def program(self, max_s: int) -> CellProgram | None:
        """The points of one cell as a ``CellProgram`` for the compiled kernel, equal to ``score``
        on every ``(a, b)`` that ``parse_value`` gives; ``None``: score with ``score`` (numpy)."""
        return None

    def input_for(self, max_points: Decimal, allows_not_applicable: bool) -> InputSpec:
        """``input_spec`` for a leaf whose “không phát sinh” policy does or does not allow it."""
        spec = self.input_spec(max_points)
        return spec if spec.allows_not_applicable == allows_not_applicable else \
            replace(spec, allows_not_applicable=allows_not_applicable)


SHARE_PROMPT = "Tỷ lệ % từ 0 đến 100 (ví dụ 95 hoặc 95%), hoặc số đạt/tổng số (ví dụ 45/50)"


def full_points(max_points: Decimal) -> str:
    """“Đạt 1/1 điểm”: the target of a kind that states no level of its own."""
    full = format_points(max_points)
    return f"Đạt {full}/{full} điểm"


def as_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def fraction_pair(value: Fraction) -> tuple[int, int]:
    if value.numerator > MAX_MAGNITUDE or value.denominator > MAX_MAGNITUDE:
        raise ValueError("số quá lớn")
    return value.numerator, value.denominator


def parse_count(value: Any) -> int:
    """A non-negative whole number (lần, văn bản, hồ sơ…); “1.250” can only be 1 250 here."""
    try:
        number = parse_decimal(value)
    except AmbiguousNumber as exc:
        number = exc.whole
    if number != number.to_integral_value():
        raise ValueError(f"cần một số nguyên, nhận được “{value}”")
    if number < 0:
        raise ValueError(f"cần một số không âm, nhận được “{value}”")
    if number > MAX_MAGNITUDE:
        raise ValueError(f"số “{value}” quá lớn")
    return int(number)


def parse_share(value: Any) -> Cell:
    """A share of a whole, as a person writes it: ``45/50``, ``90%`` or ``90`` — a bare number is
    a percentage (``90`` = 90 %, never 0,9 of 1). A bare number above 0 and at most 1 (``0,95``,
    ``1``) is refused: a clerk may mean 95 % or 100 %; ``95%``, ``0,95%`` or ``45/50`` say it.
    A zero denominator means không phát sinh.

    Returns the share as the fraction a/b of 1 (0 ≤ a/b ≤ 1).
    """
    if isinstance(value, dict):
        unknown = set(value) - {"numerator", "denominator", "tu_so", "mau_so"}
        if unknown:
            raise ValueError(f"khóa không hợp lệ {sorted(unknown)}; cần numerator và denominator")
        num = value.get("numerator", value.get("tu_so"))
        den = value.get("denominator", value.get("mau_so"))
        if num is None or den is None:
            raise ValueError("cần cả tử số (numerator) và mẫu số (denominator)")
        return _ratio_cell(num, den, f"{num}/{den}")
    if isinstance(value, str) and "/" in value:
        num, _, den = value.partition("/")
        return _ratio_cell(num, den, value)
    if isinstance(value, str) and value.strip().endswith("%"):
        number = parse_decimal(value.strip()[:-1])
    else:
        number = parse_decimal(value)
        if 0 < number <= 1:  # “0,95” or 1: a share of 1 (95 %, 100 %) or a percentage (0,95 %, 1 %)?
            shown, whole = format_vn(number, 12, trim=True), format_vn(number * 100, 12, trim=True)
            raise ValueError(f"“{value}” có hai cách đọc: {shown}% hoặc {whole}%; hãy ghi rõ dấu %, "
                             f"ví dụ “{whole}%”, hoặc ghi số đạt/tổng số (45/50)")
    if number < 0 or number > 100:
        raise ValueError(f"tỷ lệ phải trong khoảng 0–100%, nhận được “{value}”")
    a, b = fraction_pair(Fraction(number) / 100)
    return Cell(VALUE, a, b)


def _ratio_part(value: Any) -> Decimal:
    """A numerator or denominator counts things (hồ sơ, văn bản): “1.250” can only be 1 250."""
    try:
        return parse_decimal(value)
    except AmbiguousNumber as exc:
        return exc.whole


def _ratio_cell(num: Any, den: Any, shown: str) -> Cell:
    numerator = _ratio_part(num)
    denominator = _ratio_part(den)
    if numerator < 0 or denominator < 0:
        raise ValueError(f"tử số và mẫu số không được âm (“{shown}”)")
    if denominator == 0:
        if numerator != 0:
            raise ValueError(f"mẫu số bằng 0 nhưng tử số khác 0 (“{shown}”)")
        return Cell(NOT_APPLICABLE, note="mẫu số bằng 0")
    if numerator > denominator:
        raise ValueError(f"tử số lớn hơn mẫu số (“{shown}”)")
    if numerator > MAX_MAGNITUDE or denominator > MAX_MAGNITUDE:
        raise ValueError(f"số quá lớn (“{shown}”)")
    a, b = fraction_pair(Fraction(numerator) / Fraction(denominator))
    if a == 0:
        b = 1
    return Cell(VALUE, a, b, note=f"{plain_decimal(numerator)}/{plain_decimal(denominator)}")


def plain_decimal(value: Decimal) -> str:
    """A decimal as written, with a decimal comma and no exponent (“0,25”, “100”)."""
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def percent_text(a: int, b: int) -> str:
    """The share a/b of 1 as a Vietnamese percentage (``87,5%``)."""
    return f"{format_vn(Fraction(a * 100, b), 2, trim=True)}%"


def number_text(a: int, b: int) -> str:
    return format_vn(Fraction(a, b), 4, trim=True)
