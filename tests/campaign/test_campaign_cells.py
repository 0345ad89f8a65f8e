"""Stored cells back into columns: ``build_table`` reads the stored ``[state, a, b, note]`` lists (as
``json.loads`` gives them) and ``Cell``s alike, and gives back exactly the table they came from."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml

from criteria import load_rubric
from criteria.rules import MISSING, Cell
from scoring.campaign.cells import build_table, cell_to_json, dumps, row_cells
from scoring.evidence import validate_frame

ROOT = Path(__file__).resolve().parents[2]
DEMO = load_rubric(ROOT / "rubrics" / "demo-xa-2025.yaml")


def _table():  # type: ignore[no-untyped-def]
    rows = {}
    for path in sorted((ROOT / "examples").glob("xa-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows[data["unit"]] = {str(k): str(v) for k, v in data["evidence"].items() if str(k) in DEMO.by_code}
    frame = pd.DataFrame.from_dict(rows, orient="index", dtype=object)
    return validate_frame(DEMO, frame, "thử", lambda row, code: "")


def _same(left, right) -> None:  # type: ignore[no-untyped-def]
    assert left.units == right.units and list(left.columns) == list(right.columns)
    for code, column in left.columns.items():
        other = right.columns[code]
        assert column.state.dtype == other.state.dtype and column.a.dtype == other.a.dtype
        assert [column.cell(i) for i in range(len(left.units))] == [other.cell(i) for i in range(len(right.units))]


def test_stored_cells_decode_to_the_table_they_were_stored_from() -> None:
    table = _table()
    assert any(c.note is not None for c in table.columns.values())  # notes travel too
    stored = [dumps(row_cells(table, i)) for i in range(len(table.units))]
    decoded = json.loads("[" + ",".join(stored) + "]")
    rebuilt = build_table(DEMO, table.units, decoded, "thử")
    _same(table, rebuilt)
    from_cells = build_table(DEMO, table.units, [{code: table.columns[code].cell(i) for code in table.columns}
                                                 for i in range(len(table.units))], "thử")
    _same(table, from_cells)
    assert all(cell_to_json(table.columns[c].cell(0)) == decoded[0][c] for c in decoded[0])


def test_a_unit_without_cells_is_missing_everywhere_and_no_units_is_an_empty_table() -> None:
    table = build_table(DEMO, ["Xã trống"], [{}], "thử")
    assert list(table.columns) == [leaf.code for leaf in DEMO.leaves()]
    assert {column.cell(0) for column in table.columns.values()} == {Cell(MISSING)}
    empty = build_table(DEMO, [], [], "thử")
    assert all(len(column.state) == 0 and column.a.dtype.name == "int64" for column in empty.columns.values())
