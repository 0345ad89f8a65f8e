"""What the engine returns: integer arrays for every unit, and per-unit views in ``Decimal``.

``ScoreSheet`` keeps the arrays (cheap for 100 000 units); ``UnitResult`` is the readable
result of one unit with each leaf's trace, built on demand. ``ScoreTotals`` keeps only each
unit's totals — what ranking and classifying N units need (``engine.score_totals``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterator, Literal

import numpy as np
from criteria.frozen import Frozen
from criteria.numbers import format_points, from_scaled, index_decimal

from .compiled import CompiledRubric
from .evidence import EvidenceTable

# Leaf status codes, ordered so that one comparison answers the engine's questions:
# applicable (scored or missing) ⇔ status ≤ LEAF_MISSING; maximum counted ⇔ status ≤ LEAF_FULL.
LEAF_SCORED, LEAF_MISSING, LEAF_FULL, LEAF_EXCLUDED, LEAF_NO_SURVEY = 0, 1, 2, 3, 4
Status = Literal["scored", "missing", "not_applicable"]
STATUS_VI = {"scored": "đã chấm", "missing": "thiếu tài liệu", "not_applicable": "không phát sinh"}
_LEAF_STATUS: dict[int, Status] = {
    LEAF_SCORED: "scored", LEAF_MISSING: "missing", LEAF_EXCLUDED: "not_applicable",
    LEAF_FULL: "not_applicable", LEAF_NO_SURVEY: "not_applicable",
}


class LeafTrace(Frozen):
    """Why a leaf has its points: the rule applied, the evidence used, the reasoning."""

    kind: str
    rule: str
    evidence: Any = None
    explanation: str


class NodeResult(Frozen):
    code: str
    name: str
    depth: int
    section: str | None  # adjustment section code, None for the main tree
    is_leaf: bool
    points: Decimal
    max: Decimal  # applicable maximum
    lost: Decimal
    index: Decimal | None  # exact to 4 decimals; None where nothing applies
    status: Status
    missing_leaves: int
    trace: LeafTrace | None = None


class Totals(Frozen):
    points: Decimal  # tree + bonus − penalty
    max: Decimal
    lost: Decimal
    index: Decimal | None
    classification: str | None
    tree_points: Decimal
    bonus: Decimal
    penalty: Decimal
    missing_leaves: int


class UnitResult(Frozen):
    unit: str
    rubric_id: str
    totals: Totals
    nodes: tuple[NodeResult, ...]
    explanations: dict[str, str] = {}

    def node(self, code: str) -> NodeResult:
        return next(n for n in self.nodes if n.code == code)

    def lost_leaves(self) -> list[NodeResult]:
        """Leaves of the main tree that lost points, most lost first (written order on ties)."""
        leaves = [n for n in self.nodes if n.is_leaf and n.section is None and n.lost > 0]
        return sorted(leaves, key=lambda n: -n.lost)


@dataclass
class ScoreSheet:
    """Every node's points for every unit (rows = nodes in compiled order, columns = units)."""

    compiled: CompiledRubric
    evidence: EvidenceTable
    points: np.ndarray
    maximum: np.ndarray
    leaf_status: np.ndarray
    missing: np.ndarray
    applicable: np.ndarray
    tree_points: np.ndarray
    tree_max: np.ndarray
    bonus: np.ndarray
    penalty: np.ndarray
    total: np.ndarray
    kernel: str = "numpy"  # which engine kernel computed the arrays: numpy or compiled (scoring/engine.py)

    @property
    def rubric(self):  # noqa: ANN201 - criteria.Rubric
        return self.compiled.rubric

    @property
    def units(self) -> list[str]:
        return self.evidence.units

    def __len__(self) -> int:
        return len(self.evidence.units)

    def position(self, unit: str) -> int:
        try:
            return self.evidence.units.index(unit)
        except ValueError:
            raise KeyError(f"không có đơn vị “{unit}”") from None

    def index_exact(self, i: int) -> Fraction | None:
        """The unit's index (%) as an exact fraction: total / applicable max × 100."""
        return _index_exact(int(self.total[i]), int(self.tree_max[i]))

    def index_order_keys(self) -> np.ndarray:
        """Float keys that order units exactly as their exact indices do (``order_keys``)."""
        return order_keys(self.total, self.tree_max)

    def node_status(self, row: int, i: int) -> Status:
        if self.compiled.children[row]:
            if self.applicable[row, i] == 0:
                return "not_applicable"
            return "missing" if self.missing[row, i] else "scored"
        return _LEAF_STATUS[int(self.leaf_status[row, i])]

    def trace(self, row: int, i: int) -> LeafTrace:
        node = self.compiled.nodes[row]
        rule = node.rule
        described = self.compiled.descriptions[row]
        status = int(self.leaf_status[row, i])
        cell = self.evidence.columns[node.code].cell(i)
        kind = rule.kind  # type: ignore[union-attr]
        override = self.evidence.overrides.get((self.units[i], node.code))
        if override is not None:
            by = f", người điều chỉnh: {override.by}" if override.by else ""
            return LeafTrace(kind=kind, rule=described, evidence={"points": str(override.points)},
                             explanation=f"điểm được điều chỉnh: {format_points(override.points)} điểm "
                                         f"(lý do: {override.reason}{by})")
        if status == LEAF_SCORED:
            return LeafTrace(kind=kind, rule=described, evidence=rule.evidence(cell),  # type: ignore[union-attr]
                             explanation=rule.explain(cell, node.max))  # type: ignore[union-attr]
        text = {
            LEAF_MISSING: "không có số liệu hoặc tài liệu kiểm chứng: 0 điểm (thiếu tài liệu)",
            LEAF_EXCLUDED: "không phát sinh: loại khỏi điểm tối đa",
            LEAF_FULL: f"không phát sinh: tính đủ {format_points(node.max)} điểm",
            LEAF_NO_SURVEY: "không có điều tra xã hội học: loại khỏi điểm tối đa, quy về thang điểm 100",
        }[status]
        if cell.note and status == LEAF_EXCLUDED:
            text = f"{text} ({cell.note})"
        evidence = None if status == LEAF_MISSING else "không phát sinh"
        return LeafTrace(kind=kind, rule=described, evidence=evidence, explanation=text)

    def totals(self, i: int) -> Totals:
        missing = int(self.missing[list(self.compiled.top_rows), i].sum())
        return _totals(self.rubric, int(self.total[i]), int(self.tree_max[i]), int(self.tree_points[i]),
                       int(self.bonus[i]), int(self.penalty[i]), missing)

    def totals_only(self) -> ScoreTotals:
        """Each unit's totals, copied out of the sheet (they outlive a reused one)."""
        missing = self.missing[list(self.compiled.top_rows)].sum(axis=0, dtype=np.int64)
        return ScoreTotals(self.compiled, self.units, self.tree_points.copy(), self.tree_max.copy(),
                           self.bonus.copy(), self.penalty.copy(), self.total.copy(), missing, self.kernel)

    def node_result(self, row: int, i: int, traces: bool = True) -> NodeResult:
        """Node ``row`` of unit ``i`` (a leaf with its trace when ``traces``): one node, not the unit's tree."""
        node = self.compiled.nodes[row]
        p, m = int(self.points[row, i]), int(self.maximum[row, i])
        return NodeResult(
            code=node.code, name=node.name, depth=self.compiled.depth[row],
            section=self.compiled.section[row], is_leaf=node.is_leaf,
            points=from_scaled(p), max=from_scaled(m), lost=from_scaled(m - p),
            index=index_decimal(p, m), status=self.node_status(row, i),
            missing_leaves=int(self.missing[row, i]),
            trace=self.trace(row, i) if traces and node.is_leaf else None,
        )

    def result(self, i: int | str, traces: bool = True) -> UnitResult:
        if isinstance(i, str):
            i = self.position(i)
        nodes = [self.node_result(row, i, traces) for row in range(len(self.compiled.nodes))]
        unit = self.units[i]
        explanations = {code: text for (u, code), text in self.evidence.explanations.items() if u == unit}
        return UnitResult(unit=unit, rubric_id=self.rubric.id, totals=self.totals(i),
                          nodes=tuple(nodes), explanations=explanations)

    def results(self, traces: bool = True) -> Iterator[UnitResult]:
        for i in range(len(self)):
            yield self.result(i, traces)


