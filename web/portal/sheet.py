"""The self-assessment page's data: fields as tabs, and each leaf with its input, its live points
and trace, its documents, files and giải trình, and what the appraisers said."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse

from criteria import Node, Rubric
from criteria.numbers import format_points
from scoring.result import STATUS_VI, NodeResult, UnitResult

from .leaf_inputs import LeafInput, inputs_of, parts_of
from .live import LiveResult


@dataclass(frozen=True)
class Tab:
    code: str
    name: str
    points: Decimal | None
    max: Decimal | None
    on: bool
    url: str


@dataclass
class LeafItem:
    leaf: Node
    spec: LeafInput
    parts: dict[str, Any]
    node: NodeResult | None
    rule_text: str
    document: dict[str, str]
    more_documents: list[dict[str, str]]
    explanation: str
    save_url: str
    upload_url: str
    files: list[Any] = field(default_factory=list)
    error: str = ""
    appraisals: list[dict[str, Any]] = field(default_factory=list)
    requests: list[dict[str, Any]] = field(default_factory=list)
    can_attach: bool = False
    editable: bool = False
    note: str = ""  # e.g. a survey leaf: entered by Nội vụ

    @property
    def state(self) -> str:
        n = self.node
        if n is None or n.status == "missing":
            return ""
        if n.status == "not_applicable":
            return "na"
        if n.points >= n.max:
            return "full"
        return "zero" if n.points <= 0 else "part"

    @property
    def status_text(self) -> str:
        return STATUS_VI.get(self.node.status, "") if self.node else ""


def top_fields(rubric: Rubric) -> list[Node]:
    """The tabs: the tree's fields, then the bonus/penalty sections."""
    return [*rubric.nodes, *rubric.adjustments]  # type: ignore[list-item]


def tabs(rubric: Rubric, result: UnitResult | LiveResult | None, current: str, url: str) -> list[Tab]:
    """One tab per field; from a live result only the fields' points are read (a leaf's save builds
    no result of the whole tree)."""
    live = isinstance(result, LiveResult)
    by_code = {n.code: n for n in result.nodes} if result and not live else {}
    sep = "&" if "?" in url else "?"
    out = []
    for node in top_fields(rubric):
        found = by_code.get(node.code)
        if isinstance(node, Node) and live:
            points, top = result.points(node.code)  # type: ignore[union-attr]
        elif isinstance(node, Node):
            points, top = (found.points if found else None), (found.max if found else node.max)
        else:  # a bonus/penalty section: its points are the totals' bonus or penalty, up to its cap
            points = (result.totals.bonus if node.kind == "bonus" else result.totals.penalty) if result else None
            top = node.cap
        out.append(Tab(node.code, node.name, points, top, node.code == current, f"{url}{sep}f={node.code}"))
    return out


def leaves_of(rubric: Rubric, code: str) -> list[Node]:
    for node in top_fields(rubric):
        if node.code == code:
            return [n for n in _walk(node) if n.is_leaf]
    return []


def _walk(node: Any) -> Iterable[Node]:
    if isinstance(node, Node):
        yield from node.walk()
    else:  # an adjustment section
        for child in node.children:
            yield from child.walk()


def leaf_item(
    rubric: Rubric, leaf: Node, result: UnitResult | LiveResult | None, cells: dict[str, str],
    documents: dict[str, list[dict[str, str]]], explanations: dict[str, str],
    slug: str, unit_id: int, text: str | None = None,
) -> LeafItem:
    spec = inputs_of(rubric)[leaf.code]
    node = result.node(leaf.code) if result is not None else None
    docs = documents.get(leaf.code) or []
    raw = cells.get(leaf.code, "") if text is None else text
    return LeafItem(
        leaf=leaf, spec=spec, parts=parts_of(spec, raw), node=node,
        rule_text=node.trace.rule if node and node.trace else (leaf.text or ""),
        document=dict(docs[0]) if docs else {}, more_documents=[dict(d) for d in docs[1:]],
        explanation=explanations.get(leaf.code, ""),
        save_url=reverse("portal:unit_leaf", args=[slug, unit_id, leaf.code]),
        upload_url=reverse("portal:unit_upload", args=[slug, unit_id, leaf.code]),
    )


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{format_points(Decimal(size * 10 // (1024 * 1024)) / 10)} MB"
    return f"{max(1, size // 1024)} KB"
