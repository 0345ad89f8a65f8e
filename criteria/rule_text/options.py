"""Clauses → labelled options: "Ban hành kịp thời: 1" → (“Ban hành kịp thời”, 1).

Also reads the grouped forms of additive items: "A (x: 0,25; y: 0,25) và B: 0,5",
"A: 0,5 (x 0,25; y 0,25)", and the "=" lists of bonus tables: "xuất sắc = tối đa, tốt = 75 %".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from ..numbers import format_points
from .clauses import one_line, split_top, strip_bullet, top_level_positions
from .values import NUMBER, points_value

_FLAGS = re.IGNORECASE
_BARE = re.compile(rf"^(?P<label>.*\D)\s+(?P<value>{NUMBER}\s*(?:điểm|đ)?)$", _FLAGS)
_MARKERS = (" thì ", " được ", " bị ")


class Unclear(Exception):
    """The text cannot be read with certainty: ``reason`` says why; ``findings`` list what in
    it is inconsistent (an option above the maximum, a gap between bands, …)."""

    def __init__(self, reason: str, findings: list[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.findings = findings or []


@dataclass(frozen=True)
class Option:
    label: str
    points: Decimal
    deducts: bool = False  # written as a deduction from the maximum ("trừ 50% điểm")
    grouped: bool = False  # an item of a group: a sign the items add up


def clean_label(label: str) -> str:
    """Trim bullets, a heading before ":" and trailing punctuation."""
    text = one_line(label)
    colons = top_level_positions(text, ":")
    if colons:
        text = text[colons[-1] + 1:]
    return strip_bullet(text).strip().rstrip(":,-–").strip()


def _split_tail(value: str) -> tuple[str, str | None]:
    """"1 (có kế hoạch kèm theo)" → ("1", "có kế hoạch kèm theo")."""
    stripped = value.strip().rstrip(".").strip()
    if not stripped.endswith(")"):
        return stripped, None
    depth = 0
    for index in range(len(stripped) - 1, -1, -1):
        if stripped[index] == ")":
            depth += 1
        elif stripped[index] == "(":
            depth -= 1
            if depth == 0:
                return stripped[:index].strip(), stripped[index + 1:-1].strip()
    return stripped, None


@dataclass(frozen=True)
class _Read:
    label: str
    points: Decimal
    deducts: bool
    tail: str | None


def _read_one(clause: str, max_points: Decimal, bare: bool = False) -> _Read | None:
    """One "label: points" (or "label được points", "label (points)", "label points")."""
    for separator in (":", "="):
        for position in reversed(top_level_positions(clause, separator)):
            value, tail = _split_tail(clause[position + 1:])
            points = points_value(value, max_points)
            label = clean_label(clause[:position])
            if points is not None and label:
                return _Read(label, points.value, points.deducts, tail)
    for marker in _MARKERS:
        for position in top_level_positions(clause, marker):
            value, tail = _split_tail(clause[position:])
            points = points_value(value, max_points)
            label = clean_label(clause[:position])
            if points is not None and label:
                return _Read(label, points.value, points.deducts, tail)
    label, tail = _split_tail(clause)
    if tail is not None:
        points = points_value(tail, max_points)
        if points is not None and clean_label(label):
            return _Read(clean_label(label), points.value, points.deducts, None)
    if bare:
        match = _BARE.match(one_line(clause))
        if match:
            points = points_value(match["value"], max_points)
            if points is not None and clean_label(match["label"]):
                return _Read(clean_label(match["label"]), points.value, points.deducts, None)
    return None


def _group(inner: str, max_points: Decimal) -> list[Option] | None:
    """"x: 0,25; y: 0,25" inside parentheses → items; None unless every piece has points."""
    pieces = [p for p in split_top(inner, ";") if p.strip()]
    if len(pieces) < 2:
        return None
    items = []
    for piece in pieces:
        read = _read_one(piece, max_points, bare=True)
        if read is None or read.tail is not None:
            return None
        items.append(Option(read.label, read.points, read.deducts, grouped=True))
    return items


def _parenthesised(text: str) -> list[str]:
    groups, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append(text[start:index])
    return groups


def _equals_list(clause: str, max_points: Decimal) -> list[Option] | None:
    """"Heading: xuất sắc = tối đa, tốt = 75 %, hoàn thành = 50 %"."""
    colons = top_level_positions(clause, ":")
    body = clause[colons[-1] + 1:] if colons else clause
    if len(top_level_positions(body, "=")) < 2:
        return None
    options = []
    for piece in split_top(body, ", "):
        if not piece.strip():
            continue
        equals = top_level_positions(piece, "=")
        if len(equals) != 1:
            return None
        points = points_value(piece[equals[0] + 1:], max_points)
        label = clean_label(piece[:equals[0]])
        if points is None or not label:
            return None
        options.append(Option(label, points.value, points.deducts))
    return options if len(options) >= 2 else None


def read_clause(clause: str, max_points: Decimal) -> list[Option] | None:
    """The option(s) of one clause, or None when it holds no points value."""
    listed = _equals_list(clause, max_points)
    if listed:
        return listed
    joints = top_level_positions(clause, " và ")
    if joints:
        parts = split_top(clause, " và ")
        readings = [_read_simple(part, max_points) for part in parts]
        if all(readings):
            return [Option(o.label, o.points, o.deducts, grouped=True)
                    for reading in readings for o in reading or ()]
    return _read_simple(clause, max_points)


def _read_simple(clause: str, max_points: Decimal) -> list[Option] | None:
    read = _read_one(clause, max_points)
    if read is not None:
        if any(_group(g, max_points) for g in _parenthesised(read.label)):
            return None  # a group of items inside a label: the clause is compound
        if read.tail:
            items = _group(read.tail, max_points)
            if items:
                total = sum((i.points for i in items), Decimal(0))
                if total != read.points:
                    raise Unclear(
                        f"các mục trong ngoặc của “{read.label}” cộng lại {format_points(total)}, "
                        f"khác {format_points(read.points)}",
                        [f"“{read.label}”: các mục trong ngoặc cộng lại {format_points(total)} điểm, "
                         f"khác {format_points(read.points)} điểm ghi cho cả mục"],
                    )
                return items
        return [Option(read.label, read.points, read.deducts)]
    for inner in _parenthesised(clause):
        items = _group(inner, max_points)
        if items:
            outside = clause.replace(f"({inner})", " ")
            if re.search(NUMBER, outside):
                return None
            return items
    return None
