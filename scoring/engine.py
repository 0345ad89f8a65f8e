"""The engine: validated evidence of N units → exact points of every node, as integer arrays.

One code path for one unit or a million: a single unit is a table of one row.
Points are integers in 1/10 000 of a point (``criteria.numbers.SCALE``), so every sum is
exact; rounding happens once, inside the rule kinds that define it (proportional).

Two kernels compute the same integers:

- **numpy** (this module, ``_score_span``): each rule kind's ``score`` over a column, then a few
  array passes per leaf (status, points, maximum, missing, applicable) and per internal node
  (sums), in chunks of ``CHUNK_UNITS`` units so a chunk's working rows stay in the processor's
  cache. It is the reference, needs nothing beyond numpy, and scores small tables (one unit on
  the command line) without loading a compiler.
- **compiled** (``scoring/fused.py``, numba): one loop over the units, a block at a time, that
  reads each leaf's evidence once and writes every node's rows and the totals; each rule kind
  gives, beside its numpy ``score``, the same points as a generic integer ``CellProgram``
  (``criteria/rules/base.py``), so every kind stays whole in its own module. About ten numpy
  passes per leaf become one.

``score`` picks the compiled kernel (``kernel="auto"``) for tables of ``COMPILED_MIN_UNITS`` or
more, or of any size once it is loaded in the process (a long-running process — the portal, a
benchmark — loads it once with ``fused.load()``; ``score_stream`` loads it for its stream), when
numba is installed and every leaf's rule has a program (a rubric with constants that need more
than int64 keeps numpy); otherwise numpy. ``ScoreSheet.kernel`` says which ran. ``tests/test_fused_kernel.py`` proves the two
equal on every node. For campaigns larger than memory, ``score_stream`` scores tables one after
another (bounded memory whatever the number of units). Neither chunks nor blocks change a
result: every unit's points depend on that unit's evidence alone.

A caller that ranks or classifies units needs only their totals: ``score_totals`` (and
``TotalsScorer``, ``score_stream(..., keep="totals")``) returns a ``ScoreTotals`` — tree points
and maximum, bonus, penalty, total, the main tree's missing leaves — the same integers as the full
sheet's. The compiled kernel still computes every node, but in one block's rows reused block
after block, so it writes ≈ 48 B per unit instead of a sheet's ≈ 900 (writing those, into fresh
pages, was most of its time); the numpy kernel scores a full sheet and keeps its totals.
``tests/test_totals_only.py`` proves them equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Literal

import numpy as np

from criteria import Rubric
from criteria.numbers import to_scaled
from criteria.rules import MISSING, NOT_APPLICABLE, VALUE

from . import fused
from .compiled import CompiledRubric, compile_rubric
from .evidence import EvidenceTable
from .result import (
    LEAF_EXCLUDED,
    LEAF_FULL,
    LEAF_MISSING,
    LEAF_NO_SURVEY,
    LEAF_SCORED,
    ScoreSheet,
    ScoreTotals,
)

CHUNK_UNITS = 32_768  # numpy kernel, units per chunk: a chunk's working rows stay in cache; measured at 1M units: 16k 0.73 s, 64k 0.60 s CPU, unchunked 1.57 s
# From this many units in one table the compiled kernel pays for loading it in a fresh process:
# importing numba and reading its cached code cost ≈ 0.5 s of CPU once; it then saves ≈ 0.35 µs
# per unit (demo rubric: 55 → 20 ms at 100,000 units). Once loaded, it scores every size.
COMPILED_MIN_UNITS = 1_000_000
Kernel = Literal["auto", "numpy", "compiled"]
Keep = Literal["sheet", "totals"]  # what score_stream returns per table


def score(rubric: Rubric, evidence: EvidenceTable, chunk_units: int = CHUNK_UNITS,
          kernel: Kernel = "auto") -> ScoreSheet:
    """Score every unit of ``evidence`` against ``rubric``.

    ``kernel``: ``"auto"`` (see the module's docstring), ``"numpy"``, or ``"compiled"`` (a
    ``RuntimeError`` naming the reason when it cannot run). ``chunk_units`` sizes the numpy
    kernel's chunks; the compiled kernel works in its own blocks."""
    compiled = _checked(rubric, evidence, chunk_units)
    n_units, n_nodes = len(evidence), len(compiled.nodes)
    sheet = ScoreSheet(
        compiled=compiled,
        evidence=evidence,
        points=np.empty((n_nodes, n_units), dtype=compiled.points_dtype),
        maximum=np.empty((n_nodes, n_units), dtype=compiled.points_dtype),
        leaf_status=np.zeros((n_nodes, n_units), dtype=np.int8),  # internal rows stay 0, unread
        missing=np.empty((n_nodes, n_units), dtype=compiled.count_dtype),  # leaves without evidence below
        applicable=np.empty((n_nodes, n_units), dtype=compiled.count_dtype),  # leaves scored or missing below
        tree_points=np.empty(n_units, dtype=np.int64),
        tree_max=np.empty(n_units, dtype=np.int64),
        bonus=np.zeros(n_units, dtype=np.int64),
        penalty=np.zeros(n_units, dtype=np.int64),
        total=np.empty(n_units, dtype=np.int64),
    )
    return _score_into(sheet, chunk_units, kernel)


