"""Clocks and memory gauges shared by the figures, and the row every figure returns."""

from __future__ import annotations

import gc
import time
import tracemalloc
from dataclasses import dataclass
from typing import Callable, TypeVar

T = TypeVar("T")
MIB = 1024 * 1024


@dataclass
class Figure:
    """One line of the table: what was measured, on how many units, and what it took."""

    name: str
    units: int | None = None
    seconds: float | None = None  # wall clock, fastest run
    peak_mib: float | None = None
    note: str = ""
    cpu_seconds: float | None = None  # this process's CPU time, fastest run: steady on a busy machine

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
    seconds: float  # wall clock of the fastest run
    cpu_seconds: float  # CPU time of the run that used least


def timed(run: Callable[[], T], repeat: int) -> tuple[Timing, T]:
    """Fastest of ``repeat`` runs (the least disturbed by the machine), and the last result."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    return Timing(wall, cpu), result  # type: ignore[return-value]


def best_of(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    """Wall seconds of the fastest of ``repeat`` runs, and the last result."""
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