@dataclass(frozen=True)
class ScoreTotals:
    """Each unit's totals and nothing below them: tree points and maximum, bonus, penalty, total
    (all in 1/10 000 point, int64) and the missing leaves of the main tree (int64) — every
    integer ``Totals``, ``ranking.rank`` and ``ranking.class_labels`` read, equal to a
    ``ScoreSheet``'s. ~48 B per unit instead of the sheet's ≈ 900 (demonstration rubric)."""

    compiled: CompiledRubric
    units: list[str]
    tree_points: np.ndarray
    tree_max: np.ndarray
    bonus: np.ndarray
    penalty: np.ndarray
    total: np.ndarray
    missing_leaves: np.ndarray
    kernel: str = "numpy"  # which engine kernel computed them (scoring/engine.py)

    @property
    def rubric(self):  # noqa: ANN201 - criteria.Rubric
        return self.compiled.rubric

    def __len__(self) -> int:
        return len(self.units)

    def index_exact(self, i: int) -> Fraction | None:
        """The unit's index (%) as an exact fraction: total / applicable max × 100."""
        return _index_exact(int(self.total[i]), int(self.tree_max[i]))

    def index_order_keys(self) -> np.ndarray:
        """Float keys that order units exactly as their exact indices do (``order_keys``)."""
        return order_keys(self.total, self.tree_max)

    def totals(self, i: int) -> Totals:
        return _totals(self.rubric, int(self.total[i]), int(self.tree_max[i]), int(self.tree_points[i]),
                       int(self.bonus[i]), int(self.penalty[i]), int(self.missing_leaves[i]))


def order_keys(total: np.ndarray, tree_max: np.ndarray) -> np.ndarray:
    """Float keys that order units exactly as their exact indices (total / max) do.

    total and max are integers below 2**53, and IEEE division is correctly rounded, so
    equal fractions give equal floats and distinct ones (which differ by at least
    1/max² ≫ one ulp at this size) keep their order. Nothing applies (max 0): last.
    """
    keys = np.full(len(total), -np.inf)
    np.divide(total, tree_max, out=keys, where=tree_max != 0)  # as float64 / float64
    return keys


def _index_exact(total: int, maximum: int) -> Fraction | None:
    return None if maximum == 0 else Fraction(total * 100, maximum)


def _totals(rubric: Any, total: int, maximum: int, tree_points: int, bonus: int, penalty: int,
            missing: int) -> Totals:
    return Totals(
        points=from_scaled(total), max=from_scaled(maximum), lost=from_scaled(maximum - total),
        index=index_decimal(total, maximum), classification=rubric.classify(_index_exact(total, maximum)),
        tree_points=from_scaled(tree_points), bonus=from_scaled(bonus), penalty=from_scaled(penalty),
        missing_leaves=missing,
    )
