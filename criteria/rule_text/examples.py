"""Worked examples in a rule text, checked against the rule read from the same text.

"(ví dụ 4/5 × 1 = 0,8 điểm)" beside a 90 % floor (Xuân Lộc 4.1) is a contradiction: the
rule gives 4/5 = 80 % nothing. The engine scores what the rule says; the report says the
example disagrees.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import numpy as np

from ..numbers import SCALE, format_points, round_half_up, to_scaled
from .values import NUMBER, TIMES, number

_FLAGS = re.IGNORECASE
_FRACTION = re.compile(
    rf"(?P<a>{NUMBER})\s*/\s*(?P<b>{NUMBER})\s*(?:{TIMES}\s*(?P<m>{NUMBER})\s*(?:điểm|đ)?\s*)?=\s*(?P<r>{NUMBER})",
    _FLAGS,
)
_PERCENT = re.compile(rf"(?P<p>{NUMBER})\s*%[^=:→]*?(?:được|=|:|→)\s*(?P<r>{NUMBER})\s*(?:điểm|đ)?", _FLAGS)
_COUNT = re.compile(rf"(?P<c>\d+)\s+[^\W\d_][^=:→]*?(?:được|=|:|→)\s*(?P<r>{NUMBER})\s*(?:điểm|đ)?", _FLAGS)
_SHARE_KINDS = {"proportional", "bands"}
_COUNT_KINDS = {"count_ladder", "deduction"}


def _score(rule, value: str, max_points: Decimal) -> tuple[Decimal, str] | None:  # type: ignore[no-untyped-def]
    try:
        cell = rule.parse_value(value)
    except ValueError:
        return None
    scaled = rule.score(np.array([cell.a]), np.array([cell.b]), to_scaled(max_points))[0]
    return Decimal(int(scaled)) / SCALE, rule.explain(cell, max_points)


def check_examples(examples: list[str], rule, max_points: Decimal) -> list[str]:  # type: ignore[no-untyped-def]
    """One finding per example that the rule (or plain arithmetic) contradicts."""
    findings: list[str] = []
    kind = rule.kind
    for example in examples:
        claimed: Decimal | None = None
        scored = None
        fraction = _FRACTION.search(example)
        if fraction:
            a, b, claimed = number(fraction["a"]), number(fraction["b"]), number(fraction["r"])
            if b != 0 and fraction["m"]:
                exact = Fraction(a) / Fraction(b) * Fraction(number(fraction["m"]))
                if claimed not in (Decimal(exact.numerator) / Decimal(exact.denominator), round_half_up(exact, 2)):
                    shown = (f"{format_points(a)}/{format_points(b)} × {format_points(number(fraction['m']))} = "
                             f"{format_points(round_half_up(exact, 4))}")
                    findings.append(f"ví dụ “{example}”: phép tính sai ({shown})")
                    continue
            if kind in _SHARE_KINDS and getattr(rule, "measure", "percent") == "percent":
                scored = _score(rule, f"{a}/{b}", max_points)
        elif (percent := _PERCENT.search(example)) and kind in _SHARE_KINDS:
            claimed = number(percent["r"])
            scored = _score(rule, f"{percent['p']}%", max_points)
        elif (count := _COUNT.search(example)) and kind in _COUNT_KINDS:
            claimed = number(count["r"])
            scored = _score(rule, count["c"], max_points)
        if scored is not None and claimed is not None and scored[0] != claimed:
            findings.append(
                f"ví dụ “{example}” mâu thuẫn với quy tắc: {scored[1]} (ví dụ ghi {format_points(claimed)} điểm)"
            )
    return findings
