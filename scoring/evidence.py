"""Evidence in: raw cells (unit × criterion code) → a validated, typed ``EvidenceTable``.

Every reader (YAML for one unit, CSV/XLSX wide tables, the self-assessment sheet) ends in
``validate_cells`` — through ``validate_frame`` when it holds a pandas frame — so a value means
the same thing whatever file it came from. Problems are collected, not raised one at a time:
a unit fixing its sheet sees all of them at once. This module does not import pandas: scoring
one YAML unit never pays for it; ``validate_frame`` uses the frame it is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from criteria import EvidenceError, Node, Problem, Rubric
from criteria.names import unit_clash
from criteria.numbers import format_points, from_scaled, to_scaled
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE, Cell, Column
from criteria.rules.base import is_blank, nfc, says_not_applicable

if TYPE_CHECKING:
    import pandas as pd

PlaceOf = Callable[[int, str], str]  # (row position, criterion code) → "dòng 3, cột “1.1”"
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Document:
    """A piece of tài liệu kiểm chứng: số/ký hiệu, ngày ban hành, trích yếu."""

    number: str = ""
    date: str = ""
    summary: str = ""


@dataclass(frozen=True)
class Override:
    """Points set by a person for one leaf of one unit (appraisal), always with a reason."""

    points: Decimal
    reason: str
    by: str = ""


@dataclass
class EvidenceTable:
    """Validated evidence: one typed ``Column`` per leaf, rows in ``units`` order."""

    rubric_id: str
    units: list[str]
    columns: dict[str, Column]
    source: str = ""
    explanations: dict[tuple[str, str], str] = field(default_factory=dict)
    documents: dict[tuple[str, str], list[Document]] = field(default_factory=dict)
    overrides: dict[tuple[str, str], Override] = field(default_factory=dict)  # (unit, leaf code)

    def __len__(self) -> int:
        return len(self.units)

    def take(self, rows: list[int]) -> "EvidenceTable":
        """A sub-table of some units (same columns), e.g. one unit out of a campaign."""
        names = [self.units[r] for r in rows]
        keep = set(names)
        return EvidenceTable(
            self.rubric_id,
            names,
            {code: col.take(rows) for code, col in self.columns.items()},
            self.source,
            {k: v for k, v in self.explanations.items() if k[0] in keep},
            {k: v for k, v in self.documents.items() if k[0] in keep},
            {k: v for k, v in self.overrides.items() if k[0] in keep},
        )

    def with_override(self, rubric: Rubric, unit: str, code: str, override: Override) -> "EvidenceTable":
        """A copy with one leaf's points set by hand; refuses points outside the leaf's bounds."""
        return self.with_overrides(rubric, [(unit, code, override)])

    def with_overrides(
        self, rubric: Rubric, items: Iterable[tuple[str, str, Override]]
    ) -> "EvidenceTable":
        """A copy with many leaves' points set by hand (one copy, however many): each is checked
        as ``with_override`` checks it — a leaf, a known unit, within bounds, with a reason."""
        units = set(self.units)
        overrides = dict(self.overrides)
        for unit, code, override in items:
            node = rubric.by_code.get(code)
            if node is None or not node.is_leaf:
                raise EvidenceError.single(self.source, f"đơn vị “{unit}”", "không phải tiêu chí thành phần", code)
            if unit not in units:
                raise EvidenceError.single(self.source, "", f"không có đơn vị “{unit}”", code)
            low = node.rule.lowest(node.max)  # type: ignore[union-attr]
            if not low <= override.points <= node.max:
                raise EvidenceError.single(
                    self.source, f"đơn vị “{unit}”",
                    f"điểm {format_points(override.points)} ngoài khoảng [{format_points(low)}; {format_points(node.max)}]", code)
            if not override.reason.strip():
                raise EvidenceError.single(self.source, f"đơn vị “{unit}”", "điều chỉnh điểm bắt buộc có lý do", code)
            to_scaled(override.points)
            overrides[(unit, code)] = override
        return EvidenceTable(self.rubric_id, self.units, self.columns, self.source,
                             self.explanations, self.documents, overrides)

class ProblemList:
    """Collects problems up to a limit, then counts the rest."""

    def __init__(self, limit: int = MAX_PROBLEMS):
        self.items: list[Problem] = []
        self.dropped = 0
        self.limit = limit

    def add(self, problem: Problem) -> None:
        if len(self.items) < self.limit:
            self.items.append(problem)
        else:
            self.dropped += 1

    def raise_if_any(self, source: str) -> None:
        if not self.items:
            return
        problems = list(self.items)
        if self.dropped:
            problems.append(Problem(source, "", f"… và {self.dropped} lỗi khác"))
        raise EvidenceError(problems)


def parse_cell(rubric: Rubric, leaf: Node, policy: str, value: Any) -> Cell:
    """One raw cell of one leaf → ``Cell``; raises ``ValueError`` in Vietnamese."""
    return cell_reader(leaf, policy)(value)


def cell_reader(leaf: Node, policy: str) -> Callable[[Any], Cell]:
    """``parse_cell`` for the cells of one leaf: whether its rule caps values is asked once (asking
    a rule for an attribute it lacks is slow), not once for each of a column's distinct values."""
    rule = leaf.rule
    upper = getattr(rule, "upper_scaled", None)

    def read(value: Any) -> Cell:
        if is_blank(value):
            return Cell(MISSING)
        if isinstance(value, str):
            value = nfc(value)
        if says_not_applicable(value):
            if policy == "not_allowed":
                raise ValueError("tiêu chí này không được khai “không phát sinh”")
            return Cell(NOT_APPLICABLE)
        cell = rule.parse_value(value)  # type: ignore[union-attr]
        if cell.state == NOT_APPLICABLE and policy == "not_allowed":
            raise ValueError(f"{cell.note}: tiêu chí này không được khai “không phát sinh”")
        if upper is not None and cell.state == VALUE and cell.a > upper(to_scaled(leaf.max)):
            raise ValueError(
                f"{format_points(from_scaled(cell.a))} điểm vượt điểm tối đa {format_points(leaf.max)}"
            )
        return cell

    return read


