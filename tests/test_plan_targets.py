"""Target selection: the fewest tasks that reach the target (ties: more points), checked against
brute force and against the engine itself (recover the chosen leaves, score again)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from criteria import InputError, load_rubric
from criteria.numbers import from_scaled, to_scaled
from scoring import read_evidence, score
from scoring.evidence import Override
from scoring.plans.common import PlanInputs, decide_goal, tree_gains
from scoring.plans.peers import rank_of, standings_from_sheet
from scoring.ranking import Standing
from scoring.plans.profile import load_profile
from scoring.plans.targets import Target, choose, parse_target, plan_goal
from scoring.plans.tasks import lost_tasks
from scoring.result import Totals

DATA = Path(__file__).resolve().parent / "data"
RUBRIC = load_rubric(DATA / "rubric-plan.yaml")
PROFILE = load_profile(DATA / "profile-an-phu.yaml")

gains_st = st.lists(st.integers(min_value=1, max_value=40), min_size=0, max_size=8)


@given(gains_st, st.integers(min_value=-5, max_value=200))
def test_choose_is_the_fewest_tasks_then_the_most_points(gains: list[int], needed: int) -> None:
    picked = choose(gains, needed)
    if needed <= 0:
        assert picked == ()
        return
    if sum(gains) < needed:
        assert picked is None  # says clearly: not reachable
        return
    assert picked is not None and sum(gains[i] for i in picked) >= needed
    best_count = next(k for k in range(len(gains) + 1)
                      if any(sum(c) >= needed for c in itertools.combinations(gains, k)))
    assert len(picked) == best_count
    best_sum = max(sum(c) for c in itertools.combinations(gains, best_count) if sum(c) >= needed)
    assert sum(gains[i] for i in picked) == best_sum


def _totals(points: int, maximum: int) -> Totals:
    p, m = from_scaled(points), from_scaled(maximum)
    return Totals(points=p, max=m, lost=m - p, index=None, classification=None, tree_points=p,
                  bonus=Decimal(0), penalty=Decimal(0), missing_leaves=0)


@settings(max_examples=300, suppress_health_check=[HealthCheck.filter_too_much])
@given(
    gains=st.lists(st.integers(min_value=1, max_value=3000), min_size=1, max_size=7),
    base=st.integers(min_value=0, max_value=60_000),
    others=st.lists(st.integers(min_value=0, max_value=100_000), min_size=2, max_size=8),
    up=st.integers(min_value=1, max_value=3),
)
def test_a_rank_target_is_reached_by_the_chosen_tasks_or_declared_out_of_reach(
    gains: list[int], base: int, others: list[int], up: int
) -> None:
    maximum = 100_000  # 10 points in 1/10 000
    assume(base + sum(gains) <= maximum)
    totals = _totals(base, maximum)
    standings = [Standing.of("X", totals.points, totals.max)] + [
        Standing.of(f"U{i}", from_scaled(v), from_scaled(maximum)) for i, v in enumerate(others)]
    tasks = [(f"t{i}", from_scaled(g)) for i, g in enumerate(gains)]
    goal = plan_goal(Target("rank_up", up), totals, tasks, RUBRIC, "X", standings)
    before = rank_of(standings, "X")
    wanted = before - up

    def rank_with(recovered: int) -> int:
        moved = [Standing("X", Fraction((base + recovered) * 100, maximum))] + standings[1:]
        return rank_of(moved, "X")

    if goal.reachable:
        recovered = sum(to_scaled(p) for k, p in tasks if k in goal.chosen)
        assert recovered == goal.recovered
        assert rank_with(recovered) <= max(wanted, 1) and rank_with(recovered) == goal.rank_after
        # no smaller set of tasks would have done it
        for k in range(len(goal.chosen)):
            assert all(rank_with(sum(c)) > wanted for c in itertools.combinations(gains, k))
    else:
        assert goal.reason  # said clearly, in words
        assert wanted < 1 or rank_with(sum(gains)) > wanted  # even every task falls short
        assert goal.chosen == ()


@pytest.mark.parametrize("text, kind, value", [
    ("tăng ít nhất 2 bậc", "rank_up", 2), ("rank+3", "rank_up", 3), ("thứ 1", "rank", 1),
    ("vào nhóm Khá", "group", "Khá"), ("nhóm tốt", "group", "Tốt"), ("85 điểm", "points", Decimal(85)),
    ("12,5 điểm", "points", Decimal("12.5")), ("90%", "index", Decimal(90)), ("index:72,5", "index", Decimal("72.5")),
    ("toàn bộ", "all", None),
])
def test_targets_are_read_as_people_write_them(text: str, kind: str, value: object) -> None:
    target = parse_target(text, RUBRIC)
    assert (target.kind, target.value) == (kind, value)


@pytest.mark.parametrize("text", ["nhóm Z", "tăng 0 bậc", "150%", "nhanh lên"])
def test_a_bad_target_is_refused_in_words(text: str) -> None:
    with pytest.raises(InputError):
        parse_target(text, RUBRIC)


def test_a_rank_target_without_the_other_units_is_refused() -> None:
    sheet = score(RUBRIC, read_evidence(RUBRIC, DATA / "units.csv"))
    result = sheet.result("UBND xã An Phú")
    inputs = PlanInputs(RUBRIC, result, PROFILE, target=Target("rank_up", 1))
    with pytest.raises(InputError, match="cần chỉ số của các đơn vị khác"):
        decide_goal(inputs, lost_tasks(result, inputs.ctx))


@settings(max_examples=60, deadline=None)
@given(unit=st.sampled_from(["UBND xã An Phú", "UBND xã Cẩm Hà", "UBND thị trấn Đức Thọ"]),
       target=st.sampled_from(["tăng ít nhất 1 bậc", "tăng ít nhất 2 bậc", "thứ 1", "nhóm Khá", "nhóm Tốt",
                               "13 điểm", "95%", "toàn bộ"]))
def test_recovering_the_chosen_leaves_and_scoring_again_meets_the_target(unit: str, target: str) -> None:
    """The engine agrees: give the chosen leaves their maximum, score, and the target holds."""
    table = read_evidence(RUBRIC, DATA / "units.csv")
    sheet = score(RUBRIC, table)
    result = sheet.result(unit)
    standings = standings_from_sheet(sheet)
    parsed = parse_target(target, RUBRIC)
    inputs = PlanInputs(RUBRIC, result, PROFILE, standings=standings, target=parsed)
    groups = lost_tasks(result, inputs.ctx)
    goal = decide_goal(inputs, groups)
    keys = {k for k, _ in tree_gains(groups)}
    assert set(goal.chosen) <= keys
    if not goal.reachable:
        assert goal.reason and not goal.chosen
        return
    recovered = table
    for group in groups:
        for task in group.tasks:
            if task.key in goal.chosen:
                for code in task.codes:
                    node = RUBRIC.by_code[code]
                    recovered = recovered.with_override(RUBRIC, unit, code, Override(node.max, "khắc phục"))
    again = score(RUBRIC, recovered)
    totals = again.totals(again.position(unit))
    assert to_scaled(totals.points) == goal.total_after >= goal.goal_total
    if parsed.kind in ("rank_up", "rank"):
        moved = [Standing.of(unit, totals.points, totals.max) if s.unit == unit else s for s in standings]
        wanted = goal.rank_before - parsed.value if parsed.kind == "rank_up" else parsed.value
        assert rank_of(moved, unit) <= wanted
    if parsed.kind == "group":
        assert RUBRIC.classify(Fraction(totals.points) * 100 / Fraction(totals.max)) in (
            [b.label for b in RUBRIC.classification if b.min >= next(x.min for x in RUBRIC.classification
                                                                        if x.label == parsed.value)])
