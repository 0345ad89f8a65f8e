"""Run mutants through the command line and count the broken promises.

Every count printed by ``Tally.report`` must be 0:

- ``tracebacks``: an exception escaped (in-process: not a ``SystemExit``; subprocess: “Traceback”);
- ``silent``: a known-bad mutant was accepted (exit code 0);
- ``unplaced``: a refusal line (“lỗi: …”) that does not name the file it is about;
- ``slow``: a run over ``MAX_SECONDS``;
- ``heavy``: a subprocess run whose peak memory passed ``MAX_BYTES``;
- ``half_written``: a temp file left in the output folder, or an output written by a refused run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from cli import main

ROOT = Path(__file__).resolve().parents[2]
MAX_SECONDS = 10.0
MAX_BYTES = 1024**3


@dataclass
class Tally:
    runs: int = 0
    tracebacks: int = 0
    silent: int = 0
    unplaced: int = 0
    slow: int = 0
    heavy: int = 0
    half_written: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    def fail(self, what: str, example: str) -> None:
        setattr(self, what, getattr(self, what) + 1)
        self.examples.setdefault(what, [])
        if len(self.examples[what]) < 8:
            self.examples[what].append(example[:600])

    def counts(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in ("tracebacks", "silent", "unplaced", "slow", "heavy", "half_written")}

    def report(self) -> str:
        lines = [f"fuzz: {self.runs} lần chạy; " + ", ".join(f"{k} {v}" for k, v in self.counts().items())]
        for what, examples in self.examples.items():
            lines += [f"  {what}: {e}" for e in examples]
        return "\n".join(lines)


def _check(tally: Tally, label: str, code: int, output: str, seconds: float, named: list[Path],
           outputs: list[Path], expect_refusal: bool) -> None:
    tally.runs += 1
    if "Traceback" in output:
        tally.fail("tracebacks", f"{label}: {output[-400:]}")
    if expect_refusal and code == 0:
        tally.fail("silent", f"{label}: {output[:300]}")
    for line in output.splitlines():
        if line.startswith("lỗi:") and not any(str(p) in line for p in named):
            tally.fail("unplaced", f"{label}: {line}")
    if seconds > MAX_SECONDS:
        tally.fail("slow", f"{label}: {seconds:.1f} s")
    for out in outputs:
        folder = out if out.is_dir() else out.parent
        left = [p.name for p in folder.glob(".*.tmp")] if folder.exists() else []
        if left or (code != 0 and out.is_file()):
            tally.fail("half_written", f"{label}: {left or out}")


def run_in_process(tally: Tally, label: str, args: list[object], named: list[Path], outputs: list[Path] = (),
                   expect_refusal: bool = False) -> None:
    """One command through click's runner (fast: no interpreter start)."""
    for out in outputs:
        if out.is_file():
            out.unlink()
    started = time.perf_counter()
    result = CliRunner().invoke(main, [str(a) for a in args])
    seconds = time.perf_counter() - started
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        where = traceback.extract_tb(result.exc_info[2])[-3:] if result.exc_info else []
        frames = " ← ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(where))
        output += f"\nTraceback (in-process): {type(result.exception).__name__}: {result.exception} at {frames}"
    _check(tally, label, result.exit_code, output, seconds, named, list(outputs), expect_refusal)


def run_subprocess(tally: Tally, label: str, args: list[object], named: list[Path], outputs: list[Path] = (),
                   expect_refusal: bool = False) -> None:
    """One command in its own interpreter, its peak memory measured (a hard limit of 2 GiB guards the machine)."""
    code = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3)); "
            "sys.argv = ['parindex'] + sys.argv[1:]; from cli import main; main()")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as sink:
        process = subprocess.Popen([sys.executable, "-c", code, *map(str, args)], stdout=sink,
                                   stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        status, usage = 0, None
        while True:  # wait4 gives this child's own peak memory
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - started > MAX_SECONDS * 6:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
        process.returncode = os.waitstatus_to_exitcode(status)
        sink.seek(0)
        output = sink.read().decode("utf-8", "replace")
    seconds = time.perf_counter() - started - _START_SECONDS
    peak = usage.ru_maxrss * 1024 if usage is not None else 0  # KiB on Linux
    if "MemoryError" in output or peak > MAX_BYTES:
        tally.fail("heavy", f"{label}: {peak / 1024**2:.0f} MiB {output[-200:]}")
    _check(tally, label, process.returncode, output, seconds, named, list(outputs), expect_refusal)


_START_SECONDS = 0.0  # interpreter start-up is not the command's time: measured once, see ``calibrate``


def calibrate() -> None:
    global _START_SECONDS
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import cli"], env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                   capture_output=True, check=False)
    _START_SECONDS = time.perf_counter() - started
