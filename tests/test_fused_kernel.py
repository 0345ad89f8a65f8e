"""The compiled kernel (scoring/fused.py, numba) computes exactly the numpy kernel's integers —
every node's points, maximum, status, missing and applicable counts, totals — and the Decimal
oracle's, on random evidence for every shipped rubric and the every-kind-edges rubric (missing,
không phát sinh excluded or at full points, survey absent, points set by hand, values at the
10^12 limits and exactly on band edges), on random rubrics, and over many blocks of units.

Each rule kind's ``CellProgram`` is checked against its own numpy ``score`` on random values.
Without numba the compiled kernel's tests are skipped, and what runs without it is checked in a
process where numba cannot be imported.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.synthetic import raw_frame
from criteria import Rubric
from criteria.loader import rubric_from_data
from criteria.numbers import SCALE, to_scaled
from criteria.rules.base import MAX_MAGNITUDE
from scoring import EvidenceTable, fused, score, validate_frame
from scoring.compiled import compile_rubric
from scoring.engine import COMPILED_MIN_UNITS, ReusingScorer, _plan, score_stream
from scoring.evidence import Override

from .strategies import evidence_rows, rubric_case
from .test_fast_path_exact import (
    RUBRICS,
    _value,
    assert_same_as_reference,
    evidence_tables,
)

ROOT = Path(__file__).resolve().parent.parent
ARRAYS = ("points", "maximum", "leaf_status", "missing", "applicable",
          "tree_points", "tree_max", "bonus", "penalty", "total")

# numba installed: the compiled kernel must load and run (a broken install fails these tests)
needs_numba = pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba is not installed")


def assert_kernels_equal(rubric: Rubric, table: EvidenceTable) -> None:
    reference = score(rubric, table, kernel="numpy")
    compiled = score(rubric, table, kernel="compiled")
    assert (reference.kernel, compiled.kernel) == ("numpy", "compiled")
    for name in ARRAYS:
        got, want = getattr(compiled, name), getattr(reference, name)
        assert got.dtype == want.dtype and np.array_equal(got, want), name


@needs_numba
@pytest.mark.parametrize("name", sorted(RUBRICS))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_equals_numpy_and_the_oracle_on_random_evidence(name: str, data: st.DataObject) -> None:
    rubric = RUBRICS[name]
    table = data.draw(evidence_tables(rubric))
    assert_kernels_equal(rubric, table)
    assert_same_as_reference(rubric, table, kernel="compiled")


@needs_numba
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_compiled_equals_numpy_and_the_oracle_on_random_rubrics(data: st.DataObject) -> None:
    case = data.draw(rubric_case())
    rows = data.draw(evidence_rows(case, data.draw(st.integers(1, 8))))
    rubric = rubric_from_data(case.data, "ngẫu nhiên")
    frame = pd.DataFrame(rows, index=[f"Xã {i}" for i in range(len(rows))], columns=list(case.leaves), dtype=object)
    table = validate_frame(rubric, frame, "ngẫu nhiên")
    if _plan(compile_rubric(rubric)).fused is None:  # a rule's constants need more than int64
        with pytest.raises(RuntimeError):
            score(rubric, table, kernel="compiled")
        assert score(rubric, table, kernel="auto").kernel == "numpy"
        return
    assert_kernels_equal(rubric, table)
    assert_same_as_reference(rubric, table, kernel="compiled")


@needs_numba
@pytest.mark.parametrize("name", sorted(RUBRICS))
def test_compiled_equals_numpy_over_many_blocks_with_points_set_by_hand(name: str) -> None:
    """Two full blocks and a ragged one; overrides in every block, on leaves of every kind."""
    rubric = RUBRICS[name]
    n = 2 * fused.BLOCK_UNITS + 37
    table = validate_frame(rubric, raw_frame(rubric, n, seed=5), "synthetic")
    rng = np.random.default_rng(3)
    items = []
    for leaf in rubric.leaves():
        low, high = to_scaled(leaf.rule.lowest(leaf.max)), to_scaled(leaf.max)  # type: ignore[union-attr]
        for unit in rng.choice(n, size=3, replace=False):
            points = Decimal(int(rng.integers(low, high + 1))) / SCALE
            items.append((table.units[int(unit)], leaf.code, Override(points, "thẩm định lại")))
    table = table.with_overrides(rubric, items)
    assert_kernels_equal(rubric, table)
    assert_same_as_reference(rubric, table, kernel="compiled")


@needs_numba
@pytest.mark.parametrize("name", sorted(RUBRICS))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_each_rule_program_equals_its_numpy_score(name: str, data: st.DataObject) -> None:
    """Leaf by leaf, on values a unit can give (edges of bands and floors, 10^12 counts)."""
    rubric = RUBRICS[name]
    leaf = data.draw(st.sampled_from(rubric.leaves()))
    max_s = to_scaled(leaf.max)
    program = leaf.rule.program(max_s)  # type: ignore[union-attr]
    assert program is not None
    values = data.draw(st.lists(_value(leaf), min_size=1, max_size=20))
    a = np.array([v[0] for v in values], dtype=np.int64)
    b = np.array([v[1] for v in values], dtype=np.int64)
    earned = np.zeros(len(a), dtype=np.int64)
    state = np.zeros(len(a), dtype=np.int8)
    assert fused.load() is not None, fused.reason()  # compiles ``_earn`` with the kernel
    fused._earn(program.op, np.array(program.constants or (0,), dtype=np.int64), state, a, b, earned, len(a))
    assert earned.tolist() == leaf.rule.score(a, b, max_s).tolist()  # type: ignore[union-attr]


def _extreme_rubric() -> Rubric:
    """A bound like 5 000 000,0001 on a number: its cross products with 10^12 need more than int64."""
    return rubric_from_data({
        "id": "extreme", "title": "Hằng số cực lớn", "level": "xã", "year": 2025, "source": "kiểm thử",
        "nodes": [{"code": "1", "name": "Lĩnh vực", "max": 2, "children": [
            {"code": "1.1", "name": "khoảng", "max": 1, "provenance": "illustrative",
             "rule": {"kind": "bands", "measure": "number",
                      "bands": [{"ge": "5000000.0001", "points": 1}, {"lt": "5000000.0001", "points": 0}]}},
            {"code": "1.2", "name": "có/không", "max": 1, "provenance": "illustrative", "rule": {"kind": "boolean"}},
        ]}],
    }, "cực lớn")


def test_a_rubric_beyond_int64_keeps_the_exact_numpy_path() -> None:
    rubric = _extreme_rubric()
    assert rubric.leaves()[0].rule.program(to_scaled(Decimal(1))) is None  # type: ignore[union-attr]
    frame = pd.DataFrame({"1.1": ["5000000", "5000000,0001"], "1.2": ["Đạt", "Không đạt"]},
                         index=["Xã A", "Xã B"], dtype=object)
    table = validate_frame(rubric, frame, "cực lớn")
    sheet = score(rubric, table, kernel="auto")
    assert sheet.kernel == "numpy"
    assert sheet.total.tolist() == [SCALE, SCALE]  # below the bound: 0 + 1; exactly on it: 1 + 0
    with pytest.raises(RuntimeError):
        score(rubric, table, kernel="compiled")


def test_auto_keeps_numpy_for_small_tables_until_the_compiled_kernel_is_loaded() -> None:
    """One unit never loads numba (the command line starts fast); large tables do."""
    script = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.synthetic import raw_frame
from criteria import load_rubric
from scoring import score, validate_frame
from scoring import engine, fused
engine.COMPILED_MIN_UNITS = 300  # a large table, for the test's time ({COMPILED_MIN_UNITS:,} in use)
rubric = load_rubric({str(ROOT / "rubrics" / "demo-xa-2025.yaml")!r})
one = score(rubric, validate_frame(rubric, raw_frame(rubric, 1), "một"))
after_one = "numba" in sys.modules
large = score(rubric, validate_frame(rubric, raw_frame(rubric, 300), "nhiều"))
small_after = score(rubric, validate_frame(rubric, raw_frame(rubric, 3), "ít"))
print(json.dumps([one.kernel, after_one, large.kernel, small_after.kernel, fused.reason()]))
"""
    out = _run(script)
    if importlib.util.find_spec("numba") is None:
        assert out[:4] == ["numpy", False, "numpy", "numpy"]
    else:
        assert out[:4] == ["numpy", False, "compiled", "compiled"]


