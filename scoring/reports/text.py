"""Score results out: JSON, CSV and the terminal table."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from criteria import Rubric
from criteria.numbers import format_vn, round_half_up

from scoring.ranking import rank
from scoring.result import STATUS_VI, LeafTrace, ScoreSheet, UnitResult


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
    precision = sheet.rubric.precision
    ranks = {r.unit: r.rank for r in rank(sheet)}
    units = []
    for result in sheet.results(traces):
        data = unit_json(result, precision, traces)
        data["rank"] = ranks[result.unit]
        units.append(data)
    payload = {"rubric": sheet.rubric.id, "year": sheet.rubric.year, "units": units}
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def sheet_csv(sheet: ScoreSheet) -> str:
    """Long table: one row per unit and node."""
    precision = sheet.rubric.precision
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "code", "name", "points", "max", "lost", "index", "status", "explanation"])
    for result in sheet.results(traces=True):
        for n in result.nodes:
            writer.writerow([
                safe_cell(result.unit), n.code, safe_cell(n.name),
                *(("" if v is None else f"{round_half_up(v, precision)}") for v in (n.points, n.max, n.lost, n.index)),
                n.status, safe_cell(n.trace.explanation) if n.trace else "",
            ])
    return buffer.getvalue()


def safe_cell(text: str) -> str:
    """Text that a spreadsheet must never run as a formula (= + - @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def unit_table(result: UnitResult, precision: int, rubric: Rubric | None = None) -> Table:
    t = result.totals
    title = f"{result.unit} — {format_vn(t.points, precision)}/{format_vn(t.max, precision)} điểm"
    if t.index is not None:
        title += f", chỉ số {format_vn(t.index, precision)}%"
    if t.classification:
        title += f", xếp loại {t.classification}"
    table = Table(title=title, show_lines=False)
    for column, justify in (("Mã", "left"), ("Tiêu chí", "left"), ("Tối đa", "right"), ("Điểm", "right"),
                            ("Mất", "right"), ("Chỉ số %", "right"), ("Trạng thái", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    sections = {adj.code: adj for adj in rubric.adjustments} if rubric is not None else {}
    current: str | None = None
    for n in result.nodes:
        if n.section != current and n.section in sections:
            adj = sections[n.section]
            word = "Điểm thưởng" if adj.kind == "bonus" else "Điểm trừ"
            value = t.bonus if adj.kind == "bonus" else -t.penalty
            label = adj.name if adj.name.casefold() == word.casefold() else f"{adj.name} ({word.lower()})"
            table.add_row(adj.code, f"{label}, tối đa {format_vn(adj.cap, precision)}", "",
                          format_vn(value, precision), "", "", "", style="bold")
        current = n.section
        style = "bold" if n.depth == 0 and n.section is None else None
        name = "  " * (n.depth + (1 if n.section else 0)) + n.name
        table.add_row(n.code, name, format_vn(n.max, precision), format_vn(n.points, precision),
                      format_vn(n.lost, precision), format_vn(n.index, precision), STATUS_VI[n.status],
                      style=style)
    table.add_row("", "TỔNG ĐIỂM", format_vn(t.max, precision), format_vn(t.points, precision),
                  format_vn(t.lost, precision), format_vn(t.index, precision), "", style="bold")
    return table


def ranking_table(sheet: ScoreSheet) -> Table:
    precision = sheet.rubric.precision
    table = Table(title=f"Xếp hạng theo bộ chỉ số {sheet.rubric.id} ({len(sheet)} đơn vị)")
    for column in ("Hạng", "Đơn vị", "Điểm", "Tối đa", "Chỉ số %", "Xếp loại", "Thiếu TL"):
        table.add_column(column, justify="right" if column in ("Điểm", "Tối đa", "Chỉ số %", "Thiếu TL") else "left")
    for row in rank(sheet):
        missing = sheet.totals(sheet.position(row.unit)).missing_leaves
        table.add_row(str(row.rank), row.unit, format_vn(row.points, precision), format_vn(row.max, precision),
                      format_vn(row.index, precision), row.classification or "—", str(missing))
    return table


def lost_lines(result: UnitResult, precision: int) -> list[str]:
    """“Điểm bị mất” lines: each leaf that lost points, with why."""
    lines = []
    for n in result.lost_leaves():
        why = n.trace.explanation if isinstance(n.trace, LeafTrace) else ""
        lines.append(f"{n.code} {n.name}: mất {format_vn(n.lost, precision, trim=True)}/"
                     f"{format_vn(n.max, precision, trim=True)} điểm — {why}")
    return lines


def print_sheet(sheet: ScoreSheet, console: Console, detail: bool | None = None) -> None:
    precision = sheet.rubric.precision
    if detail is None:
        detail = len(sheet) == 1
    if detail:
        for result in sheet.results(traces=True):
            console.print(unit_table(result, precision, sheet.rubric))
            lost = lost_lines(result, precision)
            if lost:
                console.print("[bold]Điểm bị mất[/bold]")
                for line in lost:
                    console.print(f"  • {line}", highlight=False)
            console.print()
    if len(sheet) > 1 or not detail:
        console.print(ranking_table(sheet))
