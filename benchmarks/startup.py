"""Start-up as a user feels it: whole fresh processes of the command line, medians of N runs.

    python -m benchmarks.startup            # the table below, 11 runs each
    python -m benchmarks.startup --importtime "score -r rubrics/demo-xa-2025.yaml -e examples/xa-an-phu.yaml"

Each command runs as ``python cli.py …`` from the project root (what the ``parindex`` script
does: import ``cli`` and call ``main``). Wall time is what the user waits; CPU time (the
child's own) is steadier when other work holds the cores. ``--importtime`` prints the
packages a command loads and what each costs (``python -X importtime``).

The processes run as an installed parindex runs: with the project's bytecode cached (``pip
install`` compiles every module; here ``PYTHONPYCACHEPREFIX`` points at a temporary folder, so the
source tree stays clean, and one warm-up run per command fills it). A shell with
``PYTHONDONTWRITEBYTECODE=1`` compiles every project module again at each start; the line
“score one YAML unit, no bytecode cache” shows what that costs.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.measure import Figure, median

HELP_TARGET = 0.1  # s, `parindex --help`
SCORE_TARGET = 0.25  # s, `parindex score` of one YAML unit
WATCHED = ("numpy", "pandas", "pydantic", "click", "rich", "yaml", "openpyxl", "docx", "criteria", "scoring", "cli")
FORBIDDEN = {"score one YAML unit": ("pandas", "openpyxl", "docx"), "template": ("pandas",),
             "--help": ("pandas", "numpy", "pydantic", "rich")}


def python_env(bytecode_cache: Path | None) -> dict[str, str]:
    """The child's environment: bytecode read from and written to ``bytecode_cache``, or never cached."""
    env = dict(os.environ)
    if bytecode_cache is None:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(bytecode_cache)
    return env


def run_once(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)}: exit {done.returncode}: {done.stderr[-1500:]}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def timed_process(args: list[str], runs: int, env: dict[str, str] | None = None) -> tuple[float, float]:
    """Medians of ``runs`` fresh processes, after one warm-up run (bytecode cache, file cache)."""
    run_once(args, env)
    results = [run_once(args, env) for _ in range(runs)]
    return median([w for w, _ in results]), median([c for _, c in results])


def imports_of(args: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Top-level packages the process imported, with cumulative seconds (-X importtime)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *args], cwd=ROOT, capture_output=True, text=True,
                          check=False, env=env)
    cumulative: dict[str, float] = {}
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+\s+\|\s+(\d+)\s+\|(\s*)(\S+)", line)
        if match and "." not in match.group(3):
            name = match.group(3)
            cumulative[name] = cumulative.get(name, 0.0) + int(match.group(1)) / 1e6
    return cumulative


def commands(rubric: Path, unit_yaml: Path, folder: Path) -> dict[str, list[str]]:
    return {
        "python -c pass": ["-c", "pass"],
        "--help": ["cli.py", "--help"],
        "score one YAML unit": ["cli.py", "score", "-r", str(rubric), "-e", str(unit_yaml)],
        "template": ["cli.py", "template", "-r", str(rubric), "-o", str(folder / "mau.xlsx")],
    }


def figures(rubric: Path, unit_yaml: Path, folder: Path, runs: int) -> list[Figure]:
    result = []
    targets = {"--help": HELP_TARGET, "score one YAML unit": SCORE_TARGET}
    env = python_env(folder / "bytecode")
    for name, args in commands(rubric, unit_yaml, folder).items():
        wall, cpu = timed_process(args, runs, env)
        loaded = imports_of(args, env)
        heavy = ", ".join(f"{p} {loaded[p]:.2f}" for p in WATCHED if p in loaded)
        banned = [p for p in FORBIDDEN.get(name, ()) if p in loaded]
        figure = Figure(f"start-up: parindex {name}" if name != "python -c pass" else "start-up: python -c pass",
                        1, wall, cpu_seconds=cpu, note=f"imports s: {heavy or '—'}")
        if name in targets:
            figure.target, figure.met = f"< {targets[name]:g} s wall", wall < targets[name]
        if name in FORBIDDEN:
            figure.note += f"; loads {', '.join(banned)} ✗" if banned else f"; no {', '.join(FORBIDDEN[name])} ✓"
            if banned:
                figure.met = False
        result.append(figure)
    args = commands(rubric, unit_yaml, folder)["score one YAML unit"]
    wall, cpu = timed_process(args, runs, python_env(None))
    result.append(Figure("start-up: score one YAML unit, no bytecode cache", 1, wall, cpu_seconds=cpu,
                         note="every project module compiled at start (PYTHONDONTWRITEBYTECODE=1)"))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--importtime", help="a command line (after `parindex`) whose imports to list")
    args = parser.parse_args(argv)
    if args.importtime:
        import tempfile

        with tempfile.TemporaryDirectory() as cache:
            env = python_env(Path(cache))
            run_once(["cli.py", *shlex.split(args.importtime)], env)
            loaded = imports_of(["cli.py", *shlex.split(args.importtime)], env)
        for name, seconds in sorted(loaded.items(), key=lambda item: -item[1])[:25]:
            print(f"{seconds:8.3f} s  {name}")
        return 0
    import tempfile

    from benchmarks.end_to_end import one_unit_yaml
    from criteria import load_rubric

    rubric_path = ROOT / "rubrics" / "demo-xa-2025.yaml"
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        unit = one_unit_yaml(load_rubric(rubric_path), folder)
        for f in figures(rubric_path, unit, folder, args.runs):
            verdict = "" if f.met is None else ("✓" if f.met else "✗")
            print(f"{f.name:<40} {f.seconds:8.3f} s wall {f.cpu_seconds:8.3f} s CPU  {f.target:<14} {verdict}  {f.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
