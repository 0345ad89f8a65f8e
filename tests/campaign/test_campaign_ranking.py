"""Ranking: invariant to the order units are given in, ties share a rank (1, 2, 2, 4), and
changes against an earlier ranking in words."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from criteria import load_rubric
from scoring import campaign as c
from scoring import score, validate_frame
from scoring.ranking import Standing, compare_rankings, competition_ranks, rank

from .conftest import FILES, ROUND1_TIME, SMALL, SURVEY

RUBRIC = load_rubric(SMALL)
CHOICES = {  # few values per leaf, so that equal results (ties) are common
    "1.1": ["Có", "Không"],
    "1.2": ["Đủ và đúng hạn", "Đủ nhưng trễ hạn", "Không đủ"],
    "1.3": ["95%", "80%", "50%", ""],
    "2.1": ["200/200", "150/200", "100/200"],
    "2.2": ["2 | đủ", "1 | thiếu", "0 | không"],
    "2.3": ["4", "2", "0"],
    "3.1": ["5", "3", ""],
    "3.2": ["80%", ""],
}

units_evidence = st.integers(1, 14).flatmap(lambda n: st.lists(
    st.fixed_dictionaries({code: st.sampled_from(values) for code, values in CHOICES.items()}),
    min_size=n, max_size=n))


def _sheet(rows: list[dict[str, str]]):  # noqa: ANN202
    frame = pd.DataFrame(rows, index=[f"UBND xã {i:02d}" for i in range(len(rows))], dtype=object)
    return score(RUBRIC, validate_frame(RUBRIC, frame, "hypothesis"))


@settings(max_examples=60, deadline=None)
@given(rows=units_evidence, data=st.data())
def test_ranking_does_not_depend_on_the_order_units_are_given_in(rows, data) -> None:
    sheet = _sheet(rows)
    order = data.draw(st.permutations(range(len(rows))))
    shuffled = score(RUBRIC, sheet.evidence.take(list(order)))
    assert {r.unit: (r.rank, r.index, r.classification) for r in rank(sheet)} == \
        {r.unit: (r.rank, r.index, r.classification) for r in rank(shuffled)}


@settings(max_examples=60, deadline=None)
@given(rows=units_evidence)
def test_equal_results_share_a_rank_and_the_next_rank_skips(rows) -> None:
    sheet = _sheet(rows)
    exact = {unit: sheet.index_exact(i) for i, unit in enumerate(sheet.units)}
    ranked = rank(sheet)
    for row in ranked:
        better = sum(1 for other in exact.values() if other is not None and (exact[row.unit] is None or other > exact[row.unit]))
        assert row.rank == 1 + better
    assert [r.rank for r in ranked] == sorted(r.rank for r in ranked)


@given(st.lists(st.integers(0, 5), max_size=30))
def test_competition_ranks_on_keys(keys) -> None:
    ranks = competition_ranks(np.array(keys, dtype=float))
    for key, r in zip(keys, ranks):
        assert r == 1 + sum(1 for other in keys if other > key)


def test_ties_in_a_campaign_share_a_rank(small, clock) -> None:
    """An Phú and Cát Tiên end with identical results: they share rank 2 and the next unit is 4th."""
    clock.set(ROUND1_TIME)
    for unit in ("UBND xã An Phú", "UBND xã Cát Tiên"):
        c.appraise(small, unit, "1.1", evidence="Không", reason="Kế hoạch ban hành sau thời hạn", by="B")
        c.appraise(small, unit, "1.2", evidence="Không đủ", reason="Thiếu báo cáo quý III", by="B")
    c.appraise(small, "UBND xã Cát Tiên", "1.3", evidence="95%", reason="Đối chiếu báo cáo năm", by="B")
    c.appraise(small, "UBND xã Cát Tiên", "2.1", evidence="180/200", reason="Đối chiếu hệ thống một cửa", by="B")
    rows = c.rank(small)
    assert [(r.rank, r.unit, r.index) for r in rows] == [
        (1, "UBND xã Bình Hòa", Decimal("68.75")), (2, "UBND xã An Phú", Decimal("62.5")),
        (2, "UBND xã Cát Tiên", Decimal("62.5")), (4, "UBND phường Đông Hải", Decimal("17.5"))]
    assert [r.classification for r in rows] == ["Khá", "Trung bình", "Trung bình", "Yếu"]


def test_rank_changes_in_words() -> None:
    now = [Standing("A", Fraction(90), Decimal(90), Decimal(100), 1, "Tốt"),
           Standing("B", Fraction(80), Decimal(80), Decimal(100), 2, "Tốt"),
           Standing("C", Fraction(70), Decimal(70), Decimal(100), 3, "Khá")]
    before = [Standing("A", Fraction(60), Decimal(60), Decimal(100), 4, None),
              Standing("B", Fraction(82), Decimal(82), Decimal(100), 2, None)]
    changes = compare_rankings(now, before)
    assert changes["A"].words() == "tăng 3 bậc" and changes["A"].points_delta == Decimal(30)
    assert changes["B"].words() == "giữ nguyên" and changes["B"].index_delta == Decimal(-2)
    assert changes["C"].words() == "mới"
    assert compare_rankings(before[:1], [Standing("A", Fraction(70), None, None, 1, None)])["A"].words() == "giảm 3 bậc"


def test_a_kept_ranking_rescores_only_changed_units_and_equals_a_full_one(small, clock) -> None:
    """``compute`` with results kept from an earlier call scores again only the units whose
    submission, appraisal or survey changed — and gives exactly what a full recomputation gives."""
    from scoring.campaign.standings import compute

    kept: dict = {}
    assert compute(small, kept=kept) == compute(small)
    assert len(kept) == 4
    first = dict(kept)
    c.withdraw(small, "UBND xã An Phú", reason="Sửa", by="UBND xã An Phú")
    assert compute(small, kept=kept) == compute(small)
    changed = {seq for seq in kept if kept[seq] != first[seq]}
    assert changed == {small.unit_seq("UBND xã An Phú")}
    c.submit(small, [FILES[0]])
    clock.set(ROUND1_TIME)
    c.appraise(small, "UBND xã Bình Hòa", "1.2", points="0,5", reason="trễ hạn", by="B")
    c.import_survey(small, SURVEY, by="Sở")
    assert compute(small, kept=kept) == compute(small)
    assert kept[small.unit_seq("UBND xã Bình Hòa")][0][1], "the appraisal is part of what the unit's result depends on"
    stale = dict(kept)
    stale[small.unit_seq("UBND xã Cát Tiên")] = (("khác",), stale[small.unit_seq("UBND xã Bình Hòa")][1])
    assert compute(small, kept=stale) == compute(small), "a result kept for other inputs is never reused"


@given(st.integers(-10**9, 10**9), st.integers(0, 10**9))
def test_a_field_index_in_integers_equals_the_rounded_decimal(points: int, maximum: int) -> None:
    """The ranking's per-field index (integers, 1/10,000 %) is the index every page shows."""
    from criteria.numbers import index_decimal
    from scoring.campaign.standings import index_units

    shown = index_decimal(points, maximum)
    assert index_units(points, maximum) == (None if shown is None else int(shown.scaleb(4)))
    for p, m, expected in ((1, 2_000_000, 1), (3, 2_000_000, 2), (-1, 2_000_000, -1), (-3, 2_000_000, -2)):
        assert index_units(p, m) == expected == int(index_decimal(p, m).scaleb(4))  # halves: away from zero
