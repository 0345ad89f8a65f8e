"""The browser input of one leaf, shaped by its rule kind — the same inputs as the Excel sheet.

This is the only portal module that looks at rule kinds: it turns a leaf into a ``LeafInput``
(which widget, which choices, the prompt, whether “Không phát sinh” may be chosen), splits a
stored cell text into the widget's parts for display, and joins posted parts back into the one
text the engine reads (``scoring.evidence.validate_frame``). The prompts come from the Excel
sheet's ``scoring.workbook.inputs.leaf_input`` so both paths say the same thing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from criteria import Node, Rubric
from criteria.rules import (
    AdditiveRule,
    BandsRule,
    BooleanRule,
    ChoiceRule,
    CountLadderRule,
    DeadlineRule,
    DeductionRule,
    ExternalRule,
    ManualRule,
    ProportionalRule,
)
from criteria.rules.base import norm_text, says_not_applicable
from criteria.rules.boolean import FALSE_WORDS, TRUE_WORDS
from criteria.rules.deadline import NOT_ISSUED_WORDS, parse_date
from scoring.workbook.inputs import leaf_input

NOT_APPLICABLE_TEXT = "Không phát sinh"
NOT_ISSUED_TEXT = "Không ban hành"
NO_ITEM_TEXT = "Không có mục nào"

# Widget kinds the templates know (one template branch each).
SELECT, DATE, RATIO, NUMBER, INTEGER, CHECKLIST, MANUAL = (
    "select", "date", "ratio", "number", "integer", "checklist", "manual")


@dataclass(frozen=True)
class LeafInput:
    """How one leaf is answered in the browser."""

    code: str
    widget: str
    prompt: str
    choices: tuple[str, ...] = ()  # select: the labels; checklist: the items
    not_applicable: bool = False  # “Không phát sinh” may be ticked
    unit: str = ""  # integer: what is counted (“lần”, “văn bản”)
    maximum: str = ""  # manual/external points: the upper bound, decimal comma
    boolean: bool = False  # select of a yes/no rule: “Có”/“Không” typed in Excel map to its labels


def _plain(node: Node) -> str:
    return format(node.max.normalize(), "f").replace(".", ",")


def input_of(leaf: Node, na_allowed: bool) -> LeafInput:
    """The ``LeafInput`` of ``leaf`` (``na_allowed``: its không-phát-sinh policy allows it)."""
    rule = leaf.rule
    prompt = leaf_input(leaf, False).prompt
    base = {"code": leaf.code, "prompt": prompt, "not_applicable": na_allowed}
    if isinstance(rule, BooleanRule):
        return LeafInput(widget=SELECT, choices=(rule.yes_label, rule.no_label), boolean=True, **base)
    if isinstance(rule, ChoiceRule):
        return LeafInput(widget=SELECT, choices=tuple(o.label for o in rule.options), **base)
    if isinstance(rule, DeadlineRule):
        return LeafInput(widget=DATE, **base)
    if isinstance(rule, ProportionalRule) or (isinstance(rule, BandsRule) and rule.measure == "percent"):
        return LeafInput(widget=RATIO, **base)
    if isinstance(rule, (CountLadderRule, DeductionRule)):
        return LeafInput(widget=INTEGER, unit=rule.unit, **base)
    if isinstance(rule, AdditiveRule):
        return LeafInput(widget=CHECKLIST, choices=tuple(i.label for i in rule.items),
                         **{**base, "prompt": "Đánh dấu các mục đơn vị đạt."})
    if isinstance(rule, ManualRule):
        return LeafInput(widget=MANUAL, maximum=_plain(leaf), **base)
    if isinstance(rule, ExternalRule):
        return LeafInput(widget=NUMBER, maximum=_plain(leaf) if rule.input == "points" else "100", **base)
    if isinstance(rule, BandsRule):
        return LeafInput(widget=NUMBER, **base)
    raise TypeError(f"unknown rule kind {type(rule).__name__}")  # pragma: no cover - Rule is closed


@lru_cache(maxsize=32)
def inputs_of(rubric: Rubric) -> dict[str, LeafInput]:
    """Every leaf's input, by code (cached per rubric object)."""
    policies = rubric.policy_of()
    return {leaf.code: input_of(leaf, policies[leaf.code] != "not_allowed") for leaf in rubric.leaves()}


