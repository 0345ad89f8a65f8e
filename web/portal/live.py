"""Live points of a draft: the unit's typed cells through the engine, one problem per leaf kept
aside so one bad cell never hides the score of the rest."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from criteria import EvidenceError, Rubric
from scoring.engine import score
from scoring.evidence import Document, validate_frame
from scoring.result import ScoreSheet, UnitResult


@dataclass(frozen=True)
class LiveResult:
    result: UnitResult
    sheet: ScoreSheet  # the one unit's sheet (for the Word report and the plan)
    problems: dict[str, str]  # leaf code → Vietnamese message (that cell scored as missing)


def score_draft(
    rubric: Rubric, unit: str, cells: dict[str, str],
    explanations: dict[str, str] | None = None,
    documents: dict[str, list[dict[str, str]]] | None = None,
) -> LiveResult:
    """Score one unit's typed cells; a cell the engine refuses is left out and named."""
    known = {code: text for code, text in cells.items() if code in rubric.by_code and str(text).strip()}
    expl = {(unit, code): text for code, text in (explanations or {}).items() if text}
    docs = {(unit, code): [Document(d.get("number", ""), d.get("date", ""), d.get("summary", "")) for d in items]
            for code, items in (documents or {}).items() if items}
    problems: dict[str, str] = {}
    try:
        table = _validate(rubric, unit, known, expl, docs)
    except EvidenceError as error:  # every problem is listed at once: drop those cells, score the rest
        problems = {p.code: p.message for p in error.problems if p.code in known}
        if not problems:
            raise
        table = _validate(rubric, unit, {c: t for c, t in known.items() if c not in problems}, expl, docs)
    sheet = score(rubric, table)
    return LiveResult(sheet.result(0), sheet, problems)


def _validate(rubric: Rubric, unit: str, cells: dict[str, str], expl, docs):  # noqa: ANN001, ANN202
    frame = pd.DataFrame([cells], index=[unit], dtype=object) if cells else pd.DataFrame(index=[unit])
    return validate_frame(rubric, frame, "bản tự đánh giá", lambda row, code: "", expl, docs)
