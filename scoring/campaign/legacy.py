"""``migrate``: bring a campaign file of the earlier format (stdlib ``sqlite3`` tables, free-text
``--by`` names) into the store, keeping its audit history verifiable.

Every entry is copied exactly (number, moment, name, action, unit, content, hashes), so the
chain still checks; every row is copied under its entry's number. Each distinct name of the old
log becomes an account: the one who initialised the campaign becomes its Quản trị; the others
are created locked and without a role (grant one with ``campaign account add``). A signed
``migrate`` entry closes the import; the imported entries are reported as unsigned by
``verify``, never as forged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

from django.db import transaction

from criteria.names import unit_key
from web import setup as web_setup
from web.store import models as m

from .accounts import ensure_account
from .clock import SystemClock
from .setup import _new_database, slugify
from .signing import load_signer
from .store import CampaignError, CampaignStore

OLD_TABLES: dict[str, tuple[str, ...]] = {
    "unit": ("name", "level"),
    "submission": ("unit_seq", "content_sha256", "cells", "explanations", "documents", "source"),
    "withdrawal": ("submission_seq", "reason"),
    "appraisal": ("unit_seq", "submission_seq", "round", "code", "action", "cell", "points", "reason"),
    "explanation": ("unit_seq", "code", "text"),
    "phase_close": ("phase",),
    "survey_import": ("source", "content_sha256", "cells"),
    "publication": ("results", "content_sha256"),
}


def _read_old(path: Path) -> tuple[list[tuple], dict[str, list[tuple]], tuple]:
    if not path.is_file():
        raise CampaignError.single(str(path), "", "không tìm thấy tệp chiến dịch cũ")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if version is None or version[0] != "1":
            raise CampaignError.single(str(path), "", "không phải tệp chiến dịch định dạng cũ (phiên bản 1)")
        entries = conn.execute("SELECT seq, at, actor, action, unit, detail, prev_hash, hash FROM audit_log "
                               "ORDER BY seq").fetchall()
        tables = {t: conn.execute(f"SELECT seq, {', '.join(cols)} FROM {t} ORDER BY seq").fetchall()
                  for t, cols in OLD_TABLES.items()}
        campaign = conn.execute("SELECT seq, name, year, rubric_id, rubric_sha256, rubric_text, deadlines "
                                "FROM campaign ORDER BY seq LIMIT 1").fetchone()
        conn.close()
    except sqlite3.DatabaseError:
        raise CampaignError.single(str(path), "", "không phải tệp chiến dịch parindex (hoặc tệp hỏng)") from None
    if campaign is None:
        raise CampaignError.single(str(path), "", "tệp chiến dịch cũ chưa được khởi tạo")
    return entries, tables, campaign


def migrate(old: str | Path, location: str | Path) -> CampaignStore:
    """Import the old campaign file ``old`` into a new store at ``location``."""
    old = Path(old)
    entries, tables, campaign_row = _read_old(old)
    seq0, name, year, rubric_id, rubric_sha, rubric_text, deadlines = campaign_row
    simulated = any('"clock":"simulated"' in e[5] for e in entries)
    signer = load_signer(create=True)
    alias, created = _new_database(location)
    try:
        with transaction.atomic(using=alias):
            slug = slugify(f"{name} {year}")
            campaign = m.Campaign.objects.using(alias).create(
                slug=slug, title=name, rubric_id=rubric_id, rubric_text=rubric_text, rubric_hash=rubric_sha,
                year=year, demo=simulated, deadlines=deadlines, seq=seq0,
                head_seq=entries[-1][0] if entries else 0, head_hash=entries[-1][7] if entries else m.GENESIS)
            init_actor = next((e[2] for e in entries if e[0] == seq0), entries[0][2])
            accounts = {}
            for actor in dict.fromkeys(e[2] for e in entries):
                user, _ = ensure_account(alias, actor)
                if actor != init_actor and not m.Membership.objects.using(alias).filter(user=user).exists():
                    user.is_active = False
                    user.save(using=alias, update_fields=["is_active"])
                accounts[actor] = user
            admin = accounts[init_actor]
            m.Membership.objects.using(alias).create(user=admin, campaign=campaign, role=m.QUAN_TRI)
            m.Campaign.objects.using(alias).filter(pk=campaign.pk).update(created_by=admin)
            for code, moment in json.loads(deadlines).items():
                m.Phase.objects.using(alias).create(campaign=campaign, code=code, deadline=moment or "")
            m.AuditEntry.objects.using(alias).bulk_create([
                m.AuditEntry(campaign=campaign, seq=s, at=at, account=accounts[actor], actor=actor, action=action,
                             unit=unit, payload=detail, prev_hash=prev, hash=digest, signature="")
                for s, at, actor, action, unit, detail, prev, digest in entries], batch_size=500)
            _copy_rows(alias, campaign, tables)
            store = CampaignStore(location, alias, campaign, SystemClock(), admin, signer)
            with store.writing():
                store.append("migrate", admin, "", {
                    "source": old.name, "sha256": hashlib.sha256(old.read_bytes()).hexdigest(), "entries": len(entries),
                    "head": [campaign.head_seq, campaign.head_hash]})
    except BaseException:
        web_setup.forget(alias)
        if created is not None:
            created.unlink(missing_ok=True)
        raise
    return store


def _copy_rows(alias: str, campaign: m.Campaign, tables: dict[str, list[tuple]]) -> None:
    units: dict[int, m.Unit] = {}
    for seq, name, level in tables["unit"]:
        units[seq] = m.Unit.objects.using(alias).create(campaign=campaign, seq=seq, name=name, key=unit_key(name),
                                                        level=level)
    submissions: dict[int, m.Submission] = {}
    for seq, unit_seq, digest, cells, explanations, documents, source in tables["submission"]:
        submissions[seq] = m.Submission.objects.using(alias).create(
            campaign=campaign, seq=seq, unit=units[unit_seq], content_sha256=digest, cells=cells,
            explanations=explanations, documents=documents, source=source)
    for seq, submission_seq, reason in tables["withdrawal"]:
        m.Withdrawal.objects.using(alias).create(campaign=campaign, seq=seq, submission=submissions[submission_seq],
                                                 reason=reason)
    m.Appraisal.objects.using(alias).bulk_create([
        m.Appraisal(campaign=campaign, seq=seq, unit=units[u], submission=submissions[s], round=rnd, code=code,
                    action=action, cell=cell, points=points, reason=reason)
        for seq, u, s, rnd, code, action, cell, points, reason in tables["appraisal"]], batch_size=500)
    m.Explanation.objects.using(alias).bulk_create([
        m.Explanation(campaign=campaign, seq=seq, unit=units[u], code=code, text=text)
        for seq, u, code, text in tables["explanation"]])
    m.PhaseClose.objects.using(alias).bulk_create([
        m.PhaseClose(campaign=campaign, seq=seq, phase=phase) for seq, phase in tables["phase_close"]])
    m.SurveyImport.objects.using(alias).bulk_create([
        m.SurveyImport(campaign=campaign, seq=seq, source=source, content_sha256=digest, cells=cells)
        for seq, source, digest, cells in tables["survey_import"]])
    m.Publication.objects.using(alias).bulk_create([
        m.Publication(campaign=campaign, seq=seq, results=results, content_sha256=digest)
        for seq, results, digest in tables["publication"]])