def parts_of(spec: LeafInput, text: str) -> dict[str, object]:
    """A stored cell text → the values the widget shows (keys as ``text_of`` reads them)."""
    text = (text or "").strip()
    if not text:
        return {}
    if says_not_applicable(text):
        return {"na": True}
    if spec.widget == DATE:
        if norm_text(text) in NOT_ISSUED_WORDS:
            return {"not_issued": True}
        try:
            return {"date": parse_date(text).isoformat()}
        except ValueError:
            return {"raw": text}
    if spec.widget == RATIO:
        if "/" in text:
            num, _, den = text.partition("/")
            return {"num": num.strip(), "den": den.strip()}
        return {"percent": text.rstrip("% ").strip()}
    if spec.widget == CHECKLIST:
        if norm_text(text) == norm_text(NO_ITEM_TEXT):
            return {"items": [], "none": True}
        chosen = []
        for part in (p.strip() for p in text.replace("\n", ";").split(";")):
            if part.isdigit() and 1 <= int(part) <= len(spec.choices):
                chosen.append(spec.choices[int(part) - 1])
            else:
                chosen.extend(c for c in spec.choices if norm_text(c) == norm_text(part))
        return {"items": chosen}
    if spec.widget == MANUAL:
        points, _, reason = text.partition("|")
        return {"points": points.strip(), "reason": reason.strip()}
    if spec.widget == SELECT:
        for choice in spec.choices:
            if norm_text(choice) == norm_text(text):
                return {"value": choice}
        if spec.boolean and norm_text(text) in TRUE_WORDS | FALSE_WORDS:
            return {"value": spec.choices[0] if norm_text(text) in TRUE_WORDS else spec.choices[1]}
    return {"value": text}


def _one(form: Mapping[str, object], key: str) -> str:
    value = form.get(key, "")
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value or "").strip()


def text_of(spec: LeafInput, form: Mapping[str, object], items: Sequence[str] = ()) -> str:
    """Posted widget values → the cell text the engine reads (blank: no answer yet).

    ``items``: the ticked checklist items (a multi-valued field). A malformed answer is passed on
    as typed so the engine's validation names the problem in Vietnamese.
    """
    if spec.not_applicable and _one(form, "na"):
        return NOT_APPLICABLE_TEXT
    if spec.widget == DATE:
        if _one(form, "not_issued"):
            return NOT_ISSUED_TEXT
        day = _one(form, "date")
        try:
            return dt.date.fromisoformat(day).strftime("%d/%m/%Y") if day else _one(form, "raw")
        except ValueError:
            return day
    if spec.widget == RATIO:
        num, den, percent = _one(form, "num"), _one(form, "den"), _one(form, "percent")
        if num or den:
            return f"{num}/{den}"
        return f"{percent}%" if percent else ""
    if spec.widget == CHECKLIST:
        chosen = [str(i) for i in items if str(i) in spec.choices]
        if chosen:
            return "; ".join(str(spec.choices.index(c) + 1) for c in chosen)
        return NO_ITEM_TEXT if _one(form, "none") else ""
    if spec.widget == MANUAL:
        points, reason = _one(form, "points"), _one(form, "reason")
        if not points and not reason:
            return ""
        return f"{points} | {reason}"
    return _one(form, "value")


def own_cells(rubric: Rubric, cells: Mapping[str, str], survey: set[str]) -> dict[str, str]:
    """The unit's own leaves from a file's cells: survey leaves dropped (Nội vụ enters them), a
    field or criterion declared “không phát sinh” as a whole spread to each leaf that allows it."""
    policies = rubric.policy_of()
    own: dict[str, str] = {}
    for code, text in cells.items():
        node = rubric.by_code.get(code)
        if node is None or code in survey:
            continue
        if node.is_leaf:
            own[code] = text
        elif says_not_applicable(text):
            for leaf in node.walk():
                if leaf.is_leaf and policies[leaf.code] != "not_allowed" and leaf.code not in survey:
                    own.setdefault(leaf.code, NOT_APPLICABLE_TEXT)
    return own


@lru_cache(maxsize=32)
def survey_leaves(rubric: Rubric) -> frozenset[str]:
    """The survey's leaves (Nội vụ enters them; a unit does not) — from the rubric alone, so a page
    needs no campaign store for it (``scoring.campaign.submissions.survey_codes`` reads the same)."""
    if rubric.survey is None:
        return frozenset()
    return frozenset(n.code for n in rubric.by_code[rubric.survey.code].walk() if n.is_leaf)