def test_without_numba_every_table_is_scored_by_numpy_and_compiled_says_why() -> None:
    script = f"""
import json, sys
sys.modules["numba"] = None  # as if not installed: importing it raises ImportError
sys.path.insert(0, {str(ROOT)!r})
from benchmarks.synthetic import raw_frame
from criteria import load_rubric
from scoring import engine, score, validate_frame
engine.COMPILED_MIN_UNITS = 300  # a large table, for the test's time
rubric = load_rubric({str(ROOT / "rubrics" / "demo-xa-2025.yaml")!r})
table = validate_frame(rubric, raw_frame(rubric, 300), "nhiều")
sheet = score(rubric, table)
try:
    score(rubric, table, kernel="compiled")
    refused = None
except RuntimeError as exc:
    refused = str(exc)
print(json.dumps([sheet.kernel, refused]))
"""
    kernel, refused = _run(script)
    assert kernel == "numpy"
    assert refused is not None and "numba chưa cài" in refused


@needs_numba
def test_a_cache_directory_nobody_can_write_compiles_in_memory() -> None:
    """numba refuses ``cache=True`` when no cache directory is writable: the kernel is then
    compiled for the process only, with the same results."""
    script = f"""
import json, sys
import numba.core.caching as caching
for impl in (caching.CacheImpl, caching.CompileResultCacheImpl):
    impl._locator_classes = []  # no writable place for a cache, as on a read-only install
sys.path.insert(0, {str(ROOT)!r})
import numpy as np
from benchmarks.synthetic import raw_frame
from criteria import load_rubric
from scoring import score, validate_frame
from scoring import fused
rubric = load_rubric({str(ROOT / "tests" / "data" / "mini.yaml")!r})
table = validate_frame(rubric, raw_frame(rubric, 50), "ít")
compiled, reference = score(rubric, table, kernel="compiled"), score(rubric, table, kernel="numpy")
print(json.dumps([fused.cached(), bool(np.array_equal(compiled.points, reference.points)),
                  bool(np.array_equal(compiled.total, reference.total))]))
"""
    assert _run(script) == [False, True, True]