def _checked(rubric: Rubric, evidence: EvidenceTable, chunk_units: int) -> CompiledRubric:
    if evidence.rubric_id != rubric.id:
        raise ValueError(f"evidence is for rubric {evidence.rubric_id!r}, not {rubric.id!r}")
    if chunk_units < 1:
        raise ValueError("chunk_units must be at least 1")
    return compile_rubric(rubric)


def _score_into(sheet: ScoreSheet, chunk_units: int, kernel: Kernel) -> ScoreSheet:
    """Fill ``sheet``'s arrays (internal rows of ``leaf_status``, ``bonus`` and ``penalty`` at 0)."""
    evidence, n_units = sheet.evidence, len(sheet.evidence)
    plan = _plan(sheet.compiled)
    overrides = _overrides_by_leaf(evidence)
    compiled_kernel = _compiled_kernel(plan, n_units, kernel)
    if compiled_kernel is not None:
        rows = tuple(getattr(sheet, name) for name in _ROWS)
        totals = (*(getattr(sheet, name) for name in _TOTALS), _NO_MISSING_TOTAL)
        arguments, keep = _fused_arguments(plan, evidence, rows, totals, overrides)
        ran = fused.run(compiled_kernel, arguments)
        del keep  # converted evidence copies, alive until the kernel has read them
        if ran:
            sheet.kernel = "compiled"
            return sheet
        if kernel == "compiled":
            raise RuntimeError(f"the compiled kernel cannot run: {fused.reason()}")
    sheet.kernel = "numpy"
    scratch = _Scratch.for_units(min(chunk_units, max(n_units, 1)))
    for start in range(0, n_units, chunk_units):
        _score_span(plan, evidence, sheet, start, min(start + chunk_units, n_units), overrides, scratch)
    return sheet


