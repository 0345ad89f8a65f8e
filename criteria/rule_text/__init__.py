"""Rule text (cách tính điểm) → a declarative rule of the engine, deterministically.

``parse_rule_text("Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0", 1)``
gives a choice rule. Regular expressions over the text as provinces write it: no network,
no model, no likelihood. What cannot be read with certainty gives ``rule=None`` and the
reason, so the importer makes it a manual leaf that a person reviews — never a guess.

Every ``rule.describe(max)`` of the engine reads back to the same rule (the export of a
rubric is designed to round-trip); provincial phrasings are read too (see ``docs/import.md``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from pydantic import ValidationError

from ..numbers import to_scaled
from ..rules import Rule
from .clauses import clauses, clean_text, one_line, take_examples
from .examples import check_examples
from .forms import (
    additive_form, deduction_form, external_form, formula, is_definition, manual_form, proportional_form,
)
from .kinds import from_options
from .options import Option, Unclear, read_clause

__all__ = ["Parsed", "parse_rule_text", "clean_text", "one_line"]

NotApplicable = Literal["full_points", "exclude"]
_FLAGS = re.IGNORECASE
_NOT_APPLICABLE = re.compile(r"không phát sinh", _FLAGS)
_NO_TASK = re.compile(r"^(?:trường hợp\s+|nếu\s+)?(?:trong năm(?:\s+đánh giá)?\s+)?không có\b", _FLAGS)
_EXCLUDE_WORDS = re.compile(r"không tính|không chấm|loại khỏi|không đánh giá", _FLAGS)
_EVIDENCE_ONLY = re.compile(r"kèm theo|tài liệu kiểm chứng|minh chứng|có báo cáo|hồ sơ lưu", _FLAGS)
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Parsed:
    """What a rule text says: the rule, or why a person must decide, and what disagrees."""

    rule: Rule | None
    reason: str | None = None
    findings: tuple[str, ...] = ()
    not_applicable: NotApplicable | None = None
    ignored: tuple[str, ...] = field(default=())  # clauses kept in the text but not scored (evidence notes)

    @property
    def needs_person(self) -> bool:
        return self.rule is None


def parse_rule_text(text: str | None, max_points: Decimal) -> Parsed:
    """Read one leaf's rule text against its maximum."""
    if text is None or not clean_text(text):
        return Parsed(None, "không có cách tính điểm")
    full = clean_text(text)
    flat = one_line(full)
    try:
        for reader in (manual_form, additive_form):
            rule = reader(flat, max_points)
            if rule is not None:
                return Parsed(rule)
        rule = external_form(flat, max_points, has_options=True)
        if rule is not None:
            return Parsed(rule)
    except (Unclear, ValidationError, ValueError) as exc:
        return _unclear(exc)
    body, examples = take_examples(full)
    parts = clauses(body)
    policy, parts = _not_applicable(parts, max_points)
    result = _read(parts, max_points, flat)
    if result.rule is None and policy is None:
        policy, retry = _no_task(parts, max_points)
        if policy is not None:
            result = _read(retry, max_points, flat) if retry else Parsed(
                None, "chỉ nêu trường hợp không phát sinh, chưa nêu cách chấm khi có phát sinh")
    findings = list(result.findings)
    if result.rule is not None:
        findings += check_examples(examples, result.rule, max_points)
    return Parsed(result.rule, result.reason, tuple(findings), policy, result.ignored)


def _unclear(exc: Exception) -> Parsed:
    """Why the text stays with a person. A rule the engine refuses to build (“từ 90% đến 70%”)
    is a finding too, in the engine's own words."""
    if isinstance(exc, Unclear):
        return Parsed(None, exc.reason, tuple(exc.findings))
    if isinstance(exc, ValidationError):
        messages = [str(e.get("ctx", {}).get("error", e["msg"])) for e in exc.errors()]
        return Parsed(None, "cách tính điểm không nhất quán", tuple(messages))
    return Parsed(None, f"không đọc chắc chắn được ({exc})")


def _read(parts: list[str], max_points: Decimal, flat: str) -> Parsed:
    try:
        return _read_clauses(parts, max_points, flat)
    except (Unclear, ValidationError, ValueError) as exc:
        return _unclear(exc)


def _read_clauses(parts: list[str], max_points: Decimal, flat: str) -> Parsed:
    if not parts:
        raise Unclear("không có cách tính điểm")
    ignored: list[str] = []
    formulas = [(c, m) for c in parts if (m := formula(c)) is not None]
    if formulas:
        if len(formulas) > 1:
            raise Unclear("có nhiều công thức tính điểm")
        clause, match = formulas[0]
        others = [c for c in parts if c is not clause and not is_definition(c) and not _evidence_note(c, ignored)]
        return Parsed(proportional_form(match, others, max_points), ignored=tuple(ignored))
    deduction = deduction_form([c for c in parts if not _evidence_note(c, [])], max_points)
    if deduction is not None:
        return Parsed(deduction)
    options: list[Option] = []
    unknown: list[str] = []
    for clause in parts:
        read = read_clause(clause, max_points)
        if read:
            options.extend(read)
        elif not _evidence_note(clause, ignored) and not _heading(clause):
            unknown.append(clause)
    if not options:
        external = external_form(flat, max_points, has_options=False)
        if external is not None:
            return Parsed(external)
    if unknown:
        listed = "; ".join(f"“{c}”" for c in unknown)
        raise Unclear(f"không đọc chắc chắn được: {listed}")
    for option in options:
        try:
            to_scaled(option.points)
        except ValueError:
            raise Unclear(f"mức “{option.label}” có điểm lẻ quá 4 chữ số thập phân") from None
    return Parsed(from_options(options, max_points), ignored=tuple(ignored))  # type: ignore[arg-type]


def _evidence_note(clause: str, ignored: list[str]) -> bool:
    """"có báo cáo và tài liệu kiểm chứng kèm theo": about evidence, not points."""
    if not _DIGIT.search(clause) and _EVIDENCE_ONLY.search(clause):
        ignored.append(clause)
        return True
    return False


def _heading(clause: str) -> bool:
    return clause.rstrip().endswith(":") and not _DIGIT.search(clause)


def _policy(clause: str, max_points: Decimal) -> NotApplicable | None:
    if _EXCLUDE_WORDS.search(clause):
        return "exclude"
    options = read_clause(clause, max_points) or []
    if len(options) == 1 and options[0].points == max_points:
        return "full_points"
    if re.search(r"điểm tối đa|đủ điểm|tối đa", clause, _FLAGS):
        return "full_points"
    return None


def _not_applicable(parts: list[str], max_points: Decimal) -> tuple[NotApplicable | None, list[str]]:
    """"Trường hợp không phát sinh: tính điểm tối đa" states a policy, not a scoring level."""
    policy: NotApplicable | None = None
    kept = []
    for clause in parts:
        found = _policy(clause, max_points) if _NOT_APPLICABLE.search(clause) else None
        if found is not None:
            policy = found
        else:
            kept.append(clause)
    return policy, kept


def _no_task(parts: list[str], max_points: Decimal) -> tuple[NotApplicable | None, list[str]]:
    """"Trong năm đánh giá không có nhiệm vụ … được tính 03 điểm": when the rest of the text
    does not read as a rule with it, such a clause is the không-phát-sinh policy."""
    policy: NotApplicable | None = None
    kept = []
    for clause in parts:
        options = read_clause(clause, max_points) if _NO_TASK.match(clause) else None
        if options and len(options) == 1 and options[0].points == max_points:
            policy = "full_points"
        else:
            kept.append(clause)
    return policy, kept
