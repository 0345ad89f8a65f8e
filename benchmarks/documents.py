"""Documents in milliseconds (issue 13, item 3): plans and the publication's documents and workbook.

    python benchmarks/documents.py            # 3,321 plans on every core, publication at 3,321 units
    python benchmarks/documents.py --quick    # 400 plans (extrapolated to 3,321), fewer repeats

Prints each figure with its target and verdict:

- one plan (.docx): CPU ms to draft and to write it — target < 20 ms; beside it the python-docx
  renderer the Word template replaced (``tests/plan_docx_reference.py``), on the same plan;
- 3,321 plans with ``plan --all``'s ``draft_all`` on every core — target < 60 s wall on 2 cores;
  the CPU of the workers divided by the cores is printed beside it (what free cores would take:
  this machine is shared, and the wall time grows with the load average printed in the header);
- publication at 3,321 units: the Quyết định công bố with its two appendix tables and the ranked
  workbook, written from synthetic standings (the campaign store is not needed to measure
  them) — target < 3 s for the two together.

``figures(quick)`` returns the rows for ``benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import tempfile
import time
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import SimpleNamespace
from collections.abc import Callable

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.end_to_end import NATIONAL_COMMUNES, national_table, template_profile  # noqa: E402
from benchmarks.measure import Figure, timed  # noqa: E402
from criteria import Rubric, load_rubric  # noqa: E402
from scoring import score  # noqa: E402
from scoring.campaign.publish import ranked_workbook  # noqa: E402
from scoring.campaign.standings import Standing  # noqa: E402
from scoring.office import nd30  # noqa: E402
from scoring.plans.api import draft, draft_all, workers_available  # noqa: E402
from scoring.plans.docx import render_docx_bytes, save_docx  # noqa: E402
from scoring.plans.profile import profile_for  # noqa: E402
from scoring.plans.scored import ScoredFile, scored_from_sheet  # noqa: E402
from scoring.ranking import RankChange  # noqa: E402
from scoring.reports.decision import DecisionFacts, build_decision  # noqa: E402

DEMO_RUBRIC = ROOT / "rubrics" / "demo-xa-2025.yaml"
PLAN_MS_TARGET = 20.0  # one plan, CPU
PLANS_SECONDS_TARGET = 60.0  # 3,321 plans, wall, 2 cores
PUBLISH_SECONDS_TARGET = 3.0  # the decision and the workbook at 3,321 units
PLAN_TARGET = "tăng ít nhất 1 bậc"  # a rank target: every plan weighs all 3,321 peers
QUICK_PLANS = 400


def verdict(ok: bool) -> str:
    return "✓" if ok else "✗"


def national_scored(rubric: Rubric) -> ScoredFile:
    """3,321 synthetic communes scored: every commune a peer of the others."""
    return scored_from_sheet(score(rubric, national_table(rubric)), "toàn quốc")


def figure_one_plan(rubric: Rubric, scored: ScoredFile, repeat: int) -> list[Figure]:
    """The median-ranked commune's remediation plan: draft, write with the template, and with python-docx."""
    from tests.plan_docx_reference import render_docx as python_docx_render

    profile = template_profile()
    unit = scored.units[len(scored.units) // 2]
    chosen = profile_for([profile], unit, "benchmark")
    drafted, outcome = timed(lambda: draft(rubric, scored, unit, chosen, kind="remediation", target=PLAN_TARGET),
                             repeat)
    written, data = timed(lambda: render_docx_bytes(outcome.document), repeat * 3)
    before, _ = timed(lambda: nd30.to_bytes(python_docx_render(outcome.document)), max(repeat // 2, 1))
    total_ms = (drafted.cpu_seconds + written.cpu_seconds) * 1000
    blocks = len(outcome.document.body) + sum(len(a.table.rows) for a in outcome.document.appendices)
    return [
        Figure("one plan: draft (words, targets)", 1, drafted.seconds, cpu_seconds=drafted.cpu_seconds),
        Figure("one plan: write .docx from the Word template", 1, written.seconds, cpu_seconds=written.cpu_seconds,
               note=f"{blocks} paragraphs + rows, {len(data) / 1024:.0f} KiB; python-docx before: "
                    f"{before.cpu_seconds * 1000:.0f} ms CPU (×{before.cpu_seconds / written.cpu_seconds:.0f})"),
        Figure("one plan: draft + write", 1, drafted.seconds + written.seconds,
               cpu_seconds=drafted.cpu_seconds + written.cpu_seconds,
               note=f"{total_ms:.1f} ms CPU; target < {PLAN_MS_TARGET:.0f} ms {verdict(total_ms < PLAN_MS_TARGET)}"),
    ]


def figure_all_plans(rubric: Rubric, scored: ScoredFile, folder: Path, units: int) -> Figure:
    """``draft_all`` (what ``plan --all`` runs) on every core; ``units`` below 3,321 extrapolate."""
    workers = workers_available()
    subset = scored if units >= len(scored.units) else _first(scored, units)
    out = folder / f"ke-hoach-{units}"
    start, start_cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
    written = draft_all(rubric, subset, [template_profile()], out, kind="remediation", target=PLAN_TARGET,
                        workers=workers)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - start_cpu + _children_cpu() - children  # this process and its workers
    if len(written) != units or len(list(out.glob("*.docx"))) != units:
        raise AssertionError(f"{len(written)} plans written for {units} communes")
    scale = NATIONAL_COMMUNES / units
    total, free = seconds * scale, cpu * scale / workers  # measured; what free cores would take
    note = (f"{workers} cores, {cpu / units * 1000:.1f} ms CPU per plan, {cpu / (workers * seconds):.0%} of the "
            f"cores ours; target < {PLANS_SECONDS_TARGET:.0f} s: wall {verdict(total < PLANS_SECONDS_TARGET)}, "
            f"CPU ÷ {workers} cores = {free:.0f} s {verdict(free < PLANS_SECONDS_TARGET)}")
    if scale != 1:
        note = f"extrapolated from {units:,}; " + note
    return Figure(f"{NATIONAL_COMMUNES:,} plans, plan --all", NATIONAL_COMMUNES, total, note=note,
                  cpu_seconds=cpu * scale)


def _children_cpu() -> float:
    """CPU seconds of this process's finished children (the pool's workers, once shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _first(scored: ScoredFile, units: int) -> ScoredFile:
    """The same peers (rank targets weigh all 3,321), plans for the first ``units`` only."""
    return replace(scored, units=list(scored.units[:units]))


def synthetic_standings(rubric: Rubric, n: int) -> list[Standing]:
    """``n`` ranked units with field sub-indices and a change against last year (deterministic)."""
    fields = [node.code for node in rubric.nodes]
    rows = []
    for i in range(n):
        index = Decimal(9500 - (i * 4500) // n) / 100
        survey = None if i % 7 == 0 else Decimal(20 + i % 9) / 2
        change = RankChange(i + 1 + (i % 5) - 2 if i % 11 else None, None, index - 1, (i % 5) - 2 if i % 11 else None,
                            None, Decimal("1.00"))
        rows.append(Standing(f"UBND xã Mẫu {i + 1:04d}", Fraction(index), index, Decimal(100), i + 1,
                             "Tốt" if index >= 80 else "Khá" if index >= 65 else "Trung bình", level="xã",
                             appraised=index - (survey or 0), survey=survey, change=change,
                             fields={code: Decimal(50 + (i * 7 + k * 13) % 50) for k, code in enumerate(fields)}))
    return rows


def publication_store(rubric: Rubric, folder: Path) -> SimpleNamespace:
    """What the document and workbook writers read from a campaign store."""
    info = SimpleNamespace(year=rubric.year, name="Chỉ số CCHC cấp xã (đo)")
    return SimpleNamespace(rubric=rubric, info=info, path=folder / "chien-dich.db",
                           now=lambda: dt.datetime(2026, 1, 26, 9, 0))


def figure_publication(rubric: Rubric, folder: Path, repeat: int, units: int = NATIONAL_COMMUNES) -> list[Figure]:
    rows = synthetic_standings(rubric, units)
    store = publication_store(rubric, folder)
    head = (4321, "0" * 64)
    facts = DecisionFacts(year=rubric.year, issuer="Ủy ban nhân dân tỉnh Mẫu", place="Mẫu", signer="Nguyễn Văn A",
                          date=dt.date(2026, 1, 26))  # what decision_document reads from the campaign
    docx, _ = timed(lambda: save_docx(build_decision(facts, rows, rubric), folder / "quyet-dinh.docx"), repeat)
    xlsx, _ = timed(lambda: ranked_workbook(store, rows, folder / "xep-hang.xlsx", head), repeat)
    both = docx.seconds + xlsx.seconds
    both_cpu = docx.cpu_seconds + xlsx.cpu_seconds
    return [
        Figure("publication: Quyết định + 2 appendices (.docx)", units, docx.seconds, cpu_seconds=docx.cpu_seconds),
        Figure("publication: ranked workbook (.xlsx)", units, xlsx.seconds, cpu_seconds=xlsx.cpu_seconds),
        Figure("publication: documents + workbook", units, both, cpu_seconds=both_cpu,
               note=f"target < {PUBLISH_SECONDS_TARGET:.0f} s: wall {verdict(both < PUBLISH_SECONDS_TARGET)}, "
                    f"CPU {verdict(both_cpu < PUBLISH_SECONDS_TARGET)}"),
    ]


def figures(quick: bool = False, rubric_path: Path = DEMO_RUBRIC, folder: Path | None = None,
            progress: Callable[[str], None] = lambda line: None) -> list[Figure]:
    """Every figure of this file (for ``benchmarks/run.py``)."""
    rubric = load_rubric(rubric_path)
    repeat = 3 if quick else 7
    with tempfile.TemporaryDirectory(prefix="parindex-documents-") as temporary:
        where = Path(folder or temporary)
        scored = national_scored(rubric)
        out = figure_one_plan(rubric, scored, repeat)
        progress("one plan")
        out.append(figure_all_plans(rubric, scored, where, QUICK_PLANS if quick else NATIONAL_COMMUNES))
        progress("all plans")
        out += figure_publication(rubric, where, 1 if quick else 3)
    return out


def print_table(rows: list[Figure]) -> None:
    print(f"{'figure':<50} {'units':>7} {'wall s':>9} {'CPU s':>9}  note")
    for row in rows:
        wall = f"{row.seconds:.4f}" if row.seconds is not None else "—"
        cpu = f"{row.cpu_seconds:.4f}" if row.cpu_seconds is not None else "—"
        print(f"{row.name:<50} {row.units or '':>7} {wall:>9} {cpu:>9}  {row.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_PLANS} plans, extrapolated; fewer repeats")
    parser.add_argument("--rubric", type=Path, default=DEMO_RUBRIC)
    args = parser.parse_args()
    print(f"parindex documents — {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC, "
          f"{os.cpu_count()} CPUs ({workers_available()} usable), Python {sys.version.split()[0]}, "
          f"load average {', '.join(f'{x:.1f}' for x in os.getloadavg())} (other work slows the wall times)")
    print_table(figures(args.quick, args.rubric, progress=lambda line: print(f"… {line}", file=sys.stderr)))


if __name__ == "__main__":
    main()
