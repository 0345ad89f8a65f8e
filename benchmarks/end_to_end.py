"""End-to-end figures: whole commands and whole campaigns, in fresh processes where it matters."""

from __future__ import annotations

import importlib.util
import json
import multiprocessing
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from criteria import Rubric
from scoring import (
    EvidenceTable,
    ScoreSheet,
    competition_ranks,
    rank,
    read_evidence,
    score,
    validate_frame,
)

from .measure import Figure, best_of, not_yet, timed
from .synthetic import raw_frame

ROOT = Path(__file__).resolve().parent.parent
NATIONAL_COMMUNES = 3_321  # communes after the 2025 two-tier reform, in 34 provinces
WORKERS = 2
PLAN_TARGET = "tăng ít nhất 1 bậc"  # a rank target: every plan weighs all 3,321 peers
EXAMPLE_PROFILE = ROOT / "examples" / "profiles" / "xa-an-phu.yaml"


def one_unit_yaml(rubric: Rubric, folder: Path) -> Path:
    """The first synthetic unit as the YAML file a commune would send."""
    frame = raw_frame(rubric, 1, seed=11)
    evidence = {code: value for code, value in frame.iloc[0].items() if value != ""}
    path = folder / "mot-don-vi.yaml"
    path.write_text(yaml.safe_dump({"unit": frame.index[0], "rubric": rubric.id, "evidence": evidence},
                                   allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def figure_pipeline_memory(rubric_path: Path, csv_path: Path, units: int) -> Figure:
    """Peak resident memory of a fresh process reading, scoring and ranking a campaign file."""
    done = subprocess.run([sys.executable, "-m", "benchmarks.pipeline", str(rubric_path), str(csv_path)],
                          cwd=ROOT, capture_output=True, text=True, check=True)
    report = json.loads(done.stdout)
    seconds = report["read_s"] + report["score_s"] + report["rank_list_s"]
    peak = report["peak_rss_mib"]
    return Figure("whole process: read CSV + score + rank", units, seconds, peak,
                  note="peak RSS (VmHWM) of a fresh process", target="≤ 2,048 MiB", met=peak <= 2048)


# ---------------------------------------------------------------- the national campaign
_SHARED: dict[str, Any] = {}  # what forked workers read (set before forking, never pickled)


def _in_workers(work: Callable[[range], float], n: int, workers: int) -> float:
    """``work`` over rows 0…n-1 split among ``workers`` forked processes; their CPU seconds."""
    if workers == 1:
        return work(range(n))
    step = -(-n // workers)
    parts = [range(start, min(n, start + step)) for start in range(0, n, step)]
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        return sum(pool.map(work, parts))


def _results_of(rows: range) -> float:
    """Each unit's readable result with every leaf's trace (what a plan is written from)."""
    sheet: ScoreSheet = _SHARED["sheet"]
    start = time.process_time()
    for i in rows:
        sheet.result(i, traces=True)
    return time.process_time() - start


def _plans_of(rows: range) -> float:
    """Draft and write each unit's remediation plan (.docx), aiming one rank higher."""
    from scoring.plans.api import draft, plan_filename, write_plan
    from scoring.plans.profile import profile_for

    rubric, scored, template, folder = (_SHARED[k] for k in ("rubric", "scored", "profile", "folder"))
    start = time.process_time()
    for i in rows:
        unit = scored.units[i]
        outcome = draft(rubric, scored, unit, profile_for([template], unit, "benchmark"),
                        kind="remediation", target=PLAN_TARGET)
        write_plan(outcome, folder / plan_filename(unit, "remediation", "docx"))
    return time.process_time() - start


def national_table(rubric: Rubric) -> EvidenceTable:
    """The validated evidence of 3,321 synthetic communes (the same in every figure)."""
    return validate_frame(rubric, raw_frame(rubric, NATIONAL_COMMUNES, seed=34), "toàn quốc")


def figure_national(rubric: Rubric, repeat: int) -> list[Figure]:
    """3,321 communes: score and rank in one process; per-unit results on one and two cores."""
    n = NATIONAL_COMMUNES
    table = national_table(rubric)
    seconds, sheet = best_of(lambda: score(rubric, table), repeat)
    ranked_seconds, _ = best_of(lambda: (competition_ranks(sheet.index_order_keys()), rank(sheet)), repeat)
    _SHARED["sheet"] = sheet
    one, one_cpu = best_of(lambda: _in_workers(_results_of, n, 1), 1)
    two, two_cpu = best_of(lambda: _in_workers(_results_of, n, WORKERS), 1)
    return [
        Figure("national: score every commune", n, seconds),
        Figure("national: rank (arrays + Decimal list)", n, ranked_seconds),
        Figure("national: per-unit results + traces, 1 core", n, one, note=f"CPU {one_cpu:.2f} s"),
        Figure(f"national: per-unit results + traces, {WORKERS} cores", n, two,
               note=f"speed-up ×{one / two:.2f}; CPU {two_cpu:.2f} s in the workers, "
                    f"{two_cpu / (WORKERS * two):.0%} of {WORKERS} cores busy"),
    ]


def template_profile() -> Any:
    """The example commune's profile as a template for every unit (``unit: "*"``)."""
    from criteria.yaml_lines import load_yaml
    from scoring.plans.profile import ProfileError, profile_from_data

    data = load_yaml(EXAMPLE_PROFILE, ProfileError)
    data["unit"] = "*"
    return profile_from_data(data, str(EXAMPLE_PROFILE))


def figure_plans(rubric: Rubric, folder: Path, units: int = NATIONAL_COMMUNES) -> Figure:
    """Score, rank and write a .docx remediation plan for each commune, on both cores (issue 5).
    With ``units`` below the national count, the time for 3,321 is extrapolated from them."""
    name = f"national: score, rank, .docx plans, {WORKERS} cores"
    if importlib.util.find_spec("scoring.plans.api") is None:
        return not_yet(name, NATIONAL_COMMUNES, 5)
    from scoring.plans.scored import scored_from_sheet

    plans = folder / "ke-hoach"
    plans.mkdir(exist_ok=True)
    start, start_cpu = time.perf_counter(), time.process_time()
    sheet = score(rubric, national_table(rubric))
    scored = scored_from_sheet(sheet, "toàn quốc")  # every commune a peer for the rank target
    _SHARED.update(rubric=rubric, scored=scored, profile=template_profile(), folder=plans)
    setup, setup_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    start = time.perf_counter()
    cpu = _in_workers(_plans_of, units, WORKERS)
    writing = time.perf_counter() - start
    written = len(list(plans.glob("*.docx")))
    if written != units:
        raise AssertionError(f"{written} plans written for {units} communes")
    scale = NATIONAL_COMMUNES / units  # 1 unless a sample was written
    seconds = setup + writing * scale
    note = (f"score + rank {setup:.1f} s, plans {writing * scale:.0f} s ({cpu / units:.3f} CPU s each, "
            f"{cpu / (WORKERS * writing):.0%} of {WORKERS} cores busy); target < 300 s {'✓' if seconds < 300 else '✗'}")
    if scale != 1:
        note = f"plans extrapolated from {units:,}; " + note
    return Figure(name, NATIONAL_COMMUNES, seconds, note=note, cpu_seconds=setup_cpu + cpu * scale)


def figure_template(rubric: Rubric, folder: Path, repeat: int) -> list[Figure]:
    """An .xlsx self-assessment sheet for one unit: generate it, fill it as a clerk would, read
    it back; the points read back must equal those of the same unit's YAML (issue 3)."""
    name = ".xlsx template: generate, one unit"
    if importlib.util.find_spec("scoring.workbook.template") is None:
        return [not_yet(f"{name} + read back", 1, 3)]
    from scoring.workbook.template import write_template
    from tests.sheet_fill import filled_copy

    evidence = one_unit_yaml(rubric, folder)
    template, filled = folder / "tu-danh-gia.xlsx", folder / "tu-danh-gia-da-dien.xlsx"
    made, _ = timed(lambda: write_template(rubric, template, "UBND xã Mẫu"), repeat)
    filled_copy(template, rubric, evidence, filled)
    read, table = timed(lambda: read_evidence(rubric, filled), repeat)
    if score(rubric, table).total.tolist() != score(rubric, read_evidence(rubric, evidence)).total.tolist():
        raise AssertionError("the sheet read back scores differently from the unit's YAML")
    return [Figure(name, 1, made.seconds, cpu_seconds=made.cpu_seconds),
            Figure(".xlsx template: read back filled, one unit", 1, read.seconds, cpu_seconds=read.cpu_seconds,
                   note="= YAML ✓")]