def _run(script: str) -> list:
    env = {k: v for k, v in os.environ.items() if k != fused.DISABLE_ENV}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, env=env,
                          check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_share_division_is_exact_at_the_limits() -> None:
    """``_floor_divide`` (float quotient, corrected) equals ``//`` where ``OP_SHARE`` uses it: a share
    a/b of 1 with b up to 10^12, times the largest maximum in rounding steps that int64 allows."""
    rng = np.random.default_rng(1)
    largest_max_q = (2**62) // (2 * MAX_MAGNITUDE) - 1
    for twice_max_q in (2, 200, 2 * 10**6, 2 * largest_max_q):
        b = np.concatenate([rng.integers(1, MAX_MAGNITUDE + 1, 2_000), [1, 2, 3, MAX_MAGNITUDE]])
        a = np.minimum(rng.integers(0, MAX_MAGNITUDE + 1, len(b)), b)
        a[-4:] = b[-4:]  # a share of exactly 1
        for x, y in zip((a * twice_max_q + b).tolist(), (2 * b).tolist()):
            assert _py_floor_divide(x, y) == x // y, (x, y)
    assert Fraction(largest_max_q + 1, 1) * 2 * MAX_MAGNITUDE < 2**62


def _py_floor_divide(x: int, y: int) -> int:
    """``fused._floor_divide`` step by step in Python's own float and int (the compiled one is
    the same arithmetic: IEEE double division, truncation, int64 corrections)."""
    q = int(float(x) / float(y))
    r = x - q * y
    if r < 0:
        q, r = q - 1, r + y
    return q + 1 if r >= y else q


@needs_numba
def test_a_kernel_numba_cannot_compile_falls_back_to_numpy(monkeypatch: pytest.MonkeyPatch) -> None:
    """numba failing at the first call (a new numba release, an unsupported type) leaves the exact
    numpy path for the process, with the reason; ``kernel="compiled"`` says it."""
    from numba.core.errors import TypingError  # numba: installed (needs_numba), loaded for this test

    def broken(*arguments: object) -> None:
        raise TypingError("cannot type this")

    rubric = RUBRICS["demo-xa-2025"]
    table = validate_frame(rubric, raw_frame(rubric, 40, seed=2), "synthetic")
    monkeypatch.setattr(fused, "_loaded", broken)
    monkeypatch.setattr(fused, "_reason", None)
    sheet = score(rubric, table)
    assert sheet.kernel == "numpy" and not fused.loaded() and "TypingError" in (fused.reason() or "")
    assert np.array_equal(sheet.total, score(rubric, table, kernel="numpy").total)
    monkeypatch.setattr(fused, "_loaded", broken)
    monkeypatch.setattr(fused, "_reason", None)
    with pytest.raises(RuntimeError, match="TypingError"):
        score(rubric, table, kernel="compiled")


@pytest.mark.parametrize("kernel", ["numpy", "compiled"])
@pytest.mark.parametrize("name", ["every-kind-edges", "demo-xa-2025"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_reused_arrays_give_each_table_the_sheet_score_gives(kernel: str, name: str, data: st.DataObject) -> None:
    """Tables of varying sizes (a smaller one after a larger: the arrays' rows move) scored into
    the same arrays, each sheet equal to a fresh ``score`` of its table until the next call."""
    if kernel == "compiled" and importlib.util.find_spec("numba") is None:
        pytest.skip("numba is not installed")
    rubric = RUBRICS[name]
    scorer = ReusingScorer(rubric, kernel=kernel)  # type: ignore[arg-type]
    for _ in range(3):
        table = data.draw(evidence_tables(rubric))
        reused, fresh = scorer.score(table), score(rubric, table, kernel=kernel)  # type: ignore[arg-type]
        assert reused.kernel == fresh.kernel == kernel
        for array in ARRAYS:
            assert np.array_equal(getattr(reused, array), getattr(fresh, array)), array
    streamed = [sheet.total.copy() for sheet in score_stream(rubric, [table, table.take([0])], reuse=True)]
    assert [t.tolist() for t in streamed] == [fresh.total.tolist(), fresh.total[:1].tolist()]
