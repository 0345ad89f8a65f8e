"""A criteria tree (bộ chỉ số) as frozen data: rubric, nodes, hints, bands, sections."""

from __future__ import annotations

from decimal import Decimal
from functools import cached_property
from typing import Iterator, Literal

from pydantic import Field, StrictStr, model_validator

from .frozen import Frozen
from .numbers import DecimalText, format_points
from .rules import Rule

NotApplicablePolicy = Literal["exclude", "full_points", "not_allowed"]
Provenance = Literal["quoted", "adapted", "illustrative"]

NOT_APPLICABLE_WORDS_VI = {
    "exclude": "loại khỏi điểm tối đa",
    "full_points": "tính đủ điểm",
    "not_allowed": "không được khai không phát sinh",
}


class Remediation(Frozen):
    """How to recover the points of a leaf: used by the plan generator."""

    task: str = Field(min_length=1)
    lead: str = Field(min_length=1, description="vai trò chủ trì, ví dụ “Văn phòng”")
    cooperate: tuple[str, ...] = ()
    timing: str = Field(default="Trong năm", min_length=1)
    product: str | None = None


class Node(Frozen):
    """A field, criterion or sub-criterion. A leaf has a ``rule``; any other node ``children``."""

    code: StrictStr = Field(min_length=1, pattern=r"^\S+$")
    name: str = Field(min_length=1)
    max: DecimalText
    rule: Rule | None = None
    children: tuple["Node", ...] = ()
    not_applicable: NotApplicablePolicy | None = None
    text: str | None = Field(default=None, description="cách tính điểm như văn bản gốc")
    evidence: str | None = Field(default=None, description="tài liệu kiểm chứng")
    provenance: Provenance | None = None
    source: str | None = None
    remediation: Remediation | None = None


    @model_validator(mode="after")
    def _shape(self) -> "Node":
        if self.rule is not None and self.children:
            raise ValueError("một nút không thể vừa có quy tắc (rule) vừa có nút con (children)")
        if self.rule is None and not self.children:
            raise ValueError("tiêu chí lá cần quy tắc chấm (rule); nút khác cần nút con (children)")
        if self.max < 0:
            raise ValueError("điểm tối đa không được âm")
        if self.rule is not None:
            if self.provenance is None:
                raise ValueError("tiêu chí lá cần provenance: quoted, adapted hoặc illustrative")
            if self.provenance in ("quoted", "adapted") and not self.source:
                raise ValueError(f"tiêu chí {self.provenance} cần nêu nguồn (source)")
            problems = self.rule.check(self.max)
            if problems:
                raise ValueError("; ".join(problems))
        else:
            total = sum((child.max for child in self.children), Decimal(0))
            if total != self.max:
                raise ValueError(
                    f"tổng điểm tối đa của các nút con ({format_points(total)}) khác điểm tối đa ({format_points(self.max)})"
                )
        return self

    @property
    def is_leaf(self) -> bool:
        return self.rule is not None

    def walk(self) -> Iterator["Node"]:
        """This node, then its descendants, depth first in written order."""
        yield self
        for child in self.children:
            yield from child.walk()


class ClassBand(Frozen):
    """A classification: index ≥ ``min`` (percent, inclusive) gives ``label``."""

    label: str = Field(min_length=1)
    min: DecimalText = Field(ge=0, le=100)


class Survey(Frozen):
    """The survey block (XHH/SIPAS): a top-level node whose leaves come from outside."""

    code: StrictStr
    when_absent: Literal["rescale", "zero"] = Field(
        default="rescale",
        description="rescale: no survey → the node leaves the maximum (quy về thang điểm 100); "
        "zero: a missing survey scores 0",
    )