Factorize = Callable[[Any], tuple[np.ndarray, Sequence[Any]]]  # values → (code per row, -1 = NaN; uniques)


def factorize_plain(values: Sequence[Any]) -> tuple[np.ndarray, Sequence[Any]]:
    """Distinct values in first-seen order and each row's index among them, without pandas
    (a few cells of one unit); unhashable cells (lists, dicts from YAML) stay one per row."""
    try:
        seen: dict[Any, int] = {}
        codes = [seen.setdefault(value, len(seen)) for value in values]
        return np.asarray(codes, dtype=np.int64), list(seen)
    except TypeError:
        return np.arange(len(values)), list(values)


def _parse_column(
    rubric: Rubric, leaf: Node, policy: str, values: Any, factorize: Factorize, place_of: PlaceOf,
    source: str, problems: ProblemList,
) -> Column:
    """Parse each distinct value once, then spread the cells over the rows."""
    codes, uniques = factorize(values)
    cells: list[Cell] = []
    read = cell_reader(leaf, policy)
    for index, raw in enumerate(uniques):
        try:
            cells.append(read(raw))
        except ValueError as exc:
            cells.append(Cell(MISSING))
            for row in np.flatnonzero(codes == index)[:20]:
                problems.add(Problem(source, place_of(int(row), leaf.code), str(exc), leaf.code))
    cells.append(Cell(MISSING))  # code -1: NaN
    table = Column.from_cells(cells)
    return table.take(np.asarray(codes))


def _factorize_series(values: pd.Series) -> tuple[np.ndarray, Sequence[Any]]:
    import pandas as pd  # the caller holds a frame: pandas is loaded already

    if isinstance(values.dtype, pd.StringDtype):  # text read from a CSV: its plain array factorizes faster
        values = values.to_numpy(dtype=object)
    try:
        return pd.factorize(values, use_na_sentinel=True)
    except TypeError:  # unhashable cells (lists, dicts from YAML): row by row
        return np.arange(len(values)), list(values)


def validate_frame(
    rubric: Rubric, frame: pd.DataFrame, source: str, place_of: PlaceOf | None = None,
    explanations: dict[tuple[str, str], str] | None = None,
    documents: dict[tuple[str, str], list[Document]] | None = None,
) -> EvidenceTable:
    """Raw cells (index = unit names, columns = criterion codes) → ``EvidenceTable``.

    Columns may name leaves, or a field/criterion declared “không phát sinh” as a whole.
    Raises ``EvidenceError`` listing every problem with its place.
    """
    if place_of is None:
        place_of = lambda row, code: f"đơn vị “{frame.index[row]}”"  # noqa: E731
    columns = {code: frame[code] for code in frame.columns}
    return _validate(rubric, frame.index.tolist(), columns, len(frame), _factorize_series, source, place_of,
                     explanations, documents)


