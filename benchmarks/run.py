"""Every speed figure of parindex, each with its target and verdict.

    python benchmarks/run.py                        # every section, 1,000 / 10,000 / 100,000 units
    python benchmarks/run.py --quick                # 1,000 / 10,000, 3 runs per timing, 200 plans
    python benchmarks/run.py --only campaign,scale  # some sections (see --help for the list)

Each section is a function registered in ``SECTIONS`` (name → function of the run's settings
returning figures): other benchmarks (documents, publication) add theirs there. Times are
medians of ``--repeat`` runs, wall and CPU; ratios are taken within one run, from CPU medians
(steadier than wall time on a shared machine), with the wall ratio in the note. Targets live
here, never in unit tests.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np

from benchmarks import campaign, end_to_end, outputs, scale, startup
from benchmarks.measure import Figure, median
from benchmarks.synthetic import raw_frame
from criteria import Rubric, load_rubric
from scoring import fused, validate_frame
from scoring.compiled import compile_rubric
from scoring.engine import CHUNK_UNITS

DEMO_RUBRIC = ROOT / "rubrics" / "demo-xa-2025.yaml"
BOUND_TARGET = 5.0  # engine / bandwidth bound, at most, at 100,000 units and more
TUNED_TARGET = 30.0  # tuned loop / engine, at least, at 100,000 units
OPENFISCA_TARGET = 10.0  # OpenFisca / engine on the same leaves, at least, at 100,000 units
LINEAR_TARGET = 1.25  # CPU per unit at 1M over CPU per unit at 10k, at most
GROWTH_TARGET = 128  # bytes of peak RSS per extra unit streamed, at most: each unit's total, maximum
#                      and rank (~64 B) may stay; its evidence and node rows (~2 KB) may not
RSS_TARGET_MIB = 1024.0  # whole process, 1M units streamed
TARGET_UNITS = 100_000  # where the ratio targets apply
QUICK_PLANS = 200  # --quick writes this many plans and extrapolates to the 3,321 communes


@dataclass
class Settings:
    rubric_path: Path
    rubric: Rubric
    sizes: list[int]
    scale_sizes: list[int]
    repeat: int
    quick: bool
    folder: Path


Section = Callable[[Settings], list[Figure]]
SECTIONS: dict[str, Section] = {}


def section(name: str) -> Callable[[Section], Section]:
    """Register a section of figures under ``name`` (the order of registration is the order run)."""
    def register(function: Section) -> Section:
        SECTIONS[name] = function
        return function
    return register


def ratio(name: str, units: int, slow: Figure, fast: Figure, target: float | None, at_most: bool) -> Figure:
    """``slow / fast`` in CPU time (wall ratio in the note), judged when a target applies."""
    value = slow.cpu_seconds / fast.cpu_seconds  # type: ignore[operator]
    wall = slow.seconds / fast.seconds  # type: ignore[operator]
    figure = Figure(name, units, note=f"{value:,.1f}× (wall {wall:,.1f}×)")
    if target is not None:
        figure.target = f"{'≤' if at_most else '≥'} {target:g}×"
        figure.met = value <= target if at_most else value >= target
    return figure


@section("campaign")
def campaign_section(s: Settings) -> list[Figure]:
    """Reading, the engine, the bandwidth bound, the tuned loop and the peers, per campaign size."""
    figures: list[Figure] = []
    for n in s.sizes:
        frame = raw_frame(s.rubric, n)
        read_repeat = 1 if n >= 100_000 else s.repeat
        figures += [campaign.figure_read_csv(s.rubric, frame, s.folder, read_repeat),
                    campaign.figure_read_xlsx(s.rubric, frame, s.folder, 1)]
        table = validate_frame(s.rubric, frame, "synthetic")
        engine, sheet, ranks = campaign.figure_engine(s.rubric, table, s.repeat)
        bound = campaign.figure_bound(s.rubric, table, s.repeat)
        written = campaign.figure_bound_with_writes(s.rubric, table, sheet, s.repeat)
        slow_repeat = 1 if n >= 100_000 else min(s.repeat, 3)
        tuned = campaign.figure_tuned(s.rubric, table, sheet, ranks, slow_repeat)
        pandas = campaign.figure_pandas(s.rubric, table, sheet, min(s.repeat, 3))
        openfisca, engine_subset = campaign.figure_openfisca(s.rubric, table, s.repeat)
        judged = n >= TARGET_UNITS
        totals = campaign.figure_engine_totals(s.rubric, table, sheet, ranks, s.repeat)
        figures += [engine, bound, ratio("engine ÷ bound", n, engine, bound, BOUND_TARGET if judged else None, True),
                    written, ratio("engine ÷ (bound + writing the results)", n, engine, written, None, True),
                    totals, ratio("engine, totals only ÷ bound", n, totals, bound, None, True)]
        if sheet.kernel != "numpy":  # the reference kernel beside the compiled one
            reference = campaign.figure_engine(s.rubric, table, s.repeat, kernel="numpy")[0]
            figures += [reference, ratio("numpy kernel ÷ compiled kernel", n, reference, engine, None, False)]
        figures += [tuned, ratio("tuned loop ÷ engine", n, tuned, engine, TUNED_TARGET if judged else None, False)]
        if n <= 10_000:
            figures.append(campaign.figure_naive(s.rubric, table, sheet, ranks))
        figures += [pandas, ratio("pandas ÷ engine", n, pandas, engine, None, False), openfisca]
        if engine_subset is not None:
            figures += [engine_subset, ratio("OpenFisca ÷ engine, same leaves", n, openfisca, engine_subset,
                                             OPENFISCA_TARGET if judged else None, False)]
        figures.append(campaign.figure_rank_list(sheet, min(s.repeat, 3)))
    largest = max(s.sizes)
    figures.append(end_to_end.figure_pipeline_memory(s.rubric_path, s.folder / f"evidence-{largest}.csv", largest))
    return figures


def kernel_figure(rubric: Rubric) -> Figure:
    """Load the engine's compiled kernel in this process (so every size below uses the same
    kernel) and say what it cost: importing numba and reading the cached code (or compiling it)
    for the rubric's array types, by scoring one unit."""
    started, started_cpu = time.perf_counter(), time.process_time()
    loaded = scale.warm_up(rubric) == "compiled"
    cpu, wall = time.process_time() - started_cpu, time.perf_counter() - started
    if not loaded:
        return Figure("engine kernel: numpy", note=f"compiled kernel not used: {fused.reason()}")
    import numba  # numba: already loaded by fused.load() above; only its version is read

    how = "code cached on disk" if fused.cached() else "no writable cache: compiled in memory"
    return Figure("engine kernel: compiled (numba), first load", seconds=wall, cpu_seconds=cpu,
                  note=f"numba {numba.__version__}, {how}; once per process (import + cached code)")


