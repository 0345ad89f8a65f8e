"""Plan drafts from points lost: the Python API behind ``parindex plan``.

    scored = load_scored(rubric, "ket-qua.json")           # or an evidence file
    outcome = draft(rubric, scored, "UBND xã An Phú", profile, kind="remediation",
                    target="tăng ít nhất 1 bậc", peers=read_peers_csv("xa.csv", rubric.max_points))
    write_plan(outcome, "ke-hoach.docx")

``draft`` builds one unit's plan; ``draft_all`` one plan per unit into a folder, on every core; ``plan_files``
is the whole ``parindex plan`` command from file names (a result or a campaign, profiles, peers).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import time
import unicodedata
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Sequence

from criteria import InputError, Rubric, load_rubric
from criteria.files import refuse_overwriting
from criteria.rules.deadline import parse_date

from scoring.calendar import Decision
from scoring.office.atomic import deferred_sync, write_atomic
from scoring.office.docx_template import Template, load_template
from scoring.plans.annual import build_annual
from scoring.plans.common import KINDS, PlanInputs, basis_lines, calendar_for
from scoring.plans.docx import save_docx
from scoring.plans.document import PlanDocument
from scoring.plans.indices import IndexSource
from scoring.plans.scored import ScoredFile, load_scored, scored_from_sheet
from scoring.plans.markdown import render_markdown
from scoring.plans.peers import merge_standings, read_peers_csv
from scoring.plans.profile import Profile, bare_name, load_profiles, profile_for
from scoring.plans.remediation import build_remediation
from scoring.plans.targets import Goal, Target, parse_target
from scoring.ranking import Standing

FORMATS = ("docx", "md")


@dataclass(frozen=True)
class CalendarOptions:
    """What the command line says about the calendar; each given value wins over the profile."""

    acted_on: int | None = None  # the year the plan acts on
    plan_date: dt.date | None = None  # the plan's signing date
    published: Decision | None = None  # the Quyết định công bố of the evaluated year


@dataclass
class PlanOutcome:
    unit: str
    kind: str
    document: PlanDocument
    goal: Goal
    tasks: int  # tasks (remediation) or criteria (annual)
    lost: Decimal
    warnings: list[str] = field(default_factory=list)
    explain: list[str] = field(default_factory=list)  # how the target was reached (--explain)

    @property
    def review(self) -> list[str]:
        """The drafter's notes (Word comments), to print as a review list."""
        return self.document.review()


def standings_for(scored: ScoredFile, unit: str, peers: Iterable[Standing] = ()) -> list[Standing] | None:
    """The unit and every other unit known (the RESULT file's, then ``peers``); None if alone."""
    own = next((s for s in scored.standings if s.unit == unit), None)
    if own is None:
        return None
    merged = merge_standings(own, scored.standings, peers)
    return merged if len(merged) > 1 else None


def draft(
    rubric: Rubric, scored: ScoredFile, unit: str, profile: Profile, *, kind: str = "remediation",
    target: str | Target | None = None, peers: Iterable[Standing] = (),
    indices: Sequence[IndexSource] = (), calendar: CalendarOptions | None = None, detail: bool = False,
) -> PlanOutcome:
    """One unit's plan (``kind``: remediation or annual); ``detail``: a second appendix with the
    points of each lost sub-criterion."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    result = scored.result(unit)
    if isinstance(target, str):
        target = parse_target(target, rubric)
    options = calendar or CalendarOptions()
    dates = calendar_for(rubric, profile, kind, acted_on=options.acted_on, plan_date=options.plan_date,
                         published=options.published)
    inputs = PlanInputs(rubric, result, profile, kind, standings_for(scored, unit, peers), target,
                        exact=scored.exact, calendar=dates, detail=detail)
    inputs.others = [source.for_unit(unit, inputs.ctx) for source in indices]
    if kind == "remediation":
        document, groups, goal = build_remediation(inputs)
        tasks = sum(len(g.tasks) for g in groups)
        lost = sum((g.lost for g in groups), Decimal(0))
    else:
        document, criteria, goal = build_annual(inputs)
        tasks, lost = len(criteria), result.totals.lost
    warnings = [f"{unit}: vai trò “{role}” chưa có trong hồ sơ đơn vị (offices); giữ nguyên tên vai trò"
                for role in sorted(inputs.ctx.unknown_roles)]
    if not goal.reachable:
        warnings.append(f"{unit}: mục tiêu “{goal.target.words()}” không đạt được: {goal.reason}")
    return PlanOutcome(unit, kind, document, goal, tasks, lost, warnings, basis_lines(inputs, goal))


def write_plan(outcome: PlanOutcome | PlanDocument, path: str | Path, fmt: str | None = None,
               template: Template | str | Path | None = None) -> Path:
    """Write atomically as .docx (NĐ 30 layout; ``template``: a restyled copy of the shipped Word
    template) or .md (chosen by ``fmt`` or the extension)."""
    document = outcome.document if isinstance(outcome, PlanOutcome) else outcome
    path = Path(path)
    fmt = fmt or ("md" if path.suffix.lower() == ".md" else "docx")
    if fmt == "md":
        return write_atomic(path, render_markdown(document))
    return save_docx(document, path, template)


def slug(text: str) -> str:
    """“UBND xã An Phú” → “ubnd-xa-an-phu” (file names without diacritics)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "don-vi"


