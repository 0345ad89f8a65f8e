"""The browser input of one leaf, built from its rule kind's own ``input_spec()``.

A rule kind says what a unit types (``criteria.rules.base.InputSpec``: a widget, a prompt, the
choices, the words that stand for a value, bounds); this module turns that into a ``LeafInput``
the templates draw, splits a stored cell text into the widget's parts for display, and joins
posted parts back into the one text the engine reads (``scoring.evidence.validate_frame``). It
never asks which kind a rule is, so a new kind gets a form input with no portal change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from criteria import Node, Rubric
from criteria.rules.base import (
    InputSpec,
    RuleKind,
    norm_text,
    plain_decimal,
    says_not_applicable,
)
from criteria.rules.deadline import parse_date

from .per_rubric import per_rubric

NOT_APPLICABLE_TEXT = "Không phát sinh"
NO_ITEM_TEXT = "Không có mục nào"
CHECKLIST_PROMPT = "Đánh dấu các mục đơn vị đạt."
SEPARATOR = "; "  # how the parts of a ``dates`` answer are joined (the kind splits on “;”)

# The widgets of ``InputSpec`` (one template branch each; ``text`` is the fallback).
CHOICE, DATE, DATES, NUMBER, RATIO, POINTS, CHECKLIST, TEXT = (
    "choice", "date", "dates", "number", "ratio", "points", "checklist", "text")


@dataclass(frozen=True)
class LeafInput:
    """How one leaf is answered in the browser: its kind's ``InputSpec`` and the rule that reads
    the answer (to show a typed synonym — “Có”, “không” — as the input's own choice or word)."""

    code: str
    spec: InputSpec
    rule: RuleKind = field(compare=False, repr=False)

    @property
    def widget(self) -> str:
        return self.spec.widget

    @property
    def prompt(self) -> str:
        """The kind's prompt, except where it tells how to type parts into one Excel cell: the form
        has one box per part, so it says what to tick instead."""
        if self.widget == CHECKLIST:
            return CHECKLIST_PROMPT
        if self.widget == DATES:
            tick = f"; đánh dấu “{self.words[0]}” nếu không có" if self.words else ""
            return f"Ghi ngày của từng mục{tick}."
        return self.spec.prompt

    @property
    def choices(self) -> tuple[str, ...]:
        return self.spec.choices

    @property
    def words(self) -> tuple[str, ...]:
        return self.spec.words

    @property
    def not_applicable(self) -> bool:
        return self.spec.allows_not_applicable

    @property
    def integer(self) -> bool:
        return self.spec.integer

    @property
    def minimum(self) -> str:
        return "" if self.spec.minimum is None else plain_decimal(self.spec.minimum)

    @property
    def maximum(self) -> str:
        return "" if self.spec.maximum is None else plain_decimal(self.spec.maximum)

    @property
    def bounds(self) -> str:
        """“0–100”, “≥ 0”, or nothing: the range shown beside a number."""
        if self.minimum and self.maximum:
            return f"{self.minimum}–{self.maximum}"
        if self.minimum:
            return f"≥ {self.minimum}"
        return f"≤ {self.maximum}" if self.maximum else ""

    def same_answer(self, text: str, option: str) -> bool:
        """``text`` reads as ``option`` does (“có” as the rule's “Đạt”): the rule decides."""
        if norm_text(text) == norm_text(option):
            return True
        try:
            return self.rule.parse_value(text) == self.rule.parse_value(option)
        except ValueError:
            return False


def input_of(leaf: Node, na_allowed: bool) -> LeafInput:
    """The ``LeafInput`` of ``leaf`` (``na_allowed``: its không-phát-sinh policy allows it)."""
    rule: RuleKind = leaf.rule  # type: ignore[assignment]
    return LeafInput(leaf.code, rule.input_for(leaf.max, na_allowed), rule)


@per_rubric
def inputs_of(rubric: Rubric) -> dict[str, LeafInput]:
    """Every leaf's input, by code (cached per rubric object)."""
    policies = rubric.policy_of()
    return {leaf.code: input_of(leaf, policies[leaf.code] != "not_allowed") for leaf in rubric.leaves()}


def _day(spec: LeafInput, text: str) -> dict[str, str]:
    """One date part: ``{"date": iso}``, ``{"word": w}`` for one of the kind's words, else raw.
    For a ``dates`` input the rule reads whole answers, so a part is compared as every part."""
    count = len(spec.choices) if spec.widget == DATES else 1
    for word in spec.words:
        if spec.same_answer(SEPARATOR.join([text] * count), SEPARATOR.join([word] * count)):
            return {"word": word}
    try:
        return {"date": parse_date(text).isoformat()}
    except ValueError:
        return {"raw": text}


def _dates(spec: LeafInput, text: str) -> list[dict[str, Any]]:
    """One row per named date (“báo cáo quý I”), with its index for the posted field names."""
    parts = [p.strip() for p in text.replace("\n", ";").split(";")] if text else []
    if text and len(parts) != len(spec.choices):  # kept as typed, so the rule's message names it
        parts = [text] + [""] * (len(spec.choices) - 1)
        days = [{"raw": part} if part else {} for part in parts]
    else:
        days = [_day(spec, part) if part else {} for part in parts] or [{} for _ in spec.choices]
    return [{"i": i, "name": name, **day} for i, (name, day) in enumerate(zip(spec.choices, days))]


def parts_of(spec: LeafInput, text: str) -> dict[str, Any]:
    """A stored cell text → the values the widget shows (keys as ``text_of`` reads them)."""
    text = (text or "").strip()
    if not text:
        return {"rows": _dates(spec, "")} if spec.widget == DATES else {}
    if says_not_applicable(text):
        return {"na": True, "rows": _dates(spec, "")} if spec.widget == DATES else {"na": True}
    if spec.widget == DATE:
        return _day(spec, text)
    if spec.widget == DATES:
        return {"rows": _dates(spec, text)}
    if spec.widget == RATIO:
        if "/" in text:
            num, _, den = text.partition("/")
            return {"num": num.strip(), "den": den.strip()}
        return {"percent": text.rstrip("% ").strip()}
    if spec.widget == CHECKLIST:
        if spec.same_answer(text, NO_ITEM_TEXT):
            return {"items": [], "none": True}
        chosen = []
        for part in (p.strip() for p in text.replace("\n", ";").split(";")):
            if part.isdigit() and 1 <= int(part) <= len(spec.choices):
                chosen.append(spec.choices[int(part) - 1])
            else:
                chosen.extend(c for c in spec.choices if norm_text(c) == norm_text(part))
        return {"items": chosen}
    if spec.widget == POINTS:
        points, _, reason = text.partition("|")
        return {"points": points.strip(), "reason": reason.strip()}
    if spec.widget == CHOICE:
        for choice in spec.choices:
            if spec.same_answer(text, choice):
                return {"value": choice}
    return {"value": text}


def form_of(spec: LeafInput, text: str) -> dict[str, Any]:
    """What the widget drawn for ``text`` posts back, field by field (as the template names them;
    ``items`` a list): for clients that post without a browser (tests, the benchmark)."""
    parts = parts_of(spec, text)
    form: dict[str, Any] = {k: v for k, v in parts.items() if k != "rows"}
    for row in parts.get("rows", ()):
        form.update({f"{key}_{row['i']}": value for key, value in row.items() if key not in ("i", "name")})
    return form


def _one(form: Mapping[str, object], key: str) -> str:
    value = form.get(key, "")
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value or "").strip()


