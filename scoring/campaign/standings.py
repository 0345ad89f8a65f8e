"""Ranking a campaign: every unit's appraised and survey points, index, rank and class.

Ranks come from ``scoring.ranking.rank`` (exact index, ties share a rank: 1, 2, 2, 4) and
classes from the rubric's bands. With a previous campaign of the same units, each row also
carries its change (``scoring.ranking.compare_rankings``): points, index, “tăng 3 bậc”.
A previous campaign that was published is compared with what it published.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

from criteria import Problem
from criteria.numbers import from_scaled, parse_decimal
from criteria.rules.base import nfc
from scoring import ranking
from scoring.ranking import RankChange, compare_rankings, competition_ranks
from scoring.inputs.wide import UNIT_COLUMNS
from scoring.previous import previous_problems
from scoring.result import ScoreSheet
from web.store.models import Appraisal, Publication

from .cells import loads
from .sheets import appraised_sheet
from .submissions import current_contents
from .survey import survey_values
from .store import CampaignError, CampaignStore, open_campaign
from .tables import find_columns, read_table


@dataclass(frozen=True)
class Standing(ranking.Standing):
    """A ranked unit of a campaign, with its level, the appraised and survey parts of its points,
    each field's sub-index and its change against a previous ranking."""

    level: str = ""
    appraised: Decimal = Decimal(0)  # total − survey points
    survey: Decimal | None = None  # None: no survey for this unit (rescaled)
    fields: dict[str, Decimal | None] = field(default_factory=dict)  # top-level field code → sub-index (%)
    change: RankChange | None = None

    @property
    def total(self) -> Decimal:
        return self.points  # type: ignore[return-value] - a campaign's units are always scored


class UnitScore(NamedTuple):
    """One unit's appraised result as the ranking needs it, in exact integers (a named tuple of
    ints: 3,321 of them pickle and unpickle for the shared cache in a few milliseconds)."""

    total: int  # scaled points (``from_scaled``)
    maximum: int  # the tree's maximum, scaled (the index's denominator)
    survey: int | None  # the survey block's scaled points; None: no survey for this unit (or in the rubric)
    fields: tuple[int | None, ...]  # each top-level field's sub-index in 1/10,000 % (4 decimals), rubric order

    def standing_fields(self, codes: list[str]) -> dict[str, Decimal | None]:
        return {code: None if v is None else Decimal(v).scaleb(-4) for code, v in zip(codes, self.fields)}


Kept = dict[int, tuple[tuple, UnitScore]]  # unit number → (what its result was computed from, the result)


def unit_inputs(store: CampaignStore) -> dict[int, tuple]:
    """unit number → the content its appraised result is computed from: its current submission's
    content hash, the appraisal decisions on that submission (round, leaf, action, cell, points, in
    order) and the survey values in force for it. Equal content gives an equal result (the rubric is
    the campaign's, frozen), so a result kept for it is reused — whatever database it came from."""
    current = current_contents(store)
    decisions: dict[int, list[tuple]] = {}
    for unit_seq, submission, *decision in store.objects(Appraisal).order_by("seq").values_list(
            "unit__seq", "submission__seq", "round", "code", "action", "cell", "points"):
        if unit_seq in current and current[unit_seq][0] == submission:
            decisions.setdefault(unit_seq, []).append(tuple(decision))
    survey = {name: tuple(sorted((code, tuple(cell)) for code, (cell, _, _) in by_code.items()))
              for name, by_code in survey_values(store).items()}
    return {seq: (current[seq][1] if seq in current else "", tuple(decisions.get(seq, ())), survey.get(name, ()))
            for seq, name, _ in store.units()}


def _unit_scores(sheet: ScoreSheet) -> list[UnitScore]:
    rubric = sheet.rubric
    survey_row = sheet.compiled.index[rubric.survey.code] if rubric.survey else None
    points, maximum = sheet.points, sheet.maximum
    tops = list(sheet.compiled.top_rows)
    field_points, field_max = points[tops, :].T.tolist(), maximum[tops, :].T.tolist()  # per unit, Python ints
    totals, tree_max = sheet.total.tolist(), sheet.tree_max.tolist()
    scores = []
    for i in range(len(sheet)):
        survey = None
        if survey_row is not None and int(maximum[survey_row, i]):
            survey = int(points[survey_row, i])
        scores.append(UnitScore(int(totals[i]), int(tree_max[i]), survey,
                                tuple(map(index_units, field_points[i], field_max[i]))))
    return scores


