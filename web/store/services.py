"""The campaign's services for the portal: each takes the acting account first, checks it, and
refuses in Vietnamese (``AccessDenied``/``CampaignError``, both ``InputError``) with nothing written.

They run the same functions as ``parindex campaign …`` (``scoring.campaign``) on the portal's
database, so the command line and the portal obey one set of rules and write one audit chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import tempfile
import uuid
from functools import lru_cache
from pathlib import Path
from typing import IO, Any, Callable

from django.conf import settings
import rules
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.db import transaction

from criteria import InputError, Rubric
from criteria.rules import MISSING
from criteria.rules.base import nfc
from scoring import campaign as c
from scoring.campaign.accounts import add_account
from scoring.campaign.cells import cell_to_json, dumps
from scoring.campaign.clock import FixedClock, SystemClock, clock_from_environment, parse_moment
from scoring.campaign.phases import (EXPLAIN, PHASE_VI, PHASES, ROUND1, ROUND2, SELF, parse_deadlines, phase_key,
                                     phase_states, require_open, state_of)
from scoring.campaign.setup import create_campaign as _create_campaign
from scoring.campaign.setup import slugify
from scoring.campaign.standings import Kept
from scoring.campaign.store import AccessDenied, CampaignError, CampaignStore, frozen_rubric
from scoring.campaign.submissions import SubmitOutcome, active_submission, record_content, survey_codes
from scoring.evidence import parse_cell

from . import models as m
from .permissions import membership

__all__ = [
    "AccessDenied", "CampaignError", "InputError", "add_units", "appraise", "audit_log", "campaigns_for",
    "close_phase", "create_accounts", "create_campaign", "draft_for", "explain", "import_survey",
    "import_units_xlsx", "must_change_password", "open_file", "password_changed", "phase_now", "publish", "rank",
    "request_explanation", "rubric_of", "save_cells", "set_deadline", "store_for", "submit", "units_for",
    "upload_file", "verify", "withdraw",
]


def _clock(campaign: m.Campaign) -> SystemClock | FixedClock:
    """The server's clock; the demo clock (``PARINDEX_NOW``) only for a campaign created in demo mode."""
    return clock_from_environment() if campaign.demo else SystemClock()


def store_for(campaign: m.Campaign, user: User | None = None) -> CampaignStore:
    """The campaign on the portal's database, acting as ``user`` by default."""
    alias = campaign._state.db or "default"
    return CampaignStore(f"{alias}#{campaign.slug}", alias, campaign, _clock(campaign), operator=user)


def rubric_of(campaign: m.Campaign) -> Rubric:
    return frozen_rubric(campaign.rubric_hash, campaign.rubric_text)


# ---------------------------------------------------------------- accounts
def must_change_password(user: User) -> bool:
    profile = m.Profile.objects.filter(user=user).first()
    return bool(profile and profile.must_change_password)


def password_changed(user: User) -> None:
    m.Profile.objects.update_or_create(user=user, defaults={"must_change_password": False})


def campaigns_for(user: User) -> list[m.Campaign]:
    if not user.is_authenticated:
        return []
    return list(m.Campaign.objects.filter(memberships__user=user).order_by("-year", "title"))


def units_for(user: User, campaign: m.Campaign) -> list[m.Unit]:
    """The units the account may see: its own unit, its assigned units, or all (Quản trị, Xem)."""
    found = membership(user, campaign)
    units = m.Unit.objects.filter(campaign=campaign).order_by("seq")
    if found is None:
        return []
    if found.role == m.DON_VI:
        return list(units.filter(pk=found.unit_id))
    if found.role == m.THAM_DINH:
        assigned = list(found.assignments.all())
        if any(a.unit_id is None for a in assigned):
            return list(units)
        return list(units.filter(pk__in=[a.unit_id for a in assigned]))
    return list(units)


