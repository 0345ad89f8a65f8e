"""Score results out as text: JSON, CSV and the lines of points lost (the terminal tables are in ``terminal``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from criteria.numbers import format_vn, round_half_up
from scoring.reports.stream import safe_cell, sheet_csv_text, sheet_json_text  # noqa: F401 - safe_cell re-exported
from scoring.result import LeafTrace, ScoreSheet, UnitResult


def _number(value: Decimal | None, precision: int) -> float | None:
    """A JSON number printed with the rubric's precision (the text is the rounded decimal)."""
    return None if value is None else float(round_half_up(value, precision))


def unit_json(result: UnitResult, precision: int, traces: bool = True) -> dict[str, Any]:
    t = result.totals
    nodes = []
    for n in result.nodes:
        item: dict[str, Any] = {
            "code": n.code, "name": n.name, "section": n.section, "leaf": n.is_leaf,
            "points": _number(n.points, precision), "max": _number(n.max, precision),
            "lost": _number(n.lost, precision), "index": _number(n.index, precision),
            "status": n.status, "missing_leaves": n.missing_leaves,
        }
        if traces and n.trace is not None:
            item["trace"] = n.trace.model_dump()
        nodes.append(item)
    return {
        "unit": result.unit,
        "rubric": result.rubric_id,
        "totals": {
            "points": _number(t.points, precision), "max": _number(t.max, precision),
            "lost": _number(t.lost, precision), "index": _number(t.index, precision),
            "class": t.classification, "tree_points": _number(t.tree_points, precision),
            "bonus": _number(t.bonus, precision), "penalty": _number(t.penalty, precision),
            "missing_leaves": t.missing_leaves,
        },
        "nodes": nodes,
        "explanations": result.explanations,
    }


def sheet_json(sheet: ScoreSheet, traces: bool = True) -> str:
    """The whole JSON document as text (``stream.write_sheet_json`` writes it unit by unit)."""
    return sheet_json_text(sheet, traces)


def sheet_csv(sheet: ScoreSheet) -> str:
    """Long table: one row per unit and node (``stream.write_sheet_csv`` writes it unit by unit)."""
    return sheet_csv_text(sheet)


def lost_lines(result: UnitResult, precision: int) -> list[str]:
    """“Điểm bị mất” lines: each leaf that lost points, with why."""
    lines = []
    for n in result.lost_leaves():
        why = n.trace.explanation if isinstance(n.trace, LeafTrace) else ""
        lines.append(f"{n.code} {n.name}: mất {format_vn(n.lost, precision, trim=True)}/"
                     f"{format_vn(n.max, precision, trim=True)} điểm — {why}")
    return lines