def compute(store: CampaignStore, previous: CampaignStore | list[ranking.Standing] | None = None,
            kept: Kept | None = None) -> list[Standing]:
    """Every unit, best first, recomputed from the rows (total = appraised + survey).

    ``previous``: an earlier campaign of the same units, or its ranking (``load_previous``).
    ``kept``: the results of an earlier call (updated in place): only units whose inputs changed
    since (``unit_inputs``) are scored again — after one submission or appraisal, one unit.
    After publication use ``snapshot.rank``, which reads what was published.
    """
    rubric = store.rubric
    with store.reading():
        head = store.head()
        units = store.units()
        inputs = unit_inputs(store) if kept is not None else {}
        stale = [seq for seq, _, _ in units if kept is None or seq not in kept or kept[seq][0] != inputs[seq]]
        fresh: dict[int, UnitScore] = {}
        if stale:
            sheet = appraised_sheet(store, units=None if len(stale) == len(units) else stale, texts=False)
            fresh = dict(zip(stale, _unit_scores(sheet)))  # the sheet keeps the campaign's unit order
        moved = kept is not None and store.head() != head  # a write landed while reading: keep nothing from it
    scores = [fresh[seq] if seq in fresh else kept[seq][1] for seq, _, _ in units]  # type: ignore[index]
    if kept is not None and not moved:
        for seq, score in fresh.items():
            kept[seq] = (inputs[seq], score)
        for seq in set(kept) - {seq for seq, _, _ in units}:
            del kept[seq]
    names = [name for _, name, _ in units]
    levels = {name: level for _, name, level in units}
    total = np.array([s.total for s in scores], dtype=np.int64)
    tree_max = np.array([s.maximum for s in scores], dtype=np.int64)
    by_name = dict(zip(names, scores))
    codes = [rubric_node.code for rubric_node in rubric.nodes]
    rows = []
    for ranked in ranking.rank_totals(rubric, names, total, tree_max):
        score = by_name[ranked.unit]
        survey = None if score.survey is None else from_scaled(score.survey)
        rows.append(Standing(ranked.unit, ranked.exact, ranked.points, ranked.max, ranked.rank, ranked.classification,
                             level=levels.get(ranked.unit, ""), appraised=ranked.points - (survey or Decimal(0)),
                             survey=survey, fields=score.standing_fields(codes)))
    return with_changes(rows, previous)


