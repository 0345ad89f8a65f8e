"""``verify``: the audit log and every table against it, and the campaign's rules replayed.

Beyond the hash chain and the rows (``audit``), it proves that
- every entry is signed by the server's key (entries imported from an older campaign file are
  named as unsigned, not refused);
- timestamps never go backwards;
- every entry was allowed in the phase it claims, as the deadlines and closings recorded
  before it say (a submission after the self-assessment deadline, an appraisal outside its
  round, an explanation outside giải trình, a publication before round 2 ended: refused);
- nothing but account housekeeping follows a publication;
- the chain heads recorded at each phase close are still in the chain;
- recomputing the result from the rows gives exactly the published result.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

from web.store import models as m

from . import audit, provenance
from .phases import EXPLAIN, PHASES, ROUND1, ROUND2, SELF, states_at
from .signing import accepts, public_key
from .standings import compute, results_json
from .store import CampaignError, CampaignStore

PHASE_OF = {"add-unit": SELF, "submit": SELF, "withdraw": SELF, "appraise-1": ROUND1, "explain": EXPLAIN,
            "appraise-2": ROUND2}
AFTER_PUBLICATION = {"add-account", "lock-account", "unlock-account", "reset-password", "publish", "migrate"}
DEFAULTS = {  # fields that entries written before they existed did not record
    "phase_close": {"chain_seq": 0, "chain_head": audit.GENESIS},
    "publication": {"number": "", "date": "", "files": "[]", "chain_seq": 0, "chain_head": audit.GENESIS},
}


def entries(store: CampaignStore, unit: str | None = None, seqs: list[int] | None = None) -> list[audit.Entry]:
    """Every entry in order (or one unit's, or those numbered ``seqs``)."""
    found = store.objects(m.AuditEntry).order_by("seq")
    if unit:
        found = found.filter(unit=unit)
    if seqs is not None:
        found = found.filter(seq__in=seqs)
    return [audit.Entry(seq, at, actor, action, u, _detail(text), prev, digest, text, signature)
            for seq, at, actor, action, u, text, prev, digest, signature in found.values_list(
                "seq", "at", "actor", "action", "unit", "payload", "prev_hash", "hash", "signature")]


def _detail(text: str) -> object:
    """An entry's content; ``None`` when it is no longer JSON (edited outside the program: ``verify`` says so)."""
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None


def _field(model: type, name: str) -> str:
    if name.endswith("_seq") and name not in ("chain_seq",):
        return name.removesuffix("_seq") + "__seq"
    return getattr(model, "FIELD_OF", {}).get(name, name)


def table_rows(store: CampaignStore) -> dict[str, list[tuple[int, dict]]]:
    """Every recorded table's rows as their entries recorded them: (seq, {field: value})."""
    tables: dict[str, list[tuple[int, dict]]] = {}
    for table, model in m.RECORDED_MODELS.items():
        names = list(model.RECORDED)
        lookups = [_field(model, n) for n in names]
        found = (m.Campaign.objects.using(store.alias).filter(pk=store.campaign.pk) if model is m.Campaign
                 else store.objects(model))
        tables[table] = [(values[0], dict(zip(names, values[1:])))
                         for values in found.order_by("seq").values_list("seq", *lookups)]
    return tables


def verify(store: CampaignStore, anchor: tuple[int, str] | str | None = None) -> audit.Verification:
    """Check the log, every table against it, the campaign's rules replayed, and a published anchor
    (``"57:3f2a…"`` as printed in the Quyết định công bố)."""
    if isinstance(anchor, str):
        number, _, digest = anchor.partition(":")
        if not number.strip().lstrip("#").isdigit() or len(digest.strip()) != 64:
            raise CampaignError.single(store.name, "", f"mã kiểm tra “{anchor}” không đúng dạng SỐ:SHA256 (64 ký tự)")
        anchor = (int(number.strip().lstrip("#")), digest.strip())
    report = audit.Verification()
    with store.reading():
        log = entries(store)
        by_seq = audit.check_chain(log, store.head(), report)
        report.problems += [f"mục #{e.seq} ({e.action}): nội dung không còn là JSON (bị sửa ngoài phần mềm)"
                            for e in log if e.detail is None]
        tables = table_rows(store)
        audit.check_rows(_with_deadlines_set(by_seq), tables, DEFAULTS, report.problems)
        _check_signatures(log, report)
        audit.check_times(log, report.problems)
        _check_phases(log, report)
        for seq, row in tables["phase_close"]:
            report.phase_heads.append((row["phase"], row["chain_seq"], row["chain_head"]))
            if row["chain_seq"]:
                audit.check_anchor(by_seq, (row["chain_seq"], row["chain_head"]), report.problems,
                                   f"ghi khi khóa giai đoạn (mục #{seq})")
        if anchor is not None:
            audit.check_anchor(by_seq, anchor, report.problems)
        try:
            found = provenance.made_with(store, log)
        except CampaignError as exc:  # the stored rubric text no longer loads
            report.problems += [problem.message for problem in exc.problems]
        else:
            report.problems += provenance.problems(found)
            report.made_with = provenance.describe(found)
        if tables["publication"] and report.ok:
            _check_recomputation(store, tables["publication"][-1], report)
    report.simulated = sum(1 for e in log if isinstance(e.detail, dict) and e.detail.get("clock") == "simulated")
    if report.simulated:
        report.notes.append(f"CHÚ Ý: {report.simulated} mục nhật ký được ghi dưới ĐỒNG HỒ GIẢ LẬP (PARINDEX_NOW, "
                            "chiến dịch trình diễn): thời điểm của chúng không phải giờ máy chủ")
    return report


def _with_deadlines_set(by_seq: dict[int, audit.Entry]) -> dict[int, audit.Entry]:
    """The campaign row as its entries make it: the init entry's deadlines, moved by later ``set-deadline`` entries."""
    init = next((e for e in by_seq.values() if e.action == "init"), None)
    moves = [e.detail for e in by_seq.values() if e.action == "set-deadline" and isinstance(e.detail, dict)]
    if init is None or not moves or not isinstance(init.detail, dict):
        return by_seq
    row = dict(init.detail.get("row", {}))
    try:
        deadlines = json.loads(row.get("deadlines") or "{}")
    except (TypeError, ValueError):
        return by_seq  # the init entry's own content is what check_rows reports
    for move in moves:
        deadlines[move.get("phase")] = move.get("deadline")
    row["deadlines"] = audit.canonical(deadlines)
    return {**by_seq, init.seq: replace(init, detail={**init.detail, "row": row})}


def _check_signatures(log: list[audit.Entry], report: audit.Verification) -> None:
    public = public_key()
    imported = max((e.detail.get("entries", 0) for e in log if e.action == "migrate" and isinstance(e.detail, dict)),
                   default=0)
    if public is None:
        report.notes.append("không kiểm được chữ ký: tệp khóa ký nhật ký không có trên máy này (PARINDEX_SIGNING_KEY)")
        return
    for entry in log:
        if not entry.signature and entry.seq <= imported:
            continue
        if not accepts(public, entry.hash, entry.signature):
            report.problems.append(f"mục #{entry.seq} ({entry.action}) không mang chữ ký hợp lệ của máy chủ: "
                                   "nhật ký đã bị viết lại ngoài phần mềm")
    if imported:
        report.notes.append(f"mục #1–#{imported} chuyển từ tệp chiến dịch cũ, không có chữ ký (chuỗi hash vẫn được kiểm)")


def _check_phases(log: list[audit.Entry], report: audit.Verification) -> None:
    """Replay the phases: each entry allowed at its moment; nothing but housekeeping after publication."""
    deadlines: dict[str, str | None] = {key: None for key in PHASES}
    closes: dict[str, tuple[dt.datetime, str]] = {}
    published_at: int | None = None
    for entry in log:
        detail = entry.detail if isinstance(entry.detail, dict) else {}
        row = detail.get("row", {})
        try:
            moment = dt.datetime.fromisoformat(entry.at)
        except ValueError:
            continue  # reported by check_times
        if entry.action == "init":
            try:
                deadlines.update(json.loads(row.get("deadlines") or "{}"))
            except (TypeError, ValueError):
                report.problems.append(f"mục #{entry.seq}: hạn các giai đoạn không đọc được")
            continue
        if entry.action == "set-deadline" and detail.get("phase") in deadlines:
            deadlines[detail["phase"]] = detail.get("deadline")
        if published_at is not None and entry.action not in AFTER_PUBLICATION:
            report.problems.append(f"mục #{entry.seq} ({entry.action}) ghi sau khi đã công bố (mục #{published_at}): "
                                   "kết quả đã công bố không được thay đổi")
            continue
        states = {s.key: s for s in states_at(deadlines, closes, moment)}
        wanted = PHASE_OF.get(entry.action)
        if wanted is not None and not states[wanted].is_open:
            report.problems.append(f"mục #{entry.seq} ({entry.action}, {entry.at}): giai đoạn {states[wanted].name} "
                                   f"không mở vào lúc đó ({states[wanted].state})")
        if entry.action == "close-phase":
            phase = row.get("phase")
            if phase in states and not states[phase].is_open:
                report.problems.append(f"mục #{entry.seq}: khóa giai đoạn {phase} khi giai đoạn không mở")
            closes.setdefault(phase, (moment, entry.actor))
        if entry.action == "publish":
            if not states[ROUND2].has_ended:
                report.problems.append(f"mục #{entry.seq}: công bố khi thẩm định vòng 2 chưa kết thúc")
            published_at = published_at or entry.seq


def _check_recomputation(store: CampaignStore, publication: tuple[int, dict], report: audit.Verification) -> None:
    seq, row = publication
    recomputed = audit.canonical(results_json(compute(store)))
    if recomputed != row["results"]:
        report.problems.append(f"tính lại từ dữ liệu không ra kết quả đã công bố (mục #{seq}): dữ liệu sau công bố "
                               "đã bị thay đổi")
