"""Evidence cells as stored text: ``[state, a, b, note]`` per leaf, exact integers in JSON.

A cell is what ``criteria.rules`` made of a raw value (``Cell``); the campaign's rubric is
frozen in the database, so a stored cell keeps its meaning. These helpers turn one unit's
row of an ``EvidenceTable`` into JSON and back,.
"""

from __future__ import annotations

import json
from typing import Any, Sequence

import numpy as np

from criteria import Rubric
from criteria.rules import MISSING, Cell, Column
from scoring.evidence import EvidenceTable

from .audit import canonical

MISSING_CELL = Cell(MISSING)


def cell_to_json(cell: Cell) -> list[Any]:
    return [int(cell.state), int(cell.a), int(cell.b), cell.note]


def cell_from_json(value: list[Any]) -> Cell:
    state, a, b, note = value
    return Cell(int(state), int(a), int(b), note)


def row_cells(table: EvidenceTable, row: int, codes: list[str] | None = None) -> dict[str, list[Any]]:
    """One unit's cells (only those not missing), keyed by leaf code."""
    result = {}
    for code in codes if codes is not None else table.columns:
        cell = table.columns[code].cell(row)
        if cell.state != MISSING:
            result[code] = cell_to_json(cell)
    return result


def dumps(value: Any) -> str:
    return canonical(value)


def loads(text: str | None) -> Any:
    return json.loads(text) if text else None


def build_table(rubric: Rubric, units: list[str], rows: list[dict[str, Sequence[Any]]], source: str) -> EvidenceTable:
    """An ``EvidenceTable`` from per-unit cells (a leaf a unit lacks is missing). A cell is a ``Cell``
    or its stored form ``[state, a, b, note]`` as ``json.loads`` gives it (no ``Cell`` made per value:
    a campaign of 3,321 units holds ~330,000 of them)."""
    columns: dict[str, Column] = {}
    for leaf in rubric.leaves():
        if rows:  # the leaf's cells transposed in C (zip), each part straight into its typed array
            states, a, b, notes = zip(*[row.get(leaf.code, MISSING_CELL) for row in rows])
        else:
            states = a = b = notes = ()
        columns[leaf.code] = Column(np.array(states, dtype=np.int8), np.array(a, dtype=np.int64),
                                    np.array(b, dtype=np.int64),
                                    _object_array(notes) if any(n is not None for n in notes) else None)
    return EvidenceTable(rubric.id, list(units), columns, source)


def _object_array(values: Sequence[Any]) -> np.ndarray:
    found = np.empty(len(values), dtype=object)
    found[:] = values
    return found