def plan_filename(unit: str, kind: str, fmt: str) -> str:
    prefix = "ke-hoach-khac-phuc" if kind == "remediation" else "ke-hoach-cchc"
    return f"{prefix}-{slug(bare_name(unit))}.{fmt}"


def plan_filenames(units: Sequence[str], kind: str, fmt: str) -> dict[str, str]:
    """Each unit's file name, none twice: units whose names read the same without accents
    (“xã Đồng Tâm”, “xã Đông Tâm”) get “-2”, “-3” in the order of ``units``."""
    taken: set[str] = set()
    names = {}
    for unit in units:
        name = plan_filename(unit, kind, fmt)
        stem, suffix = name.rsplit(".", 1)
        number = 1
        while name.casefold() in taken:
            number += 1
            name = f"{stem}-{number}.{suffix}"
        taken.add(name.casefold())
        names[unit] = name
    return names


@dataclass(frozen=True)
class WrittenPlan:
    """One plan of ``draft_all``: what the command reports about it."""

    unit: str
    path: Path
    tasks: int
    warnings: tuple[str, ...] = ()
    notes: int = 0  # drafter's notes (Word comments) in it


@dataclass(frozen=True)
class _Batch:
    """What every plan of a ``draft_all`` shares (inherited by forked workers, never pickled)."""

    rubric: Rubric
    scored: ScoredFile
    profiles: dict[str, Profile]
    names: dict[str, str]
    folder: Path
    kind: str
    fmt: str
    target: Target | None
    peers: Sequence[Standing]
    indices: Sequence[IndexSource]
    template: Template | None
    calendar: CalendarOptions | None
    detail: bool


_BATCH: list[_Batch] = []  # the batch a forked worker writes (set before the pool starts)
CHUNK = 24  # plans per task sent to a worker: few messages, a progress bar that still moves


def _write_one(batch: _Batch, unit: str) -> WrittenPlan:
    outcome = draft(batch.rubric, batch.scored, unit, batch.profiles[unit], kind=batch.kind, target=batch.target,
                    peers=batch.peers, indices=batch.indices, calendar=batch.calendar, detail=batch.detail)
    path = write_plan(outcome, batch.folder / batch.names[unit], batch.fmt, batch.template)
    return WrittenPlan(unit, path, outcome.tasks, tuple(outcome.warnings), len(outcome.review))


def _write_chunk(units: Sequence[str]) -> list[WrittenPlan]:
    with deferred_sync():  # one wait on the disk per chunk, not per plan
        return [_write_one(_BATCH[-1], unit) for unit in units]


