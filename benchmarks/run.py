"""Benchmarks of issue 6: national scale in seconds, against the floor and the naive way.

    python benchmarks/run.py                       # 1,000 / 10,000 / 100,000 units
    python benchmarks/run.py --quick               # 1,000 / 10,000, fewer repeats, 200 plans
    python benchmarks/run.py --sizes 3321 --rubric rubrics/other.yaml

Prints one table of figures and the ratios with their targets: engine within 2× of the
floor and at least 20× faster than the naive loop at the largest size; 100,000 units in
2 GiB; one unit from a cold start under 1 s. Targets live here, never in unit tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from benchmarks import campaign, end_to_end  # noqa: E402
from benchmarks.measure import Figure  # noqa: E402
from benchmarks.synthetic import raw_frame  # noqa: E402
from criteria import Rubric, load_rubric  # noqa: E402
from scoring import validate_frame  # noqa: E402
from scoring.compiled import compile_rubric  # noqa: E402

DEMO_RUBRIC = ROOT / "rubrics" / "demo-xa-2025.yaml"
FLOOR_TARGET = 2.0  # engine / floor, at most
NAIVE_TARGET = 20.0  # naive / engine, at least
QUICK_PLANS = 200  # --quick writes this many plans and extrapolates to the 3,321 communes


def _number(value: float | None, digits: int = 0) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def print_table(figures: list[Figure]) -> None:
    print(f"{'figure':<46} {'units':>9} {'seconds':>10} {'CPU s':>9} {'units/s':>12} {'peak MiB':>9}  note")
    for f in figures:
        print(f"{f.name:<46} {_number(f.units):>9} {_number(f.seconds, 4):>10} {_number(f.cpu_seconds, 4):>9} "
              f"{_number(f.units_per_second):>12} {_number(f.peak_mib, 1):>9}  {f.note}")


def print_ratios(rows: list[tuple[int, Figure, Figure, Figure]]) -> None:
    """Ratios of CPU times (steady when other work shares the machine), wall-time ratios beside."""
    print(f"\n{'units':>9} {'engine/floor':>13} {'(≤ 2)':>6} {'wall':>6} {'naive/engine':>13} {'(≥ 20)':>7} {'wall':>7}")
    for units, engine, floor, naive in rows:
        slower = engine.cpu_seconds / floor.cpu_seconds  # type: ignore[operator]
        faster = naive.cpu_seconds / engine.cpu_seconds  # type: ignore[operator]
        slower_wall = engine.seconds / floor.seconds  # type: ignore[operator]
        faster_wall = naive.seconds / engine.seconds  # type: ignore[operator]
        print(f"{units:>9,} {slower:>13.2f} {'✓' if slower <= FLOOR_TARGET else '✗':>6} {slower_wall:>6.2f} "
              f"{faster:>13.1f} {'✓' if faster >= NAIVE_TARGET else '✗':>7} {faster_wall:>7.1f}")


def campaign_figures(rubric: Rubric, n: int, folder: Path, repeat: int) -> tuple[list[Figure], tuple]:
    frame = raw_frame(rubric, n)
    read_repeat = 1 if n >= 100_000 else repeat
    figures = [campaign.figure_read_csv(rubric, frame, folder, read_repeat),
               campaign.figure_read_xlsx(rubric, frame, folder, 1)]
    table = validate_frame(rubric, frame, "synthetic")
    engine, sheet, ranks = campaign.figure_engine(rubric, table, repeat)
    floor = campaign.figure_floor(rubric, table, sheet, ranks, repeat)
    naive = campaign.figure_naive(rubric, table, sheet, ranks)
    figures += [engine, floor, naive, campaign.figure_rank_list(sheet, min(repeat, 3))]
    return figures, (n, engine, floor, naive)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rubric", type=Path, default=DEMO_RUBRIC, help="rubric YAML (default: the demo rubric)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="units per campaign, comma separated")
    parser.add_argument("--quick", action="store_true",
                        help=f"sizes 1,000 and 10,000, fewer repeats, {QUICK_PLANS} plans extrapolated to 3,321")
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing; the fastest is kept")
    args = parser.parse_args(argv)
    if not args.rubric.exists():
        print(f"không tìm thấy bộ chỉ số {args.rubric}", file=sys.stderr)
        return 2
    sizes = [1000, 10000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",")]
    repeat = 2 if args.quick else args.repeat
    rubric = load_rubric(args.rubric)
    compiled = compile_rubric(rubric)
    kinds = sorted({leaf.rule.kind for leaf in rubric.leaves()})  # type: ignore[union-attr]
    print(f"parindex benchmarks — rubric {rubric.id}: {len(compiled.leaf_rows)} leaves, "
          f"{len(compiled.nodes)} nodes, kinds {', '.join(kinds)}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{platform.python_implementation()} {platform.python_version()}, numpy {np.__version__}, "
          f"{os.cpu_count()} cores, {platform.machine()}, load average at start {load} "
          f"(other work on the machine slows every figure)\n")
    started = time.perf_counter()
    figures: list[Figure] = []
    ratios = []
    with tempfile.TemporaryDirectory(prefix="parindex-bench-") as work:
        folder = Path(work)
        for n in sizes:
            rows, ratio = campaign_figures(rubric, n, folder, repeat)
            figures += rows
            ratios.append(ratio)
        largest = max(sizes)
        figures.append(end_to_end.figure_pipeline_memory(args.rubric, folder / f"evidence-{largest}.csv", largest))
        figures += end_to_end.figure_cold_start(args.rubric, rubric, folder, 3)
        figures += end_to_end.figure_national(rubric, repeat)
        plans = QUICK_PLANS if args.quick else end_to_end.NATIONAL_COMMUNES
        figures.append(end_to_end.figure_plans(rubric, folder, plans))
        figures += end_to_end.figure_template(rubric, folder, repeat)
    print_table(figures)
    print_ratios(ratios)
    print(f"\ntoàn bộ: {time.perf_counter() - started:,.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
