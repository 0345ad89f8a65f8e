"""Labelled options → one rule kind of the engine, or ``Unclear``.

The choice between kinds follows what is written, never a likelihood:
every label a share ("trên 90%") → bands; every label a count ("4 lần") → count ladder;
a due date in the first of three deadline tiers → deadline; two options, the first the
maximum and the second nothing → boolean; items written as a group → additive; other
labelled options → choice.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, TypeVar

from ..numbers import format_points
from ..rules import (
    AdditiveRule, Band, BandsRule, BooleanRule, ChoiceRule, CountLadderRule, DeadlineRule, Item, Option as RuleOption,
    Step,
)
from ..rules.base import norm_text
from ..rules.deadline import parse_date
from .options import Option, Unclear
from .values import Quantity, quantity

_FLAGS = re.IGNORECASE
_DUE = re.compile(
    r"(?P<prep>đến hết ngày|chậm nhất(?: là)?(?: ngày)?|trước hoặc trong ngày|trong ngày|đến ngày|trước ngày|trước)"
    r"\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})",
    _FLAGS,
)
_AFTER_DATE = re.compile(r"sau(?: ngày)?\s*(?P<date>\d{1,2}/\d{1,2}/\d{4})", _FLAGS)
_ON_TIME = re.compile(r"kịp thời|đúng hạn|đúng thời hạn|trước|đến hết ngày|chậm nhất", _FLAGS)
_LATE = re.compile(r"không kịp thời|chậm|trễ|quá hạn|sau", _FLAGS)
_NOT_ISSUED = re.compile(r"^(?:không|chưa)\s+(?:ban hành|có)", _FLAGS)
_NEGATION = re.compile(r"^(?:không|chưa)\s+(?P<rest>\S.*)$", _FLAGS)
IMPLICIT_TOP = "Không bị trừ điểm"
RuleT = TypeVar("RuleT", bound=Any)


def checked(rule: RuleT, max_points: Decimal) -> RuleT:
    """The rule, or ``Unclear`` with the engine's own words for what is wrong with it."""
    problems = rule.check(max_points)
    if problems:
        raise Unclear("cách tính điểm không nhất quán", problems)
    return rule


def from_options(options: list[Option], max_points: Decimal) -> Any:
    """The rule a list of labelled options states; raises ``Unclear``."""
    if not options:
        raise Unclear("không tìm thấy mức điểm nào trong cách tính điểm")
    quantities = [quantity(o.label) for o in options]
    if all(q is not None for q in quantities) and any(not q.rest for q in quantities):  # type: ignore[union-attr]
        return _by_quantity(options, quantities, max_points)  # type: ignore[arg-type]
    deadline = _deadline(options, max_points)
    if deadline is not None:
        return deadline
    if len(options) == 1:
        return _single(options[0], max_points)
    top = max(o.points for o in options)
    if len(options) == 2 and options[0].points == max_points and options[1].points <= 0:
        return checked(BooleanRule(kind="boolean", yes_label=options[0].label, no_label=options[1].label,
                                    no_points=options[1].points), max_points)
    if any(o.grouped for o in options) and all(o.points > 0 for o in options):
        items = tuple(Item(label=o.label, points=o.points) for o in options)
        return checked(AdditiveRule(kind="additive", items=items), max_points)
    if top < max_points and any(o.deducts for o in options):
        options = [Option(IMPLICIT_TOP, max_points)] + options
        top = max_points
    if top < max_points and all(o.points > 0 for o in options) and sum(o.points for o in options) >= max_points:
        raise Unclear("không mức nào đạt điểm tối đa; nếu các mục được cộng dồn, ghi "
                      "“Cộng điểm các mục đạt: …”")
    lowest = min(Decimal(0), *(o.points for o in options))
    choice = ChoiceRule(kind="choice", options=tuple(RuleOption(label=o.label, points=o.points) for o in options),
                        floor=lowest)
    return checked(choice, max_points)


def _single(option: Option, max_points: Decimal) -> BooleanRule:
    """One clause alone: only "Không bố trí …: bị 0 điểm và bị trừ 0,25 điểm" is certain —
    the negative case, whose positive case then earns the maximum."""
    match = _NEGATION.match(option.label)
    if match and option.points <= 0:
        rest = match["rest"]
        yes = rest[0].upper() + rest[1:]
        return checked(BooleanRule(kind="boolean", yes_label=yes, no_label=option.label,
                                    no_points=option.points), max_points)
    raise Unclear(f"chỉ có một mức điểm (“{option.label}”: {format_points(option.points)}), "
                  "không rõ các trường hợp còn lại")


def _deadline(options: list[Option], max_points: Decimal) -> DeadlineRule | None:
    if len(options) != 3:
        return None
    first, late, missing = options
    match = _DUE.search(first.label)
    if not match or not _ON_TIME.search(first.label) or not _LATE.search(late.label) \
            or not _NOT_ISSUED.match(missing.label):
        return None
    try:
        due = parse_date(match["date"])
    except ValueError:
        return None
    if match["prep"].casefold() in ("trước ngày", "trước"):
        due -= dt.timedelta(days=1)  # "trước ngày 31/12" = on 30/12 at the latest
    after = _AFTER_DATE.search(late.label)
    if after is not None:
        late_from = parse_date(after["date"]) + dt.timedelta(days=1)  # "sau ngày 31/12" = from 01/01
        if late_from != due + dt.timedelta(days=1):
            gap = f"ngày {due + dt.timedelta(days=1):%d/%m/%Y}" if late_from > due + dt.timedelta(days=1) else None
            message = (f"{gap} không thuộc mức nào" if gap else "hai mức thời hạn chồng lên nhau")
            raise Unclear("mức kịp thời và mức không kịp thời không liền nhau", [message])
    if first.points != max_points:
        raise Unclear("mức ban hành kịp thời phải bằng điểm tối đa",
                      [f"mức “{first.label}” có {format_points(first.points)} điểm, khác điểm tối đa "
                       f"{format_points(max_points)}"])
    return checked(DeadlineRule(kind="deadline", due=due, late=late.points, not_issued=missing.points), max_points)


