"""JSON and CSV of a whole campaign: ``parindex score -f json|csv -o FILE`` as one fresh process.

    python -m benchmarks.outputs RUBRIC EVIDENCE.csv OUTPUT [score options…]

runs the command line in this process (what the ``parindex`` script runs) and prints one JSON
line: the seconds spent writing the results (wall and CPU, from the end of scoring to the file in
place), the output's size, and the process's peak resident memory (``VmHWM``). ``figures`` runs it
as a child for 10,000 and 100,000 synthetic units and takes the whole process's CPU time from the
parent (``RUSAGE_CHILDREN``: start-up, reading, scoring, writing — all of it) and its wall time.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.campaign import write_csv
from benchmarks.measure import Figure, median
from benchmarks.pipeline import peak_rss_mib
from benchmarks.synthetic import raw_frame
from criteria import Rubric

ROOT = Path(__file__).resolve().parent.parent
SECONDS_TARGET = 5.0  # whole process, CPU time (user + system), 100,000 units
RSS_TARGET_MIB = 1024.0  # whole process, peak resident memory
# what is timed: (label, format, extra options); the layout is the automatic one (compact above 1,000 units)
RUNS = [("JSON", "json", []), ("JSON without traces", "json", ["--no-trace"]), ("CSV", "csv", [])]
DETAILED = ("detailed JSON, for comparison", "json", ["--layout", "chi-tiet"])  # below 100,000 units only


def child(rubric: str, evidence: str, output: str, options: list[str]) -> dict[str, float]:
    """``parindex score`` in this process, with the writing timed."""
    from cli import main
    from scoring.reports import results

    timing: dict[str, float] = {}
    write_results = results.write_results

    def timed(*args: object, **kwargs: object) -> object:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return write_results(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            timing["write_s"], timing["write_cpu_s"] = time.perf_counter() - wall, time.process_time() - cpu

    results.write_results = timed  # type: ignore[assignment]
    main(["score", "-r", rubric, "-e", evidence, "-o", output, *options], standalone_mode=False)
    return {**timing, "bytes": Path(output).stat().st_size, "peak_rss_mib": peak_rss_mib()}


def _run(rubric_path: Path, evidence: Path, output: Path, options: list[str]) -> dict[str, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "benchmarks.outputs", str(rubric_path), str(evidence), str(output),
                           *options], cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"benchmarks.outputs {evidence.name} {options}: {done.stderr.strip()[-500:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    output.unlink()
    return {**report, "wall_s": wall, "cpu_s": cpu}


def figures(rubric: Rubric, rubric_path: Path, folder: Path, sizes: list[int], runs: int) -> list[Figure]:
    """Whole fresh processes writing JSON and CSV of each size: CPU and wall time, peak RSS, verdicts."""
    out: list[Figure] = []
    for n in sizes:
        evidence = write_csv(raw_frame(rubric, n), folder / f"outputs-{n}.csv")
        for label, fmt, options in RUNS + ([DETAILED] if n < 100_000 else []):
            found = [_run(rubric_path, evidence, folder / f"out-{n}.{fmt}", ["-f", fmt, *options]) for _ in range(runs)]
            cpu, wall = median([r["cpu_s"] for r in found]), median([r["wall_s"] for r in found])
            peak = max(r["peak_rss_mib"] for r in found)
            figure = Figure(" ".join(["score -f", fmt, *options]) + ": whole process", n, wall, peak,
                            cpu_seconds=cpu,
                            note=f"{label}: writing {median([r['write_cpu_s'] for r in found]):.2f} s CPU, "
                                 f"{median([r['bytes'] for r in found]) / 1e6:,.0f} MB")
            if n >= 100_000:
                figure.target = f"< {SECONDS_TARGET:g} s, < {RSS_TARGET_MIB / 1024:g} GiB"
                figure.met = cpu < SECONDS_TARGET and peak < RSS_TARGET_MIB
            out.append(figure)
    return out


if __name__ == "__main__":
    print(json.dumps(child(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])))
