"""Ranking and classification of units by their exact index."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

import numpy as np

from criteria import Rubric
from criteria.numbers import from_scaled, index_percent, round_half_up

from .result import ScoreSheet, ScoreTotals, order_keys


def competition_ranks(keys: np.ndarray) -> np.ndarray:
    """Ranks, highest key first; equal keys share a rank and the next rank skips (1, 2, 2, 4)."""
    n = len(keys)
    ranks = np.empty(n, dtype=np.int64)
    if n == 0:
        return ranks
    order = np.argsort(keys)  # ascending; equal keys share a rank whatever their order: no stable sort (7× faster)
    ordered = keys[order]
    last = np.empty(n, dtype=bool)  # the last of each run of equal keys in ascending order
    last[-1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=last[:-1])
    ends = np.flatnonzero(last)
    ranks[order] = np.repeat(n - ends, np.diff(ends, prepend=-1))  # 1 + the keys above the run
    return ranks


@dataclass(frozen=True)
class Standing:
    """One unit as a ranking sees it: its exact index (points / max × 100) and what else is known —
    points and maximum, rank, classification. A score sheet, a published ranking, a table of
    last year's results or of the other units all give standings; a campaign's rows are ones."""

    unit: str
    exact: Fraction | None  # None: nothing applies to the unit
    points: Decimal | None = None
    max: Decimal | None = None
    rank: int | None = None
    classification: str | None = None
    index: Decimal | None = None  # as shown and published; by default ``exact`` rounded half-up to 4 decimals
    key: float = field(default=float("-inf"), init=False, repr=False, compare=False)  # float(exact), once

    def __post_init__(self) -> None:
        if self.index is None and self.exact is not None:
            object.__setattr__(self, "index", round_half_up(self.exact, 4))
        if self.exact is not None:  # ordering 3,321 peers by float first is exact and ~10× faster (plans.peers)
            object.__setattr__(self, "key", float(self.exact))

    @classmethod
    def of(cls, unit: str, points: Decimal, maximum: Decimal) -> Standing:
        return cls(unit, Fraction(points) * 100 / Fraction(maximum), points, maximum)


def rank(sheet: ScoreSheet | ScoreTotals) -> list[Standing]:
    """Every unit with its rank, best first (ties in the order the units were given); a sheet's
    totals are all it reads (``ScoreTotals`` gives the same rows)."""
    return rank_totals(sheet.rubric, sheet.units, sheet.total, sheet.tree_max)


def rank_totals(rubric: Rubric, units: list[str], total: np.ndarray, tree_max: np.ndarray) -> list[Standing]:
    """``rank`` from each unit's total and maximum (scaled integers, the sheet's ``total`` and
    ``tree_max``): what a ranking needs, so it can be ranked without a whole score sheet."""
    ranks = competition_ranks(order_keys(total, tree_max)).tolist()
    totals, maxima = total.tolist(), tree_max.tolist()
    classes = class_labels(rubric, total, tree_max)
    rows = []
    for i in np.argsort(ranks, kind="stable").tolist():  # only what a row shows, not all of totals(i)
        total_i, maximum = totals[i], maxima[i]
        rows.append(Standing(units[i], index_percent(total_i, maximum), from_scaled(total_i), from_scaled(maximum),
                             ranks[i], classes[i]))
    return rows


def class_labels(rubric: Rubric, total: np.ndarray, tree_max: np.ndarray) -> list[str | None]:
    """``rubric.classify`` of every unit's exact index, for all units at once.

    index ≥ min ⟺ total·100·den ≥ num·max for min = num/den and max > 0 (exact integers);
    walking from the lowest band up, each unit keeps the highest band it reaches.
    """
    bands = rubric.classification
    found = np.full(len(total), len(bands), dtype=np.int64)  # len(bands): no class
    for position in reversed(range(len(bands))):
        bound = Fraction(bands[position].min)
        reached = total * (100 * bound.denominator) >= tree_max * bound.numerator
        found[reached & (tree_max > 0)] = position
    labels = [band.label for band in bands] + [None]
    return [labels[k] for k in found.tolist()]


@dataclass(frozen=True)
class RankChange:
    """A unit's move against an earlier ranking of the same units (e.g. last year's)."""

    previous_rank: int | None  # None: the unit was not ranked before
    previous_points: Decimal | None
    previous_index: Decimal | None
    rank_delta: int | None  # positive = moved up (a smaller rank number)
    points_delta: Decimal | None
    index_delta: Decimal | None

    def words(self) -> str:
        """“tăng 3 bậc”, “giảm 1 bậc”, “giữ nguyên”, “mới”."""
        if self.rank_delta is None:
            return "mới"
        if self.rank_delta > 0:
            return f"tăng {self.rank_delta} bậc"
        if self.rank_delta < 0:
            return f"giảm {-self.rank_delta} bậc"
        return "giữ nguyên"


def compare_rankings(current: list[Standing], previous: list[Standing]) -> dict[str, RankChange]:
    """Each current unit's change against ``previous`` (matched by unit name)."""
    before = {row.unit: row for row in previous}
    changes = {}
    for row in current:
        old = before.get(row.unit)
        if old is None:
            changes[row.unit] = RankChange(None, None, None, None, None, None)
            continue
        index_delta = None if row.index is None or old.index is None else row.index - old.index
        points_delta = None if old.points is None else row.points - old.points
        changes[row.unit] = RankChange(old.rank, old.points, old.index, old.rank - row.rank, points_delta, index_delta)
    return changes
