"""Ranks among peers for plan targets: the one-pass rank and the float-keyed sort stay exact."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.plans.peers import others_descending, rank_of
from scoring.ranking import Standing
from scoring.ranking import competition_ranks

# Indices that tie, that differ by far less than a float can tell apart, and ordinary ones.
_BASE = Fraction(2, 3) * 100
indices = st.one_of(
    st.sampled_from([Fraction(50), Fraction(100), _BASE]),
    st.integers(-3, 3).map(lambda k: _BASE + Fraction(k, 10**30)),
    st.fractions(min_value=0, max_value=100, max_denominator=10**6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(indices, min_size=1, max_size=25), st.data())
def test_rank_and_order_of_peers_equal_the_exact_sort(values: list[Fraction], data: st.DataObject) -> None:
    standings = [Standing(f"Xã {i}", value) for i, value in enumerate(values)]
    ranks = competition_ranks(np.array(values, dtype=object))
    unit = data.draw(st.sampled_from([s.unit for s in standings]))
    position = [s.unit for s in standings].index(unit)
    assert rank_of(standings, unit) == ranks[position]
    others = [s for s in standings if s.unit != unit]
    assert others_descending(standings, unit) == sorted(others, key=lambda s: -s.exact)