def workers_available() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def draft_all(
    rubric: Rubric, scored: ScoredFile, profiles: list[Profile], folder: str | Path, *,
    kind: str = "remediation", fmt: str = "docx", target: str | None = None,
    peers: Sequence[Standing] = (), indices: Sequence[IndexSource] = (),
    on_progress: Callable[[int, int, str], None] | None = None, calendar: CalendarOptions | None = None,
    detail: bool = False, workers: int | None = None, template: str | Path | None = None,
) -> list[WrittenPlan]:
    """One plan per unit of ``scored`` into ``folder``, file names never the same twice. Every
    unit needs a profile (its own, or the template ``unit: "*"``); all missing profiles are
    reported before anything is written. ``workers``: processes (default: every core; plans are
    written in parallel where the system can fork); ``on_progress(done, total, unit)`` is called
    after each plan is written."""
    folder = Path(folder)
    chosen: dict[str, Profile] = {}
    problems = []
    for unit in scored.units:
        try:
            chosen[unit] = profile_for(profiles, unit, str(folder))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    batch = _Batch(rubric, scored, chosen, plan_filenames(scored.units, kind, fmt), folder, kind, fmt,
                   parse_target(target, rubric) if target else None, tuple(peers), tuple(indices),
                   load_template(template) if fmt == "docx" else None, calendar, detail)
    units = list(scored.units)
    workers = min(workers or workers_available(), -(-len(units) // CHUNK))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        out = []
        with deferred_sync():
            for unit in units:
                out.append(_write_one(batch, unit))
                if on_progress is not None:
                    on_progress(len(out), len(units), unit)
        return out
    chunks = [units[start:start + CHUNK] for start in range(0, len(units), CHUNK)]
    _BATCH.append(batch)
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            done: dict[int, list[WrittenPlan]] = {}
            count = 0
            futures = {pool.submit(_write_chunk, chunk): index for index, chunk in enumerate(chunks)}
            for future in as_completed(futures):
                done[futures[future]] = future.result()
                for written in done[futures[future]]:
                    count += 1
                    if on_progress is not None:
                        on_progress(count, len(units), written.unit)
    finally:
        _BATCH.pop()
    return [written for index in range(len(chunks)) for written in done[index]]


@dataclass
class PlanRun:
    """What ``plan_files`` did: each plan with the file written (None when printed), and how long it took."""

    kind: str
    plans: list[tuple[PlanOutcome, Path | None]]
    seconds: float
    folder: Path | None = None  # with all units: the folder written
    markdown: str | None = None  # one plan asked as Markdown on screen
    written: list[WrittenPlan] = field(default_factory=list)  # with all units: each plan written

    @property
    def warnings(self) -> list[str]:
        return ([warning for outcome, _ in self.plans for warning in outcome.warnings]
                + [warning for plan in self.written for warning in plan.warnings])

    @property
    def review(self) -> list[str]:
        """The drafter's notes of one plan (Word comments), or for several plans how many there are."""
        if self.folder is None:
            return self.plans[0][0].review
        count = sum(plan.notes for plan in self.written)
        return [f"{count} ghi chú cho người soạn trong {len(self.written)} kế hoạch (chú thích trong Word)."] if count else []

    @property
    def explain(self) -> list[str]:
        return self.plans[0][0].explain if self.folder is None else []

    def summary(self) -> str:
        """The line that says what was written (empty when the plan went to the screen)."""
        if self.folder is not None:
            n = len(self.written)
            return (f"Đã ghi {n} kế hoạch vào {self.folder} ({self.seconds:.1f} giây, "
                    f"{self.seconds / max(n, 1) * 1000:.0f} ms/kế hoạch)")
        outcome, path = self.plans[0]
        if path is None:
            return ""
        goal = outcome.goal
        what = "nhiệm vụ" if self.kind == "remediation" else "tiêu chí có nhiệm vụ"
        state = "đạt được" if goal.reachable else "không đạt được"
        return (f"Đã ghi {path}: {outcome.tasks} {what}, mục tiêu ({goal.target.words()}) {state}"
                + (f", {len(goal.chosen)} nhiệm vụ ưu tiên" if goal.chosen else ""))


def _scored_campaign(path: str | Path, stage: str, acting: str | None, unit: str | None, all_units: bool
                     ) -> tuple[Rubric, ScoredFile]:
    """The campaign's scores, once ``acting`` may read them: one unit's plan needs that unit
    (its own Đơn vị account may draft it), a plan for every unit needs the whole campaign."""
    from scoring import campaign  # the campaign store: loaded only for a plan that reads one

    with campaign.guarded(path):  # a damaged campaign file: one line naming it, never a traceback
        store = campaign.open_campaign(path, as_=acting)
        if unit and not all_units:
            campaign.unit_reader(store, acting, unit, "soạn kế hoạch")
        else:
            campaign.reader(store, acting, "soạn kế hoạch cho mọi đơn vị")
        sheet = campaign.appraised_sheet(store) if stage == "appraised" else campaign.self_sheet(store)
        return store.rubric, scored_from_sheet(sheet, str(path))


def plan_files(
    profile_path: Path, *, rubric_path: Path | None = None, result_path: Path | None = None,
    campaign_path: str | Path | None = None, stage: str = "appraised", kind: str = "remediation",
    output: Path | None = None, fmt: str | None = None, unit: str | None = None, all_units: bool = False,
    target: str | None = None, peer_paths: Sequence[Path] = (), index_specs: Sequence[tuple[Path, Path]] = (),
    on_progress: Callable[[int, int, str], None] | None = None, plan_year: int | None = None,
    plan_date: str | None = None, published: str | None = None, published_date: str | None = None,
    published_by: str | None = None, detail: bool = False, template: Path | None = None, acting: str | None = None,
) -> PlanRun:
    """``parindex plan``: read a result (evidence or score JSON, with its rubric) or a campaign
    (``stage`` appraised or self), the profiles, peers and other indices; draft one unit's plan
    (written to ``output``, or Markdown returned) or, with ``all_units``, one per unit into ``output``
    on every core; ``template``: the province's Word template (default: the shipped NĐ 30 one);
    ``acting``: with a campaign, the account that reads it (checked like on the portal)."""
    if (result_path is None) == (campaign_path is None):
        raise InputError.single("--result/--campaign", "", "cần đúng một trong --result TỆP hoặc --campaign TỆP.db")
    if campaign_path is not None:
        rb, scored = _scored_campaign(campaign_path, stage, acting, unit, all_units)
    else:
        if rubric_path is None:
            raise InputError.single("--rubric", "", "cần --rubric TỆP.yaml cùng với --result")
        rb = load_rubric(rubric_path)
        scored = load_scored(rb, result_path)  # type: ignore[arg-type]
    profiles = load_profiles(profile_path)
    peers = [s for path in peer_paths for s in read_peers_csv(path, rb.max_points)]
    indices = [IndexSource(r, e) for r, e in index_specs]
    if target is not None:
        parse_target(target, rb)  # refuse a bad target before any work
    if template is not None:
        load_template(template)  # refuse a bad template before any work
    decision = None
    if published or published_date or published_by:
        decision = Decision(published or "", _option_date("--published-date", published_date), published_by or "")
    calendar = CalendarOptions(plan_year, _option_date("--plan-date", plan_date), decision)
    inputs = [profile_path, rubric_path, result_path, campaign_path, *peer_paths, *(p for pair in index_specs for p in pair)]
    refuse_overwriting(output, inputs)
    started = time.perf_counter()
    if all_units:
        if output is None:
            raise InputError.single("--output", "", "với --all cần -o THƯ_MỤC để ghi mỗi đơn vị một tệp")
        written = draft_all(rb, scored, profiles, output, kind=kind, fmt=fmt or "docx", target=target,
                            peers=peers, indices=indices, on_progress=on_progress, calendar=calendar, detail=detail,
                            template=template)
        return PlanRun(kind, [], time.perf_counter() - started, folder=output, written=written)
    name = scored.pick(unit)
    outcome = draft(rb, scored, name, profile_for(profiles, name, str(profile_path)), kind=kind, target=target,
                    peers=peers, indices=indices, calendar=calendar, detail=detail)
    chosen = fmt or ("md" if output is not None and output.suffix.lower() == ".md" else "docx")
    if output is None:
        if chosen != "md":
            raise InputError.single("--output", "", "cần -o TỆP.docx (hoặc --format md để in ra màn hình)")
        return PlanRun(kind, [(outcome, None)], time.perf_counter() - started,
                       markdown=render_markdown(outcome.document))
    return PlanRun(kind, [(outcome, write_plan(outcome, output, chosen, template))], time.perf_counter() - started)


def _option_date(option: str, text: str | None) -> dt.date | None:
    """A dd/mm/yyyy option, or one clear message naming it."""
    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError as exc:
        raise InputError.single(option, "", str(exc)) from None