def create_accounts(user: User, campaign: m.Campaign, wanted: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """[{username (the full name), role, unit (Unit or None), fields}] → [(user name, initial password)]."""
    store = store_for(campaign)
    made = []
    for item in wanted:
        unit = item.get("unit")
        info = add_account(store, item["username"], item["role"], by=user,
                                         unit=unit.name if isinstance(unit, m.Unit) else unit,
                                         fields=tuple(item.get("fields") or ()), units=tuple(item.get("units") or ()))
        made.append((info.username, info.password))
    return made


# ---------------------------------------------------------------- campaign administration
def create_campaign(user: User, slug: str, title: str, year: int, rubric_text: str,
                    deadlines: dict[str, str] | None = None, demo: bool = False) -> m.Campaign:
    """A new campaign on the portal's database; the creator (a staff account) becomes its Quản trị."""
    if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
        raise AccessDenied.single("chiến dịch", "", "chỉ tài khoản quản trị hệ thống được tạo chiến dịch")
    try:
        phases = parse_deadlines(deadlines or {})
    except ValueError as exc:
        raise CampaignError.single("chiến dịch", "hạn giai đoạn", str(exc)) from None
    clock = clock_from_environment() if demo else SystemClock()
    store = _create_campaign("default", "cổng", slugify(slug or title), nfc(title), year, rubric_text, user, phases,
                             clock, demo)
    return store.campaign


def add_units(user: User, campaign: m.Campaign, units: list[dict[str, str]]) -> int:
    store = store_for(campaign)
    added = 0
    for level in dict.fromkeys(u.get("level", "") for u in units):
        names = [u["name"] for u in units if u.get("level", "") == level]
        added += len(c.add_unit(store, names, by=user, level=level))
    groups = {u["name"]: u.get("group") for u in units if u.get("group")}
    for name, group in groups.items():
        g, _ = m.UnitGroup.objects.get_or_create(campaign=campaign, name=nfc(group))
        m.Unit.objects.filter(campaign=campaign, name=nfc(name)).update(group=g)
    return added


def _with_temp_file(name: str, data: bytes, run: Callable[[Path], Any]) -> Any:
    suffix = Path(name).suffix.lower()
    with tempfile.TemporaryDirectory(prefix="parindex-upload-") as folder:
        path = Path(folder) / f"tai-len{suffix}"
        path.write_bytes(data)
        return run(path)


def import_units_xlsx(user: User, campaign: m.Campaign, name: str, data: bytes) -> int:
    store = store_for(campaign)
    names = _with_temp_file(name, data, lambda path: c.unit_names_from_files(store, [path]))
    return len(c.add_unit(store, names, by=user))


def set_deadline(user: User, campaign: m.Campaign, phase: str, iso_text: str) -> None:
    """Move a phase's deadline (Quản trị), before the phase has ended."""
    store = store_for(campaign)
    try:
        key = phase_key(phase)
        moment = parse_moment(iso_text, end_of_day=True).isoformat()
    except ValueError as exc:
        raise CampaignError.single(store.name, "hạn giai đoạn", str(exc)) from None
    with store.writing():
        store.require(user, "store.manage_campaign", None, f"đặt hạn {PHASE_VI[key]}")
        require_open(store, key, f"đặt lại hạn {PHASE_VI[key]}")
        deadlines = dict(store.info.deadlines)
        deadlines[key] = moment
        store.append("set-deadline", user, "", {"phase": key, "deadline": moment})
        m.Campaign.objects.using(store.alias).filter(pk=campaign.pk).update(deadlines=dumps(deadlines))
        m.Phase.objects.using(store.alias).filter(campaign=campaign, code=key).update(deadline=moment)


def close_phase(user: User, campaign: m.Campaign, phase: str) -> int:
    return c.close_phase(store_for(campaign), phase, by=user)


def import_survey(user: User, campaign: m.Campaign, name: str, data: bytes) -> int:
    store = store_for(campaign)
    outcome = _with_temp_file(name, data, lambda path: c.import_survey(store, path, by=user))
    return outcome.changed


def phase_now(campaign: m.Campaign) -> tuple[str, dt.datetime | None, bool]:
    """(phase code, its deadline, open?) by the server's clock; ``cong-bo`` once published."""
    store = store_for(campaign)
    if store.published():
        return "cong-bo", None, False
    states = phase_states(store)
    current = next((s for s in states if s.is_open), None) or next((s for s in states if not s.has_ended), states[-1])
    return current.key, current.deadline, current.is_open


def require_campaign_wide(user: User, campaign: m.Campaign, doing: str) -> None:
    """Refuse ``doing`` (a read of every unit: ranking, the log's verification) unless ``user`` may
    read the whole campaign — Quản trị, Thẩm định, Xem; never a unit's account. The same rule as
    the command line's ``rank``/``verify``; cheap, so a cached page checks it on every view."""
    if not rules.has_perm("store.view_all_units", user, campaign):
        store_for(campaign).require(user, "store.view_all_units", None, doing)  # raises, in Vietnamese


def rank(user: User, campaign: m.Campaign, kept: Kept | None = None) -> list[c.Standing]:
    """The ranking; ``kept``: per-unit results of an earlier call, reused where a unit's inputs did not change."""
    require_campaign_wide(user, campaign, "xem kết quả xếp hạng")
    return c.rank(store_for(campaign), kept=kept)


def publish(user: User, campaign: m.Campaign, number: str | None = None, date: dt.date | None = None,
            progress: Callable[[int, int], None] | None = None, **options: Any) -> c.Publication:
    """Publish (Quản trị): the files go to ``MEDIA_ROOT/cong-bo/<slug>/``."""
    store = store_for(campaign)
    settings_options = {"issuer": options.pop("issuer", "Ủy ban nhân dân tỉnh"), "place": options.pop("place", "")}
    folder = Path(settings.MEDIA_ROOT) / "cong-bo" / campaign.slug
    return c.publish(store, folder, c.PublishOptions(number=number, date=date, **settings_options, **options),
                     by=user, on_progress=progress)


def verify(user: User, campaign: m.Campaign) -> c.Verification:
    require_campaign_wide(user, campaign, "kiểm tra nhật ký")
    return c.verify(store_for(campaign))


def audit_log(user: User, campaign: m.Campaign, unit: m.Unit | None = None) -> list:
    store = store_for(campaign)
    if unit is not None:
        store.require(user, "store.view_unit", unit, f"xem nhật ký của {unit.name}")
    else:
        store.require(user, "store.view_audit", None, "xem nhật ký chiến dịch")
    return c.log(store, unit.name if unit else None)


# ---------------------------------------------------------------- a unit's self-assessment
def draft_for(user: User, campaign: m.Campaign, unit: m.Unit) -> m.Draft:
    store = store_for(campaign)
    store.require(user, "store.view_unit", unit, f"xem bản tự đánh giá của {unit.name}")
    draft, _ = m.Draft.objects.get_or_create(campaign=campaign, unit=unit)
    return draft


def _require_self_open(store: CampaignStore, user: User, unit: m.Unit, permission: str, doing: str) -> None:
    store.require(user, permission, unit, doing)
    require_open(store, SELF, doing)


def save_cells(user: User, campaign: m.Campaign, unit: m.Unit, cells: dict[str, str] | None = None,
               documents: dict[str, list[dict[str, str]]] | None = None,
               explanations: dict[str, str] | None = None) -> m.Draft:
    """Merge the given leaves into the unit's draft (one row update); a value the leaf's rule cannot read
    is refused with its message (nothing saved)."""
    store = store_for(campaign)
    _require_self_open(store, user, unit, "store.edit_self_assessment", f"sửa bản tự đánh giá của {unit.name}")
    rubric = rubric_of(campaign)
    policies, survey = _leaf_facts(campaign.rubric_hash, campaign.rubric_text)
    for code, text in (cells or {}).items():
        node = rubric.by_code.get(code)
        if node is None or not node.is_leaf or code in survey:
            raise CampaignError.single(unit.name, "", "không phải tiêu chí đơn vị tự chấm", code)
        try:
            parse_cell(rubric, node, policies[code], text)
        except ValueError as exc:
            raise CampaignError.single(unit.name, "", str(exc), code) from None
    for code in list(documents or {}) + list(explanations or {}):
        if code not in rubric.by_code:
            raise CampaignError.single(unit.name, "", "không có tiêu chí này trong bộ chỉ số", code)
    with transaction.atomic(using=campaign._state.db or "default"):  # the row locked from read to write: two
        # saves of one unit at once (two leaves posted together) both land, neither overwrites the other
        draft, _ = m.Draft.objects.select_for_update().get_or_create(campaign=campaign, unit=unit)
        draft.cells = {**draft.cells, **{k: nfc(v) for k, v in (cells or {}).items()}}
        draft.documents = {**draft.documents, **(documents or {})}
        draft.explanations = {**draft.explanations, **{k: nfc(v) for k, v in (explanations or {}).items()}}
        draft.updated_by = user
        draft.save(update_fields=["cells", "documents", "explanations", "updated_by", "updated_at"])
    return draft


@lru_cache(maxsize=32)
def _leaf_facts(rubric_hash: str, rubric_text: str) -> tuple[dict[str, str], frozenset[str]]:
    """(each leaf's “không phát sinh” policy, the survey's leaves) of a campaign's rubric, once per process."""
    rubric = frozen_rubric(rubric_hash, rubric_text)
    survey = rubric.by_code[rubric.survey.code].walk() if rubric.survey is not None else ()
    return rubric.policy_of(), frozenset(n.code for n in survey if n.is_leaf)


def submit(user: User, campaign: m.Campaign, unit: m.Unit) -> SubmitOutcome:
    """Freeze the unit's draft as its submission (recorded, signed); identical content records nothing."""
    store = store_for(campaign)
    rubric = rubric_of(campaign)
    policies = rubric.policy_of()
    draft = m.Draft.objects.filter(campaign=campaign, unit=unit).first()
    if draft is None or not any(str(v).strip() for v in draft.cells.values()):
        raise CampaignError.single(unit.name, "", "bản tự đánh giá chưa có số liệu nào để nộp")
    survey = set(survey_codes(store))
    cells = {}
    for code, text in draft.cells.items():
        node = rubric.by_code.get(code)
        if node is None or code in survey:
            continue
        try:
            cell = parse_cell(rubric, node, policies[code], text)
        except ValueError as exc:
            raise CampaignError.single(unit.name, "", str(exc), code) from None
        if cell.state != MISSING:
            cells[code] = cell_to_json(cell)
    content = {
        "cells": dict(sorted(cells.items())),
        "explanations": {k: v for k, v in draft.explanations.items() if v},
        "documents": {k: [[d.get("number", ""), d.get("date", ""), d.get("summary", "")] for d in v]
                      for k, v in draft.documents.items() if v},
    }
    with store.writing():
        _require_self_open(store, user, unit, "store.submit", f"nộp bản tự đánh giá của “{unit.name}”")
        return record_content(store, unit, content, "cổng", user)


def withdraw(user: User, campaign: m.Campaign, unit: m.Unit, reason: str) -> int:
    return c.withdraw(store_for(campaign), unit.name, reason=reason, by=user)


def _evidence_storage() -> Storage:
    return storages["evidence"]


def upload_file(user: User, campaign: m.Campaign, unit: m.Unit, code: str, original_name: str, data: bytes,
                content_type: str) -> m.EvidenceFile:
    """Store a tài liệu kiểm chứng under a generated name (never the uploaded one) and record it.

    Allowed to the unit's own account while self-assessment is open, and during giải trình (extra
    documents for an explanation) when the unit has a live submission.
    """
    store = store_for(campaign)
    if code not in rubric_of(campaign).by_code:
        raise CampaignError.single(unit.name, "", "không có tiêu chí này trong bộ chỉ số", code)
    digest = hashlib.sha256(data).hexdigest()
    storage = _evidence_storage()
    name = f"{campaign.pk}/{uuid.uuid4().hex}"
    with store.writing():
        doing = f"tải tài liệu kiểm chứng của {unit.name}"
        store.require(user, "store.upload_evidence", unit, doing)
        if not state_of(store, EXPLAIN).is_open or active_submission(store, unit.seq) is None:
            require_open(store, SELF, doing)
        saved = storage.save(name, ContentFile(data))
        try:
            seq = store.record("evidence_file", {
                "unit_seq": unit.seq, "code": code, "original_name": nfc(Path(original_name).name)[:255],
                "stored_name": saved, "sha256": digest, "size": len(data), "content_type": content_type[:100],
            }, action="upload", actor=user, unit=unit.name)
        except BaseException:
            storage.delete(saved)  # the record was not written: neither is the file
            raise
    return store.objects(m.EvidenceFile).get(seq=seq)


def open_file(user: User, file_id: int) -> tuple[m.EvidenceFile, IO[bytes]]:
    """The file and an open handle, for an account that may see its unit; refuses a changed file."""
    found = m.EvidenceFile.objects.select_related("unit", "campaign").filter(pk=file_id).first()
    if found is None:
        raise CampaignError.single("tài liệu", "", "không có tài liệu này")
    store = store_for(found.campaign)
    store.require(user, "store.view_unit", found.unit, f"xem tài liệu của {found.unit.name}")
    with _evidence_storage().open(found.stored_name, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != found.sha256:
        raise CampaignError.single(found.original_name, "", "tài liệu đã bị thay đổi ngoài phần mềm (mã băm không khớp)")
    return found, io.BytesIO(data)


# ---------------------------------------------------------------- appraisal
def _open_round(store: CampaignStore, round_: int) -> None:
    key = {1: ROUND1, 2: ROUND2}.get(round_)
    if key is None:
        raise CampaignError.single(store.name, "", f"không có vòng thẩm định {round_}")
    require_open(store, key, f"thẩm định vòng {round_}")


def appraise(user: User, campaign: m.Campaign, unit: m.Unit, round_: int, code: str, points_text: str | None,
             reason: str, *, evidence: Any = None, accept: bool = False) -> int:
    store = store_for(campaign)
    _open_round(store, round_)
    return c.appraise(store, unit.name, code, reason=reason, by=user, points=points_text or None,
                      evidence=evidence, accept=accept)


def request_explanation(user: User, campaign: m.Campaign, unit: m.Unit, round_: int, code: str, note: str) -> int:
    store = store_for(campaign)
    if not nfc(note):
        raise CampaignError.single(unit.name, "", "yêu cầu giải trình cần nội dung", code)
    with store.writing():
        store.require(user, "store.request_explanation", unit, f"yêu cầu {unit.name} giải trình")
        _open_round(store, round_)
        if code not in rubric_of(campaign).by_code:
            raise CampaignError.single(unit.name, "", "không có tiêu chí này trong bộ chỉ số", code)
        return store.record("explanation_request", {"unit_seq": unit.seq, "round": round_, "code": code,
                                                    "note": nfc(note)},
                            action="request-explanation", actor=user, unit=unit.name)


def explain(user: User, campaign: m.Campaign, unit: m.Unit, code: str, text: str) -> int:
    return c.explain(store_for(campaign), unit.name, code, text, by=user)


PHASE_CODES = PHASES + ("cong-bo",)
PHASE_LABELS = {**PHASE_VI, "cong-bo": "công bố", EXPLAIN: PHASE_VI[EXPLAIN]}
