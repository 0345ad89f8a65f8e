"""The physical limit: reading the evidence the engine reads, once, at the memory's speed.

The engine needs, for every leaf, the state of every unit and the values its rule uses: ``a``
always, ``b`` only for the kinds that compare or divide by it (bands, proportional,
percentages of a maximum). One numpy streaming pass over exactly those bytes — a bitwise OR
reduction, the cheapest operation that must touch every byte — is what no scorer of this
evidence can beat on this machine. The benchmark divides the engine's time by it.
"""

from __future__ import annotations

import numpy as np

from criteria import Rubric
from scoring.evidence import EvidenceTable

READS_B = {"bands", "proportional"}  # kinds whose score uses the denominator b
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


_EVICT = None


def evict_caches() -> None:
    """Read a buffer twice the L3 cache, so the next pass starts from memory."""
    global _EVICT
    if _EVICT is None:
        _EVICT = np.ones(L3_EVICT_BYTES // 8, dtype=np.uint64)
    np.bitwise_or.reduce(_EVICT)
