"""A campaign's evidence as ``EvidenceTable``s and its scores as ``ScoreSheet``s.

- ``self_sheet``: what the units submitted (survey leaves empty);
- ``appraised_sheet``: the submissions with the appraisal decisions in force and the survey
  points imported — the campaign's result (total = appraised + survey), which ranking,
  publication and the remediation plans use;
- ``indices``: every unit's index (%) from ``appraised_sheet``.

Units appear in the order they were added; a unit without a current submission has every
leaf missing (0 points, flagged).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Collection

from criteria.rules import Cell
from scoring.engine import score
from scoring.evidence import Document, EvidenceTable, Override
from scoring.result import ScoreSheet, UnitResult

from web.store.models import Submission

from .appraisal import ACCEPT, EVIDENCE, POINTS, in_force, records
from .cells import build_table, loads
from .collector import paused
from .store import CampaignStore
from .submissions import active_submissions
from .survey import survey_values


def _submitted(store: CampaignStore, only: Collection[int] | None, texts: bool = True
               ) -> tuple[list[str], list[int], list[dict[str, Cell]], dict[tuple[str, str], str],
                          dict[tuple[str, str], list[Document]]]:
    """Names, numbers and stored cells of the units (every one, or ``only``), and — unless ``texts``
    is false (a ranking needs points only) — their explanations and documents."""
    units = [u for u in store.units() if only is None or u[0] in only]
    current = active_submissions(store)
    wanted = [current[u[0]] for u in units if u[0] in current]
    fields = ("seq", "cells", "explanations", "documents") if texts else ("seq", "cells")
    stored = {row[0]: row[1:] for row in store.objects(Submission).filter(seq__in=wanted).values_list(*fields)}
    # the cells of every submission decoded at once (one JSON array): {code: [state, a, b, note]}, which
    # build_table reads as they are
    decoded = iter(loads("[" + ",".join(stored[seq][0] for seq in wanted) + "]") if wanted else [])
    names, numbers, rows = [], [], []
    explanations: dict[tuple[str, str], str] = {}
    documents: dict[tuple[str, str], list[Document]] = {}
    for unit_seq, name, _ in units:
        names.append(name)
        numbers.append(unit_seq)
        submission = current.get(unit_seq)
        if submission is None:
            rows.append({})
            continue
        rows.append(next(decoded))
        if texts:
            _, expl, docs = stored[submission]
            explanations.update({(name, code): text for code, text in loads(expl).items()})
            documents.update({(name, code): [Document(*d) for d in items] for code, items in loads(docs).items()})
    return names, numbers, rows, explanations, documents


def _records(store: CampaignStore, only: Collection[int] | None) -> list:
    """The appraisal decisions in force for ``only`` (unit numbers) or every unit."""
    if only is not None and len(only) == 1:
        return records(store, next(iter(only)))
    found = records(store, None)
    return found if only is None else [r for r in found if r.unit_seq in only]


@paused()  # ~330,000 cells decoded into lists, freed on return: no cycle collection walking them meanwhile
def campaign_table(store: CampaignStore, *, appraised: bool = True, survey: bool = True,
                   unit: str | None = None, units: Collection[int] | None = None, texts: bool = True) -> EvidenceTable:
    """The campaign's evidence: submissions, then (optionally) appraisal and survey points;
    every unit, or only ``unit`` (a name), or only ``units`` (unit numbers, in the campaign's order);
    ``texts=False`` leaves out the explanations and documents (points only)."""
    with store.reading():
        only = {store.unit_seq(unit)} if unit is not None else (set(units) if units is not None else None)
        names, numbers, rows, explanations, documents = _submitted(store, only, texts)
        overrides: list[tuple[str, str, Override]] = []
        if appraised:
            history: dict[tuple[int, str], list] = {}
            for record in _records(store, only):
                history.setdefault((record.unit_seq, record.code), []).append(record)
            position = {seq: i for i, seq in enumerate(numbers)}
            for (unit_seq, code), items in history.items():
                decision = in_force(items)
                i = position[unit_seq]
                if decision is None or decision.action == ACCEPT:
                    continue
                if decision.action == EVIDENCE:
                    rows[i][code] = decision.cell
                elif decision.action == POINTS:
                    overrides.append((names[i], code, Override(decision.points, decision.reason, decision.by)))
        if survey:
            where = {name: i for i, name in enumerate(names)}
            for name, by_code in survey_values(store).items():
                if name in where:
                    rows[where[name]].update({code: cell for code, (cell, _, _) in by_code.items()})
    result = build_table(store.rubric, names, rows, store.name)  # built once, after every change to the rows
    result.explanations, result.documents = explanations, documents
    return result.with_overrides(store.rubric, overrides) if overrides else result


def self_sheet(store: CampaignStore, unit: str | None = None) -> ScoreSheet:
    """Scores of the self-assessments as submitted (no appraisal, no survey); all units or one."""
    return score(store.rubric, campaign_table(store, appraised=False, survey=False, unit=unit))


def appraised_sheet(store: CampaignStore, unit: str | None = None, *,
                    units: Collection[int] | None = None, texts: bool = True) -> ScoreSheet:
    """The campaign's result: appraised points plus survey points, for every unit (or one, or some)."""
    return score(store.rubric, campaign_table(store, appraised=True, survey=True, unit=unit, units=units,
                                              texts=texts))


def unit_result(store: CampaignStore, unit: str) -> UnitResult:
    """One unit's appraised result, with each leaf's trace (who changed what and why)."""
    return appraised_sheet(store, unit).result(0)


def indices(store: CampaignStore) -> dict[str, Decimal | None]:
    """unit → index (%) of the appraised result, exact to 4 decimals (None where nothing applies)."""
    sheet = appraised_sheet(store)
    return {unit: sheet.totals(i).index for i, unit in enumerate(sheet.units)}
