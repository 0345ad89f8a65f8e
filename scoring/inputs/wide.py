"""Wide tables of many units (one row a unit, one column a criterion code), whatever file
they came from: find the unit column, skip blank rows, validate the rest."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from criteria import Rubric, EvidenceError
from criteria.rules.base import nfc

from scoring.evidence import EvidenceTable, validate_frame

UNIT_COLUMNS = ("unit", "đơn vị", "don_vi", "tên đơn vị", "ten_don_vi")


def _blank_rows(frame: pd.DataFrame) -> np.ndarray:
    """Rows whose every cell is empty or spaces. Column by column, looking only at rows still
    blank so far: the first filled column (the unit's name) settles almost every row."""
    candidates = np.arange(len(frame))
    for position in range(frame.shape[1]):
        if not len(candidates):
            break
        values = frame.iloc[candidates, position].tolist()
        candidates = candidates[np.fromiter((not str(v).strip() for v in values), dtype=bool, count=len(values))]
    blank = np.zeros(len(frame), dtype=bool)
    blank[candidates] = True
    return blank


def wide_frame_to_table(
    rubric: Rubric, frame: pd.DataFrame, name: str, cell_place: Any
) -> EvidenceTable:
    """A wide table already read as strings: find the unit column, validate the rest.

    ``cell_place(row, column_label)`` names a cell; row -1 is the header.
    """
    frame = frame.rename(columns=lambda c: nfc(str(c)))
    unit_column = next((c for c in frame.columns if c.casefold() in UNIT_COLUMNS), None)
    if unit_column is None:
        raise EvidenceError.single(name, cell_place(-1, frame.columns[0] if len(frame.columns) else "A"),
                                   "cần một cột tên đơn vị (“Đơn vị” hoặc “unit”)")
    kept = np.flatnonzero(~_blank_rows(frame)).tolist()  # blank rows are skipped
    if len(kept) < len(frame):  # (taking every row would only copy the frame)
        frame = frame.iloc[kept]
    frame = frame.set_index(unit_column)
    return validate_frame(
        rubric, frame, name, lambda row, code: cell_place(kept[row] if row >= 0 else -1, code)
    )
