"""A rubric laid out for array scoring: nodes in one order, parents, leaves, sections, and the
narrowest exact integer types for its node arrays."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from criteria import Node, Rubric
from criteria.numbers import to_scaled

INT32_LIMIT = 2**31 - 1


@dataclass(frozen=True)
class CompiledRubric:
    rubric: Rubric
    nodes: tuple[Node, ...]  # tree nodes (depth first), then each section's nodes
    index: dict[str, int]  # code → row in the node arrays
    children: tuple[tuple[int, ...], ...]  # child rows of each row
    depth: tuple[int, ...]  # 0 for top-level fields and section roots
    section: tuple[str | None, ...]  # adjustment code a row belongs to, or None for the tree
    leaf_rows: tuple[int, ...]
    max_scaled: tuple[int, ...]
    policy: tuple[str, ...]
    top_rows: tuple[int, ...]  # top-level fields of the tree
    survey_leaf_rows: tuple[int, ...]
    section_rows: dict[str, tuple[int, ...]]  # adjustment code → its top rows
    post_order: tuple[int, ...]  # internal rows, children before parents
    descriptions: tuple[str | None, ...]  # each leaf's rule in words (the same for every unit)
    points_dtype: type  # int32 when no node's points or maximum can leave int32, else int64
    count_dtype: type  # leaves below a node: int8 under 128 leaves, int16 under 32 768, else int32


_BY_IDENTITY: dict[int, tuple[Rubric, CompiledRubric]] = {}  # id → (the rubric itself, its layout)
_IDENTITY_SLOTS = 32


def compile_rubric(rubric: Rubric) -> CompiledRubric:
    """The rubric's layout, cached. The same object is found by identity: hashing a frozen
    rubric walks every node (0,3 ms for the demo rubric, ~10% of scoring 1,000 units). The
    entry holds the rubric, so its id cannot be reused while cached; equal copies share the
    layout through the cache by value."""
    hit = _BY_IDENTITY.get(id(rubric))
    if hit is not None and hit[0] is rubric:
        return hit[1]
    compiled = _compile_by_value(rubric)
    if len(_BY_IDENTITY) >= _IDENTITY_SLOTS:
        _BY_IDENTITY.pop(next(iter(_BY_IDENTITY)))
    _BY_IDENTITY[id(rubric)] = (rubric, compiled)
    return compiled


@lru_cache(maxsize=32)
def _compile_by_value(rubric: Rubric) -> CompiledRubric:
    nodes: list[Node] = []
    children: list[list[int]] = []
    depth: list[int] = []
    section: list[str | None] = []

    def add(node: Node, level: int, owner: str | None) -> int:
        row = len(nodes)
        nodes.append(node)
        children.append([])
        depth.append(level)
        section.append(owner)
        for child in node.children:
            children[row].append(add(child, level + 1, owner))
        return row

    top_rows = tuple(add(node, 0, None) for node in rubric.nodes)
    section_rows = {
        adj.code: tuple(add(node, 0, adj.code) for node in adj.children) for adj in rubric.adjustments
    }
    index = {node.code: row for row, node in enumerate(nodes)}
    policies = rubric.policy_of()
    post_order: list[int] = []

    def visit(row: int) -> None:
        for child in children[row]:
            visit(child)
        if children[row]:
            post_order.append(row)

    for row in (*top_rows, *(r for rows in section_rows.values() for r in rows)):
        visit(row)
    survey_rows: tuple[int, ...] = ()
    if rubric.survey is not None:
        survey_node = rubric.by_code[rubric.survey.code]
        survey_rows = tuple(index[n.code] for n in survey_node.walk() if n.is_leaf)
    return CompiledRubric(
        rubric=rubric,
        nodes=tuple(nodes),
        index=index,
        children=tuple(tuple(c) for c in children),
        depth=tuple(depth),
        section=tuple(section),
        leaf_rows=tuple(row for row, node in enumerate(nodes) if node.is_leaf),
        max_scaled=tuple(to_scaled(node.max) for node in nodes),
        policy=tuple(policies[node.code] for node in nodes),
        top_rows=top_rows,
        survey_leaf_rows=survey_rows,
        section_rows=section_rows,
        post_order=tuple(post_order),
        descriptions=tuple(node.rule.describe(node.max) if node.rule is not None else None for node in nodes),
        points_dtype=_points_dtype(nodes),
        count_dtype=_count_dtype(sum(1 for node in nodes if node.is_leaf)),
    )


def _count_dtype(leaves: int) -> type:
    """The narrowest integer type that holds a count of leaves below any node."""
    return np.int8 if leaves < 2**7 else np.int16 if leaves < 2**15 else np.int32


def _points_dtype(nodes: list[Node]) -> type:
    """int32 when it is exact: every leaf's points (from evidence or set by hand, both kept within
    [lowest, max] by the rule and by ``with_overrides``) summed in absolute value fit in it, so
    no node's points, maximum or partial sum can overflow; int64 otherwise."""
    bound = 0
    for node in nodes:
        if node.is_leaf:
            low = node.rule.lowest(node.max)  # type: ignore[union-attr]
            bound += max(abs(to_scaled(node.max)), abs(to_scaled(low)))
    return np.int32 if bound <= INT32_LIMIT // 2 else np.int64
