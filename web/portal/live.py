"""Live points of a draft: the unit's typed cells through the engine, one problem per leaf kept
aside so one bad cell never hides the score of the rest.

Each cell is read by ``scoring.evidence.parse_cell`` — the very function ``validate_frame``
applies to every distinct value of a column — and the one-unit table goes to the engine. For a
single unit this skips pandas (``validate_frame`` costs ~40 ms on 100 leaves, this ~3 ms); a
draft holding a field or criterion declared “không phát sinh” as a whole still goes through
``validate_frame``, which spreads it to the leaves.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from criteria import EvidenceError, Rubric
from criteria.rules import MISSING, Cell, Column
from scoring.engine import score
from scoring.evidence import Document, EvidenceTable, parse_cell, validate_frame
from scoring.result import NodeResult, ScoreSheet, UnitResult

from .per_rubric import per_rubric

SOURCE = "bản tự đánh giá"
_MISSING = Column(np.full(1, MISSING, np.int8), np.zeros(1, np.int64), np.ones(1, np.int64))


@dataclass(frozen=True)
class LiveResult:
    result: UnitResult  # every node's points; leaves without their trace (see ``node``)
    sheet: ScoreSheet  # the one unit's sheet (for the Word report and the plan)
    problems: dict[str, str]  # leaf code → Vietnamese message (that cell scored as missing)

    def node(self, code: str) -> NodeResult:
        """One node's result with its trace — built for the leaves a page shows, not all of them."""
        found = self.result.node(code)
        if not found.is_leaf or found.trace is not None:
            return found
        return found.model_copy(update={"trace": self.sheet.trace(self.sheet.compiled.index[code], 0)})


@per_rubric
def _policies(rubric: Rubric) -> dict[str, str]:
    return rubric.policy_of()


@per_rubric
def _memo(rubric: Rubric) -> dict[tuple[str, str], tuple[Cell, str]]:
    """Cells read for this rubric, by (leaf, text)."""
    return {}


def score_draft(
    rubric: Rubric, unit: str, cells: dict[str, str],
    explanations: dict[str, str] | None = None,
    documents: dict[str, list[dict[str, str]]] | None = None,
) -> LiveResult:
    """Score one unit's typed cells; a cell the engine refuses is left out and named."""
    known = {code: str(text) for code, text in cells.items() if code in rubric.by_code and str(text).strip()}
    expl = {(unit, code): text for code, text in (explanations or {}).items() if text}
    docs = {(unit, code): [Document(d.get("number", ""), d.get("date", ""), d.get("summary", "")) for d in items]
            for code, items in (documents or {}).items() if items}
    if any(not rubric.by_code[code].is_leaf for code in known):
        table, problems = _through_frame(rubric, unit, known, expl, docs)
    else:
        table, problems = _cell_by_cell(rubric, unit, known, expl, docs)
    sheet = score(rubric, table)
    return LiveResult(sheet.result(0, traces=False), sheet, problems)


def _cell_by_cell(rubric: Rubric, unit: str, known: dict[str, str], expl, docs):
    policies = _policies(rubric)
    memo = _memo(rubric)
    columns: dict[str, Column] = {}
    problems: dict[str, str] = {}
    for leaf in rubric.leaves():
        text = known.get(leaf.code)
        if text is None:
            columns[leaf.code] = _MISSING
            continue
        cell, problem = _parsed(memo, rubric, leaf.code, policies[leaf.code], text)
        if problem:
            problems[leaf.code] = problem
        columns[leaf.code] = Column.from_cells([cell])
    return EvidenceTable(rubric.id, [unit], columns, SOURCE, expl, docs), problems


_MEMO_LIMIT = 200_000


def _parsed(memo: dict[tuple[str, str], tuple[Cell, str]], rubric: Rubric, code: str, policy: str,
            text: str) -> tuple[Cell, str]:
    """One cell read (a pure function of the rubric, the leaf and the text), kept so a re-score
    after one edit reads only the edited cell: (the cell, or MISSING with the refusal's message)."""
    found = memo.get((code, text))
    if found is None:
        try:
            found = parse_cell(rubric, rubric.by_code[code], policy, text), ""
        except ValueError as exc:
            found = Cell(MISSING), str(exc)
        if len(memo) >= _MEMO_LIMIT:
            memo.clear()
        memo[(code, text)] = found
    return found


def _through_frame(rubric: Rubric, unit: str, known: dict[str, str], expl, docs):
    problems: dict[str, str] = {}
    try:
        return _validate(rubric, unit, known, expl, docs), problems
    except EvidenceError as error:  # every problem is listed at once: drop those cells, score the rest
        problems = {p.code: p.message for p in error.problems if p.code in known}
        if not problems:
            raise
        return _validate(rubric, unit, {c: t for c, t in known.items() if c not in problems}, expl, docs), problems


def _validate(rubric: Rubric, unit: str, cells: dict[str, str], expl, docs) -> EvidenceTable:
    frame = pd.DataFrame([cells], index=[unit], dtype=object) if cells else pd.DataFrame(index=[unit])
    return validate_frame(rubric, frame, SOURCE, lambda row, code: "", expl, docs)