class Adjustment(Frozen):
    """A bonus (điểm thưởng) or penalty (điểm trừ) section kept apart from the tree.

    A bonus adds the points its leaves earn; a penalty subtracts the points its leaves
    lose; either is capped at ``cap``. Neither changes the maximum.
    """

    code: StrictStr = Field(min_length=1, pattern=r"^\S+$")
    name: str = Field(min_length=1)
    kind: Literal["bonus", "penalty"]
    cap: DecimalText = Field(gt=0)
    children: tuple[Node, ...] = Field(min_length=1)


MAX_TOTAL_POINTS = 10**12


class Rubric(Frozen):
    """One criteria set for one level and year."""

    id: StrictStr = Field(min_length=1, pattern=r"^[A-Za-z0-9._-]+$")
    title: str = Field(min_length=1)
    level: str = Field(min_length=1, description="cấp đơn vị: tỉnh, sở, xã, … (tự do)")
    year: int = Field(ge=2000, le=2100)
    source: str = Field(min_length=1, description="văn bản ban hành bộ chỉ số")
    note: str | None = None
    precision: int = Field(default=2, ge=0, le=4)
    not_applicable: NotApplicablePolicy = "exclude"
    classification: tuple[ClassBand, ...] = ()
    survey: Survey | None = None
    bonus_may_exceed_max: bool = False
    nodes: tuple[Node, ...] = Field(min_length=1)
    adjustments: tuple[Adjustment, ...] = ()

    @model_validator(mode="after")
    def _whole(self) -> "Rubric":
        seen: set[str] = set()
        for node in self.all_nodes():
            if node.code in seen:
                raise ValueError(f"mã “{node.code}” bị lặp")
            seen.add(node.code)
        for adjustment in self.adjustments:
            if adjustment.code in seen:
                raise ValueError(f"mã “{adjustment.code}” bị lặp")
            seen.add(adjustment.code)
        mins = [band.min for band in self.classification]
        if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
            raise ValueError("xếp loại phải theo ngưỡng giảm dần, không trùng")
        if self.survey is not None and self.survey.code not in {n.code for n in self.nodes}:
            raise ValueError(f"khối điều tra “{self.survey.code}” phải là một lĩnh vực cấp cao nhất")
        # The engine sums leaves in int64 counts of 1/10 000 point: the whole rubric's maxima and
        # caps (10^12 points at most) keep every sum below 10^16, far inside int64 (9,2 × 10^18).
        total = sum((abs(n.max) for n in self.all_nodes() if n.is_leaf), Decimal(0))
        total += sum((abs(a.cap) for a in self.adjustments), Decimal(0))
        if total > MAX_TOTAL_POINTS:
            raise ValueError(f"tổng điểm tối đa của các tiêu chí thành phần quá lớn (trên {MAX_TOTAL_POINTS} điểm)")
        return self

    def all_nodes(self) -> Iterator[Node]:
        for node in self.nodes:
            yield from node.walk()
        for adjustment in self.adjustments:
            for node in adjustment.children:
                yield from node.walk()

    @cached_property
    def by_code(self) -> dict[str, Node]:
        return {node.code: node for node in self.all_nodes()}

    @property
    def max_points(self) -> Decimal:
        return sum((node.max for node in self.nodes), Decimal(0))

    def leaves(self) -> list[Node]:
        """Every leaf: the tree's first, then the adjustment sections'."""
        return [node for node in self.all_nodes() if node.is_leaf]

    def policy_of(self) -> dict[str, NotApplicablePolicy]:
        """The effective không-phát-sinh policy of every node (nearest ancestor's wins)."""
        result: dict[str, NotApplicablePolicy] = {}

        def visit(node: Node, inherited: NotApplicablePolicy) -> None:
            policy = node.not_applicable or inherited
            result[node.code] = policy
            for child in node.children:
                visit(child, policy)

        for node in self.nodes:
            visit(node, self.not_applicable)
        for adjustment in self.adjustments:
            for node in adjustment.children:
                visit(node, "exclude")
        return result

    def classify(self, index: Decimal | None) -> str | None:
        if index is None:
            return None
        for band in self.classification:
            if index >= band.min:
                return band.label
        return None


Node.model_rebuild()