class ReusingScorer:
    """Scores tables one after another into the same result arrays, grown to the largest table.

    A fresh sheet's arrays are fresh memory, and the operating system zeroes every new page
    before the kernel writes it: ≈ 7 ms per 100,000 units on the demonstration rubric, a third of
    scoring them. A stream of tables whose caller keeps only what it needs of each sheet (totals
    to rank, a unit's result) can reuse the arrays instead. **Each sheet is valid until the next
    call**: its arrays are then overwritten (copy what must outlive it)."""

    def __init__(self, rubric: Rubric, kernel: Kernel = "auto", chunk_units: int = CHUNK_UNITS) -> None:
        self.rubric, self.kernel, self.chunk_units = rubric, kernel, chunk_units
        self._buffers: dict[str, np.ndarray] = {}

    def score(self, evidence: EvidenceTable) -> ScoreSheet:
        compiled = _checked(self.rubric, evidence, self.chunk_units)
        n, n_nodes = len(evidence), len(compiled.nodes)
        if not self._buffers or len(self._buffers["total"]) < n:
            capacity = max(n, 1)
            self._buffers = {
                "points": np.empty(n_nodes * capacity, dtype=compiled.points_dtype),
                "maximum": np.empty(n_nodes * capacity, dtype=compiled.points_dtype),
                "leaf_status": np.empty(n_nodes * capacity, dtype=np.int8),
                "missing": np.empty(n_nodes * capacity, dtype=compiled.count_dtype),
                "applicable": np.empty(n_nodes * capacity, dtype=compiled.count_dtype),
                **{name: np.empty(capacity, dtype=np.int64) for name in _TOTALS},
            }
            for buffer in self._buffers.values():  # touched in order once: the kernel's first writes,
                buffer.fill(0)                      # row by row, faulted them in ≈ 10× slower (42 vs 4 ms)
        rows = {name: self._buffers[name][:n_nodes * n].reshape(n_nodes, n)  # C-contiguous views
                for name in _ROWS}
        totals = {name: self._buffers[name][:n] for name in _TOTALS}
        rows["leaf_status"][list(compiled.post_order)] = 0  # internal rows read as 0, whatever n was before
        totals["bonus"].fill(0)
        totals["penalty"].fill(0)
        sheet = ScoreSheet(compiled=compiled, evidence=evidence, **rows, **totals)
        return _score_into(sheet, self.chunk_units, self.kernel)


def score_totals(rubric: Rubric, evidence: EvidenceTable, kernel: Kernel = "auto",
                 chunk_units: int = CHUNK_UNITS) -> ScoreTotals:
    """Each unit's totals only (``ScoreTotals``): what ranking and classifying the units need,
    the same integers as ``score(...).totals_only()``. The compiled kernel computes every node in
    one block's rows, reused block after block, and writes out ≈ 48 B per unit instead of a
    sheet's ≈ 900; the numpy kernel scores a whole sheet and keeps its totals."""
    return TotalsScorer(rubric, kernel, chunk_units).score(evidence)


class TotalsScorer:
    """Scores tables one after another to their totals (``score_totals``), with one block's node
    rows reused by every table. ``reuse``: the totals of every table in the same arrays too (each
    result valid until the next call; copy what must outlive it), as ``ReusingScorer`` does."""

    def __init__(self, rubric: Rubric, kernel: Kernel = "auto", chunk_units: int = CHUNK_UNITS,
                 reuse: bool = False) -> None:
        self.rubric, self.kernel, self.chunk_units, self.reuse = rubric, kernel, chunk_units, reuse
        self._block: tuple[np.ndarray, ...] | None = None  # node rows of one block (compiled kernel)
        self._totals: dict[str, np.ndarray] = {}
        self._sheets: ReusingScorer | None = None  # the numpy kernel's whole sheet, reused

    def score(self, evidence: EvidenceTable) -> ScoreTotals:
        compiled = _checked(self.rubric, evidence, self.chunk_units)
        n = len(evidence)
        plan = _plan(compiled)
        run = _compiled_kernel(plan, n, self.kernel)
        if run is not None:
            totals = self._totals_for(n)
            block = self._block_rows(compiled)
            arguments, keep = _fused_arguments(plan, evidence, block, tuple(totals.values()),
                                               _overrides_by_leaf(evidence))
            ran = fused.run(run, arguments)
            del keep  # converted evidence copies, alive until the kernel has read them
            if ran:
                return ScoreTotals(compiled, evidence.units, **totals, kernel="compiled")
            if self.kernel == "compiled":
                raise RuntimeError(f"the compiled kernel cannot run: {fused.reason()}")
        if self._sheets is None:
            self._sheets = ReusingScorer(self.rubric, "numpy", self.chunk_units)
        return self._sheets.score(evidence).totals_only()

    def _totals_for(self, n: int) -> dict[str, np.ndarray]:
        """The totals' arrays for ``n`` units, fresh or (``reuse``) views of the kept ones."""
        names = (*_TOTALS, "missing_leaves")
        if not self.reuse:
            return {name: np.empty(n, dtype=np.int64) for name in names}
        if not self._totals or len(self._totals["total"]) < n:
            self._totals = {name: np.zeros(max(n, 1), dtype=np.int64) for name in names}  # touched once, in order
        return {name: self._totals[name][:n] for name in names}

    def _block_rows(self, compiled: CompiledRubric) -> tuple[np.ndarray, ...]:
        """One block's node rows, in ``_ROWS`` order: ``TOTALS_BLOCK_UNITS`` columns per node."""
        if self._block is None:
            shape = (len(compiled.nodes), TOTALS_BLOCK_UNITS)
            self._block = tuple(np.zeros(shape, dtype=dtype) for dtype in (
                compiled.points_dtype, compiled.points_dtype, np.int8, compiled.count_dtype, compiled.count_dtype))
        return self._block


