"""Starting a campaign (``init``) and registering its units (``add_unit``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

from django.contrib.auth.models import User
from django.db import DatabaseError, transaction

from criteria import load_rubric, load_rubric_text
from criteria.canonical import rubric_sha256
from criteria.files import os_reason
from criteria.names import unit_clash, unit_key
from criteria.rules.base import nfc
from criteria.tables.header import fold
from scoring.inputs.readers import read_evidence
from web import setup as web_setup
from web.dburl import is_postgres, split_slug, sqlite_file
from web.store import models as m

from .accounts import ensure_account
from .cells import dumps
from .clock import Clock, SystemClock
from .phases import SELF, parse_deadlines, require_open
from .signing import load_signer
from .store import CampaignError, CampaignStore, connect, database_problem, shown_location

Progress = Callable[[int, int], None]  # (done, total)


def slugify(text: str) -> str:
    """“Chỉ số CCHC cấp xã 2025” → “chi-so-cchc-cap-xa-2025”."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))[:90] or "chien-dich"


def _new_database(location: str | Path) -> tuple[str, Path | None]:
    """Create the database behind ``location``: (alias, the SQLite file we created or None)."""
    if is_postgres(location):
        alias = connect(location)
        try:
            web_setup.migrate(alias)
        except DatabaseError as exc:
            raise database_problem(shown_location(location), exc) from None
        return alias, None
    path = sqlite_file(location)
    try:
        web_setup.create_sqlite_file(path)
    except FileExistsError:
        raise CampaignError.single(str(path), "", "tệp đã tồn tại: mỗi chiến dịch một tệp mới") from None
    except OSError as exc:
        raise CampaignError.single(str(path), "", f"không tạo được tệp chiến dịch ({os_reason(exc)})") from None
    return connect(location), path


def init(location: str | Path, rubric_path: str | Path, name: str, *, by: str,
         deadlines: dict[str, str] | None = None, year: int | None = None,
         clock: Clock | None = None, demo: bool = False) -> CampaignStore:
    """Create a campaign for one rubric and year; the rubric text is frozen inside it.

    ``by`` names the first Quản trị account (created when missing). ``deadlines`` maps phase
    names (``tu-danh-gia``, ``tham-dinh-1``, ``giai-trinh``, ``tham-dinh-2``) to moments
    (“31/01/2026” = end of that day, or “31/01/2026 17:00”). ``year`` is the year assessed
    (default: the rubric's year). ``demo``: the campaign accepts the demo clock (``PARINDEX_NOW``).
    """
    rubric = load_rubric(rubric_path)  # validates, with lines, before anything is written
    text = Path(rubric_path).read_text(encoding="utf-8")
    shown = shown_location(location)
    clock = clock or SystemClock()
    if not name.strip():
        raise CampaignError.single(shown, "", "cần tên chiến dịch (--name)")
    if not by.strip():
        raise CampaignError.single(shown, "", "cần tên tài khoản quản trị đầu tiên (--as)")
    if year is not None and not 2000 <= year <= 2100:
        raise CampaignError.single(shown, "", f"năm đánh giá {year} không hợp lệ")
    if clock.simulated and not demo:
        raise CampaignError.single(shown, "PARINDEX_NOW", "đồng hồ giả lập chỉ dùng cho chiến dịch trình diễn: thêm "
                                                          "--demo, hoặc bỏ PARINDEX_NOW để dùng giờ máy chủ")
    try:
        phases = parse_deadlines(deadlines or {})
    except ValueError as exc:
        raise CampaignError.single(shown, "hạn giai đoạn", str(exc)) from None
    alias, created = _new_database(location)
    slug = (split_slug(str(location))[1] if is_postgres(location) else "") or slugify(f"{name} {year or rubric.year}")
    try:
        return create_campaign(alias, location, slug, nfc(name), year or rubric.year, text, by, phases, clock, demo)
    except BaseException:
        web_setup.forget(alias)
        if created is not None:  # only the file this call made (a concurrent init's link failed instead)
            created.unlink(missing_ok=True)
        raise


