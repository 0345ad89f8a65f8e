"""JSON and CSV of a whole ``ScoreSheet``, written unit by unit straight from its integer arrays.

``unit_json``/``sheet_csv`` of old built every unit's ``UnitResult`` (a pydantic object per node)
and held them all: 10 000 units took 36 s and 2,5 GB. Here each number is rounded with integer
arithmetic from the arrays (the same half-up rounding, so the same bytes: the tests compare with
``UnitResult``), each leaf's trace is built once per distinct (leaf, cell, status), and each unit
is written as soon as it is formatted. Memory stays at the arrays plus one unit.

Every result names what it was computed with (``criteria.canonical.provenance``): in JSON as
top-level keys; in CSV as four columns at the end of every row (``rubric``, ``rubric_year``,
``rubric_sha256``, ``engine``) — a spreadsheet user filters or hides them like any column,
and no metadata row breaks a CSV reader.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import IO, Any

from criteria.canonical import provenance
from scoring.ranking import rank
from scoring.result import ScoreSheet

CSV_HEADER = ["unit", "code", "name", "points", "max", "lost", "index", "status", "explanation",
              "rubric", "rubric_year", "rubric_sha256", "engine"]


def safe_cell(text: str) -> str:
    """Text that a spreadsheet must never run as a formula (= + - @ at the start)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half away from zero, for numerator ≥ 0, denominator > 0."""
    return (2 * numerator + denominator) // (2 * denominator)


class _Rounder:
    """Scaled points (1/10 000) and exact indices → the rubric's precision, as float and as text."""

    def __init__(self, precision: int):
        self.precision = precision
        self.step = 10 ** (4 - precision)
        self.unit = 10**precision

    def _digits(self, negative: bool, magnitude: int) -> str:
        whole, frac = divmod(magnitude, self.unit)
        text = f"{whole}.{frac:0{self.precision}d}" if self.precision else str(whole)
        return "-" + text if negative else text

    def points(self, scaled: int) -> tuple[float, str]:
        magnitude = _half_up(abs(scaled), self.step)
        value = magnitude / self.unit
        return (-value if scaled < 0 else value), self._digits(scaled < 0, magnitude)

    def index(self, points: int, maximum: int) -> tuple[float | None, str]:
        """points / maximum × 100, rounded to 4 decimals (as ``result._index_decimal``), then to the precision."""
        if maximum == 0:
            return None, ""
        negative = (points < 0) != (maximum < 0)
        four = _half_up(abs(points) * 100 * 10_000, abs(maximum))  # index in 1/10 000 %
        magnitude = _half_up(four, self.step)
        value = magnitude / self.unit
        return (-value if negative else value), self._digits(negative, magnitude)


class _Traces:
    """Each leaf's trace, built once per distinct (row, status, cell) among the units without an override."""

    def __init__(self, sheet: ScoreSheet):
        self.sheet = sheet
        self.cache: dict[tuple, Any] = {}

    def get(self, row: int, i: int) -> Any:
        sheet = self.sheet
        node = sheet.compiled.nodes[row]
        if (sheet.units[i], node.code) in sheet.evidence.overrides:
            return sheet.trace(row, i)
        column = sheet.evidence.columns[node.code]
        note = None if column.note is None else column.note[i]
        key = (row, int(sheet.leaf_status[row, i]), int(column.state[i]), int(column.a[i]), int(column.b[i]), note)
        trace = self.cache.get(key)
        if trace is None:
            if len(self.cache) > 200_000:  # bounded: distinct cells of a huge campaign
                self.cache.clear()
            trace = self.cache[key] = sheet.trace(row, i)
        return trace


def _explanations_by_unit(sheet: ScoreSheet) -> dict[str, dict[str, str]]:
    by_unit: dict[str, dict[str, str]] = {}
    for (unit, code), text in sheet.evidence.explanations.items():
        by_unit.setdefault(unit, {})[code] = text
    return by_unit


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


class _Numbers:
    """JSON text of rounded numbers, remembered (a campaign repeats the same few thousand values)."""

    def __init__(self, precision: int):
        self.rounder = _Rounder(precision)
        self.points_cache: dict[int, str] = {}
        self.index_cache: dict[tuple[int, int], str] = {}

    def points(self, scaled: int) -> str:
        text = self.points_cache.get(scaled)
        if text is None:
            if len(self.points_cache) > 500_000:
                self.points_cache.clear()
            text = self.points_cache[scaled] = repr(self.rounder.points(scaled)[0])
        return text

    def index(self, points: int, maximum: int) -> str:
        key = (points, maximum)
        text = self.index_cache.get(key)
        if text is None:
            if len(self.index_cache) > 500_000:
                self.index_cache.clear()
            value = self.rounder.index(points, maximum)[0]
            text = self.index_cache[key] = "null" if value is None else repr(value)
        return text


