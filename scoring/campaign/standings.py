"""Ranking a campaign: every unit's appraised and survey points, index, rank and class.

Ranks come from ``scoring.ranking.rank`` (exact index, ties share a rank: 1, 2, 2, 4) and
classes from the rubric's bands. With a previous campaign of the same units, each row also
carries its change (``scoring.ranking.compare_rankings``): points, index, “tăng 3 bậc”.
A previous campaign that was published is compared with what it published.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from scoring.ranking import RankChange, RankedUnit, compare_rankings
from scoring.ranking import rank as rank_sheet

from .cells import loads
from .sheets import appraised_sheet
from .store import CampaignStore


@dataclass(frozen=True)
class Standing:
    rank: int
    unit: str
    level: str
    appraised: Decimal  # total − survey points
    survey: Decimal | None  # None: no survey for this unit (rescaled)
    total: Decimal
    max: Decimal
    index: Decimal | None
    classification: str | None
    fields: dict[str, Decimal | None]  # top-level field code → sub-index (%)
    change: RankChange | None = None

    def as_ranked(self) -> RankedUnit:
        return RankedUnit(self.rank, self.unit, self.total, self.max, self.index, self.classification)


def rank(store: CampaignStore, previous: CampaignStore | None = None) -> list[Standing]:
    """Every unit, best first, from the appraised result (total = appraised + survey)."""
    sheet = appraised_sheet(store)
    rubric = store.rubric
    levels = {name: level for _, name, level in store.units()}
    survey_row = sheet.compiled.index[rubric.survey.code] if rubric.survey else None
    fields = [sheet.compiled.nodes[row].code for row in sheet.compiled.top_rows]
    rows = []
    for ranked in rank_sheet(sheet):
        i = sheet.position(ranked.unit)
        survey = None
        if survey_row is not None and int(sheet.maximum[survey_row, i]):
            survey = sheet.points_decimal(rubric.survey.code, ranked.unit)
        result = sheet.result(i, traces=False)
        rows.append(Standing(ranked.rank, ranked.unit, levels.get(ranked.unit, ""),
                             ranked.points - (survey or Decimal(0)), survey, ranked.points, ranked.max,
                             ranked.index, ranked.classification,
                             {code: result.node(code).index for code in fields}))
    if previous is not None:
        changes = compare_rankings([r.as_ranked() for r in rows], previous_ranking(previous))
        rows = [Standing(**{**r.__dict__, "change": changes[r.unit]}) for r in rows]
    return rows


def previous_ranking(store: CampaignStore) -> list[RankedUnit]:
    """What a campaign published (or, unpublished, its current ranking)."""
    row = store.conn.execute("SELECT results FROM publication ORDER BY seq DESC LIMIT 1").fetchone()
    if row is None:
        return [s.as_ranked() for s in rank(store)]
    return [RankedUnit(int(r["rank"]), r["unit"], Decimal(r["total"]), Decimal(r["max"]),
                       None if r["index"] is None else Decimal(r["index"]), r["classification"])
            for r in loads(row[0])]