def create_campaign(alias: str, location: str | Path, slug: str, name: str, year: int, rubric_text: str,
                    by: str | User, phases: dict[str, str | None], clock: Clock, demo: bool) -> CampaignStore:
    """The campaign's rows in an existing database, with its first Quản trị and its ``init`` entry."""
    rubric = load_rubric_text(rubric_text, f"{slug} (bộ chỉ số)")
    shown = shown_location(location)
    signer = load_signer(create=True)
    row = {"name": name, "year": year, "rubric_id": rubric.id, "rubric_sha256": rubric_sha256(rubric),
           "rubric_text": rubric_text, "deadlines": dumps(phases)}
    with transaction.atomic(using=alias):
        if m.Campaign.objects.using(alias).filter(slug=slug).exists():
            raise CampaignError.single(shown, "", f"đã có chiến dịch “{slug}” trong cơ sở dữ liệu này")
        campaign = m.Campaign.objects.using(alias).create(
            slug=slug, title=name, rubric_id=rubric.id, rubric_text=rubric_text, rubric_hash=row["rubric_sha256"],
            year=year, demo=demo, deadlines=row["deadlines"], seq=1)
        store = CampaignStore(location, alias, campaign, clock, signer=signer)
        admin = by if isinstance(by, User) else ensure_account(alias, by)[0]
        m.Membership.objects.using(alias).create(user=admin, campaign=campaign, role=m.QUAN_TRI)
        m.Phase.objects.using(alias).bulk_create(
            [m.Phase(campaign=campaign, code=code, deadline=moment or "") for code, moment in phases.items()])
        m.Campaign.objects.using(alias).filter(pk=campaign.pk).update(created_by=admin)
        with store.writing():
            store.append("init", admin, "", {"table": "campaign", "row": row, "key": signer.fingerprint()})
        store.operator = admin
    return store


def add_unit(store: CampaignStore, names: Iterable[str], *, by: str | User | None = None, level: str = "",
             on_progress: Progress | None = None) -> list[str]:
    """Register units (unique names); a name already there, exactly as written, is skipped. Returns those added.

    A name that is the same unit as one already there (or earlier in ``names``) written another way —
    “Hòa”/“Hoà”, another Unicode form, case, inner spaces (``criteria.names.unit_key``) — is refused,
    naming the unit that exists, and nothing is added. Units are added while self-assessment is
    open, by a Quản trị account; ``level`` is free text (xã, phường, sở…).
    """
    wanted = [nfc(n) for n in names if nfc(n)]
    if not wanted:
        raise CampaignError.single(store.name, "", "cần ít nhất một tên đơn vị")
    actor = store.account(by)
    added: list[str] = []
    with store.writing():
        store.require(actor, "store.manage_campaign", None, "thêm đơn vị")
        require_open(store, SELF, "thêm đơn vị")
        seen = {unit_key(n): n for _, n, _ in store.units()}
        existing = set(seen.values())
        new = near_duplicates(store.name, wanted, seen, existing)
        with store.batched():
            for done, unit in enumerate(wanted, 1):
                if unit in new and unit not in added:
                    seq = store.append("add-unit", actor, unit,
                                       {"table": "unit", "row": {"name": unit, "level": nfc(level)}})
                    store.insert(m.Unit(campaign=store.campaign, seq=seq, name=unit, key=unit_key(unit),
                                         level=nfc(level)))
                    added.append(unit)
                if on_progress:
                    on_progress(done, len(wanted))
    return added


def near_duplicates(shown: str, wanted: list[str], seen: dict[str, str], existing: set[str]) -> set[str]:
    """The names of ``wanted`` that are new units; refuses one that is an existing unit (``seen``:
    key → name) or an earlier name of ``wanted`` written another way."""
    new: set[str] = set()
    for name in wanted:
        if name in existing or name in new:
            continue
        other = unit_clash(name, seen)
        if other is not None:
            where = "đã có trong chiến dịch" if other in existing else "cũng có trong danh sách thêm"
            raise CampaignError.single(shown, "", f"đơn vị “{name}” trùng với đơn vị “{other}” {where} (chỉ khác "
                                                  "cách bỏ dấu, chữ hoa/thường hoặc khoảng trắng): dùng đúng tên "
                                                  f"“{other}”")
        new.add(name)
    return new


def unit_names_from_files(store: CampaignStore, paths: Iterable[str | Path]) -> list[str]:
    """The units named in evidence files (.yaml, or the unit column of .csv/.xlsx), in order."""
    names: list[str] = []
    for path in paths:
        names.extend(u for u in read_evidence(store.rubric, path).units if u not in names)
    return names