def _unit_texts(sheet: ScoreSheet, traces: bool = True) -> Iterator[str]:
    """Each unit as ``json.dumps(unit_json(…) + rank, indent=2)`` would print it, one at a time.

    The text is assembled from pieces (each node's fixed keys once, each number's text once, each
    distinct trace once): ``json.dumps`` with ``indent`` runs in pure Python and was most of the time.
    """
    compiled, rubric = sheet.compiled, sheet.rubric
    numbers = _Numbers(rubric.precision)
    ranks = {row.unit: row.rank for row in rank(sheet)}
    explanations = _explanations_by_unit(sheet)
    trace_of = _Traces(sheet) if traces else None
    # id → (the trace, its text): the trace is held so that its id is not reused by another object
    # (an override's trace is built afresh and would be freed, its id then taken by the next one)
    trace_texts: dict[int, tuple[Any, str]] = {}
    heads = [
        "{\n"
        f'  "code": {_dumps(node.code)},\n  "name": {_dumps(node.name)},\n'
        f'  "section": {_dumps(compiled.section[row])},\n  "leaf": {_dumps(node.is_leaf)},\n  "points": '
        for row, node in enumerate(compiled.nodes)
    ]
    leaves = [node.is_leaf for node in compiled.nodes]
    top_rows = list(compiled.top_rows)
    for i, unit in enumerate(sheet.units):
        p_col, m_col = sheet.points[:, i].tolist(), sheet.maximum[:, i].tolist()
        miss_col = sheet.missing[:, i].tolist()
        parts = []
        for row, head in enumerate(heads):
            p, m = p_col[row], m_col[row]
            text = (f"{head}{numbers.points(p)},\n  \"max\": {numbers.points(m)},\n  \"lost\": {numbers.points(m - p)},\n"
                    f"  \"index\": {numbers.index(p, m)},\n  \"status\": \"{sheet.node_status(row, i)}\",\n"
                    f"  \"missing_leaves\": {miss_col[row]}")
            if trace_of is not None and leaves[row]:
                trace = trace_of.get(row, i)
                held = trace_texts.get(id(trace))
                shown = None if held is None else held[1]
                if shown is None:
                    if len(trace_texts) > 200_000:
                        trace_texts.clear()
                    shown = json.dumps(trace.model_dump(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
                    trace_texts[id(trace)] = (trace, shown)
                text += f",\n  \"trace\": {shown}"
            parts.append(text + "\n}")
        nodes = "[\n  " + ",\n  ".join(part.replace("\n", "\n  ") for part in parts) + "\n]" if parts else "[]"
        total, tree_max = int(sheet.total[i]), int(sheet.tree_max[i])
        r = numbers.rounder
        data = {
            "unit": unit,
            "rubric": rubric.id,
            "totals": {
                "points": r.points(total)[0], "max": r.points(tree_max)[0], "lost": r.points(tree_max - total)[0],
                "index": r.index(total, tree_max)[0], "class": rubric.classify(sheet.index_exact(i)),
                "tree_points": r.points(int(sheet.tree_points[i]))[0], "bonus": r.points(int(sheet.bonus[i]))[0],
                "penalty": r.points(int(sheet.penalty[i]))[0],
                "missing_leaves": int(sum(miss_col[row] for row in top_rows)),
            },
            "nodes": _NODES,
            "explanations": explanations.get(unit, {}),
            "rank": ranks[unit],
        }
        text = json.dumps(data, ensure_ascii=False, indent=2)
        # the key and its quotes cannot occur inside an escaped string value: this is the slot
        yield text.replace(f'"nodes": "{_NODES}"', '"nodes": ' + nodes.replace("\n", "\n  "), 1)


_NODES = "<nodes>"


def write_sheet_json(sheet: ScoreSheet, out: IO[str], traces: bool = True) -> None:
    """The JSON document, unit by unit: the same text as one ``json.dumps(…, indent=2)`` of it all."""
    head = {**provenance(sheet.rubric)}
    out.write("{\n")
    for key, value in head.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write('  "units": [')
    first = True
    for text in _unit_texts(sheet, traces):
        out.write(("\n    " if first else ",\n    ") + text.replace("\n", "\n    "))
        first = False
    out.write("\n  ]\n}\n" if not first else "]\n}\n")


def write_sheet_csv(sheet: ScoreSheet, out: IO[str]) -> None:
    """Long table: one row per unit and node, with the rubric's provenance in its last four columns."""
    compiled, rubric = sheet.compiled, sheet.rubric
    r = _Rounder(rubric.precision)
    made_with = provenance(rubric)
    tail = [made_with["rubric"], made_with["year"], made_with["rubric_sha256"], made_with["engine"]]
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    trace_of = _Traces(sheet)
    static = [(safe_cell(node.code), safe_cell(node.name), node.is_leaf) for node in compiled.nodes]
    for i, unit in enumerate(sheet.units):
        shown = safe_cell(unit)
        p_col, m_col = sheet.points[:, i].tolist(), sheet.maximum[:, i].tolist()
        rows = []
        for row, (code, name, leaf) in enumerate(static):
            p, m = p_col[row], m_col[row]
            explanation = safe_cell(trace_of.get(row, i).explanation) if leaf else ""
            rows.append([shown, code, name, r.points(p)[1], r.points(m)[1], r.points(m - p)[1], r.index(p, m)[1],
                         sheet.node_status(row, i), explanation, *tail])
        writer.writerows(rows)


def sheet_json_text(sheet: ScoreSheet, traces: bool = True) -> str:
    buffer = io.StringIO()
    write_sheet_json(sheet, buffer, traces)
    return buffer.getvalue()


def sheet_csv_text(sheet: ScoreSheet) -> str:
    buffer = io.StringIO()
    write_sheet_csv(sheet, buffer)
    return buffer.getvalue()
