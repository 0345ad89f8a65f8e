"""The compiled kernel: every leaf, node and total of a campaign in one loop (numba), for large tables.

The numpy path (``scoring/engine.py``) runs about ten array passes per leaf — the rule kind's
own ``score`` (products, comparisons, a result and its temporaries), then status, points,
maximum, missing and applicable rows — and four more per internal node. Each pass reads and
writes its rows from memory, so the engine sat 15–35× above one read of the evidence. This
kernel makes one pass: for a block of ``BLOCK_UNITS`` units it reads each leaf's ``state``,
``a`` and ``b`` once, computes the leaf's points with the rule's ``CellProgram`` (each kind says
in its own module, beside its numpy ``score``, which generic integer program gives its points —
``criteria/rules/base.py`` lists them), writes the leaf's five result rows, then sums the
internal nodes and the totals while the block's rows are still in the processor's cache.

Exactness: the programs are integer arithmetic in int64 with the same expressions as the numpy
kernels (a kind whose products could leave int64 returns no program, and the engine keeps the
numpy path for that rubric); ``tests/test_fused_kernel.py`` proves both paths and the Decimal
oracle equal on every node for random rubrics and evidence.

numba is optional: it is imported the first time a large table is scored (``load``), never by
the one-unit command line; compiled code is cached on disk (``cache=True``: ``__pycache__``
beside this file, or numba's per-user cache when that is read-only) so later processes load it
in milliseconds; where no cache directory is writable the kernel is compiled in memory once per
process. Without numba, or if it fails to compile, ``load`` returns ``None`` with the reason
(``reason()``) and the engine uses numpy: same results, slower.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from criteria.rules.base import (
    MISSING,
    NOT_APPLICABLE,
    OP_AFFINE_FLOOR,
    OP_BITS,
    OP_COPY,
    OP_FLAGS,
    OP_RATIO_STEPS,
    OP_SHARE,
    OP_STEPS,
    OP_TABLE,
    VALUE,
)

from .result import LEAF_FULL, LEAF_MISSING, LEAF_NO_SURVEY, LEAF_SCORED

READS_B = frozenset((OP_FLAGS, OP_RATIO_STEPS, OP_SHARE))  # the programs whose ``_earn`` reads ``b``
BLOCK_UNITS = 4096  # units per block; kernel alone at 100,000 units (demo rubric), 1024: 15 ms, 2048: 14, 4096: 12.5, 8192: 12.5
DISABLE_ENV = "PARINDEX_NO_COMPILED"  # set (to anything but "") to score with numpy only

_loaded: Callable[..., None] | None = None
_reason: str | None = None  # why the kernel is not available, once known
_cached: bool | None = None  # whether compiled code is kept on disk
_LOCK = threading.Lock()


def reason() -> str | None:
    """Why the compiled kernel cannot run here (``None``: it can, or nobody asked yet)."""
    return _reason


def cached() -> bool | None:
    """Whether the compiled kernel is kept on disk between processes (``None``: not loaded)."""
    return _cached


def loaded() -> bool:
    """Whether the kernel is loaded in this process (numba imported; its machine code is read from
    the cache, or compiled, on the first call for each set of array types)."""
    return _loaded is not None


def run(kernel: Callable[..., None], arguments: tuple) -> bool:
    """Call the kernel; ``False`` (and the kernel set aside for the process, with the reason) when
    numba fails to compile it for these arguments, so the caller scores with numpy instead. Errors
    of the data itself (a value outside a rule's table) are raised as the numpy path raises them."""
    global _loaded, _reason
    try:
        kernel(*arguments)
    except Exception as exc:
        if not type(exc).__module__.startswith("numba"):
            raise
        _loaded, _reason = None, f"numba lỗi: {type(exc).__name__}: {str(exc)[:200]}"
        return False
    return True


def load() -> Callable[..., None] | None:
    """The compiled kernel (numba imported, the kernel declared; its code is read from the disk
    cache or compiled on its first call); ``None`` when numba is absent, disabled by
    ``PARINDEX_NO_COMPILED``, or fails."""
    if _loaded is not None or _reason is not None:
        return _loaded
    with _LOCK:  # one thread compiles; the others wait for it (a portal's worker threads)
        return _load_once()


def _load_once() -> Callable[..., None] | None:
    global _loaded, _reason, _cached
    if _loaded is not None or _reason is not None:
        return _loaded
    if os.environ.get(DISABLE_ENV):
        _reason = f"tắt bởi {DISABLE_ENV}"
        return None
    try:
        import numba  # numba: loaded only for large tables (≈ 0.5 s of CPU with its cached code), never for one unit
    except ImportError:
        _reason = "numba chưa cài (pip install numba)"
        return None
    try:
        _bind_pointer_reader(numba)
        _loaded, _cached = _compile(numba, _kernel)
    except Exception as exc:  # noqa: BLE001 - any failure of numba leaves the exact numpy path
        _reason = f"numba lỗi: {type(exc).__name__}: {exc}"
        return None
    return _loaded


HELPERS = ("_floor_divide", "_earn", "_add_into_parent", "_sum_wide")  # compiled with the kernel, which calls them


def _compile(numba: Any, function: Callable[..., None]) -> tuple[Callable[..., None], bool]:
    """``numba.njit`` of the kernel and its helpers (rebound in this module, so the kernel calls
    the compiled ones) with the on-disk cache, or without it when no cache directory is
    writable (numba refuses ``cache=True`` then, at decoration). Compiling itself waits for the
    first call."""
    # error_model="numpy": no zero-division check in the loops (it stops their vectorisation; the
    # kernel divides only by 2·b ≥ 2 and by a float of it), 13 → 11 ms at 100,000 units
    try:
        jit = numba.njit(cache=True, nogil=True, error_model="numpy")
        jit(_floor_divide)  # probe: raises here when no cache directory is writable
        on_disk = True
    except RuntimeError:
        jit, on_disk = numba.njit(cache=False, nogil=True, error_model="numpy"), False
    for name in HELPERS:
        globals()[name] = jit(globals()[name])
    return jit(function), on_disk


def _bind_pointer_reader(numba: Any) -> None:
    """``_column(address, n, dtype)``: an evidence array seen from its data address (the leaves'
    columns are separate arrays; their addresses travel as one int64 array, without copying)."""
    global _column
    from numba.core import cgutils, types  # numba: loaded with it, above
    from numba.extending import intrinsic  # numba: loaded with it, above

    @intrinsic
    def address_as_pointer(typingctx, address):
        def codegen(context, builder, signature, args):
            return builder.inttoptr(args[0], cgutils.voidptr_t)
        return types.voidptr(address), codegen

    carray = numba.carray

    @numba.njit(inline="always", cache=False)
    def column(address, n, dtype):
        return carray(address_as_pointer(address), (n,), dtype)

    _column = column


def _column(address: int, n: int, dtype: Any) -> np.ndarray:  # replaced by ``_bind_pointer_reader``
    raise RuntimeError("the compiled kernel is not loaded")


def _kernel(n, states, a_addresses, b_addresses, leaf_row, leaf_op, leaf_offset, leaf_length, constants,
            leaf_max, leaf_full, leaf_survey, status_table, override_start, override_unit, override_points,
            survey_leaves, rescale, internal_rows, node_order, parent, leaf_of_row, top_rows, adjustment_bonus,
            adjustment_cap, adjustment_start, adjustment_rows, below_start, below_rows, may_exceed,
            points, maximum, leaf_status, missing, applicable, tree_points, tree_max, bonus, penalty, total,
            missing_total):
    """One pass over the units, a block at a time (see the module's docstring; ``engine._fused_arguments``
    builds the arguments). Written in the subset of Python that numba compiles; each inner loop
    writes one or two arrays of one type and has no branch, so the compiler can vectorise it.

    The node rows (``points`` … ``applicable``) are either the whole sheet's, one column per unit,
    or — totals only — one block's: as many columns as the block has units, reused by every block
    and never written out, so only the totals (and ``missing_total``, the missing leaves below the
    top rows, when it has a unit's length) reach memory."""
    keep_rows = points.shape[1] == n
    block = BLOCK_UNITS if keep_rows else points.shape[1]
    earned = np.zeros(block, dtype=np.int64)
    status = np.zeros(block, dtype=np.int8)
    no_survey = np.zeros(block, dtype=np.bool_)
    wide = np.zeros(block, dtype=np.int64)
    cursor = override_start[:-1].copy()
    for start in range(0, n, block):
        stop = min(start + block, n)
        m = stop - start
        lo = start if keep_rows else 0  # the block's first column in the node rows
        hi = lo + m
        if rescale:
            no_survey[:m] = True
            for k in survey_leaves:
                state = _column(states[k], n, np.int8)[start:stop]
                for j in range(m):
                    no_survey[j] &= state[j] == MISSING
        for row in internal_rows:  # sums start at 0; each node adds itself into its parent when complete
            points[row, lo:hi] = 0
            maximum[row, lo:hi] = 0
            missing[row, lo:hi] = 0
            applicable[row, lo:hi] = 0
        for node in node_order:  # children before parents
            k = leaf_of_row[node]
            if k < 0:
                _add_into_parent(node, parent[node], points, maximum, missing, applicable, lo, hi)
                continue
            state = _column(states[k], n, np.int8)[start:stop]
            a = _column(a_addresses[k], n, np.int64)[start:stop]
            b = _column(b_addresses[k], n, np.int64)[start:stop]
            _earn(leaf_op[k], constants[leaf_offset[k]:leaf_offset[k] + leaf_length[k]], state, a, b, earned, m)
            row, top = leaf_row[k], leaf_max[k]
            top_full = top if leaf_full[k] else 0
            s0, s1, s2 = status_table[k, VALUE], status_table[k, MISSING], status_table[k, NOT_APPLICABLE]
            for j in range(m):
                code = state[j]
                status[j] = s0 if code == VALUE else (s1 if code == MISSING else s2)
            if rescale and leaf_survey[k]:
                for j in range(m):
                    status[j] = LEAF_NO_SURVEY if no_survey[j] else status[j]
            out_status = leaf_status[row, lo:hi]
            out_points = points[row, lo:hi]
            out_max = maximum[row, lo:hi]
            out_missing = missing[row, lo:hi]
            out_applicable = applicable[row, lo:hi]
            for j in range(m):
                code = status[j]
                out_status[j] = code
                out_missing[j] = code == LEAF_MISSING
                out_applicable[j] = code <= LEAF_MISSING
            for j in range(m):
                code = status[j]
                out_points[j] = earned[j] * (code == LEAF_SCORED) + top_full * (code == LEAF_FULL)
                out_max[j] = top * (code <= LEAF_FULL)
            while cursor[k] < override_start[k + 1] and override_unit[cursor[k]] < stop:
                i = override_unit[cursor[k]] - start + lo
                leaf_status[row, i] = LEAF_SCORED
                points[row, i] = override_points[cursor[k]]
                maximum[row, i] = top
                missing[row, i] = 0
                applicable[row, i] = 1
                cursor[k] += 1
            _add_into_parent(row, parent[row], points, maximum, missing, applicable, lo, hi)

        _sum_wide(tree_points[start:stop], points, top_rows, lo, hi)
        _sum_wide(tree_max[start:stop], maximum, top_rows, lo, hi)
        if len(missing_total) == n:
            _sum_wide(missing_total[start:stop], missing, top_rows, lo, hi)
        bonus[start:stop] = 0
        penalty[start:stop] = 0
        for s in range(len(adjustment_bonus)):
            if adjustment_bonus[s]:
                _sum_wide(wide[:m], points, adjustment_rows[adjustment_start[s]:adjustment_start[s + 1]], lo, hi)
                added = bonus[start:stop]
            else:  # points lost in the section, counting only leaves that were answered
                wide[:m] = 0
                for row in below_rows[below_start[s]:below_start[s + 1]]:
                    for j in range(m):
                        answered = leaf_status[row, lo + j] == LEAF_SCORED
                        wide[j] += (maximum[row, lo + j] - points[row, lo + j]) * answered
                added = penalty[start:stop]
            cap = adjustment_cap[s]
            for j in range(m):
                added[j] += min(wide[j], cap)
        for j in range(start, stop):
            value = tree_points[j] + bonus[j]
            if not may_exceed:
                value = min(value, tree_max[j])
            total[j] = value - penalty[j]


def _add_into_parent(row, parent, points, maximum, missing, applicable, start, stop):
    """A complete node's block rows added into its parent's (``parent`` < 0: a top row), while
    they are still in L1; two arrays of one type per loop, so each is vectorised."""
    if parent < 0:
        return
    out_points, out_max = points[parent, start:stop], maximum[parent, start:stop]
    part_points, part_max = points[row, start:stop], maximum[row, start:stop]
    for j in range(stop - start):
        out_points[j] += part_points[j]
        out_max[j] += part_max[j]
    out_missing, out_applicable = missing[parent, start:stop], applicable[parent, start:stop]
    part_missing, part_applicable = missing[row, start:stop], applicable[row, start:stop]
    for j in range(stop - start):
        out_missing[j] += part_missing[j]
        out_applicable[j] += part_applicable[j]


def _sum_wide(out, array, rows, start, stop):
    """``out = Σ array[rows]`` over the block, in int64."""
    out[:] = 0
    for row in rows:
        part = array[row, start:stop]
        for j in range(stop - start):
            out[j] += part[j]


def _earn(op, constants, state, a, b, earned, m):
    """The leaf's points for each unit of the block with a value, by its ``CellProgram``; a step or
    bound is one pass over the block (``earned`` stays in L1), each pass without a branch."""
    if op == OP_COPY:
        for j in range(m):
            earned[j] = a[j]
    elif op == OP_TABLE:
        size = len(constants)
        for j in range(m):
            index = a[j] if state[j] == VALUE else 0
            if index < 0 or index >= size:
                raise IndexError("a value outside the rule's table")
            earned[j] = constants[index]
    elif op == OP_STEPS:
        count = constants[0]
        first = constants[1 + count]
        for j in range(m):
            earned[j] = first
        for t in range(count):
            threshold, value = constants[1 + t], constants[2 + count + t]
            for j in range(m):  # thresholds ascend: the last one reached gives the points
                earned[j] = value if a[j] >= threshold else earned[j]
    elif op == OP_FLAGS:
        v0, v1, v2, v3 = constants[0], constants[1], constants[2], constants[3]
        for j in range(m):
            late, unsent = a[j] != 0, b[j] != 0
            earned[j] = (v3 if late else v2) if unsent else (v1 if late else v0)
    elif op == OP_RATIO_STEPS:
        base, count = constants[0], constants[1]
        for j in range(m):
            earned[j] = base
        for t in range(count):
            num, den, inclusive, value = constants[2 + 4 * t], constants[3 + 4 * t], constants[4 + 4 * t], constants[5 + 4 * t]
            if inclusive:
                for j in range(m):
                    earned[j] = value if a[j] * den >= b[j] * num else earned[j]
            else:
                for j in range(m):
                    earned[j] = value if a[j] * den > b[j] * num else earned[j]
    elif op == OP_SHARE:
        twice_max_q, quantum, floor = constants[0], constants[1], constants[2]
        num, den, inclusive = constants[3], constants[4], constants[5]
        for j in range(m):
            right = b[j] if state[j] == VALUE else 1  # cells without a value may hold b = 0
            earned[j] = _floor_divide(a[j] * twice_max_q + right, 2 * right) * quantum
        if floor:
            for j in range(m):
                passes = a[j] * den >= b[j] * num if inclusive else a[j] * den > b[j] * num
                earned[j] = earned[j] if passes else 0
    elif op == OP_AFFINE_FLOOR:
        c0, c1, low = constants[0], constants[1], constants[2]
        for j in range(m):
            earned[j] = max(c0 + c1 * a[j], low)
    elif op == OP_BITS:
        earned[:m] = 0
        for t in range(len(constants) - 1):
            value = constants[1 + t]
            for j in range(m):
                earned[j] += ((a[j] >> t) & 1) * value
        cap = constants[0]
        for j in range(m):
            earned[j] = min(earned[j], cap)


def _floor_divide(x, y):
    """``x // y`` for ``0 ≤ x < 2**62`` and ``0 < y``, exactly: a float quotient (a few cycles,
    vectorised; an integer division takes tens) corrected by one integer remainder each way.
    The float quotient is within one of the true one: here x / y ≤ max_q + 1 < 2**22 (``OP_SHARE``
    is only given when ``2·10**12·(max_q + 1)`` fits in int64), so its relative error (a few
    2**-53) is far below one unit."""
    q = np.int64(np.float64(x) / np.float64(y))
    r = x - q * y
    q = q - 1 if r < 0 else q
    r = r + y if r < 0 else r
    return q + 1 if r >= y else q
