"""A unit's self-assessment: submit (immutable; a new one supersedes), withdraw before the deadline.

A submission holds the unit's evidence cells, its explanations (giải trình for leaves without
full evidence) and its documents (tài liệu kiểm chứng). Submitting content identical to the
unit's current submission changes nothing, so re-importing the same file is harmless. A whole
``submit`` call is one transaction: a crash part-way leaves the database as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from criteria.rules import MISSING
from criteria.rules.base import nfc
from scoring.evidence import EvidenceTable
from scoring.inputs.readers import combine, read_evidence

from django.contrib.auth.models import User
from django.db.models import Max

from web.store.models import Submission, Unit, Withdrawal

from .audit import canonical, sha256_text
from .cells import dumps, row_cells
from .phases import SELF, require_open
from .store import CampaignError, CampaignStore

Progress = Callable[[int, int], None]
NEW, SUPERSEDES, UNCHANGED = "mới", "thay thế bản trước", "không đổi"


@dataclass(frozen=True)
class SubmitOutcome:
    unit: str
    seq: int  # the submission's number in the log (the existing one when unchanged)
    status: str  # NEW | SUPERSEDES | UNCHANGED
    dropped_survey: tuple[str, ...] = ()  # survey leaves a unit filled in: not the unit's to give


def survey_codes(store: CampaignStore) -> list[str]:
    rubric = store.rubric
    if rubric.survey is None:
        return []
    return [n.code for n in rubric.by_code[rubric.survey.code].walk() if n.is_leaf]


def active_submission(store: CampaignStore, unit_seq: int) -> tuple[int, str] | None:
    """(number, content hash) of the unit's current submission, or None (none, or withdrawn)."""
    row = (store.objects(Submission).filter(unit__seq=unit_seq).order_by("-seq")
           .values_list("seq", "content_sha256").first())
    if row is None:
        return None
    if store.objects(Withdrawal).filter(submission__seq=row[0]).exists():
        return None
    return int(row[0]), row[1]


def active_submissions(store: CampaignStore) -> dict[int, int]:
    """unit number → its current submission's number, for every unit that has one."""
    latest = dict(store.objects(Submission).values("unit__seq").annotate(last=Max("seq"))
                  .values_list("unit__seq", "last"))
    withdrawn = withdrawn_submissions(store)
    return {unit: seq for unit, seq in latest.items() if seq not in withdrawn}


def withdrawn_submissions(store: CampaignStore) -> set[int]:
    return set(store.objects(Withdrawal).values_list("submission__seq", flat=True))


def _by_unit(table: EvidenceTable) -> dict[str, tuple[dict[str, str], dict[str, list[list[str]]]]]:
    """unit → (its explanations, its documents), grouped in one pass (not one pass per unit)."""
    grouped: dict[str, tuple[dict[str, str], dict[str, list[list[str]]]]] = {}
    for (unit, code), text in table.explanations.items():
        grouped.setdefault(unit, ({}, {}))[0][code] = text
    for (unit, code), docs in table.documents.items():
        grouped.setdefault(unit, ({}, {}))[1][code] = [[d.number, d.date, d.summary] for d in docs]
    return grouped


def _content(table: EvidenceTable, row: int, codes: list[str],
             by_unit: dict[str, tuple[dict[str, str], dict[str, list[list[str]]]]]) -> dict[str, object]:
    explanations, documents = by_unit.get(table.units[row], ({}, {}))
    return {"cells": row_cells(table, row, codes), "explanations": explanations, "documents": documents}


