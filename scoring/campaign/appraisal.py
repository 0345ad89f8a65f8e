"""Appraisal (thẩm định) in two rounds, and the unit's explanations (giải trình) between them.

For any leaf of a unit's submission an appraiser records one decision, always with a reason
and a name: confirm the self-assessment, change the evidence (re-scored by the leaf's rule),
or set points within the leaf's bounds (``EvidenceTable.with_override`` checks them). In
round 2 the appraiser may also accept the unit's explanation, which restores the
self-assessed value. The decision in force for a leaf is the latest of round 2 that is not a
plain confirmation, else the latest of round 1 that is not, else the self-assessment.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from criteria import InputError, Problem
from criteria.numbers import format_points, parse_decimal, to_scaled
from criteria.rules import Cell
from criteria.rules.base import nfc, norm_text
from scoring.evidence import EvidenceTable, Override, parse_cell

import rules
from django.contrib.auth.models import User

from web.store import models as m
from web.store.permissions import may_appraise_code

from .cells import cell_from_json, cell_to_json, dumps, loads
from .phases import EXPLAIN, open_appraisal_round, require_open
from .store import CampaignError, CampaignStore, display_name
from .submissions import active_submissions, survey_codes
from .tables import find_columns, read_table

Progress = Callable[[int, int], None]
CONFIRM, EVIDENCE, POINTS, ACCEPT = "confirm", "evidence", "points", "accept"
ACTION_VI = {
    CONFIRM: "công nhận kết quả tự đánh giá",
    EVIDENCE: "điều chỉnh số liệu",
    POINTS: "điều chỉnh điểm",
    ACCEPT: "chấp nhận giải trình, giữ điểm tự đánh giá",
}
CHANGES = (EVIDENCE, POINTS)


@dataclass(frozen=True)
class Decision:
    """One appraisal decision as given: ``points`` or ``evidence`` or ``accept``, or none (confirm)."""

    unit: str
    code: str
    reason: str
    points: Decimal | str | None = None
    evidence: Any = None
    accept: bool = False
    place: str = ""  # where it came from (“dòng 4”), for messages

    @property
    def action(self) -> str:
        if self.accept:
            return ACCEPT
        if self.points is not None:
            return POINTS
        if self.evidence is not None:
            return EVIDENCE
        return CONFIRM


@dataclass(frozen=True)
class AppraisalRecord:
    """A stored decision, with when and by whom (from its log entry)."""

    seq: int
    unit_seq: int
    round: int
    code: str
    action: str
    cell: Cell | None
    points: Decimal | None
    reason: str
    at: dt.datetime
    by: str


def _problem(store: CampaignStore, decision: Decision, message: str) -> Problem:
    return Problem(store.name, decision.place or f"đơn vị “{decision.unit}”", message, decision.code or None)


@dataclass
class _Batch:
    """What every decision of a batch is checked against, looked up once."""

    round: int
    survey: set[str]
    policies: dict[str, str]
    submissions: dict[str, tuple[int, int | None]]  # unit → (unit number, current submission)
    actor: User | None = None
    units: dict[str, m.Unit] = field(default_factory=dict)  # every unit by name, read once
    current: dict[int, int] = field(default_factory=dict)  # unit number → current submission, read once


def _validated(store: CampaignStore, decision: Decision, batch: _Batch) -> tuple[dict[str, Any] | None, Problem | None]:
    """The row to store for a decision, or the problem with it."""
    rubric = store.rubric
    round_, submissions = batch.round, batch.submissions
    unit = nfc(decision.unit)
    fail = lambda message: (None, _problem(store, decision, message))  # noqa: E731
    if unit not in submissions:
        try:
            row = batch.units.get(unit) or store.unit(unit)
        except CampaignError as exc:
            return fail(exc.problems[0].message)
        store.remember(row)
        batch.units[unit] = row
        submissions[unit] = (row.seq, batch.current.get(row.seq))
    unit_seq, submission_seq = submissions[unit]
    if not may_appraise(store, batch.actor, batch.units[unit], decision.code):  # every decision: fields differ
        return fail(f"tài khoản “{display_name(batch.actor)}” không được phân công thẩm định đơn vị này"
                    + (f" (tiêu chí {decision.code})" if decision.code else ""))
    if submission_seq is None:
        return fail(f"“{unit}” không có bản tự đánh giá để thẩm định")
    node = rubric.by_code.get(decision.code)
    if node is None or not node.is_leaf:
        return fail("không phải tiêu chí thành phần của bộ chỉ số")
    if decision.code in batch.survey:
        return fail("điểm điều tra xã hội học được nhập bằng campaign import-survey, không thẩm định")
    if not nfc(decision.reason or ""):
        return fail("quyết định thẩm định bắt buộc có lý do")
    given = sum(x for x in (decision.points is not None, decision.evidence is not None, decision.accept))
    if given > 1:
        return fail("chỉ chọn một: đặt điểm, sửa số liệu, hoặc chấp nhận giải trình")
    if decision.action == ACCEPT and round_ != 2:
        return fail("chấp nhận giải trình chỉ dùng ở vòng 2")
    cell_text = points_text = None
    if decision.action == EVIDENCE:
        try:
            cell = parse_cell(rubric, node, batch.policies[node.code], decision.evidence)
        except ValueError as exc:
            return fail(f"số liệu thẩm định: {exc}")
        cell_text = dumps(cell_to_json(cell))
    elif decision.action == POINTS:
        try:
            points = parse_decimal(decision.points) if not isinstance(decision.points, Decimal) else decision.points
            to_scaled(points)
        except ValueError as exc:
            return fail(f"điểm thẩm định: {exc}")
        probe = EvidenceTable(rubric.id, [unit], {}, store.name)
        try:
            probe.with_override(rubric, unit, node.code, Override(points, nfc(decision.reason), "thẩm định"))
        except InputError as exc:
            return fail(exc.problems[0].message)
        points_text = str(points)
    return {
        "unit_seq": unit_seq, "submission_seq": submission_seq, "round": round_,
        "code": node.code, "action": decision.action, "cell": cell_text, "points": points_text,
        "reason": nfc(decision.reason),
    }, None


def may_appraise(store: CampaignStore, actor: User, unit: m.Unit, code: str) -> bool:
    """A Thẩm định account assigned the unit (and the field of ``code`` when limited to fields)."""
    if code in store.rubric.by_code:
        return may_appraise_code(actor, unit, code)
    return rules.has_perm("store.appraise", actor, unit)


def appraise_many(store: CampaignStore, decisions: Iterable[Decision], *, by: str | User | None = None,
                  on_progress: Progress | None = None) -> list[int]:
    """Record decisions in the open round, all or none: every problem is reported together.

    Only a Thẩm định account appraises, and only the units (and fields) assigned to it.
    """
    decisions = list(decisions)
    actor = store.account(by)
    if store.role(actor) != m.THAM_DINH:
        store.require(actor, "store.appraise", None, "ghi kết quả thẩm định (chỉ tài khoản thẩm định)")
    if not decisions:
        raise CampaignError.single(store.name, "", "không có quyết định thẩm định nào")
    seqs: list[int] = []
    with store.writing():
        round_ = open_appraisal_round(store, "ghi kết quả thẩm định")
        batch = _Batch(round_, set(survey_codes(store)), store.rubric.policy_of(), {}, actor,
                       store.unit_rows(), active_submissions(store))
        wanted = set(batch.current.values())
        for submission in store.objects(m.Submission).only("id", "seq", "unit_id", "campaign_id"):
            if submission.seq in wanted:
                store.remember(submission)
        problems: list[Problem] = []
        with store.batched():
            for done, decision in enumerate(decisions, 1):
                row, problem = _validated(store, decision, batch)
                if problem is not None:
                    problems.append(problem)
                elif not problems:
                    seqs.append(store.record("appraisal", row, action=f"appraise-{round_}",
                                             actor=actor, unit=nfc(decision.unit)))
                if on_progress:
                    on_progress(done, len(decisions))
            if problems:
                raise CampaignError(problems)  # inserts nothing; writing() rolls the whole batch back
    return seqs


def appraise(store: CampaignStore, unit: str, code: str, *, reason: str, by: str | User | None = None,
             points: Decimal | str | None = None, evidence: Any = None, accept: bool = False) -> int:
    """One decision on one leaf in the open round; returns its log number."""
    return appraise_many(store, [Decision(unit, code, reason, points, evidence, accept)], by=by)[0]


_COLUMNS = {
    "unit": ("unit", "đơn vị", "don_vi", "tên đơn vị"),
    "code": ("code", "mã", "ma", "mã tiêu chí", "tiêu chí"),
    "points": ("points", "điểm", "diem", "điểm thẩm định"),
    "evidence": ("evidence", "số liệu", "so_lieu", "số liệu thẩm định"),
    "reason": ("reason", "lý do", "ly_do"),
    "accept": ("accept", "chấp nhận giải trình"),
}
_YES = ("x", "có", "1", "yes", "true", "đồng ý")


def read_decisions(path: str | Path) -> list[Decision]:
    """Decisions from a CSV/XLSX table: Đơn vị | Mã | Điểm | Số liệu | Lý do [| Chấp nhận giải trình]."""
    frame, place = read_table(path)
    name = str(path)
    found = find_columns(frame, _COLUMNS)
    unknown = [c for c in frame.columns if c not in found.values()]
    if unknown:
        raise CampaignError.single(name, place(-1, unknown[0]), f"cột “{unknown[0]}” không hợp lệ; cần: Đơn vị, Mã, "
                                                                 "Điểm, Số liệu, Lý do, Chấp nhận giải trình")
    missing = [k for k in ("unit", "code", "reason") if k not in found]
    if missing:
        raise CampaignError.single(name, "dòng 1", "thiếu cột " + ", ".join(_COLUMNS[k][1] for k in missing))
    decisions = []
    for row, record in enumerate(frame.to_dict("records")):
        cells = {key: nfc(record[column]) for key, column in found.items()}
        if not any(cells.values()):
            continue
        decisions.append(Decision(
            unit=cells["unit"], code=cells["code"], reason=cells["reason"],
            points=cells.get("points") or None, evidence=cells.get("evidence") or None,
            accept=norm_text(cells.get("accept", "")) in _YES, place=place(row, "")))
    return decisions


def explain(store: CampaignStore, unit: str, code: str, text: str, *, by: str | User | None = None) -> int:
    """The unit's explanation of a leaf that round 1 changed (only while giải trình is open),
    by the unit's own account."""
    if not nfc(text):
        raise CampaignError.single(store.name, "", "nội dung giải trình không được để trống", code)
    actor = store.account(by)
    with store.writing():
        row = store.unit(unit)
        store.require(actor, "store.explain", row, f"gửi giải trình cho “{row.name}”")
        require_open(store, EXPLAIN, f"gửi giải trình của “{unit}”")
        unit_seq = row.seq
        changed = {r.code for r in records(store, unit_seq) if r.round == 1 and r.action in CHANGES}
        if code not in changed:
            shown = ", ".join(sorted(changed)) or "không có"
            raise CampaignError.single(store.name, f"đơn vị “{unit}”",
                                       f"tiêu chí không bị điều chỉnh ở vòng 1 nên không cần giải trình "
                                       f"(các tiêu chí bị điều chỉnh: {shown})", code)
        return store.record("explanation", {"unit_seq": unit_seq, "code": code, "text": nfc(text)},
                            action="explain", actor=actor, unit=row.name)


