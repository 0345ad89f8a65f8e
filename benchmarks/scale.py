"""One fresh process scoring N units streamed in chunks, for time per unit and peak memory.

    python -m benchmarks.scale RUBRIC N

Evidence arrives a chunk at a time (``CHUNK_UNITS``), as a campaign larger than memory would:
each chunk draws its units from a validated pool of synthetic units (each leaf's column
resampled on its own; the survey's leaves together, so survey-less units stay so). For each
chunk, with the caches flushed before each pass: the memory-bandwidth bound (one streaming
read of the bytes the engine reads) and the engine as a caller ranking N units uses it
(``TotalsScorer.score`` of the chunk, as ``score_stream(..., keep="totals", reuse=True)`` does:
every node of every unit computed, only each unit's totals written out, into the same arrays
for every chunk), keeping each unit's total and maximum; at the end the competition ranks of
all N. The full sheet of each chunk (``ReusingScorer``, every node's rows written out) is timed
too, for information, with the same ranks added (the streamed line before totals only). The engine's compiled
kernel is loaded before the clock starts (once per process; its cost is printed apart), so
every chunk of every size uses the same kernel. Prints one JSON line:
seconds of each (wall and CPU, summed over chunks), and the whole process's peak resident
memory (``VmHWM``: see ``pipeline.peak_rss_mib`` for why not ``ru_maxrss``).
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np

from benchmarks import bound
from benchmarks.pipeline import peak_rss_mib
from benchmarks.synthetic import raw_frame
from criteria import Rubric, load_rubric
from scoring import competition_ranks, fused, score, validate_frame
from scoring.compiled import compile_rubric
from scoring.engine import CHUNK_UNITS, ReusingScorer, TotalsScorer
from scoring.evidence import EvidenceTable

POOL_UNITS = 20_000


def chunks(rubric: Rubric, n: int, seed: int = 13):
    pool = validate_frame(rubric, raw_frame(rubric, POOL_UNITS, seed), "synthetic")
    compiled = compile_rubric(rubric)
    survey = {compiled.nodes[row].code for row in compiled.survey_leaf_rows}
    rng = np.random.default_rng(seed)
    for start in range(0, n, CHUNK_UNITS):
        m = min(CHUNK_UNITS, n - start)
        together = rng.integers(0, POOL_UNITS, m)
        columns = {code: column.take(together if code in survey else rng.integers(0, POOL_UNITS, m))
                   for code, column in pool.columns.items()}
        yield EvidenceTable(pool.rubric_id, [f"Xã {start + i}" for i in range(m)], columns, "synthetic")


def warm_up(rubric: Rubric) -> str:
    """Load the compiled kernel and read its cached code for this rubric's array types (the first
    call does), scoring one unit; the kernel that will run (``numpy`` without numba)."""
    if fused.load() is None:
        return "numpy"
    one = validate_frame(rubric, raw_frame(rubric, 1), "warm-up")
    return score(rubric, one, kernel="compiled").kernel


def main(rubric_path: str, n: int) -> dict[str, float]:
    rubric = load_rubric(rubric_path)
    load_cpu = time.process_time()
    warm_up(rubric)  # the compiled kernel (numba + its cached code), once per process, before the clock: reported apart
    load_cpu = time.process_time() - load_cpu
    kernel = "numpy"
    scorer = TotalsScorer(rubric, reuse=True)  # a ranking keeps only totals: every chunk in the same arrays
    sheets = ReusingScorer(rubric)  # for information: every node's rows written out
    total = np.empty(n, dtype=np.int64)
    tree_max = np.empty(n, dtype=np.int64)
    wall = {"engine": 0.0, "bound": 0.0, "sheets": 0.0}
    cpu = {"engine": 0.0, "bound": 0.0, "sheets": 0.0}
    read = 0
    start = 0
    for table in chunks(rubric, n):
        arrays = bound.evidence_arrays(rubric, table)
        read += bound.bytes_read(arrays)
        bound.evict_caches()
        w, c = time.perf_counter(), time.process_time()
        bound.stream(arrays)
        wall["bound"] += time.perf_counter() - w
        cpu["bound"] += time.process_time() - c
        gc.collect()  # as ``measure.timed`` does: a collection of the pool's objects is no part of scoring
        bound.evict_caches()
        w, c = time.perf_counter(), time.process_time()
        totals = scorer.score(table)
        kernel = totals.kernel
        total[start:start + len(table)] = totals.total
        tree_max[start:start + len(table)] = totals.tree_max
        del totals
        wall["engine"] += time.perf_counter() - w
        cpu["engine"] += time.process_time() - c
        gc.collect()
        bound.evict_caches()
        w, c = time.perf_counter(), time.process_time()
        sheet = sheets.score(table)
        wall["sheets"] += time.perf_counter() - w
        cpu["sheets"] += time.process_time() - c
        if not (np.array_equal(sheet.total, total[start:start + len(table)])
                and np.array_equal(sheet.tree_max, tree_max[start:start + len(table)])):
            raise AssertionError("the totals-only path differs from the full sheet")
        del sheet
        start += len(table)
    w, c = time.perf_counter(), time.process_time()
    with np.errstate(divide="ignore", invalid="ignore"):
        keys = np.where(tree_max == 0, -np.inf, total / tree_max)
    competition_ranks(keys)
    for line in ("engine", "sheets"):  # the same ranks end both: a full sheet's totals rank alike
        wall[line] += time.perf_counter() - w
        cpu[line] += time.process_time() - c
    return {"units": n, "engine_s": wall["engine"], "engine_cpu_s": cpu["engine"], "bound_s": wall["bound"],
            "bound_cpu_s": cpu["bound"], "sheets_s": wall["sheets"], "sheets_cpu_s": cpu["sheets"], "bytes_read": read, "peak_rss_mib": peak_rss_mib(), "kernel": kernel,
            "load_cpu_s": load_cpu}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
