"""The compact layout of a whole ``ScoreSheet``: what a province with 100 000 units reads by machine.

The detailed layout (``stream``) writes every node of every unit with its keys and a trace object
per leaf: ≈ 48 KB of JSON per unit, 4,8 GB for 100 000 units. Here what is the same for every unit
is written once and each unit is one line:

* JSON — one document, one line per node, per distinct trace and per unit::

    {"layout": "compact", "rubric": …, "year": …, "rubric_sha256": …, "engine": …,
     "status_codes": {"s": "scored", "m": "missing", "n": "not_applicable"},
     "nodes": [{"code": "1", "name": …, "section": null, "leaf": false, "max": 10.0}, …],
     "traces": [{"kind": …, "rule": …, "evidence": …, "explanation": …}, …],
     "units": [
    {"unit": "UBND xã An Phú", "rank": 3, "totals": {…as in the detailed layout…},
     "points": [8.5,…], "max": [10.0,…], "status": "ssm…", "trace": [null,null,0,…], "explanations": {}},
    …]}

  ``points``, ``max``, one ``status`` letter and ``trace`` (an index into ``traces``; ``null`` for a
  node that is not a leaf) are aligned with ``nodes``; without traces (``--no-trace``), ``traces`` is
  empty and a unit has no ``trace``. A node's points lost and index are not repeated: they are
  max − points and points ÷ max.
* CSV — one row per unit: ``unit``, its totals, ``rank``, one column of points per node (headed by
  the node's code), then the provenance columns.

Numbers are the detailed layout's (the same half-up rounding from the same integers), but each
node's distinct values are rounded and formatted once, with numpy, and each line is joined from
pieces looked up in those tables (``pieces``) — never a Python call per cell. Memory holds the
sheet, one code per piece and unit, and one chunk of text.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from json.encoder import encode_basestring  # type: ignore[attr-defined]
from typing import IO

import numpy as np

from criteria.canonical import provenance
from scoring.ranking import class_labels, competition_ranks
from scoring.reports.pieces import CHUNK, Lines, Numbers, combined_key, factorize
from scoring.reports.stream import safe_cell
from scoring.result import LEAF_EXCLUDED, LEAF_MISSING, LEAF_SCORED, ScoreSheet

COMPACT_FROM = 1_000  # the automatic layout writes more units than this compactly
STATUS_LETTERS = {"s": "scored", "m": "missing", "n": "not_applicable"}
CSV_TOTALS = ["unit", "points", "max", "lost", "index", "class", "rank", "missing_leaves"]
CSV_PROVENANCE = ["rubric", "rubric_year", "rubric_sha256", "engine"]

Progress = Callable[[int, int], None]


def _node_status(sheet: ScoreSheet) -> np.ndarray:
    """Each node's status letter for every unit (nodes × units, one byte each)."""
    letters = np.empty(sheet.points.shape, dtype="S1")
    for row, kids in enumerate(sheet.compiled.children):
        if kids:
            letters[row] = np.where(sheet.applicable[row] == 0, b"n", np.where(sheet.missing[row] > 0, b"m", b"s"))
        else:
            status = sheet.leaf_status[row]
            letters[row] = np.where(status == LEAF_SCORED, b"s", np.where(status == LEAF_MISSING, b"m", b"n"))
    return letters


def _status_strings(sheet: ScoreSheet) -> list[bytes]:
    """Each unit's status letters, one per node, as one (ASCII) string."""
    letters = np.ascontiguousarray(_node_status(sheet).T)
    if letters.shape[1] == 0:
        return [b""] * len(sheet)
    return letters.view(f"S{letters.shape[1]}").reshape(-1).tolist()


