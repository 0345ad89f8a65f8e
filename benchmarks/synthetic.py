"""Synthetic raw evidence for any rubric: N units, valid values shaped by each leaf's rule kind.

Values are written the way units write them (``45/50``, ``90%``, ``15/01/2025``, ``Có``,
``0,5 | lý do``), so reading and validating them is measured honestly. Each leaf draws from a
pool of distinct valid values, a few thousand at most, as real campaigns repeat values.
Some cells are blank (thiếu tài liệu) or ``Không phát sinh`` where the leaf allows it, and
some units have no survey answer at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd

from criteria import Node, Rubric
from criteria.numbers import format_vn
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
from criteria.rules.deadline import date_text

BLANK_SHARE = 0.02  # cells left empty: thiếu tài liệu
NOT_APPLICABLE_SHARE = 0.02  # cells “Không phát sinh”, where the policy allows it
NO_SURVEY_SHARE = 0.05  # units without any survey answer
POOL_SIZE = 2_000  # distinct values drawn per leaf at most

Pool = Callable[[Node, np.random.Generator], list[str]]


def _vn(value: Decimal | Fraction | int) -> str:
    return format_vn(value, 4, trim=True)


def _ratios(rng: np.random.Generator, size: int, top: int = 400) -> list[str]:
    """Shares written as counts, ``đạt/tổng`` (hồ sơ đúng hạn / tổng hồ sơ), mostly high."""
    totals = rng.integers(1, top, size)
    done = np.minimum(totals, np.round(totals * rng.beta(6, 1.2, size)).astype(np.int64))
    return [f"{d}/{t}" for d, t in zip(done, totals)]


def _percents(rng: np.random.Generator, size: int) -> list[str]:
    return [f"{_vn(Decimal(int(v)) / 10)}%" for v in rng.integers(0, 1001, size)]


def _boolean(node: Node, rng: np.random.Generator) -> list[str]:
    rule: BooleanRule = node.rule  # type: ignore[assignment]
    return ["Có"] * 6 + ["Đạt", "x", rule.yes_label, "Không", "không đạt", rule.no_label]


def _choice(node: Node, rng: np.random.Generator) -> list[str]:
    rule: ChoiceRule = node.rule  # type: ignore[assignment]
    labels = [option.label for option in rule.options]
    return labels * 3 + [str(n) for n in range(1, len(labels) + 1)]


def _deadline(node: Node, rng: np.random.Generator) -> list[str]:
    rule: DeadlineRule = node.rule  # type: ignore[assignment]
    days = rng.integers(-60, 45, 200)
    return [date_text(rule.due + dt.timedelta(days=int(d))) for d in days] + ["Không ban hành"] * 5


def _bands(node: Node, rng: np.random.Generator) -> list[str]:
    rule: BandsRule = node.rule  # type: ignore[assignment]
    bounds = {b for band in rule.bands for side in (band.lower, band.upper) if side for b in (side[0],)}
    if rule.measure == "percent":
        exact = [f"{_vn(b)}%" for b in bounds if 0 <= b <= 100]
        return _ratios(rng, POOL_SIZE // 2) + _percents(rng, 200) + exact * 5
    top = max([float(b) for b in bounds] + [1.0]) * 2
    values = [Decimal(int(v)) / 100 for v in rng.integers(0, int(top * 100) + 1, 500)]
    return [_vn(v) for v in values] + [_vn(b) for b in bounds if b >= 0] * 5


def _proportional(node: Node, rng: np.random.Generator) -> list[str]:
    values = _ratios(rng, POOL_SIZE) + _percents(rng, 200)
    if node.rule.floor is not None:  # type: ignore[union-attr]
        values += [f"{_vn(node.rule.floor.bound)}%"] * 5  # type: ignore[union-attr]
    return values


def _count_ladder(node: Node, rng: np.random.Generator) -> list[str]:
    rule: CountLadderRule = node.rule  # type: ignore[assignment]
    top = rule.steps[0].at_least
    return [str(n) for n in range(top + 3)] + [str(top)] * (top + 3)


def _additive(node: Node, rng: np.random.Generator) -> list[str]:
    rule: AdditiveRule = node.rule  # type: ignore[assignment]
    values = ["Không có mục nào"]
    for _ in range(60):
        chosen = np.flatnonzero(rng.random(len(rule.items)) < 0.7)
        if len(chosen) == 0:
            continue
        if rng.random() < 0.5:
            values.append("; ".join(str(i + 1) for i in chosen))
        else:
            values.append("; ".join(rule.items[i].label for i in chosen))
    return values


def _deduction(node: Node, rng: np.random.Generator) -> list[str]:
    return ["0"] * 12 + ["1", "1", "2", "3", "5"]


def _points_up_to(maximum: Decimal, rng: np.random.Generator, step: Decimal) -> list[Decimal]:
    steps = int(maximum / step)
    return [step * int(k) for k in rng.integers(0, steps + 1, 300)]


def _external(node: Node, rng: np.random.Generator) -> list[str]:
    rule: ExternalRule = node.rule  # type: ignore[assignment]
    if rule.input == "percent_of_max":
        return [_vn(Decimal(int(v)) / 100) for v in rng.integers(4000, 10001, 1000)]
    return [_vn(p) for p in _points_up_to(node.max, rng, Decimal("0.01"))]


def _manual(node: Node, rng: np.random.Generator) -> list[str]:
    points = _points_up_to(node.max, rng, Decimal("0.25"))
    return [f"{_vn(p)} | theo biên bản thẩm định số {k}" for k, p in enumerate(points[:40])]


POOLS: dict[type, Pool] = {
    BooleanRule: _boolean, ChoiceRule: _choice, DeadlineRule: _deadline, BandsRule: _bands,
    ProportionalRule: _proportional, CountLadderRule: _count_ladder, AdditiveRule: _additive,
    DeductionRule: _deduction, ExternalRule: _external, ManualRule: _manual,
}


def unit_names(n_units: int) -> list[str]:
    width = len(str(n_units))
    return [f"UBND xã Thử Nghiệm {i:0{width}d}" for i in range(1, n_units + 1)]


def raw_frame(rubric: Rubric, n_units: int, seed: int = 2025) -> pd.DataFrame:
    """Raw cells of ``n_units`` units: index = unit names, one text column per leaf code."""
    rng = np.random.default_rng(seed)
    policies = rubric.policy_of()
    survey_codes: set[str] = set()
    if rubric.survey is not None:
        survey_codes = {n.code for n in rubric.by_code[rubric.survey.code].walk() if n.is_leaf}
    no_survey = rng.random(n_units) < NO_SURVEY_SHARE
    columns: dict[str, np.ndarray] = {}
    for leaf in rubric.leaves():
        pool = np.array(POOLS[type(leaf.rule)](leaf, rng), dtype=object)
        cells = pool[rng.integers(0, len(pool), n_units)]
        roll = rng.random(n_units)
        cells[roll < BLANK_SHARE] = ""
        if policies[leaf.code] != "not_allowed":
            cells[(roll >= BLANK_SHARE) & (roll < BLANK_SHARE + NOT_APPLICABLE_SHARE)] = "Không phát sinh"
        if leaf.code in survey_codes:
            cells[no_survey] = ""
        columns[leaf.code] = cells
    return pd.DataFrame(columns, index=pd.Index(unit_names(n_units), name="Đơn vị"), dtype=object)