TOTALS_BLOCK_UNITS = fused.BLOCK_UNITS  # units per block of node rows for totals only; 1,024–8,192 measured alike (100,000 units: 11–12 ms)


_ROWS = ("points", "maximum", "leaf_status", "missing", "applicable")  # node × unit
_TOTALS = ("tree_points", "tree_max", "bonus", "penalty", "total")  # per unit
_NO_MISSING_TOTAL = np.empty(0, dtype=np.int64)  # a sheet keeps its missing rows: the kernel sums none


def _compiled_kernel(plan: _Plan, n_units: int, kernel: Kernel):  # numba's dispatcher, or None
    """The compiled kernel when ``kernel`` asks for it or ``"auto"`` chooses it, else None."""
    if kernel == "numpy":
        return None
    if kernel not in ("auto", "compiled"):
        raise ValueError(f"kernel must be auto, numpy or compiled, not {kernel!r}")
    if plan.fused is None:
        if kernel == "compiled":
            raise RuntimeError("a rule of this rubric has no compiled program (constants beyond int64)")
        return None
    if kernel == "auto" and n_units < COMPILED_MIN_UNITS and not fused.loaded():
        return None
    run = fused.load()
    if run is None and kernel == "compiled":
        raise RuntimeError(f"the compiled kernel cannot run: {fused.reason()}")
    return run


def score_stream(rubric: Rubric, tables: Iterable[EvidenceTable], reuse: bool = False,
                 keep: Keep = "sheet") -> Iterator[ScoreSheet] | Iterator[ScoreTotals]:
    """Score evidence arriving in pieces (a file read a block at a time, a generator): one result
    per table. Memory stays bounded by the largest table as long as the caller keeps only what it
    needs of each. ``keep``: ``"sheet"``, each as ``score`` gives it; ``"totals"``, each unit's
    totals only (``score_totals``: what ranking N units needs, without writing the node rows).
    ``reuse``: every result in the same arrays (``ReusingScorer``, ``TotalsScorer``), each valid
    until the next is yielded. A stream is a large campaign: the compiled kernel is loaded for it
    when numba is installed."""
    if keep not in ("sheet", "totals"):
        raise ValueError(f"keep must be sheet or totals, not {keep!r}")
    fused.load()
    return _stream(rubric, tables, reuse, keep)


def _stream(rubric: Rubric, tables: Iterable[EvidenceTable], reuse: bool, keep: Keep,
            ) -> Iterator[ScoreSheet] | Iterator[ScoreTotals]:
    if keep == "totals":
        totals = TotalsScorer(rubric, reuse=reuse)
        return (totals.score(table) for table in tables)
    if reuse:
        sheets = ReusingScorer(rubric)
        return (sheets.score(table) for table in tables)
    return (score(rubric, table) for table in tables)