class TraceTable:
    """The distinct traces of every leaf, each with an id, and every unit's id per leaf.

    Two cells share a trace when their status and evidence (state, a, b, note) are equal and their
    leaves have the same rule and maximum (the trace names neither the leaf nor the unit); a cell
    with an appraiser's override has its own. Traces are built as the table is written."""

    def __init__(self, sheet: ScoreSheet):
        self.sheet = sheet
        self.codes: dict[int, tuple[np.ndarray, list[int]]] = {}  # leaf row → (each unit's code, code → id)
        self.first: list[tuple[int, int]] = []  # id → (leaf row, a unit that has it)
        overridden: dict[str, list[int]] = {}
        for unit, code in sheet.evidence.overrides:
            overridden.setdefault(code, []).append(sheet.position(unit))
        shared: dict[tuple, int] = {}  # (rule, maximum, status, state, a, b, note) → id
        for row in sheet.compiled.leaf_rows:
            node = sheet.compiled.nodes[row]
            column = sheet.evidence.columns[node.code]
            parts = [sheet.leaf_status[row].astype(np.int64) * 8 + column.state, column.a, column.b]
            if column.note is not None:
                parts.append(_note_codes(column.note))
            key = combined_key(parts)
            hand = overridden.get(node.code, [])
            if hand:
                key = key.copy()
                key[hand] = key.max(initial=0) + 1 + np.arange(len(hand))
            codes, distinct = factorize(key)
            first = np.full(len(distinct), -1, dtype=np.int64)
            first[codes[::-1]] = np.arange(len(codes))[::-1]  # the first unit of each distinct cell
            leaf = (node.rule.model_dump_json(), node.max)  # type: ignore[union-attr]
            status, state, a, b = (x[first].tolist() for x in (sheet.leaf_status[row], column.state, column.a, column.b))
            notes = [None] * len(first) if column.note is None else column.note[first].tolist()
            by_hand = set(hand)
            ids = []
            for k, i in enumerate(first.tolist()):
                if i in by_hand:
                    cell = None
                elif status[k] == LEAF_SCORED:
                    cell = (leaf, status[k], state[k], a[k], b[k], notes[k])
                else:  # not scored: the trace says why from the status alone (and the note of “không phát sinh”)
                    cell = (leaf, status[k], notes[k] if status[k] == LEAF_EXCLUDED else None)
                found = shared.get(cell) if cell is not None else None
                if found is None:
                    found = len(self.first)
                    self.first.append((row, i))
                    if cell is not None:
                        shared[cell] = found
                ids.append(found)
            self.codes[row] = (codes, ids)

    def __len__(self) -> int:
        return len(self.first)

    def ids(self, row: int) -> np.ndarray:
        """Each unit's trace id for the leaf in ``row``."""
        codes, ids = self.codes[row]
        return np.array(ids, dtype=np.int64)[codes]

    def texts(self) -> Iterator[str]:
        for row, i in self.first:
            yield self.sheet.trace(row, i).model_dump_json()  # pydantic's own JSON: UTF-8, no spaces


def _note_codes(notes: np.ndarray) -> np.ndarray:
    """Equal notes (free text, or None) → equal integers (None → −1)."""
    import pandas as pd  # pandas: hashes 100 000 strings at once; loaded only for a compact layout with notes

    return pd.factorize(notes)[0].astype(np.int64)


def _totals(sheet: ScoreSheet, numbers: Numbers, lines: Lines, fixed: bool, json_keys: bool) -> None:
    """The unit's totals as pieces (JSON: the ``totals`` object's values; CSV: columns)."""
    def points(values: np.ndarray) -> None:
        lines.values(values, lambda distinct: numbers.texts(numbers.points_keys(distinct), fixed))

    top_rows = list(sheet.compiled.top_rows)
    missing = sheet.missing[top_rows].sum(axis=0) if top_rows else np.zeros(len(sheet), dtype=np.int64)
    labels = class_labels(sheet.rubric, sheet.total, sheet.tree_max)
    names = sorted({label for label in labels if label is not None})
    label_codes = {label: k for k, label in enumerate(names)}
    class_codes = np.fromiter((label_codes.get(label, len(names)) for label in labels), dtype=np.int64,
                              count=len(labels))
    class_texts = [json.dumps(n, ensure_ascii=False) if json_keys else safe_cell(n) for n in names]
    class_texts.append("null" if json_keys else "")
    index_keys = numbers.index_keys(sheet.total, sheet.tree_max)
    separator = (lambda key: f', "{key}": ') if json_keys else (lambda key: ",")
    points(sheet.total)
    lines.literal(separator("max"))
    points(sheet.tree_max)
    lines.literal(separator("lost"))
    points(sheet.tree_max - sheet.total)
    lines.literal(separator("index"))
    if index_keys.dtype == object:
        lines.per_unit(numbers.texts(index_keys, fixed))
    else:
        lines.values(index_keys, lambda keys: numbers.texts(keys, fixed))
    lines.literal(separator("class"))
    lines.column(class_codes, class_texts)
    if json_keys:
        lines.literal(separator("tree_points"))
        points(sheet.tree_points)
        lines.literal(separator("bonus"))
        points(sheet.bonus)
        lines.literal(separator("penalty"))
        points(sheet.penalty)
    else:
        lines.literal(",")
        lines.values(competition_ranks(sheet.index_order_keys()), lambda ranks: [str(r) for r in ranks.tolist()])
    lines.literal(separator("missing_leaves"))
    lines.values(missing, lambda counts: [str(c) for c in counts.tolist()])


def _node_values(lines: Lines, matrix: np.ndarray, numbers: Numbers, fixed: bool, between: str) -> None:
    """One piece per node: the node's value for each unit, formatted once per distinct value."""
    for row in range(matrix.shape[0]):
        if row:
            lines.literal(between)
        lines.values(matrix[row], lambda distinct: numbers.texts(numbers.points_keys(distinct), fixed))


