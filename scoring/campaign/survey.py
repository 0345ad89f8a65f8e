"""Survey points (XHH, SIPAS) per unit, imported from CSV or XLSX into the survey leaves.

The table (CSV, or XLSX read as the engine reads evidence) has a unit column and one column per survey leaf of the rubric (e.g. ``3.1``,
``3.2``); values are read by each leaf's rule (points, or a percentage of the maximum). One
import is one transaction and one log entry holding every value it set; a later import
overrides earlier values for the units and leaves it names. Importing values that are already
in force changes nothing. A unit with no survey value at all is rescaled by the engine when
the rubric says ``when_absent: rescale``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from criteria import Problem
from criteria.names import unit_key
from criteria.rules import MISSING, Cell
from scoring.inputs.readers import read_evidence

from django.contrib.auth.models import User

from web.store.models import SurveyImport

from .audit import canonical, sha256_text
from .cells import cell_from_json, cell_to_json, dumps, loads, row_cells
from .phases import require_not_published
from .store import CampaignError, CampaignStore
from .submissions import survey_codes

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class SurveyOutcome:
    seq: int | None  # the import's log number; None when nothing changed
    units: int  # units in the file
    changed: int  # values that differ from those in force


def survey_values(store: CampaignStore) -> dict[str, dict[str, tuple[Cell, int, str]]]:
    """unit → survey leaf → (cell, import's log number, source file) in force."""
    values: dict[str, dict[str, tuple[Cell, int, str]]] = {}
    for seq, source, cells in store.objects(SurveyImport).order_by("seq").values_list("seq", "source", "cells"):
        for unit, by_code in loads(cells).items():
            for code, cell in by_code.items():
                values.setdefault(unit, {})[code] = (cell_from_json(cell), seq, source)
    return values


def import_survey(store: CampaignStore, path: str | Path, *, by: str | User | None = None,
                  on_progress: Progress | None = None) -> SurveyOutcome:
    """Import one survey table; all of it or nothing."""
    path = Path(path)
    codes = survey_codes(store)
    if not codes:
        raise CampaignError.single(store.name, "", f"bộ chỉ số {store.rubric.id} không có khối điều tra xã hội học")
    actor = store.account(by)
    table = read_evidence(store.rubric, path)  # .csv, .xlsx (wide table) or one unit's .yaml
    others = [leaf.code for leaf in store.rubric.leaves()
              if leaf.code not in codes and bool((table.columns[leaf.code].state != MISSING).any())]
    if others:
        raise CampaignError([Problem(str(path), "", f"cột “{code}” không phải tiêu chí điều tra "
                                                    f"(cần: {', '.join(codes)})") for code in others])
    values: dict[str, dict[str, Any]] = {}
    with store.writing():
        require_not_published(store, "nhập điểm điều tra xã hội học")
        store.require(actor, "store.manage_campaign", None, "nhập điểm điều tra xã hội học")
        known = {unit_key(name): name for _, name, _ in store.units()}  # “Hoà”/“Hòa”, case, spaces: one unit
        unknown = [u for u in table.units if unit_key(u) not in known]
        if unknown:
            raise CampaignError([Problem(str(path), "", f"không có đơn vị “{u}” trong chiến dịch") for u in unknown])
        in_force = survey_values(store)
        changed = 0
        for row, written in enumerate(table.units):
            unit = known[unit_key(written)]
            cells = row_cells(table, row, codes)
            if cells:
                values[unit] = cells
            current = in_force.get(unit, {})
            changed += sum(1 for code, cell in cells.items()
                           if code not in current or cell_to_json(current[code][0]) != cell)
            if on_progress:
                on_progress(row + 1, len(table.units))
        if not changed:
            return SurveyOutcome(None, len(table.units), 0)
        seq = store.record("survey_import", {
            "source": path.name, "content_sha256": sha256_text(canonical(values)), "cells": dumps(values),
        }, action="import-survey", actor=actor)
    return SurveyOutcome(seq, len(table.units), changed)