# ---------------------------------------------------------------- per rubric, once
@dataclass(frozen=True)
class _Leaf:
    row: int
    code: str
    rule: object
    max_s: int
    status_of_state: np.ndarray  # evidence state (VALUE, MISSING, NOT_APPLICABLE) → LEAF_*
    max_typed: np.generic  # max_s in the points type, so the product needs no cast
    full_points: bool
    survey: bool


@dataclass(frozen=True)
class _Plan:
    compiled: CompiledRubric
    leaves: tuple[_Leaf, ...]
    sums: tuple[tuple[int, tuple[int, ...]], ...]  # (internal row, child rows), children first
    # Per adjustment section: (is bonus, cap, top rows, answered leaf rows below)
    adjustments: tuple[tuple[bool, int, tuple[int, ...], tuple[int, ...]], ...]
    # The compiled kernel's rubric arguments (before the overrides, after them); None: a rule has no program
    fused: tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]] | None


_PLANS: dict[int, tuple[CompiledRubric, _Plan]] = {}



def _plan(compiled: CompiledRubric) -> _Plan:
    """Everything about the rubric that does not depend on the units, resolved once."""
    hit = _PLANS.get(id(compiled))
    if hit is not None and hit[0] is compiled:
        return hit[1]
    survey_rows = set(compiled.survey_leaf_rows)
    leaves = []
    for row in compiled.leaf_rows:
        node = compiled.nodes[row]
        full = compiled.policy[row] == "full_points"
        max_s = compiled.max_scaled[row]
        leaves.append(_Leaf(
            row=row, code=node.code, rule=node.rule, max_s=max_s,
            status_of_state=_status_of_state(full, compiled.section[row] is not None),
            max_typed=compiled.points_dtype(max_s),
            full_points=full, survey=row in survey_rows,
        ))
    adjustments = []
    for adjustment in compiled.rubric.adjustments:
        tops = compiled.section_rows[adjustment.code]
        below = tuple(row for top in tops for row in _leaves_below(compiled, top))
        adjustments.append((adjustment.kind == "bonus", to_scaled(adjustment.cap), tops, below))
    plan = _Plan(
        compiled=compiled,
        leaves=tuple(leaves),
        sums=tuple((row, compiled.children[row]) for row in compiled.post_order),
        adjustments=tuple(adjustments),
        fused=_fused_plan(compiled, leaves, adjustments),
    )
    if len(_PLANS) >= 32:
        _PLANS.pop(next(iter(_PLANS)))
    _PLANS[id(compiled)] = (compiled, plan)
    return plan


