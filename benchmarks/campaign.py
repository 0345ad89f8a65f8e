"""Figures on a campaign of N units: reading, the engine, the bandwidth bound, the baseline, peers.

One function per figure. Each takes the same validated evidence (or the same raw cells) so
the ratios compare like with like; the tuned loop and OpenFisca are checked to give the
engine's exact points before their times are reported, and the float peer's errors counted.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from criteria import Rubric
from criteria.numbers import to_scaled
from scoring import (
    EvidenceTable,
    ScoreSheet,
    competition_ranks,
    rank,
    read_evidence,
    score,
    score_totals,
)

from scoring.engine import Kernel

from . import bound, naive, openfisca_peer, peers, tuned
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


def engine_run(rubric: Rubric, table: EvidenceTable, kernel: Kernel = "auto") -> tuple[ScoreSheet, np.ndarray]:
    sheet = score(rubric, table, kernel=kernel)
    return sheet, competition_ranks(sheet.index_order_keys())


def figure_engine(rubric: Rubric, table: EvidenceTable, repeat: int,
                  kernel: Kernel = "auto") -> tuple[Figure, ScoreSheet, np.ndarray]:
    """``score`` + ranks, caches flushed before each run; each run allocates its result arrays
    afresh (the previous run's are still alive), as a caller scoring a new table does."""
    timing, (sheet, ranks) = timed(lambda: engine_run(rubric, table, kernel), repeat, before=bound.evict_caches)
    peak = traced_peak_mib(lambda: engine_run(rubric, table, kernel))
    name = "engine: points of every node + ranks" if kernel == "auto" else f"engine, {kernel} kernel (reference)"
    figure = Figure(name, len(table), timing.seconds, peak, cpu_seconds=timing.cpu_seconds,
                    note=f"kernel: {sheet.kernel}")
    return figure, sheet, ranks


def figure_engine_totals(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, ranks: np.ndarray,
                         repeat: int) -> Figure:
    """``score_totals`` + ranks, as a caller that ranks the units uses it (fresh totals each run),
    caches flushed before each run; its totals and ranks checked against the full sheet's."""
    def run() -> tuple[np.ndarray, np.ndarray]:
        totals = score_totals(rubric, table)
        return totals.total, competition_ranks(totals.index_order_keys())

    timing, (total, totals_ranks) = timed(run, repeat, before=bound.evict_caches)
    if not (np.array_equal(total, sheet.total) and np.array_equal(totals_ranks, ranks)):
        raise AssertionError("totals only differ from the full sheet's totals or ranks")
    return Figure("engine, totals only + ranks (information)", len(table), timing.seconds,
                  cpu_seconds=timing.cpu_seconds, note="= full sheet ✓ totals, ranks; what a ranking needs")


def figure_bound_with_writes(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, repeat: int) -> Figure:
    """The read of the evidence plus one write of every result byte, into fresh arrays."""
    arrays, results = bound.evidence_arrays(rubric, table), bound.result_arrays(sheet)
    timing = timed(lambda: bound.read_and_write(arrays, results), repeat, before=bound.evict_caches)[0]
    read, written = bound.bytes_read(arrays) / 1e6, bound.bytes_written(results) / 1e6
    return Figure("bound + one write of the results (fresh)", len(table), timing.seconds,
                  note=f"{read:,.1f} MB read + {written:,.1f} MB written", cpu_seconds=timing.cpu_seconds)


def figure_bound(rubric: Rubric, table: EvidenceTable, repeat: int) -> Figure:
    """The memory-bandwidth bound: one streaming read of the bytes the engine reads."""
    arrays = bound.evidence_arrays(rubric, table)
    timing = timed(lambda: bound.stream(arrays), repeat, before=bound.evict_caches)[0]
    megabytes = bound.bytes_read(arrays) / 1e6
    return Figure("bound: one read of the evidence (numpy)", len(table), timing.seconds,
                  note=f"{megabytes:,.1f} MB at {megabytes / 1e3 / timing.cpu_seconds:,.1f} GB/s, caches flushed",
                  cpu_seconds=timing.cpu_seconds)


def figure_tuned(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, ranks: np.ndarray, repeat: int) -> Figure:
    program = tuned.compile_program(rubric)

    def run() -> tuple[tuned.Scored, list[int]]:
        scored = tuned.score_units(program, table)
        return scored, tuned.competition_ranks(scored.total, scored.tree_max)

    timing, (scored, loop_ranks) = timed(run, repeat)
    wrong = tuned.mismatches(program, scored, sheet)
    if wrong or loop_ranks != ranks.tolist():
        raise AssertionError(f"the tuned loop differs from the engine: {wrong[:3] or 'ranks'}")
    return Figure("tuned Python loop: exact ints, per unit", len(table), timing.seconds,
                  note="= engine ✓ every node", cpu_seconds=timing.cpu_seconds)


def naive_run(rubric: Rubric, units: list[naive.Record], hands: list[naive.Overrides]) -> tuple[list, list[int]]:
    results = naive.score_units(rubric, units, hands)
    return [u.total for u in results], naive.rank_units(results)


def figure_naive(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, ranks: np.ndarray) -> Figure:
    units, hands = naive.records(table), naive.overrides_of(table)
    timing, (totals, naive_ranks) = timed(lambda: naive_run(rubric, units, hands), 1)
    if [to_scaled(t) for t in totals] != sheet.total.tolist() or naive_ranks != ranks.tolist():
        raise AssertionError("the Decimal reference's totals or ranks differ from the engine's")
    return Figure("Decimal reference (tests' oracle)", len(table), timing.seconds,
                  note="= engine ✓; not a baseline", cpu_seconds=timing.cpu_seconds)


def figure_pandas(rubric: Rubric, table: EvidenceTable, sheet: ScoreSheet, repeat: int) -> Figure:
    frame = peers.pandas_frame(rubric, table)
    timing, (totals, _, _) = timed(lambda: peers.pandas_scores(rubric, frame), repeat)
    wrong, moved = peers.pandas_errors(sheet, totals)
    return Figure("peer: pandas analyst (float)", len(table), timing.seconds,
                  note=f"{wrong:,} totals wrong ({100 * wrong / len(table):.1f}%), {moved:,} ranks moved",
                  cpu_seconds=timing.cpu_seconds)


def figure_openfisca(rubric: Rubric, table: EvidenceTable, repeat: int) -> tuple[Figure, Figure | None]:
    """OpenFisca and the engine on the same 10-leaf subset (one leaf per rule kind)."""
    name = "peer: OpenFisca, one leaf per kind"
    subset = peers.one_leaf_per_kind(rubric)
    sub_table = peers.subset_table(rubric, subset, table)
    engine, kernel_sheet = timed(lambda: score(subset, sub_table), repeat)
    ours = Figure(f"engine on the same {len(subset.leaves())} leaves", len(table), engine.seconds,
                  cpu_seconds=engine.cpu_seconds, note=f"kernel: {kernel_sheet.kernel}")
    reason = openfisca_peer.available()
    if reason is not None:
        return Figure(name, len(table), note=reason), None
    tbs, codes = openfisca_peer.system(subset)
    if not openfisca_peer.fits_int32(sub_table, codes):
        return Figure(name, len(table), note="bỏ qua: số liệu vượt int32 của OpenFisca"), None
    timing, out = timed(lambda: openfisca_peer.run(tbs, codes, sub_table), repeat)
    sheet = score(subset, sub_table)
    equal = np.array_equal(out["total"], sheet.total) and np.array_equal(out["total_max"], sheet.tree_max)
    if not equal:
        raise AssertionError("OpenFisca's totals differ from the engine's on the subset")
    return Figure(name, len(table), timing.seconds, note="= engine ✓ totals", cpu_seconds=timing.cpu_seconds), ours


def figure_rank_list(sheet: ScoreSheet, repeat: int) -> Figure:
    timing, rows = timed(lambda: rank(sheet), repeat)
    assert len(rows) == len(sheet)
    return Figure("ranked list: rank() rows in Decimal", len(sheet), timing.seconds,
                  cpu_seconds=timing.cpu_seconds)