def validate_cells(
    rubric: Rubric, units: list[Any], columns: dict[str, Sequence[Any]], source: str,
    place_of: PlaceOf | None = None, explanations: dict[tuple[str, str], str] | None = None,
    documents: dict[tuple[str, str], list[Document]] | None = None,
) -> EvidenceTable:
    """``validate_frame`` for cells held as plain lists (code → one value per unit), without
    pandas: what one unit's YAML file is read into."""
    if place_of is None:
        place_of = lambda row, code: f"đơn vị “{units[row]}”"  # noqa: E731
    return _validate(rubric, units, columns, len(units), factorize_plain, source, place_of,
                     explanations, documents)


def _validate(
    rubric: Rubric, names: list[Any], frame_columns: dict[str, Any], n: int, factorize: Factorize,
    source: str, place_of: PlaceOf, explanations: dict[tuple[str, str], str] | None,
    documents: dict[tuple[str, str], list[Document]] | None,
) -> EvidenceTable:
    problems = ProblemList()
    units = [" ".join(nfc(str(u)).split()) for u in names]  # inner spaces folded, as people read them
    seen: dict[str, str] = {}
    for row, unit in enumerate(units):
        if not unit:
            problems.add(Problem(source, place_of(row, ""), "thiếu tên đơn vị"))
            continue
        earlier = unit_clash(unit, seen)
        if earlier == unit:
            problems.add(Problem(source, place_of(row, ""), f"đơn vị “{unit}” bị lặp"))
        elif earlier is not None:
            problems.add(Problem(source, place_of(row, ""), f"đơn vị “{unit}” trùng với “{earlier}” (chỉ khác dấu "
                                                            "thanh, khoảng trắng hoặc chữ hoa); hãy viết một tên thống nhất"))
    by_code = rubric.by_code
    policies = rubric.policy_of()
    unknown = [code for code in frame_columns if code not in by_code]
    if len(unknown) >= 5 and len(unknown) * 2 > len(frame_columns):  # mostly foreign: one line, not one per column
        shown = ", ".join(f"“{c}”" for c in unknown[:3]) + (", …" if len(unknown) > 3 else "")
        raise EvidenceError.single(source, place_of(-1, unknown[0]),
                                   f"{len(unknown)}/{len(frame_columns)} cột mã tiêu chí ({shown}) không có trong bộ "
                                   f"chỉ số {rubric.id}: tệp số liệu này có lẽ dành cho bộ chỉ số khác")
    for code in unknown:
        problems.add(Problem(source, place_of(-1, code), f"mã tiêu chí “{code}” không có trong bộ chỉ số {rubric.id}"))
    columns: dict[str, Column] = {}
    for leaf in rubric.leaves():
        if leaf.code in frame_columns:
            columns[leaf.code] = _parse_column(
                rubric, leaf, policies[leaf.code], frame_columns[leaf.code], factorize, place_of, source, problems
            )
        else:
            columns[leaf.code] = Column(
                np.full(n, MISSING, np.int8), np.zeros(n, np.int64), np.ones(n, np.int64)
            )
    for code, values in frame_columns.items():
        node = by_code.get(code)
        if node is not None and not node.is_leaf:
            _apply_whole_node(node, values, columns, policies, place_of, source, problems)
    problems.raise_if_any(source)
    return EvidenceTable(rubric.id, units, columns, source, explanations or {}, documents or {})


def _apply_whole_node(
    node: Node, values: Iterable[Any], columns: dict[str, Column], policies: dict[str, str],
    place_of: PlaceOf, source: str, problems: ProblemList,
) -> None:
    """A field or criterion declared “không phát sinh”: every leaf below it is too."""
    for row, raw in enumerate(values):
        if is_blank(raw):
            continue
        if not says_not_applicable(raw):
            problems.add(Problem(source, place_of(row, node.code),
                                 f"“{raw}”: ở cấp lĩnh vực/tiêu chí chỉ được khai “Không phát sinh”", node.code))
            continue
        for leaf in node.walk():
            if not leaf.is_leaf:
                continue
            column = columns[leaf.code]
            if column.state[row] == VALUE:
                problems.add(Problem(source, place_of(row, leaf.code),
                                     f"“{node.code}” khai không phát sinh nhưng tiêu chí con có số liệu", leaf.code))
            elif policies[leaf.code] == "not_allowed":
                problems.add(Problem(source, place_of(row, node.code),
                                     "tiêu chí con không được khai “không phát sinh”", leaf.code))
            else:
                column.state[row] = NOT_APPLICABLE