def _fused_plan(compiled: CompiledRubric, leaves: list[_Leaf],
                adjustments: list[tuple[bool, int, tuple[int, ...], tuple[int, ...]]],
                ) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...]] | None:
    """The rubric as the compiled kernel's arrays (``fused._kernel``'s arguments after the
    evidence, up to the overrides, and from the survey to ``may_exceed``); None when a rule has
    no ``CellProgram``."""
    programs = [leaf.rule.program(leaf.max_s) for leaf in leaves]  # type: ignore[attr-defined]
    if any(program is None for program in programs):
        return None
    offsets = np.cumsum([0, *(len(p.constants) for p in programs)])
    constants = np.array([c for p in programs for c in p.constants] or [0], dtype=np.int64)
    leaf_rows = {leaf.row: k for k, leaf in enumerate(leaves)}
    n_nodes = len(compiled.nodes)
    parent = np.full(n_nodes, -1, dtype=np.int64)
    for row, kids in enumerate(compiled.children):
        parent[list(kids)] = row
    order: list[int] = []  # every row, children before parents

    def visit(row: int) -> None:
        for kid in compiled.children[row]:
            visit(kid)
        order.append(row)

    for row in (*compiled.top_rows, *(r for rows in compiled.section_rows.values() for r in rows)):
        visit(row)
    leaf_of_row = np.full(n_nodes, -1, dtype=np.int64)
    leaf_of_row[[leaf.row for leaf in leaves]] = np.arange(len(leaves))
    survey = compiled.rubric.survey
    rescale = survey is not None and survey.when_absent == "rescale" and bool(compiled.survey_leaf_rows)

    def ragged(groups: list[tuple[int, ...]]) -> tuple[np.ndarray, np.ndarray]:
        start = np.zeros(len(groups) + 1, dtype=np.int64)
        start[1:] = np.cumsum([len(g) for g in groups])
        return start, np.array([r for g in groups for r in g], dtype=np.int64)

    adjustment_start, adjustment_rows = ragged([rows for _, _, rows, _ in adjustments])
    below_start, below_rows = ragged([below for _, _, _, below in adjustments])
    ints = lambda values: np.array(list(values), dtype=np.int64)  # noqa: E731
    rubric_part = (
        ints(leaf.row for leaf in leaves), ints(p.op for p in programs), ints(offsets[:-1]),
        ints(len(p.constants) for p in programs), constants, ints(leaf.max_s for leaf in leaves),
        np.array([leaf.full_points for leaf in leaves], dtype=np.bool_),
        np.array([leaf.survey for leaf in leaves], dtype=np.bool_),
        np.array([leaf.status_of_state for leaf in leaves], dtype=np.int8).reshape(len(leaves), 3),
    )
    tree_part = (
        ints(leaf_rows[row] for row in compiled.survey_leaf_rows), np.bool_(rescale),
        ints(compiled.post_order), ints(order), parent, leaf_of_row,
        ints(compiled.top_rows), np.array([is_bonus for is_bonus, _, _, _ in adjustments], dtype=np.bool_),
        ints(cap for _, cap, _, _ in adjustments), adjustment_start, adjustment_rows, below_start, below_rows,
        np.bool_(compiled.rubric.bonus_may_exceed_max),
    )
    return rubric_part, tree_part  # the overrides go between, per call


def _fused_arguments(plan: _Plan, evidence: EvidenceTable, rows: tuple[np.ndarray, ...],
                     totals: tuple[np.ndarray, ...], overrides: dict[str, list[tuple[int, int]]],
                     ) -> tuple[tuple, list[np.ndarray]]:
    """Everything ``fused._kernel`` takes, in its order: the evidence by address (the arrays stay
    referenced by ``evidence`` or by the tuple returned), the rubric's arrays, the overrides, the
    node rows (``_ROWS``: a sheet's, or one block's for totals only), the totals (``_TOTALS`` and
    the missing leaves' total, empty when a sheet keeps its rows); and the converted copies of
    columns the caller must keep alive during the call (an evidence array of another type or layout)."""
    n = len(evidence)
    keep: list[np.ndarray] = []

    def address(array: np.ndarray, dtype: type) -> int:
        if array.dtype != dtype or not array.flags.c_contiguous or len(array) != n:
            array = np.ascontiguousarray(array, dtype=dtype)
            if len(array) != n:
                raise ValueError("an evidence column's length differs from the number of units")
            keep.append(array)
        return array.ctypes.data  # ≈ 1.5 µs each (``__array_interface__``: 2.1), 100+ per call

    columns = [evidence.columns[leaf.code] for leaf in plan.leaves]
    assert plan.fused is not None
    rubric_part, tree_part = plan.fused
    states = np.array([address(c.state, np.int8) for c in columns], dtype=np.int64)
    a = np.array([address(c.a, np.int64) for c in columns], dtype=np.int64)
    # ``b`` of the programs that read it; the others get ``a``'s address, never read through
    b = np.array([address(c.b, np.int64) if op in fused.READS_B else a_k
                  for c, op, a_k in zip(columns, rubric_part[1].tolist(), a.tolist())], dtype=np.int64)
    starts, units, points_set = [0], [], []
    for leaf in plan.leaves:
        for i, points in sorted(overrides.get(leaf.code, ())):
            units.append(i)
            points_set.append(points)
        starts.append(len(units))
    arguments = (n, states, a, b, *rubric_part, np.array(starts, dtype=np.int64),
                 np.array(units, dtype=np.int64), np.array(points_set, dtype=np.int64), *tree_part,
                 *rows, *totals)
    return arguments, keep