def _by_quantity(options: list[Option], quantities: list[Quantity], max_points: Decimal) -> Any:
    real = [q for q in quantities if not q.rest]
    if all(q.unit for q in real) and not any(q.percent for q in real):
        return _count_ladder(options, quantities, max_points)
    if all(q.percent for q in real):
        return _bands(options, quantities, "percent", max_points)
    if all(q.worded and not q.unit and not q.percent for q in real):
        return _bands(options, quantities, "number", max_points)
    raise Unclear("các mức trộn lẫn tỷ lệ %, số lượng và chữ; không đọc chắc chắn được")


def _rest_band(lowest: Band) -> Band | None:
    bound = lowest.lower
    if bound is None:
        return None
    return Band(points=Decimal(0), lt=bound[0]) if bound[1] else Band(points=Decimal(0), le=bound[0])


def _bands(options: list[Option], quantities: list[Quantity], measure: str, max_points: Decimal) -> BandsRule:
    bands: list[Band] = []
    rest: Option | None = None
    for option, q in zip(options, quantities):
        if q.rest:
            if rest is not None or option is not options[-1]:
                raise Unclear("“còn lại” chỉ được là mức cuối cùng")
            rest = option
            continue
        bands.append(Band(
            points=option.points,
            ge=q.lower[0] if q.lower and q.lower[1] else None,
            gt=q.lower[0] if q.lower and not q.lower[1] else None,
            le=q.upper[0] if q.upper and q.upper[1] else None,
            lt=q.upper[0] if q.upper and not q.upper[1] else None,
        ))
    bands.sort(key=_band_order, reverse=True)
    if rest is not None:
        below = _rest_band(bands[-1])
        if below is None:
            raise Unclear("“còn lại” không còn khoảng nào")
        bands.append(below.model_copy(update={"points": rest.points}))
    points = [b.points for b in bands]
    better = "higher"
    if points != sorted(points, reverse=True):
        if points == sorted(points):
            better = "lower"
    rule = BandsRule(kind="bands", measure=measure, better=better, bands=tuple(bands),  # type: ignore[arg-type]
                     floor=min(Decimal(0), *points))
    return checked(rule, max_points)


def _band_order(band: Band) -> tuple[int, Decimal, int]:
    """Highest range first: by lower bound (none = lowest), "trên" above "từ", then upper."""
    low = band.lower
    if low is None:
        high = band.upper
        return (0, high[0] if high else Decimal(0), 1 if high and high[1] else 0)
    return (1, low[0], 0 if low[1] else 1)


def _count_ladder(options: list[Option], quantities: list[Quantity], max_points: Decimal) -> CountLadderRule:
    """"4 lần: 20; 3 lần: 15; còn lại: 0": a bare count is a step reached from that count up."""
    units = {norm_text(q.unit) for q in quantities if not q.rest and q.unit}
    if len(units) != 1:
        raise Unclear("các bậc ghi đơn vị khác nhau")
    unit = next(q.unit for q in quantities if not q.rest and q.unit)
    steps: list[tuple[int, Decimal, Quantity]] = []
    otherwise: tuple[Decimal, Quantity | None] | None = None
    for option, q in zip(options, quantities):
        if q.rest or q.lower is None:
            if otherwise is not None:
                raise Unclear("có nhiều hơn một mức “còn lại”")
            otherwise = (option.points, None if q.rest else q)
            continue
        bound, inclusive = q.lower
        if bound != bound.to_integral_value() or bound < 0:
            raise Unclear(f"số {unit} phải là số nguyên không âm")
        at_least = int(bound) if inclusive else int(bound) + 1
        steps.append((at_least, option.points, q))
    if not steps:
        raise Unclear("không có bậc nào")
    steps.sort(key=lambda s: s[0], reverse=True)
    problems = []
    for (higher, _, _), (lower, _, q) in zip(steps, steps[1:]):
        if q.upper is not None and q.upper != q.lower and q.upper not in ((Decimal(higher), False),
                                                                         (Decimal(higher - 1), True)):
            problems.append(f"bậc từ {lower} {unit} không liền với bậc từ {higher} {unit}")
    if steps[0][2].upper is not None and steps[0][2].upper != steps[0][2].lower:
        problems.append(f"bậc cao nhất ({steps[0][0]} {unit}) có cận trên: số lớn hơn không có điểm")
    if otherwise is not None and otherwise[1] is not None:
        low = steps[-1][0]
        if otherwise[1].upper not in ((Decimal(low), False), (Decimal(low - 1), True)):
            problems.append(f"mức “dưới” không liền với bậc thấp nhất ({low} {unit})")
    if problems:
        raise Unclear("các bậc không liền nhau", problems)
    rule = CountLadderRule(
        kind="count_ladder", unit=unit,
        steps=tuple(Step(at_least=a, points=p) for a, p, _ in steps),
        otherwise=otherwise[0] if otherwise else Decimal(0),
    )
    return checked(rule, max_points)
