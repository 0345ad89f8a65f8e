"""What a unit lost, in the register of the real plans: one sentence per lost sub-criterion
(“Tỷ lệ hồ sơ TTHC giải quyết trễ hạn còn 5%, chưa đạt yêu cầu 0%”), with % on ratios and no
formulas, arrows or “×”: the arithmetic stays in the trace and the detail appendix.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from criteria import Node
from criteria.numbers import format_points, format_vn
from criteria.rules import (
    AdditiveRule, BandsRule, BooleanRule, ChoiceRule, CountLadderRule, DeadlineRule, DeductionRule, ExternalRule,
    ManualRule, ProportionalRule,
)
from criteria.rules.deadline import date_text

from scoring.result import NodeResult

_UNIT_IN_NAME = re.compile(r"\s*\((%|thang [^)]*)\)\s*$")


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, dict):
        value = value.get("percent", value.get("points"))
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def _number(value: Decimal) -> str:
    return format_vn(value, 2, trim=True)


def is_ratio(node: Node) -> bool:
    """A measure shown with %: a percent rule, or a name that says it is a ratio."""
    rule = node.rule
    if isinstance(rule, (ProportionalRule,)) or (isinstance(rule, BandsRule) and rule.measure == "percent"):
        return True
    name = node.name.casefold()
    return "(%)" in name or name.startswith("tỷ lệ") or " tỷ lệ " in name


def subject(node: Node) -> str:
    """The criterion's name as the subject of a sentence, without a trailing “(%)”."""
    return _UNIT_IN_NAME.sub("", node.name).strip()


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:1].isupper() and not text[1:2].isupper() else text


def shortfall(node: Node, leaf: NodeResult) -> str:
    """One sentence, without the final full stop: what the unit reached and what it had to."""
    rule = node.rule
    name = subject(node)
    evidence = leaf.trace.evidence if leaf.trace is not None else None
    unit = "%" if is_ratio(node) else ""
    if leaf.status == "missing":
        return f"{name}: chưa có tài liệu kiểm chứng"
    if isinstance(rule, BandsRule):
        value = _decimal(evidence)
        top = max(rule.bands, key=lambda b: b.points)
        words = top.words(unit)
        words = words[4:] if words.startswith("Đạt ") else words
        if value is None:
            return f"{name} chưa đạt mức {words}"
        verb = "còn" if rule.better == "lower" else "đạt"
        need = "yêu cầu" if rule.better == "lower" else "mức"
        return f"{name} {verb} {_number(value)}{unit}, chưa đạt {need} {words}"
    if isinstance(rule, ProportionalRule):
        value = _decimal(evidence)
        shown = f"{_number(value)}%" if value is not None else "chưa đủ"
        floor = rule.floor
        if floor is not None and leaf.points == 0:
            limit = floor.ge if floor.ge is not None else floor.gt
            word = "từ" if floor.ge is not None else "trên"
            return f"{name} đạt {shown}, chưa đạt ngưỡng {word} {_number(limit)}%"  # type: ignore[arg-type]
        return f"{name} đạt {shown}, chưa đạt 100%"
    if isinstance(rule, DeadlineRule):
        issued = leaf.trace.explanation if leaf.trace is not None else ""
        if evidence in (None, "", False):
            return f"Chưa ban hành {rule.document}"
        day = _date(evidence)
        if day is not None and day > rule.due:
            return f"Ban hành {rule.document} ngày {date_text(day)}, chậm so với thời hạn {date_text(rule.due)}"
        return f"{upper_first(rule.document)}: {issued.split(':')[0]}"
    if isinstance(rule, ChoiceRule):
        best = max(rule.options, key=lambda o: o.points)
        label = str(evidence) if evidence not in (None, "") else "chưa thực hiện"
        return f"{name}: {_lower_first(label)}, chưa đạt mức “{_lower_first(best.label)}”"
    if isinstance(rule, BooleanRule):
        return f"{name}: {_lower_first(rule.no_label)}"
    if isinstance(rule, CountLadderRule):
        value = _decimal(evidence)
        need = rule.steps[0].at_least
        got = f"{_number(value)} {rule.unit}" if value is not None else f"chưa đủ {rule.unit}"
        return f"{name} đạt {got}, chưa đạt yêu cầu từ {need} {rule.unit}"
    if isinstance(rule, AdditiveRule):
        met = set(evidence) if isinstance(evidence, list) else set()
        missing = [_lower_first(item.label) for item in rule.items if item.label not in met]
        return f"{name}: còn thiếu {'; '.join(missing)}" if missing else f"{name}: chưa đầy đủ"
    if isinstance(rule, DeductionRule):
        value = _decimal(evidence)
        many = f"{_number(value)} {rule.unit}" if value is not None else f"một số {rule.unit}"
        return f"{name}: còn {many} bị trừ điểm"
    if isinstance(rule, ManualRule):
        reason = evidence.get("reason") if isinstance(evidence, dict) else None
        return f"{name}: {_lower_first(str(reason).strip().rstrip('.'))}" if reason else f"{name} chưa đạt tối đa"
    if isinstance(rule, ExternalRule):
        value = _decimal(evidence)
        if value is None:
            return f"Kết quả {rule.source_name} về {_lower_first(name)} chưa đạt tối đa"
        if rule.input == "percent_of_max":
            return f"{name} đạt {_number(value)}%, chưa đạt tối đa"
        return f"{name} đạt {format_points(value)}/{format_points(node.max)} điểm"
    return f"{name} chưa đạt điểm tối đa"


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def _date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None
