"""A unit's self-assessment: submit (immutable; a new one supersedes), withdraw before the deadline.

A submission holds the unit's evidence cells, its explanations (giải trình for leaves without
full evidence) and its documents (tài liệu kiểm chứng). Submitting content identical to the
unit's current submission changes nothing, so re-importing the same file is harmless. A whole
``submit`` call is one transaction: a crash part-way leaves the database as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from criteria.rules import MISSING
from criteria.rules.base import nfc
from scoring.evidence import EvidenceTable
from scoring.inputs.readers import combine, read_evidence

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


def active_submission(conn: sqlite3.Connection, unit_seq: int) -> tuple[int, str] | None:
    """(number, content hash) of the unit's current submission, or None (none, or withdrawn)."""
    row = conn.execute("SELECT seq, content_sha256 FROM submission WHERE unit_seq = ? ORDER BY seq DESC LIMIT 1",
                       (unit_seq,)).fetchone()
    if row is None:
        return None
    if conn.execute("SELECT 1 FROM withdrawal WHERE submission_seq = ?", (row[0],)).fetchone():
        return None
    return int(row[0]), row[1]


def active_submissions(conn: sqlite3.Connection) -> dict[int, int]:
    """unit number → its current submission's number, for every unit that has one."""
    latest = dict(conn.execute("SELECT unit_seq, MAX(seq) FROM submission GROUP BY unit_seq").fetchall())
    withdrawn = {s for (s,) in conn.execute("SELECT submission_seq FROM withdrawal")}
    return {unit: seq for unit, seq in latest.items() if seq not in withdrawn}


def _content(table: EvidenceTable, row: int, codes: list[str]) -> dict[str, object]:
    unit = table.units[row]
    explanations = {code: text for (u, code), text in table.explanations.items() if u == unit}
    documents = {code: [[d.number, d.date, d.summary] for d in docs]
                 for (u, code), docs in table.documents.items() if u == unit}
    return {"cells": row_cells(table, row, codes), "explanations": explanations, "documents": documents}


def submit(store: CampaignStore, paths: Iterable[str | Path], *, by: str | None = None,
           on_progress: Progress | None = None) -> list[SubmitOutcome]:
    """Record the self-assessment of every unit in ``paths`` (.yaml one unit; .csv/.xlsx many)."""
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
        unit_numbers = {unit: store.unit_seq(unit) for unit in table.units}  # all known, or nothing written
        for row, unit in enumerate(table.units):
            content = _content(table, row, own_codes)
            digest = sha256_text(canonical(content))
            dropped = tuple(c for c in sorted(survey) if table.columns[c].cell(row).state != MISSING)
            active = active_submission(store.conn, unit_numbers[unit])
            if active is not None and active[1] == digest:
                outcomes.append(SubmitOutcome(unit, active[0], UNCHANGED, dropped))
            else:
                seq = store.record("submission", {
                    "unit_seq": unit_numbers[unit], "content_sha256": digest,
                    "cells": dumps(content["cells"]), "explanations": dumps(content["explanations"]),
                    "documents": dumps(content["documents"]), "source": source_of[unit],
                }, action="submit", actor=nfc(by) if by and nfc(by) else unit, unit=unit)
                outcomes.append(SubmitOutcome(unit, seq, SUPERSEDES if active else NEW, dropped))
            if on_progress:
                on_progress(row + 1, len(table.units))
    return outcomes


def withdraw(store: CampaignStore, unit: str, *, reason: str, by: str) -> int:
    """Withdraw the unit's current submission for correction (only while self-assessment is open)."""
    if not reason.strip():
        raise CampaignError.single(store.name, "", "rút bản tự đánh giá cần lý do (--reason)")
    if not by.strip():
        raise CampaignError.single(store.name, "", "cần tên người rút bản tự đánh giá (--by)")
    with store.writing():
        require_open(store, SELF, f"rút bản tự đánh giá của “{unit}”")
        unit_seq = store.unit_seq(unit)
        active = active_submission(store.conn, unit_seq)
        if active is None:
            raise CampaignError.single(store.name, "", f"“{unit}” không có bản tự đánh giá đang nộp để rút")
        return store.record("withdrawal", {"submission_seq": active[0], "reason": nfc(reason)},
                            action="withdraw", actor=nfc(by), unit=nfc(unit))