def _leaves_below(compiled: CompiledRubric, top: int) -> list[int]:
    stack, leaves = [top], []
    while stack:
        row = stack.pop()
        if compiled.children[row]:
            stack.extend(compiled.children[row])
        else:
            leaves.append(row)
    return leaves


def _status_of_state(full_points: bool, in_section: bool) -> np.ndarray:
    """Evidence state (VALUE, MISSING, NOT_APPLICABLE) → leaf status, as a lookup table."""
    table = np.empty(3, dtype=np.int8)
    table[VALUE] = LEAF_SCORED
    table[MISSING] = LEAF_EXCLUDED if in_section else LEAF_MISSING  # bonus/penalty: nothing to add or take
    table[NOT_APPLICABLE] = LEAF_FULL if full_points else LEAF_EXCLUDED
    return table


# ---------------------------------------------------------------- per chunk of units
@dataclass(frozen=True)
class _Scratch:
    """Working rows reused by every leaf of every chunk: no fresh allocation per node."""

    mask: np.ndarray  # bool
    absent: np.ndarray  # bool: units without any survey answer
    wide: np.ndarray  # int64: sums of the totals

    @classmethod
    def for_units(cls, n: int) -> _Scratch:
        return cls(np.empty(n, dtype=bool), np.empty(n, dtype=bool), np.empty(n, dtype=np.int64))


def _score_span(plan: _Plan, evidence: EvidenceTable, sheet: ScoreSheet, start: int, stop: int,
                overrides: dict[str, list[tuple[int, int]]], scratch: _Scratch) -> None:
    """Units ``start:stop``: every leaf, every node, the totals, written into ``sheet``."""
    span = slice(start, stop)
    m = stop - start
    mask, wide = scratch.mask[:m], scratch.wide[:m]
    points, maximum, status_rows = sheet.points, sheet.maximum, sheet.leaf_status
    missing, applicable = sheet.missing, sheet.applicable
    no_survey = _survey_absent(plan, evidence, span, scratch.absent[:m], mask)
    for leaf in plan.leaves:
        row = leaf.row
        column = evidence.columns[leaf.code]
        earned = leaf.rule.score(column.a[span], column.b[span], leaf.max_s)  # type: ignore[attr-defined]
        status = status_rows[row, span]
        _status_of(column.state[span], leaf.status_of_state, status, mask)
        if no_survey is not None and leaf.survey:
            np.copyto(status, LEAF_NO_SURVEY, where=no_survey)
        by_hand = overrides.get(leaf.code)
        if by_hand:
            earned = earned.copy()  # a rule may hand back a view of its evidence
            for i, points_set in by_hand:
                if start <= i < stop:
                    status[i - start] = LEAF_SCORED
                    earned[i - start] = points_set
        out = points[row, span]
        np.equal(status, LEAF_SCORED, out=mask)
        np.multiply(earned, mask, out=out, casting="unsafe")  # within the dtype: see compiled._points_dtype
        if leaf.full_points:
            np.equal(status, LEAF_FULL, out=mask)
            np.copyto(out, leaf.max_s, where=mask)
        np.less_equal(status, LEAF_FULL, out=mask)  # maximum counted
        np.multiply(mask, leaf.max_typed, out=maximum[row, span])
        _compare(np.equal, status, LEAF_MISSING, missing[row, span])
        _compare(np.less_equal, status, LEAF_MISSING, applicable[row, span])  # scored or missing

    for row, kids in plan.sums:
        for array in (points, maximum, missing, applicable):
            _sum_rows(array, row, kids, span)

    tops = plan.compiled.top_rows
    tree_points, tree_max = sheet.tree_points[span], sheet.tree_max[span]
    _sum_into(tree_points, points, tops, span)
    _sum_into(tree_max, maximum, tops, span)
    bonus, penalty = sheet.bonus[span], sheet.penalty[span]
    for is_bonus, cap, rows, below in plan.adjustments:
        if is_bonus:
            _sum_into(wide, points, rows, span)
        else:
            _answered_lost(wide, mask, points, maximum, status_rows, below, span)
        np.minimum(wide, cap, out=wide)
        np.add(bonus if is_bonus else penalty, wide, out=bonus if is_bonus else penalty)
    total = sheet.total[span]
    np.add(tree_points, bonus, out=total)
    if not plan.compiled.rubric.bonus_may_exceed_max:
        np.minimum(total, tree_max, out=total)  # tree points never exceed the tree's maximum
    np.subtract(total, penalty, out=total)


