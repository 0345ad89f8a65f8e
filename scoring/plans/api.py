"""Plan drafts from points lost: the Python API behind ``parindex plan``.

    scored = load_scored(rubric, "ket-qua.json")           # or an evidence file
    outcome = draft(rubric, scored, "UBND xã An Phú", profile, kind="remediation",
                    target="tăng ít nhất 1 bậc", peers=read_peers_csv("xa.csv", rubric.max_points))
    write_plan(outcome, "ke-hoach.docx")

``draft`` builds one unit's plan; ``draft_all`` one plan per unit into a folder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterable, Sequence

from criteria import InputError, Rubric

from scoring.office.atomic import write_atomic
from scoring.plans.annual import build_annual
from scoring.plans.common import KINDS, PlanInputs
from scoring.plans.docx import render_docx
from scoring.plans.document import PlanDocument
from scoring.plans.indices import IndexSource
from scoring.plans.scored import ScoredFile
from scoring.plans.markdown import render_markdown
from scoring.plans.peers import Standing, merge_standings
from scoring.plans.profile import Profile, bare_name, profile_for
from scoring.plans.remediation import build_remediation
from scoring.plans.targets import Goal, Target, parse_target
from scoring.office import nd30

FORMATS = ("docx", "md")


@dataclass
class PlanOutcome:
    unit: str
    kind: str
    document: PlanDocument
    goal: Goal
    tasks: int  # tasks (remediation) or criteria (annual)
    lost: Decimal
    warnings: list[str] = field(default_factory=list)


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
    indices: Sequence[IndexSource] = (),
) -> PlanOutcome:
    """One unit's plan (``kind``: remediation or annual)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    result = scored.result(unit)
    if isinstance(target, str):
        target = parse_target(target, rubric)
    inputs = PlanInputs(rubric, result, profile, kind, standings_for(scored, unit, peers), target,
                        exact=scored.exact)
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
    return PlanOutcome(unit, kind, document, goal, tasks, lost, warnings)


def write_plan(outcome: PlanOutcome | PlanDocument, path: str | Path, fmt: str | None = None) -> Path:
    """Write atomically as .docx (NĐ 30 layout) or .md (chosen by ``fmt`` or the extension)."""
    document = outcome.document if isinstance(outcome, PlanOutcome) else outcome
    path = Path(path)
    fmt = fmt or ("md" if path.suffix.lower() == ".md" else "docx")
    if fmt == "md":
        return write_atomic(path, render_markdown(document))
    return nd30.save(render_docx(document), path)


def slug(text: str) -> str:
    """“UBND xã An Phú” → “ubnd-xa-an-phu” (file names without diacritics)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "don-vi"


def plan_filename(unit: str, kind: str, fmt: str) -> str:
    prefix = "ke-hoach-khac-phuc" if kind == "remediation" else "ke-hoach-cchc"
    return f"{prefix}-{slug(bare_name(unit))}.{fmt}"


def draft_all(
    rubric: Rubric, scored: ScoredFile, profiles: list[Profile], folder: str | Path, *,
    kind: str = "remediation", fmt: str = "docx", target: str | None = None,
    peers: Sequence[Standing] = (), indices: Sequence[IndexSource] = (),
    progress: Callable[[str], None] | None = None,
) -> list[tuple[PlanOutcome, Path]]:
    """One plan per unit of ``scored`` into ``folder``. Every unit needs a profile (its own,
    or the template ``unit: "*"``); all missing profiles are reported before anything is written."""
    folder = Path(folder)
    chosen = {u: None for u in scored.units}
    problems = []
    for unit in scored.units:
        try:
            chosen[unit] = profile_for(profiles, unit, str(folder))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    parsed = parse_target(target, rubric) if target else None
    out = []
    for unit in scored.units:
        outcome = draft(rubric, scored, unit, chosen[unit], kind=kind, target=parsed, peers=peers,  # type: ignore[arg-type]
                        indices=indices)
        out.append((outcome, write_plan(outcome, folder / plan_filename(unit, kind, fmt), fmt)))
        if progress is not None:
            progress(unit)
    return out