def records(store: CampaignStore, unit_seq: int | None = None) -> list[AppraisalRecord]:
    """Stored decisions on current submissions (all units, or one), oldest first."""
    found = store.objects(m.Appraisal).order_by("seq")
    if unit_seq is not None:
        found = found.filter(unit__seq=unit_seq)
    found = list(found.values_list("seq", "unit__seq", "round", "code", "action", "cell", "points", "reason",
                                   "submission__seq"))
    meta = store.entry_meta([row[0] for row in found] if unit_seq is not None else None)
    rows = [(seq, u, rnd, code, action, cell, points, reason, *meta[seq], submission)
            for seq, u, rnd, code, action, cell, points, reason, submission in found]
    current = active_submissions(store)
    return [
        AppraisalRecord(seq, u, rnd, code, action, cell_from_json(loads(cell)) if cell else None,
                        Decimal(points) if points else None, reason, dt.datetime.fromisoformat(at), actor)
        for seq, u, rnd, code, action, cell, points, reason, at, actor, submission in rows
        if current.get(u) == submission
    ]


def in_force(history: list[AppraisalRecord]) -> AppraisalRecord | None:
    """The decision that sets a leaf's appraised value, from that leaf's decisions (oldest first)."""
    last = {1: None, 2: None}
    for record in history:
        last[record.round] = record
    r1, r2 = last[1], last[2]
    if r2 is not None and r2.action != CONFIRM:
        return r2
    if r1 is not None and r1.action != CONFIRM:
        return r1
    return r2 or r1


def explanations(store: CampaignStore, unit_seq: int) -> list[tuple[int, str, str, dt.datetime, str]]:
    """(seq, code, text, at, by) of the unit's giải trình, oldest first."""
    found = list(store.objects(m.Explanation).filter(unit__seq=unit_seq).order_by("seq")
                 .values_list("seq", "code", "text"))
    meta = store.entry_meta([seq for seq, _, _ in found])
    return [(s, c, t, dt.datetime.fromisoformat(meta[s][0]), meta[s][1]) for s, c, t in found]


def action_words(action: str, round_: int) -> str:
    """A decision's action in words; a confirmation in round 2 keeps round 1's result."""
    return "giữ kết quả vòng 1" if action == CONFIRM and round_ == 2 else ACTION_VI[action]


def show_decision(record: AppraisalRecord, leaf_max: Decimal) -> str:
    """“điều chỉnh điểm: 1,5/3 điểm” — what a decision did, in words."""
    if record.action == POINTS:
        return f"{ACTION_VI[POINTS]}: {format_points(record.points)}/{format_points(leaf_max)} điểm"
    return action_words(record.action, record.round)
