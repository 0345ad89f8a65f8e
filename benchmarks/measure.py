"""Clocks and memory gauges shared by the figures, and the row every figure returns."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
MIB = 1024 * 1024


@dataclass
class Figure:
    """One line of the table: what was measured, on how many units, and what it took."""

    name: str
    units: int | None = None
    seconds: float | None = None  # wall clock, median of the runs
    peak_mib: float | None = None
    note: str = ""
    cpu_seconds: float | None = None  # this process's CPU time, median: steadier on a busy machine
    target: str = ""  # e.g. "≤ 5× bound"
    met: bool | None = None  # the verdict against the target; None where there is no target

    @property
    def units_per_second(self) -> float | None:
        if self.units is None or not self.seconds:
            return None
        return self.units / self.seconds


def not_yet(name: str, units: int | None, issue: int) -> Figure:
    """A figure whose code belongs to another issue that has not landed."""
    return Figure(name, units, note=f"chưa có (needs issue {issue})")


@dataclass
class Timing:
    seconds: float  # wall clock, median of the runs
    cpu_seconds: float  # CPU time, median of the runs


def median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def timed(run: Callable[[], T], repeat: int, before: Callable[[], object] | None = None) -> tuple[Timing, T]:
    """Medians of ``repeat`` runs (wall and CPU), and the last result; ``before`` runs, untimed,
    before each run (e.g. to flush the caches)."""
    walls, cpus, result = [], [], None
    for _ in range(max(repeat, 1)):
        gc.collect()
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        cpus.append(time.process_time() - start_cpu)
        walls.append(time.perf_counter() - start)
    return Timing(median(walls), median(cpus)), result  # type: ignore[return-value]


def best_of(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Median wall seconds of ``repeat`` runs, and the last result."""
    timing, result = timed(run, repeat)
    return timing.seconds, result


def traced_peak_mib(run: Callable[[], object]) -> float:
    """Peak memory allocated while ``run`` works (numpy reports its buffers to tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / MIB
