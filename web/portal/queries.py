"""What the pages show, read through the campaign's own functions (``scoring.campaign``) on the
portal's database: a unit's phase and state, its self-assessed and appraised results, the
appraisal history per leaf, files, requests for explanation, the campaign's overview."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from scoring import campaign as c
from scoring.campaign.appraisal import explanations as unit_explanations
from scoring.campaign.cells import loads
from scoring.campaign.phases import EXPLAIN, PHASE_VI, ROUND1, ROUND2, SELF
from scoring.campaign.status import describe
from scoring.campaign.submissions import active_submission
from scoring.result import UnitResult
from web.store import services
from web.store.models import (
    DON_VI,
    QUAN_TRI,
    THAM_DINH,
    XEM,
    Campaign,
    EvidenceFile,
    ExplanationRequest,
    Profile,
    Publication,
    Submission,
    SurveyImport,
    Unit,
)

ROLE_WORDS = {QUAN_TRI: "Quản trị", DON_VI: "Đơn vị", THAM_DINH: "Thẩm định", XEM: "Xem"}
PHASE_LABEL = {**{k: v[:1].upper() + v[1:] for k, v in PHASE_VI.items()}, "cong-bo": "Đã công bố"}


def time_left_text(deadline: dt.datetime | None, now: dt.datetime) -> str:
    if deadline is None:
        return "chưa đặt hạn"
    left = deadline - now
    if left.total_seconds() <= 0:
        return "đã hết hạn"
    days, hours = left.days, left.seconds // 3600
    if days:
        return f"còn {days} ngày {hours} giờ"
    minutes = (left.seconds % 3600) // 60
    return f"còn {hours} giờ {minutes} phút"


@dataclass
class UnitState:
    phase: str
    phase_label: str
    deadline: dt.datetime | None
    is_open: bool
    time_left_text: str
    overdue: bool
    submission_seq: int | None
    state_label: str
    state_class: str
    editable: bool  # self-assessment open and nothing submitted
    can_withdraw: bool
    can_explain: bool
    locked_reason: str
    result: UnitResult | None = None  # appraised result of the current submission


def unit_status(campaign: Campaign, unit: Unit) -> UnitState:
    store = services.store_for(campaign)
    phase, deadline, is_open = services.phase_now(campaign)
    active = active_submission(store, unit.seq)
    now = store.now()
    self_open = phase == SELF and is_open
    if active is not None:
        label, css = f"Đã chốt (#{active[0]})", "ok"
    elif Submission.objects.filter(campaign=campaign, unit=unit).exists():
        label, css = "Đã rút, đang sửa", "warn"
    else:
        label, css = "Chưa chốt", "warn"
    if self_open and active is None:
        reason = ""
    elif active is not None and self_open:
        reason = "Đã chốt điểm: rút lại để sửa trước hạn."
    else:
        reason = f"Giai đoạn tự đánh giá đã kết thúc; hiện là giai đoạn {PHASE_LABEL.get(phase, phase).lower()}."
    result = None
    if active is not None:
        result = c.unit_result(store, unit.name)
    return UnitState(
        phase=phase, phase_label=PHASE_LABEL.get(phase, phase), deadline=deadline, is_open=is_open,
        time_left_text=time_left_text(deadline, now), overdue=bool(deadline and deadline <= now),
        submission_seq=active[0] if active else None, state_label=label, state_class=css,
        editable=self_open and active is None, can_withdraw=self_open and active is not None,
        can_explain=phase == EXPLAIN and is_open and active is not None, locked_reason=reason, result=result)


def files_of(campaign: Campaign, unit: Unit, code: str | None = None) -> dict[str, list[EvidenceFile]]:
    """The unit's files by leaf (only leaf ``code``'s when given)."""
    rows = EvidenceFile.objects.filter(campaign=campaign, unit=unit)
    if code is not None:
        rows = rows.filter(code=code)
    found: dict[str, list[EvidenceFile]] = {}
    for f in rows.order_by("seq"):
        found.setdefault(f.code, []).append(f)
    return found


def requests_of(campaign: Campaign, unit: Unit, code: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The appraisers' requests for explanation by leaf (only leaf ``code``'s when given)."""
    rows = ExplanationRequest.objects.filter(campaign=campaign, unit=unit)
    if code is not None:
        rows = rows.filter(code=code)
    found: dict[str, list[dict[str, Any]]] = {}
    for r in rows.order_by("seq"):
        found.setdefault(r.code, []).append({"round": r.round, "note": r.note})
    return found