def with_changes(rows: list[Standing], previous: CampaignStore | list[ranking.Standing] | None) -> list[Standing]:
    """The standings with their change against an earlier ranking (when given)."""
    if previous is None:
        return rows
    before = previous if isinstance(previous, list) else previous_ranking(previous)
    changes = compare_rankings(rows, before)
    return [replace(r, change=changes[r.unit]) for r in rows]


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _number(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def results_json(rows: Sequence[Standing]) -> list[dict[str, object]]:
    """The final result as stored: decimal strings, never binary floats."""
    return [{
        "rank": r.rank, "unit": r.unit, "level": r.level, "appraised": _plain(r.appraised),
        "survey": _plain(r.survey), "total": _plain(r.total), "max": _plain(r.max), "index": _plain(r.index),
        "classification": r.classification, "fields": {k: _plain(v) for k, v in r.fields.items()},
    } for r in rows]


def standings_from_json(results: list[dict[str, object]]) -> list[Standing]:
    """The published result back as standings (exact decimals; the index as published)."""
    rows = []
    for r in results:
        total, maximum = _number(r["total"]), _number(r["max"])
        exact = Fraction(total) * 100 / Fraction(maximum) if total is not None and maximum else None
        rows.append(Standing(r["unit"], exact, total, maximum, int(r["rank"]), r["classification"],
                             index=_number(r["index"]), level=r.get("level", ""), appraised=_number(r["appraised"]),
                             survey=_number(r["survey"]), fields={k: _number(v) for k, v in r["fields"].items()}))
    return rows


def index_units(points: int, maximum: int) -> int | None:
    """A field's index (%) for one unit in 1/10,000 %: ``index_decimal`` (points × 100 / maximum rounded
    half away from zero to 4 decimals, as ``NodeResult.index``) in exact integers, without making a
    Fraction and a Decimal for each of 3,321 × fields values."""
    if maximum == 0:
        return None
    magnitude = (2 * abs(int(points)) * 10**6 + maximum) // (2 * maximum)
    return magnitude if points >= 0 else -magnitude


def previous_ranking(store: CampaignStore) -> list[ranking.Standing]:
    """What a campaign published (or, unpublished, its current ranking)."""
    row = store.objects(Publication).order_by("-seq").values_list("results").first()
    if row is None:
        return list(compute(store))
    return [ranking.Standing(r["unit"], None if r["index"] is None else Fraction(Decimal(r["index"])),
                             Decimal(r["total"]), Decimal(r["max"]), int(r["rank"]), r["classification"],
                             index=None if r["index"] is None else Decimal(r["index"]))
            for r in loads(row[0])]


_PREVIOUS_COLUMNS = {
    "rank": ("hạng", "rank", "xếp hạng"),
    "index": ("chỉ số cchc (%)", "chỉ số (%)", "chỉ số", "index", "chỉ số %"),
    "points": ("tổng điểm", "điểm", "points", "total"),
    "max": ("điểm tối đa", "tối đa", "max"),
    "classification": ("xếp loại", "classification"),
}


def load_previous(location: str | Path) -> list[ranking.Standing]:
    """An earlier ranking: a campaign file, or a published table (.csv/.xlsx with Đơn vị, Hạng,
    Tổng điểm, Điểm tối đa, Chỉ số CCHC (%) — e.g. last year's ``xep-hang.xlsx``)."""
    suffix = Path(str(location)).suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return _previous_from_table(Path(location))
    with open_campaign(location) as other:
        return previous_ranking(other)


def _previous_from_table(path: Path) -> list[ranking.Standing]:
    frame, place = read_table(path)
    name = str(path)
    columns = find_columns(frame, {"unit": UNIT_COLUMNS, **_PREVIOUS_COLUMNS})
    if "unit" not in columns or "index" not in columns:
        raise CampaignError.single(name, "dòng 1", "bảng kết quả kỳ trước cần cột “Đơn vị” và “Chỉ số CCHC (%)”")
    units: list[str] = []
    values: dict[str, list[Decimal | None]] = {"rank": [], "index": [], "points": [], "max": []}
    classes: list[str | None] = []
    problems = []
    for row, record in enumerate(frame.to_dict("records")):
        unit = nfc(record[columns["unit"]])
        if not unit:
            break  # notes below the table start after a blank row
        units.append(unit)
        for key in values:
            raw = nfc(record[columns[key]]) if key in columns else ""
            try:
                values[key].append(parse_decimal(raw) if raw else None)
            except ValueError as exc:
                problems.append(Problem(name, place(row, columns[key]), str(exc)))
                values[key].append(None)
        classes.append(nfc(record[columns["classification"]]) or None if "classification" in columns else None)
    problems += previous_problems(name, [(unit, index, place(row, columns["unit"]))
                                         for row, (unit, index) in enumerate(zip(units, values["index"]))])
    if problems:
        raise CampaignError(problems)
    if any(v is None for v in values["index"]):
        raise CampaignError.single(name, "", "mỗi đơn vị cần chỉ số kỳ trước")
    ranks = values["rank"]
    if any(r is None for r in ranks):  # ranked by the exact decimals: floats would tie near-equal indices
        ranks = [Decimal(int(r)) for r in competition_ranks(np.array(values["index"], dtype=object))]
    return [ranking.Standing(units[i], Fraction(values["index"][i]), values["points"][i], values["max"][i],  # type: ignore[arg-type]
                             int(ranks[i]), classes[i], index=values["index"][i])  # the index as published
            for i in range(len(units))]