def _scale_run(rubric_path: Path, n: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.scale", str(rubric_path), str(n)], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.scale {n}: {done.stderr.strip()[-500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@section("scale")
def scale_section(s: Settings) -> list[Figure]:
    """Streamed scoring from 10k to 1M units, each size in fresh processes: time, bound, peak RSS."""
    figures: list[Figure] = []
    per_unit: dict[int, float] = {}
    rss: dict[int, float] = {}
    runs = 1 if s.quick else 3
    for n in s.scale_sizes:
        results = [_scale_run(s.rubric_path, n) for _ in range(runs)]
        engine_cpu = median([r["engine_cpu_s"] for r in results])
        bound_cpu = median([r["bound_cpu_s"] for r in results])
        engine_wall = median([r["engine_s"] for r in results])
        bound_wall = median([r["bound_s"] for r in results])
        rss[n] = max(r["peak_rss_mib"] for r in results)
        per_unit[n] = engine_cpu / n
        load_cpu = median([r["load_cpu_s"] for r in results])
        sheets = Figure("streamed full sheets + ranks (information)", n, median([r["sheets_s"] for r in results]),
                        cpu_seconds=median([r["sheets_cpu_s"] for r in results]),
                        note="same chunks, every node's rows written (ReusingScorer), same ranks")
        engine = Figure("streamed engine: totals only + ranks", n, engine_wall, rss[n], cpu_seconds=engine_cpu,
                        note=f"peak RSS of the whole process; kernel {results[0]['kernel']} "
                             f"(loaded before the clock: {load_cpu:.2f} s CPU)")
        if n >= 1_000_000:
            engine.target, engine.met = f"RSS < {RSS_TARGET_MIB:,.0f} MiB", rss[n] < RSS_TARGET_MIB
        bound = Figure("streamed bound: same chunks, caches flushed", n, bound_wall, cpu_seconds=bound_cpu,
                       note=f"{results[0]['bytes_read'] / 1e6:,.0f} MB")
        figures += [engine, bound, ratio("streamed engine ÷ bound", n, engine, bound,
                                         BOUND_TARGET if n >= TARGET_UNITS else None, True),
                    sheets, ratio("streamed full sheets ÷ bound", n, sheets, bound, None, True)]
    small, large = min(s.scale_sizes), max(s.scale_sizes)
    if large > small:
        growth = per_unit[large] / per_unit[small]
        figures.append(Figure(f"linear time: CPU per unit {large:,} ÷ {small:,}", large,
                              note=f"{growth:.2f} ({per_unit[small] * 1e6:.2f} → {per_unit[large] * 1e6:.2f} µs/unit)",
                              target=f"≤ {LINEAR_TARGET:g}", met=growth <= LINEAR_TARGET))
    # Memory from the first size that fills whole chunks: below it, a chunk is smaller than later ones.
    full = [n for n in s.scale_sizes if n >= CHUNK_UNITS]
    if len(full) >= 2 and max(full) > min(full):
        low, high = min(full), max(full)
        growth_bytes = (rss[high] - rss[low]) * 1024 * 1024 / (high - low)
        figures.append(Figure(f"flat memory: peak RSS growth {low:,} → {high:,}", high,
                              note=f"{growth_bytes:,.0f} B per unit ({rss[low]:,.0f} → {rss[high]:,.0f} MiB)",
                              target=f"≤ {GROWTH_TARGET} B/unit", met=growth_bytes <= GROWTH_TARGET))
    return figures


@section("startup")
def startup_section(s: Settings) -> list[Figure]:
    """Whole fresh processes of the command line: --help, one YAML unit scored, a template."""
    unit = end_to_end.one_unit_yaml(s.rubric, s.folder)
    return startup.figures(s.rubric_path, unit, s.folder, 5 if s.quick else 11)


@section("outputs")
def outputs_section(s: Settings) -> list[Figure]:
    """`parindex score -f json|csv -o FILE` of 10,000 and 100,000 units as fresh processes: < 5 s, < 1 GiB."""
    return outputs.figures(s.rubric, s.rubric_path, s.folder, [10_000, 100_000], 1 if s.quick else 3)


@section("national")
def national_section(s: Settings) -> list[Figure]:
    """3,321 communes: scores, ranks, per-unit results with traces on 1 and 2 cores."""
    return end_to_end.figure_national(s.rubric, s.repeat)


@section("documents")
def documents_section(s: Settings) -> list[Figure]:
    """.docx plans for the 3,321 communes and the self-assessment template."""
    plans = QUICK_PLANS if s.quick else end_to_end.NATIONAL_COMMUNES
    return [end_to_end.figure_plans(s.rubric, s.folder, plans), *end_to_end.figure_template(s.rubric, s.folder, s.repeat)]


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def print_table(figures: list[Figure]) -> None:
    print(f"{'figure':<46} {'units':>9} {'seconds':>9} {'CPU s':>9} {'units/s':>11} {'peak MiB':>8}  "
          f"{'target':<16} {'':1}  note")
    for f in figures:
        verdict = "" if f.met is None else ("✓" if f.met else "✗")
        print(f"{f.name:<46} {_number(f.units):>9} {_number(f.seconds, 4):>9} {_number(f.cpu_seconds, 4):>9} "
              f"{_number(f.units_per_second):>11} {_number(f.peak_mib, 1):>8}  {f.target:<16} {verdict:1}  {f.note}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rubric", type=Path, default=DEMO_RUBRIC, help="rubric YAML (default: the demo rubric)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="units per campaign, comma separated")
    parser.add_argument("--scale-sizes", default="10000,100000,1000000", help="units streamed, comma separated")
    parser.add_argument("--quick", action="store_true",
                        help=f"campaigns of 1,000 and 10,000, streamed 10k/100k/300k, 3 runs, {QUICK_PLANS} plans")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing; the median is kept")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"sections to run: {', '.join(SECTIONS)}")
    args = parser.parse_args(argv)
    if not args.rubric.exists():
        print(f"không tìm thấy bộ chỉ số {args.rubric}", file=sys.stderr)
        return 2
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SECTIONS]
    if unknown:
        print(f"không có phần đo {', '.join(unknown)}; có: {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    sizes = [1000, 10000] if args.quick else [int(x.replace("_", "")) for x in args.sizes.split(",")]
    scale_sizes = [10_000, 100_000, 300_000] if args.quick else [int(x.replace("_", "")) for x in args.scale_sizes.split(",")]
    rubric = load_rubric(args.rubric)
    compiled = compile_rubric(rubric)
    kinds = sorted({leaf.rule.kind for leaf in rubric.leaves()})  # type: ignore[union-attr]
    print(f"parindex benchmarks — rubric {rubric.id}: {len(compiled.leaf_rows)} leaves, "
          f"{len(compiled.nodes)} nodes, kinds {', '.join(kinds)}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {platform.python_implementation()} "
          f"{platform.python_version()}, numpy {np.__version__}, {os.cpu_count()} cores, {platform.machine()}, "
          f"{_cpu_model()}; load average at start {load} (a shared machine: other work slows every figure)\n")
    started = time.perf_counter()
    figures: list[Figure] = [kernel_figure(rubric)]
    print(f"engine kernel: {'compiled (numba)' if fused.loaded() else 'numpy — ' + str(fused.reason())}\n")
    with tempfile.TemporaryDirectory(prefix="parindex-bench-") as work:
        settings = Settings(args.rubric, rubric, sizes, scale_sizes, 3 if args.quick else args.repeat, args.quick,
                            Path(work))
        for name in chosen:
            figures += SECTIONS[name](settings)
    print_table(figures)
    judged = [f for f in figures if f.met is not None]
    print(f"\n{sum(f.met for f in judged)}/{len(judged)} targets met; "  # type: ignore[misc]
          f"toàn bộ: {time.perf_counter() - started:,.0f} s")
    return 0


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


if __name__ == "__main__":
    sys.exit(main())