def open_round(campaign: Campaign) -> int:
    phase, _, is_open = services.phase_now(campaign)
    if not is_open:
        return 0
    return {ROUND1: 1, ROUND2: 2}.get(phase, 0)


@dataclass
class AppraisalView:
    """One unit as the appraiser (and the unit, after appraisal) sees it."""

    submitted: bool
    phase_label: str
    open_round: int
    self_result: UnitResult | None
    final_result: UnitResult | None
    rows: dict[str, Any]  # code → scoring.campaign.diff.DiffRow
    values: dict[str, str] = field(default_factory=dict)  # the unit's answer in words (its trace)
    explanations: dict[str, str] = field(default_factory=dict)
    documents: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    requests: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    answers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    appraisals: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    totals: dict[str, Any] = field(default_factory=dict)


def appraisal_view(campaign: Campaign, unit: Unit) -> AppraisalView:
    store = services.store_for(campaign)
    phase, _, _ = services.phase_now(campaign)
    active = active_submission(store, unit.seq)
    view = AppraisalView(submitted=active is not None, phase_label=PHASE_LABEL.get(phase, phase),
                         open_round=open_round(campaign), self_result=None, final_result=None, rows={},
                         requests=requests_of(campaign, unit))
    if active is None:
        return view
    with store.reading():
        diff = c.diff(store, unit.name)
        view.self_result = c.self_sheet(store, unit.name).result(0)
        view.final_result = c.unit_result(store, unit.name)
        submission = Submission.objects.get(campaign=campaign, seq=active[0])
        for seq, code, text, at, by in unit_explanations(store, unit.seq):
            view.answers.setdefault(code, []).append({"text": text, "at": timezone.localtime(at), "by": by})
    view.rows = {row.code: row for row in diff.rows}
    view.explanations = loads(submission.explanations) or {}
    view.documents = {code: [{"number": n, "date": d, "summary": s} for n, d, s in docs]
                      for code, docs in (loads(submission.documents) or {}).items()}
    for row in diff.rows:
        view.values[row.code] = row.self_text
        view.appraisals[row.code] = [
            {"what": step.what, "reason": step.reason, "by": step.by, "at": step.at}
            for step in row.steps if step.what.startswith("Vòng")]
    view.totals = {"self": diff.self_totals, "final": diff.totals, "survey": diff.survey_points}
    return view


@dataclass(frozen=True)
class UnitRow:
    unit: Unit
    state_label: str
    state_class: str
    round1: int
    round2: int
    explanations: int


def unit_rows(campaign: Campaign, units: list[Unit]) -> list[UnitRow]:
    """Each unit's state for lists (appraiser's units, Nội vụ's overview), from one status read."""
    status = c.status(services.store_for(campaign))
    by_name = {u.unit: u for u in status.units}
    rows = []
    for unit in units:
        s = by_name.get(unit.name)
        if s is None:
            continue
        if s.submission_seq is not None:
            label, css = ("Đã thẩm định" if s.round1 else "Đã chốt, chờ thẩm định"), ("ok" if s.round1 else "info")
        elif s.submission.startswith("đã rút"):
            label, css = "Đã rút", "warn"
        else:
            label, css = "Chưa chốt", "warn"
        rows.append(UnitRow(unit, label, css, s.round1, s.round2, s.explanations))
    return rows


@dataclass(frozen=True)
class Overview:
    units: int
    submitted: int
    appraised: int
    surveyed: int
    phases: list[dict[str, Any]]
    rows: list[UnitRow]
    more: int


def overview(campaign: Campaign, limit: int = 200) -> Overview:
    store = services.store_for(campaign)
    status = c.status(store)
    phases = []
    for state in status.phases:
        css = {"đang mở": "ok", "đã kết thúc": "", "chưa mở": "info"}.get(state.state, "")
        phases.append({"code": state.key, "label": PHASE_LABEL[state.key], "deadline": state.deadline,
                       "state_label": state.state, "state_class": css, "open": state.is_open})
    units = list(Unit.objects.filter(campaign=campaign).select_related("group").order_by("seq")[:limit])
    return Overview(
        units=len(status.units), submitted=sum(1 for u in status.units if u.submission_seq is not None),
        appraised=sum(1 for u in status.units if u.round1), surveyed=sum(1 for u in status.units if u.survey),
        phases=phases, rows=unit_rows(campaign, units), more=max(0, len(status.units) - limit))