def _explanation_texts(sheet: ScoreSheet) -> tuple[np.ndarray, list[str]]:
    codes = np.zeros(len(sheet), dtype=np.int64)
    texts = ["{}"]
    by_unit: dict[str, dict[str, str]] = {}
    for (unit, code), text in sheet.evidence.explanations.items():
        by_unit.setdefault(unit, {})[code] = text
    for unit, explained in by_unit.items():
        codes[sheet.position(unit)] = len(texts)
        texts.append(json.dumps(explained, ensure_ascii=False))
    return codes, texts


def write_compact_json(sheet: ScoreSheet, out: IO[bytes], traces: bool = True, progress: Progress | None = None) -> None:
    """The compact JSON document (see the module's description), a chunk of units at a time."""
    compiled, rubric = sheet.compiled, sheet.rubric
    numbers = Numbers(rubric.precision)
    n = len(sheet)
    table = TraceTable(sheet) if traces else None
    put = lambda text: out.write(text.encode("utf-8"))  # noqa: E731 - one line: a text out as UTF-8
    put("{\n" + "".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)},\n"
                              for k, v in {"layout": "compact", **provenance(rubric)}.items()))
    put(f'  "status_codes": {json.dumps(STATUS_LETTERS)},\n  "nodes": [')
    maxima = numbers.texts(numbers.points_keys(np.array(compiled.max_scaled, dtype=np.int64)), False)
    for row, node in enumerate(compiled.nodes):
        fixed = {"code": node.code, "name": node.name, "section": compiled.section[row], "leaf": node.is_leaf}
        text = json.dumps(fixed, ensure_ascii=False)[:-1] + f', "max": {maxima[row]}}}'
        put(("\n    " if row == 0 else ",\n    ") + text)
    put("\n  ],\n  \"traces\": [")
    done_traces = 0
    total_work = n + (len(table) if table is not None else 0)
    if table is not None:
        batch: list[str] = []
        for done_traces, text in enumerate(table.texts(), 1):
            batch.append(text)
            if done_traces % CHUNK == 0 or done_traces == len(table):
                put(("\n    " if done_traces <= CHUNK else ",\n    ") + ",\n    ".join(batch))
                batch.clear()
                if progress is not None:
                    progress(done_traces, total_work)
        put("\n  " if done_traces else "")
    put("],\n  \"units\": [\n")
    ranks = competition_ranks(sheet.index_order_keys()).tolist()
    lines = Lines(n)
    heads = [f'{{"unit": {encode_basestring(unit)}, "rank": {r}, "totals": {{"points": '
             for unit, r in zip(sheet.units, ranks)]
    lines.per_unit([head if i == 0 else ",\n" + head for i, head in enumerate(heads)])
    _totals(sheet, numbers, lines, fixed=False, json_keys=True)
    lines.literal('}, "points": [')
    _node_values(lines, sheet.points, numbers, False, ",")
    lines.literal('], "max": [')
    _node_values(lines, sheet.maximum, numbers, False, ",")
    lines.literal('], "status": "')
    lines.per_unit(_status_strings(sheet))
    pending = '"'
    if table is not None:
        lines.literal('", "trace": [')
        pending = ""
        for row, node in enumerate(compiled.nodes):
            comma = "," if row else ""
            if not node.is_leaf:
                pending += comma + "null"
                continue
            lines.literal(pending + comma)
            pending = ""
            codes, ids = table.codes[row]
            lines.column(codes, [str(k) for k in ids])
        pending += "]"
    lines.literal(pending + ', "explanations": ')
    lines.column(*_explanation_texts(sheet))
    lines.literal("}")
    for done, text in lines.chunks():
        out.write(text)
        if progress is not None:
            progress(done_traces + done, total_work)
    put("\n  ]\n}\n")


def write_compact_csv(sheet: ScoreSheet, out: IO[bytes], progress: Progress | None = None) -> None:
    """Wide table: one row per unit, its totals, one column of points per node, the provenance."""
    compiled, rubric = sheet.compiled, sheet.rubric
    numbers = Numbers(rubric.precision)
    made_with = provenance(rubric)
    codes = [node.code for node in compiled.nodes]
    taken = set(CSV_TOTALS) | set(CSV_PROVENANCE)
    headers = [f"điểm {code}" if code in taken else code for code in codes]
    tail = [made_with["rubric"], made_with["year"], made_with["rubric_sha256"], made_with["engine"]]
    out.write(_csv_line([*CSV_TOTALS, *map(safe_cell, headers), *CSV_PROVENANCE]).encode("utf-8"))
    lines = Lines(len(sheet))
    lines.per_unit([_csv_cell(safe_cell(unit)) + "," for unit in sheet.units])
    _totals(sheet, numbers, lines, fixed=True, json_keys=False)
    lines.literal(",")
    _node_values(lines, sheet.points, numbers, True, ",")
    lines.literal("," + _csv_line([safe_cell(str(value)) for value in tail]))
    for done, text in lines.chunks():
        out.write(text)
        if progress is not None:
            progress(done, len(sheet))


def _csv_cell(text: str) -> str:
    """One field as ``csv.writer`` writes it (minimal quoting), without a writer per cell."""
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()