def _day_text(form: Mapping[str, object], suffix: str = "") -> str:
    word, day = _one(form, f"word{suffix}"), _one(form, f"date{suffix}")
    if word:
        return word
    try:
        return dt.date.fromisoformat(day).strftime("%d/%m/%Y") if day else _one(form, f"raw{suffix}")
    except ValueError:
        return day


def text_of(spec: LeafInput, form: Mapping[str, object], items: Sequence[str] = ()) -> str:
    """Posted widget values → the cell text the engine reads (blank: no answer yet).

    ``items``: the ticked checklist items (a multi-valued field). A malformed answer is passed on
    as typed so the engine's validation names the problem in Vietnamese.
    """
    if spec.not_applicable and _one(form, "na"):
        return NOT_APPLICABLE_TEXT
    if spec.widget == DATE:
        return _day_text(form)
    if spec.widget == DATES:
        days = [_day_text(form, f"_{i}") for i in range(len(spec.choices))]
        while days and not days[-1]:  # a row left blank at the end: the rule counts what was given
            days.pop()
        return SEPARATOR.join(days)
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
    if spec.widget == POINTS:
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


@per_rubric
def survey_leaves(rubric: Rubric) -> frozenset[str]:
    """The survey's leaves (Nội vụ enters them; a unit does not) — from the rubric alone, so a page
    needs no campaign store for it (``scoring.campaign.submissions.survey_codes`` reads the same)."""
    if rubric.survey is None:
        return frozenset()
    return frozenset(n.code for n in rubric.by_code[rubric.survey.code].walk() if n.is_leaf)