@dataclass(frozen=True)
class Member:
    username: str
    name: str
    role: str
    scope: str
    changed: bool


def members_of(campaign: Campaign) -> list[Member]:
    store = services.store_for(campaign)
    changed = dict(Profile.objects.values_list("user__username", "must_change_password"))
    return [Member(a.username, a.name, ROLE_WORDS.get(a.role, a.role),
                   a.unit or "; ".join(a.assignments) or "—", not changed.get(a.username, False))
            for a in c.accounts(store)]



@dataclass(frozen=True)
class SurveyRow:
    at: str
    source: str
    count: int
    by: str


def survey_imports(campaign: Campaign) -> list[SurveyRow]:
    store = services.store_for(campaign)
    rows = list(SurveyImport.objects.filter(campaign=campaign).order_by("-seq"))
    meta = store.entry_meta([r.seq for r in rows])
    return [SurveyRow(_moment(meta[r.seq][0]), r.source, len(loads(r.cells) or {}), meta[r.seq][1]) for r in rows]


@dataclass(frozen=True)
class PublicationRow:
    seq: int
    at: str
    number: str
    date: str
    file_list: list[str]


def publications(campaign: Campaign) -> list[PublicationRow]:
    store = services.store_for(campaign)
    rows = list(Publication.objects.filter(campaign=campaign).order_by("-seq"))
    meta = store.entry_meta([r.seq for r in rows])
    return [PublicationRow(r.seq, _moment(meta[r.seq][0]), r.number, r.date, list(loads(r.files) or []))
            for r in rows]


def publication_file(campaign: Campaign, name: str) -> bytes:
    """A published file by name — only a name the publication recorded, read from its folder."""
    for row in Publication.objects.filter(campaign=campaign).order_by("-seq"):
        if name in (loads(row.files) or []):
            path = Path(settings.MEDIA_ROOT) / "cong-bo" / campaign.slug / Path(name).name
            if path.is_file():
                return path.read_bytes()
    raise Http404("Không có tệp công bố này.")


@dataclass(frozen=True)
class EntryRow:
    seq: int
    at: str
    actor: str
    action: str
    unit: str
    detail: str
    hash: str


def entry_row(entry: Any) -> EntryRow:
    return EntryRow(entry.seq, _moment(entry.at), entry.actor, entry.action, entry.unit, describe(entry), entry.hash)


def _moment(text: str) -> str:
    try:
        return timezone.localtime(dt.datetime.fromisoformat(text)).strftime("%H:%M %d/%m/%Y")
    except (TypeError, ValueError):
        return text


def ranking(user, campaign: Campaign) -> list:
    """The store's ranking, kept while the campaign's log does not move: every write that can change
    it (submission, withdrawal, appraisal, survey, phase) appends to the log, so its head says
    whether the kept rows are current.

    Kept twice: in this process (no unpickling of 3,321 rows per view) and in the database cache
    shared by every app server, so a change is ranked once, not once per gunicorn worker. When the
    log has moved, the per-unit results kept beside it (``standings.compute``'s ``kept``, keyed by
    each unit's submission, appraisal and survey rows) are reused: one submission or appraisal
    scores one unit again, not 3,321. Who may see it is checked on every call, before any copy is read."""
    services.require_campaign_wide(user, campaign, "xem kết quả xếp hạng")
    head = Campaign.objects.filter(pk=campaign.pk).values_list("head_seq", "head_hash").get()
    kept = _rankings.get(campaign.pk)
    if kept is not None and kept[0] == head:
        return kept[1]
    key = f"ranking:{campaign.pk}:{campaign.rubric_hash}"
    shared = cache.get(key)
    if shared is not None and shared[0] == head:
        rows = shared[1]
    else:
        units_key = f"ranking-units:{campaign.pk}:{campaign.rubric_hash}"
        local = _unit_results.get(campaign.pk)
        units = local[1] if local is not None and local[0] == campaign.rubric_hash else cache.get(units_key) or {}
        rows = services.rank(user, campaign, kept=units)
        cache.set(key, (head, rows))
        cache.set(units_key, units)  # also when nothing changed here: the shared copy may have been culled
        _unit_results[campaign.pk] = (campaign.rubric_hash, units)
    _rankings[campaign.pk] = (head, rows)
    return rows


_rankings: dict[int, tuple[tuple[int, str], list]] = {}
_unit_results: dict[int, tuple[str, dict]] = {}
