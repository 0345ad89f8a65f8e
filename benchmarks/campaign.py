"""Figures on a campaign of N units: reading, the engine, the floor, the naive way.

One function per figure. Each takes the same validated evidence (or the same raw cells) so
the ratios compare like with like, and the floor and the naive way are checked to give the
engine's exact points before their times are reported.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from criteria import Rubric
from criteria.numbers import to_scaled
from scoring import EvidenceTable, ScoreSheet, competition_ranks, rank, read_evidence, score

from . import floor, naive
from .measure import Figure, not_yet, timed, traced_peak_mib

XLSX_MAX_UNITS = 10_000  # openpyxl reads ~10⁵ cells/s: larger sheets would take minutes


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    frame.to_csv(path, encoding="utf-8")
    return path


def write_xlsx(frame: pd.DataFrame, path: Path) -> Path:
    """The wide table as a spreadsheet: header row of codes, one row per unit."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Số liệu")
    sheet.append([frame.index.name, *frame.columns])
    for unit, values in zip(frame.index, frame.itertuples(index=False, name=None)):
        sheet.append([unit, *values])
    book.save(path)
    return path


def figure_read_csv(rubric: Rubric, frame: pd.DataFrame, folder: Path, repeat: int) -> Figure:
    path = write_csv(frame, folder / f"evidence-{len(frame)}.csv")
    timing, table = timed(lambda: read_evidence(rubric, path), repeat)
    assert len(table) == len(frame)
    return Figure("read + validate CSV → typed table", len(frame), timing.seconds,
                  note=f"{path.stat().st_size / 1e6:,.1f} MB", cpu_seconds=timing.cpu_seconds)


def figure_read_xlsx(rubric: Rubric, frame: pd.DataFrame, folder: Path, repeat: int) -> Figure:
    name = "read + validate XLSX → typed table"
    if importlib.util.find_spec("scoring.inputs.xlsx") is None:
        return not_yet(name, len(frame), 3)
    if len(frame) > XLSX_MAX_UNITS:
        return Figure(name, len(frame), note=f"bỏ qua: chỉ đo đến {XLSX_MAX_UNITS:,} đơn vị")
    path = write_xlsx(frame, folder / f"evidence-{len(frame)}.xlsx")
    timing, table = timed(lambda: read_evidence(rubric, path), repeat)
    assert len(table) == len(frame)
    return Figure(name, len(frame), timing.seconds, note=f"{path.stat().st_size / 1e6:,.1f} MB",
                  cpu_seconds=timing.cpu_seconds)


def engine_run(rubric: Rubric, table: EvidenceTable) -> tuple[ScoreSheet, np.ndarray]:
    sheet = score(rubric, table)
    return sheet, competition_ranks(sheet.index_order_keys())


def figure_engine(rubric: Rubric, table: EvidenceTable, repeat: int) -> tuple[Figure, ScoreSheet, np.ndarray]:
    timing, (sheet, ranks) = timed(lambda: engine_run(rubric, table), repeat)
    peak = traced_peak_mib(lambda: engine_run(rubric, table))
    figure = Figure("engine: points of every node + ranks", len(table), timing.seconds, peak,
                    cpu_seconds=timing.cpu_seconds)
    return figure, sheet, ranks


def figure_floor(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, ranks: np.ndarray,
                 repeat: int) -> Figure:
    program = floor.plan(rubric)
    timing, result = timed(lambda: floor.score_floor(program, table), repeat)
    peak = traced_peak_mib(lambda: floor.score_floor(program, table))
    for name in ("points", "maximum", "missing", "applicable", "total", "tree_max"):
        if not np.array_equal(getattr(result, name), getattr(sheet, name)):
            raise AssertionError(f"the floor's {name} differ from the engine's")
    if not np.array_equal(result.ranks, ranks):
        raise AssertionError("the floor's ranks differ from the engine's")
    return Figure("floor: the same arithmetic, bare numpy", len(table), timing.seconds, peak, "= engine ✓",
                  timing.cpu_seconds)


def naive_run(rubric: Rubric, units: list[naive.Record], hands: list[naive.Overrides]) -> tuple[list, list[int]]:
    results = naive.score_units(rubric, units, hands)
    return [u.total for u in results], naive.rank_units(results)


def figure_naive(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, ranks: np.ndarray) -> Figure:
    units, hands = naive.records(table), naive.overrides_of(table)
    timing, (totals, naive_ranks) = timed(lambda: naive_run(rubric, units, hands), 1)
    if [to_scaled(t) for t in totals] != sheet.total.tolist() or naive_ranks != ranks.tolist():
        raise AssertionError("the naive loop's totals or ranks differ from the engine's")
    return Figure("naive: Decimal, per unit, per leaf", len(table), timing.seconds, note="= engine ✓",
                  cpu_seconds=timing.cpu_seconds)


def figure_rank_list(sheet: ScoreSheet, repeat: int) -> Figure:
    timing, rows = timed(lambda: rank(sheet), repeat)
    assert len(rows) == len(sheet)
    return Figure("ranked list: rank() rows in Decimal", len(sheet), timing.seconds,
                  cpu_seconds=timing.cpu_seconds)
