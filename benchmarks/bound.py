"""The physical limit: reading the evidence the engine reads, once, at the memory's speed.

The engine needs, for every leaf, the state of every unit and the values its rule uses: ``a``
always, ``b`` only for the kinds that compare or divide by it (bands, proportional,
percentages of a maximum) or test it (reports). One numpy streaming pass over exactly those bytes — a bitwise OR
reduction, the cheapest operation that must touch every byte — is what no scorer of this
evidence can beat on this machine. The benchmark divides the engine's time by it.

A second yardstick, for information: that read plus one write of every byte the engine hands
back (points, maxima, statuses and counts of every node, the totals) into fresh arrays, as
``score`` allocates them (``read_and_write``). The engine writes more than it reads (≈ 900 B
per unit against 662 on the demonstration rubric), so this is the floor of any scorer that
returns the same arrays.
"""

from __future__ import annotations

import numpy as np

from criteria import Rubric
from scoring.evidence import EvidenceTable
from scoring.result import ScoreSheet

READS_B = {"bands", "proportional", "reports"}  # kinds whose score uses b (a denominator; reports not sent)
L3_EVICT_BYTES = 64 * 1024 * 1024  # twice this machine's 32 MiB L3: flushes it


def evidence_arrays(rubric: Rubric, table: EvidenceTable) -> list[np.ndarray]:
    """The arrays the engine reads for ``table``, in the order it reads them."""
    arrays = []
    for leaf in rubric.leaves():
        column = table.columns[leaf.code]
        arrays += [column.state, column.a]
        rule = leaf.rule
        if rule.kind in READS_B or (rule.kind == "external" and rule.input == "percent_of_max"):  # type: ignore[union-attr]
            arrays.append(column.b)
    return arrays


def bytes_read(arrays: list[np.ndarray]) -> int:
    return sum(array.nbytes for array in arrays)


def stream(arrays: list[np.ndarray]) -> int:
    """One pass over every byte (OR-reduced as 64-bit words where the length allows)."""
    seen = 0
    for array in arrays:
        raw = array.view(np.uint8)
        words = raw[: len(raw) // 8 * 8].view(np.uint64) if raw.flags.c_contiguous else raw
        seen |= int(np.bitwise_or.reduce(words)) if len(words) else 0
        seen |= int(np.bitwise_or.reduce(raw[len(raw) // 8 * 8:])) if len(raw) % 8 else 0
    return seen


def result_arrays(sheet: ScoreSheet) -> list[tuple[tuple[int, ...], np.dtype, int]]:
    """The shape and type of each array the engine writes for ``sheet``, and how many of its
    rows it writes (every row, but only the leaves' rows of ``leaf_status``)."""
    leaves = len(sheet.compiled.leaf_rows)
    return [(a.shape, a.dtype, leaves if name == "leaf_status" else (a.shape[0] if a.ndim == 2 else 1))
            for name, a in ((n, getattr(sheet, n)) for n in RESULTS)]


RESULTS = ("points", "maximum", "leaf_status", "missing", "applicable",
           "tree_points", "tree_max", "bonus", "penalty", "total")


def read_and_write(arrays: list[np.ndarray], results: list[tuple[tuple[int, ...], np.dtype, int]]) -> list[np.ndarray]:
    """The bound of a scorer that must also hand back the engine's results: one read of the
    evidence (``stream``) and one write of every result byte into fresh arrays, as ``score``
    allocates them (fresh memory costs the kernel's zeroing of its pages: part of the bound)."""
    stream(arrays)
    written = []
    for shape, dtype, rows in results:
        array = np.zeros(shape, dtype=dtype) if rows != shape[0] and len(shape) == 2 else np.empty(shape, dtype=dtype)
        array[:rows].fill(1)
        written.append(array)
    return written


def bytes_written(results: list[tuple[tuple[int, ...], np.dtype, int]]) -> int:
    return sum(rows * (shape[1] if len(shape) == 2 else shape[0]) * np.dtype(dtype).itemsize
               for shape, dtype, rows in results)


_EVICT = None


def evict_caches() -> None:
    """Read a buffer twice the L3 cache, so the next pass starts from memory."""
    global _EVICT
    if _EVICT is None:
        _EVICT = np.ones(L3_EVICT_BYTES // 8, dtype=np.uint64)
    np.bitwise_or.reduce(_EVICT)
