"""Rule texts read as a whole rather than as a list of options.

- proportional: "Điểm = Tỷ lệ × Điểm tối đa", "điểm = số mục tiêu đã hoàn thành / số mục
  tiêu đề ra × 1 điểm", with a floor from the label ("Hoàn thành 90%–100%") or "(khi tỷ lệ từ 90%)";
- deduction: "trừ 0,25 điểm cho mỗi văn bản chậm", "Mỗi trường hợp trễ hạn trừ 0,25 điểm";
- external: "Điểm lấy từ điều tra xã hội học (tối đa 10)", "Theo kết quả điều tra XHH";
- manual: "Người chấm cho điểm từ 0 đến 1, ghi rõ lý do";
- additive: "Cộng điểm các mục đạt: a: 0,25; b: 0,75 (tối đa 1)".
Each reader returns a rule, ``None`` when the form is absent, or raises ``Unclear``.
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..numbers import format_points
from ..rules import AdditiveRule, DeductionRule, ExternalRule, Item, ManualRule, ProportionalRule, ShareFloor
from .clauses import split_top
from .kinds import checked
from .options import Unclear, clean_label, read_clause
from .values import NUMBER, TIMES, number, points_value, quantity

_FLAGS = re.IGNORECASE | re.DOTALL
_MANUAL = re.compile(rf"^Người chấm cho điểm từ 0 đến (?P<max>{NUMBER}), ghi rõ lý do(?:\. (?P<guidance>.+))?$",
                     _FLAGS)
_EXTERNAL_POINTS = re.compile(rf"^Điểm lấy từ (?P<source>.+) \(tối đa (?P<max>{NUMBER})\)$", _FLAGS)
_EXTERNAL_SHARE = re.compile(rf"^Tỷ lệ % từ (?P<source>.+) × (?P<max>{NUMBER})$", _FLAGS)
_SURVEY = re.compile(r"điều tra xã hội học|\bXHH\b|\bSIPAS\b|khảo sát", _FLAGS)
_ADDITIVE = re.compile(rf"^Cộng điểm các mục đạt: (?P<items>.+) \(tối đa (?P<max>{NUMBER})\)$", _FLAGS)
_FORMULA = re.compile(
    rf"^(?:(?P<label>.*?):\s*)?(?:điểm(?:\s+đạt(?:\s+được)?)?|số điểm)\s*=\s*(?P<ratio>.+?)\s*{TIMES}\s*"
    rf"(?P<mult>{NUMBER}\s*(?:điểm|đ)?|(?:số\s+)?điểm tối đa(?:\s+của tiêu chí(?:\s+thành phần)?)?)"
    rf"\s*(?:\((?P<cond>[^()]*)\))?$",
    _FLAGS,
)
_DEFINITION = re.compile(r"^tỷ lệ(?:\s*\([^)]*\))?\s*%?\s*=\s*\S", _FLAGS)
_DEDUCT_AFTER = re.compile(
    rf"trừ\s+(?P<n>{NUMBER})\s*(?:điểm|đ)?\s*(?:cho|đối với|với|trên)?\s*mỗi\s+(?P<unit>[^;.,()]+?)\s*(?=$|[;.,(]|"
    r"\s(?:thấp nhất|tối đa|tối thiểu)\b)",
    _FLAGS,
)
_DEDUCT_BEFORE = re.compile(
    rf"mỗi\s+(?P<unit>[^;.,()]+?)\s+(?:thì\s+)?(?:bị\s+)?trừ\s+(?P<n>{NUMBER})\s*(?:điểm|đ)?", _FLAGS
)
_DEDUCT_FLOOR = re.compile(rf"^(?:điểm\s+)?(?:thấp nhất|tối thiểu)(?:\s+là)?\s*(?P<n>{NUMBER})\s*(?:điểm|đ)?$",
                           _FLAGS)
_MAXIMUM = re.compile(rf"^(?:điểm\s+)?tối đa(?:\s+là)?\s*(?P<n>{NUMBER})\s*(?:điểm|đ)?$", _FLAGS)


def _same_max(written: str, max_points: Decimal, what: str) -> None:
    value = number(written)
    if value != max_points:
        raise Unclear(f"{what} ghi {format_points(value)}, khác điểm tối đa {format_points(max_points)}",
                      [f"{what} ghi {format_points(value)}, khác điểm tối đa {format_points(max_points)} của tiêu chí"])


def manual_form(text: str, max_points: Decimal) -> ManualRule | None:
    match = _MANUAL.match(text)
    if not match:
        return None
    _same_max(match["max"], max_points, "điểm chấm tối đa")
    return ManualRule(kind="manual", guidance=match["guidance"] or "")


def additive_form(text: str, max_points: Decimal) -> AdditiveRule | None:
    match = _ADDITIVE.match(text)
    if not match:
        return None
    _same_max(match["max"], max_points, "tổng tối đa")
    items = []
    for piece in split_top(match["items"], "; "):
        colon = piece.rfind(":")
        points = points_value(piece[colon + 1:], max_points) if colon > 0 else None
        if points is None:
            raise Unclear(f"không đọc được mục “{piece}”")
        items.append(Item(label=piece[:colon].strip(), points=points.value))
    return checked(AdditiveRule(kind="additive", items=tuple(items)), max_points)


def external_form(text: str, max_points: Decimal, has_options: bool) -> ExternalRule | None:
    for pattern, kind in ((_EXTERNAL_POINTS, "points"), (_EXTERNAL_SHARE, "percent_of_max")):
        match = pattern.match(text)
        if match:
            _same_max(match["max"], max_points, "điểm tối đa")
            return ExternalRule(kind="external", input=kind, source_name=match["source"])  # type: ignore[arg-type]
    if has_options or not _SURVEY.search(text):
        return None
    source = "SIPAS" if re.search(r"\bSIPAS\b", text, _FLAGS) else "điều tra xã hội học"
    times = re.search(rf"{TIMES}\s*(?P<n>{NUMBER}|điểm tối đa)", text, _FLAGS)
    if times:
        if times["n"].casefold() != "điểm tối đa":
            _same_max(times["n"], max_points, "hệ số nhân")
        return ExternalRule(kind="external", input="percent_of_max", source_name=source)
    if re.search(NUMBER, text):
        return None  # numbers beside the survey words: not certain what they mean
    return ExternalRule(kind="external", input="points", source_name=source)


def is_definition(clause: str) -> bool:
    """"Tỷ lệ = a/b": a definition of the share, not a scoring level."""
    return bool(_DEFINITION.match(clause))


def formula(clause: str) -> re.Match[str] | None:
    match = _FORMULA.match(clause)
    if match and ("/" in match["ratio"] or "tỷ lệ" in match["ratio"].casefold() or "%" in match["ratio"]):
        return match
    return None


def proportional_form(formula_match: re.Match[str], others: list[str], max_points: Decimal) -> ProportionalRule:
    """A formula clause and the other clauses, which must agree with it."""
    mult = formula_match["mult"]
    if not re.sub(r"^số\s+", "", mult.casefold()).startswith("điểm tối đa"):
        _same_max(re.sub(r"\s*(điểm|đ)$", "", mult.strip(), flags=re.IGNORECASE), max_points, "hệ số nhân")
    condition = None
    for text in (formula_match["cond"], formula_match["label"]):
        if text and quantity(text) is not None:
            condition = quantity(text)
            break
    floor = None
    if condition is not None and not condition.rest:
        if condition.upper is not None and condition.upper != (Decimal(100), True):
            raise Unclear("công thức tỷ lệ chỉ áp dụng cho một khoảng có cận trên khác 100%")
        low = condition.lower
        if low is not None and not (low[0] == 0 and low[1]):
            floor = ShareFloor(ge=low[0]) if low[1] else ShareFloor(gt=low[0])
    rule = ProportionalRule(kind="proportional", floor=floor)
    for clause in others:
        _agrees(clause, rule, max_points)
    return checked(rule, max_points)


def _agrees(clause: str, rule: ProportionalRule, max_points: Decimal) -> None:
    """"Hoàn thành 100%: 1" and "Dưới 90%: 0" beside the formula must say what it says."""
    options = read_clause(clause, max_points) or []
    if len(options) != 1:
        raise Unclear(f"không đọc chắc chắn được “{clause}” bên cạnh công thức tỷ lệ")
    option = options[0]
    q = quantity(option.label)
    if q is not None and q.rest:
        expected = Decimal(0)
    elif q is not None and q.lower is None and q.upper is not None and _below(q.upper, rule.floor):
        expected = Decimal(0)
    elif q is not None and q.lower is not None and q.lower[0] >= 100:
        expected = max_points
    else:
        raise Unclear(f"không đọc chắc chắn được “{clause}” bên cạnh công thức tỷ lệ")
    if option.points != expected:
        raise Unclear(
            f"“{clause}” mâu thuẫn với công thức tỷ lệ",
            [f"mức “{option.label}” ghi {format_points(option.points)} điểm, theo công thức tỷ lệ là "
             f"{format_points(expected)} điểm"],
        )


def _below(upper: tuple[Decimal, bool], floor: ShareFloor | None) -> bool:
    """Every share up to ``upper`` lies below the floor."""
    if floor is None:
        return False
    return upper[0] < floor.bound or (upper[0] == floor.bound and (not upper[1] or floor.gt is not None))


def deduction_form(clauses: list[str], max_points: Decimal) -> DeductionRule | None:
    """Per-occurrence deduction; the other clauses may only state the maximum or the floor."""
    found = None
    for clause in clauses:
        match = _DEDUCT_AFTER.search(clause) or _DEDUCT_BEFORE.search(clause)
        if match:
            if found is not None:
                raise Unclear("có nhiều mức trừ điểm khác nhau")
            found = (clause, match)
    if found is None:
        return None
    floor = Decimal(0)
    for clause in clauses:
        if clause is found[0]:
            continue
        if (m := _DEDUCT_FLOOR.match(clause)) is not None:
            floor = number(m["n"])
        elif (m := _MAXIMUM.match(clause)) is not None:
            _same_max(m["n"], max_points, "điểm tối đa")
        else:
            options = read_clause(clause, max_points)
            if not options or len(options) != 1 or options[0].points != max_points:
                raise Unclear(f"không đọc chắc chắn được “{clause}” bên cạnh mức trừ điểm")
    match = found[1]
    unit = clean_label(match["unit"])
    return checked(DeductionRule(kind="deduction", per_occurrence=number(match["n"]), unit=unit, floor=floor),
                    max_points)