def submit(store: CampaignStore, paths: Iterable[str | Path], *, by: str | User | None = None,
           on_progress: Progress | None = None) -> list[SubmitOutcome]:
    """Record the self-assessment of every unit in ``paths`` (.yaml one unit; .csv/.xlsx many).

    A unit's account submits its own unit only; a Quản trị account may submit for any unit
    (paper submissions typed in by the Sở Nội vụ).
    """
    actor = store.account(by)
    paths = list(paths)
    if not paths:
        raise CampaignError.single(store.name, "", "cần ít nhất một tệp tự đánh giá")
    rubric = store.rubric
    tables = [read_evidence(rubric, path) for path in paths]
    table = combine(tables)  # refuses a unit named twice
    source_of = {unit: str(Path(t.source).name) for t in tables for unit in t.units}
    survey = set(survey_codes(store))
    own_codes = [leaf.code for leaf in rubric.leaves() if leaf.code not in survey]
    outcomes: list[SubmitOutcome] = []
    with store.writing():
        names = ", ".join(f"“{u}”" for u in table.units[:3]) + (" …" if len(table.units) > 3 else "")
        require_open(store, SELF, f"nộp bản tự đánh giá của {names}")
        known = store.unit_rows()
        units = {unit: known.get(unit) or store.unit(unit) for unit in table.units}  # all known, or nothing written
        current = current_contents(store)
        for unit in units.values():
            store.require(actor, "store.submit", unit, f"nộp bản tự đánh giá của “{unit.name}”")
        by_unit = _by_unit(table)
        with store.batched():
            for row, unit in enumerate(table.units):
                dropped = tuple(c for c in sorted(survey) if table.columns[c].cell(row).state != MISSING)
                outcomes.append(record_content(store, units[unit], _content(table, row, own_codes, by_unit),
                                               source_of[unit], actor, dropped, current))
                if on_progress:
                    on_progress(row + 1, len(table.units))
    return outcomes


def current_contents(store: CampaignStore) -> dict[int, tuple[int, str]]:
    """unit number → (number, content hash) of its current submission, for every unit that has one."""
    current = active_submissions(store)
    digests = dict(store.objects(Submission).values_list("seq", "content_sha256"))
    return {unit: (seq, digests[seq]) for unit, seq in current.items()}


def record_content(store: CampaignStore, unit: Unit, content: dict[str, object], source: str, actor: User,
                   dropped: tuple[str, ...] = (), current: dict[int, tuple[int, str]] | None = None) -> SubmitOutcome:
    """Record one unit's submission (inside ``writing``, phase and permission checked by the caller);
    content identical to the current submission records nothing. ``current``: ``current_contents``
    read once for a batch."""
    digest = sha256_text(canonical(content))
    active = current.get(unit.seq) if current is not None else active_submission(store, unit.seq)
    if active is not None and active[1] == digest:
        return SubmitOutcome(unit.name, active[0], UNCHANGED, dropped)
    store.remember(unit)
    seq = store.record("submission", {
        "unit_seq": unit.seq, "content_sha256": digest,
        "cells": dumps(content["cells"]), "explanations": dumps(content["explanations"]),
        "documents": dumps(content["documents"]), "source": source,
    }, action="submit", actor=actor, unit=unit.name)
    return SubmitOutcome(unit.name, seq, SUPERSEDES if active else NEW, dropped)


def withdraw(store: CampaignStore, unit: str, *, reason: str, by: str | User | None = None) -> int:
    """Withdraw the unit's current submission for correction (only while self-assessment is open)."""
    if not reason.strip():
        raise CampaignError.single(store.name, "", "rút bản tự đánh giá cần lý do (--reason)")
    actor = store.account(by)
    with store.writing():
        row = store.unit(unit)
        store.require(actor, "store.withdraw", row, f"rút bản tự đánh giá của “{row.name}”")
        require_open(store, SELF, f"rút bản tự đánh giá của “{unit}”")
        unit_seq = row.seq
        active = active_submission(store, unit_seq)
        if active is None:
            raise CampaignError.single(store.name, "", f"“{unit}” không có bản tự đánh giá đang nộp để rút")
        return store.record("withdrawal", {"submission_seq": active[0], "reason": nfc(reason)},
                            action="withdraw", actor=actor, unit=row.name)
