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
from decimal import Decimal
from functools import cached_property

import numpy as np
import pandas as pd

from criteria import EvidenceError, Rubric
from criteria.numbers import from_scaled
from criteria.rules import MISSING, Cell, Column
from scoring.engine import score
from scoring.evidence import Document, EvidenceTable, parse_cell, validate_frame
from scoring.result import NodeResult, ScoreSheet, Totals, UnitResult

from .per_rubric import per_rubric

SOURCE = "bản tự đánh giá"
_MISSING = Column(np.full(1, MISSING, np.int8), np.zeros(1, np.int64), np.ones(1, np.int64))


@dataclass(frozen=True)
class LiveResult:
    sheet: ScoreSheet  # the one unit's sheet (for the Word report and the plan)
    problems: dict[str, str]  # leaf code → Vietnamese message (that cell scored as missing)

    @cached_property
    def result(self) -> UnitResult:
        """Every node's points; leaves without their trace (see ``node``). Built when a page asks for
        the whole tree — a leaf's save needs only that leaf, the fields and the totals."""
        return self.sheet.result(0, traces=False)

    @cached_property
    def totals(self) -> Totals:
        return self.sheet.totals(0)

    def points(self, code: str) -> tuple[Decimal, Decimal]:
        """(points, applicable maximum) of node ``code``: what a field's tab shows."""
        row = self.sheet.compiled.index[code]
        return from_scaled(int(self.sheet.points[row, 0])), from_scaled(int(self.sheet.maximum[row, 0]))

    def node(self, code: str) -> NodeResult:
        """One node's result, a leaf with its trace — built for the nodes a page shows, not all of them."""
        return self.sheet.node_result(self.sheet.compiled.index[code], 0)


@per_rubric
def _policies(rubric: Rubric) -> dict[str, str]:
    return rubric.policy_of()


@per_rubric
def _memo(rubric: Rubric) -> dict[tuple[str, str], tuple[Column, str]]:
    """Cells read for this rubric, by (leaf, text), as one-row columns."""
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
    return LiveResult(sheet, problems)


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
        column, problem = _parsed(memo, rubric, leaf.code, policies[leaf.code], text)
        if problem:
            problems[leaf.code] = problem
        columns[leaf.code] = column
    return EvidenceTable(rubric.id, [unit], columns, SOURCE, expl, docs), problems


_MEMO_LIMIT = 200_000


def _parsed(memo: dict[tuple[str, str], tuple[Column, str]], rubric: Rubric, code: str, policy: str,
            text: str) -> tuple[Column, str]:
    """One cell read (a pure function of the rubric, the leaf and the text), kept as a one-row column
    so a re-score after one edit reads and builds only the edited cell: (the column, with MISSING and
    the refusal's message when refused). The kept arrays are read-only: shared by every later score."""
    found = memo.get((code, text))
    if found is None:
        try:
            cell, problem = parse_cell(rubric, rubric.by_code[code], policy, text), ""
        except ValueError as exc:
            cell, problem = Cell(MISSING), str(exc)
        column = Column.from_cells([cell])
        for array in (column.state, column.a, column.b, column.note):
            if array is not None:
                array.flags.writeable = False
        found = column, problem
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