def _status_of(state: np.ndarray, table: np.ndarray, out: np.ndarray, mask: np.ndarray) -> None:
    """``out = table[state]`` for the 3-entry table: a copy, then one masked fill per state whose
    status differs from its code (a lookup by ``take`` costs ~10× a comparison)."""
    np.copyto(out, state)
    for code in (VALUE, MISSING, NOT_APPLICABLE):
        if table[code] != code:
            np.equal(state, code, out=mask)
            np.copyto(out, table[code], where=mask)


def _compare(test: np.ufunc, status: np.ndarray, code: int, out: np.ndarray) -> None:
    """``out = test(status, code)`` as 0/1; an int8 row takes the booleans without a cast."""
    if out.dtype == np.int8:
        test(status, code, out=out.view(bool))
    else:
        test(status, code, out=out)


def _sum_rows(array: np.ndarray, row: int, kids: tuple[int, ...], span: slice) -> None:
    """``array[row] = sum of array[kids]`` over the span, added in place."""
    out = array[row, span]
    if len(kids) == 1:
        np.copyto(out, array[kids[0], span])
        return
    np.add(array[kids[0], span], array[kids[1], span], out=out)
    for kid in kids[2:]:
        np.add(out, array[kid, span], out=out)


def _sum_into(out: np.ndarray, array: np.ndarray, rows: tuple[int, ...], span: slice) -> None:
    """``out = sum of array[rows]`` over the span, widened to int64."""
    out.fill(0)
    for row in rows:
        np.add(out, array[row, span], out=out)


def _answered_lost(out: np.ndarray, mask: np.ndarray, points: np.ndarray, maximum: np.ndarray,
                   leaf_status: np.ndarray, leaves: tuple[int, ...], span: slice) -> None:
    """Points lost in a penalty section, counting only leaves that were answered."""
    out.fill(0)
    for row in leaves:
        np.equal(leaf_status[row, span], LEAF_SCORED, out=mask)
        np.add(out, maximum[row, span], out=out, where=mask)
        np.subtract(out, points[row, span], out=out, where=mask)


def _overrides_by_leaf(evidence: EvidenceTable) -> dict[str, list[tuple[int, int]]]:
    """Points set by hand, as (unit row, scaled points) per leaf code."""
    if not evidence.overrides:
        return {}
    rows = {unit: i for i, unit in enumerate(evidence.units)}
    grouped: dict[str, list[tuple[int, int]]] = {}
    for (unit, code), override in evidence.overrides.items():
        grouped.setdefault(code, []).append((rows[unit], to_scaled(override.points)))
    return grouped


def _survey_absent(plan: _Plan, evidence: EvidenceTable, span: slice, out: np.ndarray,
                   mask: np.ndarray) -> np.ndarray | None:
    """Units of the span with no survey answer at all, where the rubric rescales without a survey."""
    compiled = plan.compiled
    survey = compiled.rubric.survey
    if survey is None or survey.when_absent != "rescale" or not compiled.survey_leaf_rows:
        return None
    out.fill(True)
    for row in compiled.survey_leaf_rows:
        np.equal(evidence.columns[compiled.nodes[row].code].state[span], MISSING, out=mask)
        np.logical_and(out, mask, out=out)
    return out
