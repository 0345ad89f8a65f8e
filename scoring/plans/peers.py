"""The other units' results, for targets by rank or group: from a score sheet, a JSON of
``parindex score --format json``, a CSV of unit,index (or points), or a campaign.

Everything meets in ``scoring.ranking.Standing`` (one unit's points, maximum and exact index). A campaign store
only has to hand over its score sheet (``standings_from_sheet``) or its totals
(``Standing.of``) to plug in.
"""

from __future__ import annotations

from decimal import Decimal
from operator import attrgetter
from fractions import Fraction
from pathlib import Path
from typing import Iterable


from criteria import InputError, Problem
from criteria.files import read_csv_frame
from criteria.numbers import parse_decimal
from criteria.rules.base import nfc, norm_text

from scoring.inputs.wide import UNIT_COLUMNS
from scoring.previous import previous_problems
from scoring.ranking import Standing
from scoring.result import ScoreSheet

INDEX_COLUMNS = ("index", "chỉ số", "chi_so", "chỉ số cchc", "chỉ số (%)")
POINTS_COLUMNS = ("points", "điểm", "diem", "tổng điểm", "tong_diem")
MAX_COLUMNS = ("max", "tối đa", "toi_da", "điểm tối đa")


def standings_from_sheet(sheet: ScoreSheet) -> list[Standing]:
    """Every unit of a score sheet (a campaign's, or an evidence CSV scored on the fly)."""
    out = []
    for i, unit in enumerate(sheet.units):
        exact = sheet.index_exact(i)
        if exact is None:
            continue  # nothing applies: the unit is not ranked
        totals = sheet.totals(i)
        out.append(Standing(unit, exact, totals.points, totals.max))
    return out


def read_peers_csv(path: str | Path, default_max: Decimal) -> list[Standing]:
    """A CSV of the other units: a unit column and an index column (percent), or a points
    column (with a max column, else every unit is taken to have ``default_max``)."""
    name = str(path)
    frame, _ = read_csv_frame(path, InputError)
    columns = {norm_text(c): c for c in frame.columns}
    unit_col = next((columns[c] for c in UNIT_COLUMNS if c in columns), None)
    index_col = next((columns[c] for c in INDEX_COLUMNS if c in columns), None)
    points_col = next((columns[c] for c in POINTS_COLUMNS if c in columns), None)
    max_col = next((columns[c] for c in MAX_COLUMNS if c in columns), None)
    if unit_col is None or (index_col is None and points_col is None):
        raise InputError.single(name, "dòng 1", "cần cột đơn vị (“unit” hoặc “Đơn vị”) và cột "
                                                "“index”/“Chỉ số” (%) hoặc “points”/“Điểm”")
    problems: list[Problem] = []
    out: list[Standing] = []
    checked: list[tuple[str, Decimal | None, str]] = []  # (unit, index %, place): the one rule of earlier tables
    for row, record in enumerate(frame.to_dict("records")):
        place = f"dòng {row + 2}"
        unit = nfc(str(record[unit_col]))
        if not unit:
            continue
        try:
            if index_col is not None and str(record[index_col]).strip():
                value = parse_decimal(str(record[index_col]).strip().rstrip("%"))
                out.append(Standing(unit, Fraction(value)))
            elif points_col is not None:
                points = parse_decimal(record[points_col])
                maximum = parse_decimal(record[max_col]) if max_col and str(record[max_col]).strip() else default_max
                if maximum <= 0:
                    raise ValueError("điểm tối đa phải lớn hơn 0")
                out.append(Standing.of(unit, points, maximum))
                value = points * 100 / maximum
            else:
                raise ValueError("thiếu chỉ số hoặc điểm")
        except ValueError as exc:
            problems.append(Problem(name, place, str(exc)))
            value = None
        checked.append((unit, value, place))
    problems += previous_problems(name, checked)  # a unit twice (“Hòa”/“Hoà” too), an index outside 0–100 %
    if problems:
        raise InputError(sorted(problems, key=lambda p: int(p.place.split()[-1])))
    return out


def merge_standings(own: Standing, *sources: Iterable[Standing]) -> list[Standing]:
    """The unit's own standing plus every other unit (later sources win on the same name)."""
    by_unit: dict[str, Standing] = {}
    for source in sources:
        for standing in source:
            by_unit[standing.unit] = standing
    by_unit.pop(own.unit, None)
    return [own, *by_unit.values()]


def rank_of(standings: list[Standing], unit: str) -> int:
    """Competition rank (ties share a rank) of ``unit`` among ``standings``: one more than the
    number of units with a strictly higher index. One pass, not a sort: a plan asks this a few
    times, and a national campaign has 3,321 units. Floats first, exactly: a correctly rounded
    float never inverts two fractions, so only equal floats need the fractions compared."""
    own = next(s for s in standings if s.unit == unit)
    key, exact = own.key, own.exact
    return 1 + sum(1 for s in standings if s.key > key or (s.key == key and s.exact > exact))  # type: ignore[operator] - peers are ranked


_descending_key = attrgetter("key", "exact")  # exactly like the index (see ``rank_of``), in C


def others_descending(standings: list[Standing], unit: str) -> list[Standing]:
    """Every other unit, best index first (ties in the given order)."""
    others = [s for s in standings if s.unit != unit]
    return sorted(others, key=_descending_key, reverse=True)  # reverse keeps ties in order
