"""Each rule kind on the verbatim rules of RULES.md and LEAVES.md (example-based)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from criteria import EvidenceError, load_rubric_text
from criteria.loader import rubric_from_data
from criteria.numbers import to_scaled
from criteria.rules import VALUE
from criteria.rules.base import Cell
from criteria.rules.bands import Band, BandsRule
from scoring import score, validate_frame

from .strategies import leaf_case, single_leaf_rubric

HEAD = """id: thu
title: Bộ thử
level: xã
year: 2025
source: thử nghiệm
nodes:
  - code: "1"
    name: Lĩnh vực
    max: {max}
    children:
      - code: "1.1"
        name: Tiêu chí
        max: {max}
        provenance: illustrative
        rule: {rule}
"""


def points(rule: str, maximum: str, *values: object, policy: str = "") -> list[Decimal]:
    text = HEAD.format(max=maximum, rule=rule)
    if policy:
        text += f"        not_applicable: {policy}\n"
    rubric = load_rubric_text(text, "thu.yaml")
    frame = pd.DataFrame({"1.1": list(values)}, index=[f"u{i}" for i in range(len(values))], dtype=object)
    sheet = score(rubric, validate_frame(rubric, frame, "thu"))
    return [sheet.result(i).node("1.1").points for i in range(len(values))]


def D(*values: str) -> list[Decimal]:  # noqa: N802 - reads like the rubric
    return [Decimal(v) for v in values]


CA_MAU_111 = ('{kind: choice, options: [{label: "Ban hành kịp thời", points: 1}, '
              '{label: "Ban hành không kịp thời", points: 0.5}, {label: "Không ban hành", points: 0}]}')
CA_MAU_114 = "{kind: bands, bands: [{gt: 90, points: 2}, {ge: 70, le: 90, points: 1}, {lt: 70, points: 0}]}"


def test_choice_deadline_tiers_ca_mau_1_1_1() -> None:
    assert points(CA_MAU_111, "1", "Ban hành kịp thời", "ban hành  không kịp thời", "Không ban hành") == D("1", "0.5", "0")


def test_boolean_dat_yeu_cau_ca_mau_1_1_3() -> None:
    rule = '{kind: boolean, yes_label: "Đạt yêu cầu", no_label: "Không đạt yêu cầu"}'
    assert points(rule, "1", "Đạt yêu cầu", "Không đạt yêu cầu", "Có", "Không") == D("1", "0", "1", "0")


def test_percent_bands_as_written_ca_mau_1_1_4() -> None:
    # "trên 90%: 2; từ 70% - 90%: 1; dưới 70%: 0" — exactly 90 % falls in the 1-point band.
    got = points(CA_MAU_114, "2", "91%", "90%", "90,01%", "70%", "69,99%", "45/50", "46/50", "0/0")
    assert got[:7] == D("2", "1", "2", "1", "0", "1", "2")
    assert got[7] == 0  # 0/0: nothing to measure, not applicable (no points, no maximum)


def test_percent_bands_from_80_to_below_100_differs_from_above_80() -> None:
    rule = "{kind: bands, bands: [{ge: 100, points: 1}, {ge: 80, lt: 100, points: 0.5}, {lt: 80, points: 0}]}"
    assert points(rule, "1", "100%", "99,9%", "80%", "79,9%") == D("1", "0.5", "0.5", "0")
    above = "{kind: bands, bands: [{gt: 80, points: 1}, {le: 80, points: 0}]}"
    assert points(above, "1", "80%", "80,01%") == D("0", "1")


def test_proportional_with_floor_xuan_loc_4_1() -> None:
    # 100 %: 1; 90–100 %: achieved/planned × 1; below 90 %: 0. The published 4/5 example is below the floor.
    rule = "{kind: proportional, floor: {ge: 90}}"
    assert points(rule, "1", "5/5", "9/10", "19/20", "4/5", "89/100") == D("1", "0.9", "0.95", "0", "0")


def test_proportional_rounds_half_up_once() -> None:
    assert points("{kind: proportional}", "1", "1/8", "1/3", "2/3") == D("0.13", "0.33", "0.67")
    assert points("{kind: proportional}", "2", "1/3") == D("0.67")


def test_additive_items_xuan_loc_4_2() -> None:
    rule = ('{kind: additive, items: [{label: "Bảng thông tin điện tử, màn hình điện tử", points: 0.25}, '
            '{label: "Website, trang mạng xã hội", points: 0.25}, {label: "Hình thức truyền thống", points: 0.5}]}')
    assert points(rule, "1", "1; 2; 3", "Website, trang mạng xã hội", "3", "Không có mục nào") == D("1", "0.25", "0.5", "0")


def test_additive_is_capped_at_the_maximum() -> None:
    rule = '{kind: additive, items: [{label: "A", points: 1}, {label: "B", points: 1}]}'
    assert points(rule, "1.5", "A;B") == D("1.5")


def test_count_ladder_dti_meetings() -> None:
    rule = ("{kind: count_ladder, steps: [{at_least: 4, points: 20}, {at_least: 3, points: 15}, "
            "{at_least: 2, points: 10}, {at_least: 1, points: 5}], otherwise: 0}")
    assert points(rule, "20", 5, "4", 3, 2, "1", 0) == D("20", "20", "15", "10", "5", "0")


def test_deduction_below_zero() -> None:
    rule = "{kind: deduction, per_occurrence: 0.25, floor: -0.25}"
    assert points(rule, "0.5", 0, 1, 2, 3, 10) == D("0.5", "0.25", "0", "-0.25", "-0.25")


def test_deadline_on_time_late_and_missing() -> None:
    rule = "{kind: deadline, due: 2024-12-31, late: 0.5, document: kế hoạch CCHC}"
    got = points(rule, "1", "31/12/2024", "2024-12-15", "15/01/2025", "Không ban hành")
    assert got == D("1", "1", "0.5", "0")


def test_external_points_and_percent_of_max() -> None:
    assert points("{kind: external}", "10", "8,75", "10") == D("8.75", "10")
    assert points("{kind: external, input: percent_of_max}", "10", "87,45%", "100") == D("8.75", "10")


def test_manual_needs_a_reason() -> None:
    assert points("{kind: manual}", "1", "0,75 | kế hoạch chưa định rõ trách nhiệm") == D("0.75")
    with pytest.raises(EvidenceError, match="lý do"):
        points("{kind: manual}", "1", "0,75")


def test_not_applicable_policies() -> None:
    rule = "{kind: boolean}"
    # full points: "không có phản ánh, kiến nghị ... được tính 02 điểm"
    assert points(rule, "2", "Không phát sinh", policy="full_points") == D("2")
    assert points(rule, "2", "Không phát sinh", policy="exclude") == D("0")
    with pytest.raises(EvidenceError, match="không được khai"):
        points(rule, "2", "Không phát sinh", policy="not_allowed")


def test_zero_denominator_is_not_applicable_not_a_crash() -> None:
    rubric = load_rubric_text(HEAD.format(max="1", rule="{kind: proportional}"), "thu.yaml")
    frame = pd.DataFrame({"1.1": ["0/0", "0/5"]}, index=["a", "b"], dtype=object)
    sheet = score(rubric, validate_frame(rubric, frame, "thu"))
    assert sheet.result(0).node("1.1").status == "not_applicable"
    assert sheet.result(0).totals.max == 0 and sheet.result(0).totals.index is None
    assert sheet.result(1).node("1.1").points == 0


def test_trace_says_why() -> None:
    rubric = load_rubric_text(HEAD.format(max="1", rule="{kind: deadline, due: 2024-12-31, late: 0.5, document: kế hoạch}"), "t")
    frame = pd.DataFrame({"1.1": ["15/01/2025"]}, index=["a"], dtype=object)
    trace = score(rubric, validate_frame(rubric, frame, "t")).result(0).node("1.1").trace
    assert trace.explanation == "ban hành ngày 15/01/2025, sau hạn 31/12/2024: 0,5 điểm"
    assert trace.kind == "deadline" and trace.evidence == "2025-01-15"


@settings(max_examples=150, deadline=None)
@given(leaf_case(kinds=("bands", "bands_number")), st.integers(0, 10_000), st.integers(1, 10_000), st.data())
def test_bands_partition_every_possible_value(case, a, b, data) -> None:
    rubric = rubric_from_data(single_leaf_rubric(case), "bands")
    rule = rubric.by_code["1.1"].rule
    assert isinstance(rule, BandsRule)
    scale = 100 if rule.measure == "percent" else 1
    cuts = [side[0] for band in rule.bands for side in (band.lower, band.upper) if side is not None]
    if data.draw(st.booleans()):  # exactly on a cut, where gt/ge and lt/le differ
        cut = Fraction(data.draw(st.sampled_from(cuts))) / scale
        k = data.draw(st.integers(1, 50))
        a, b = cut.numerator * k, cut.denominator * k
    elif rule.measure == "percent":
        a = min(a, b)
    value = Fraction(a, b)
    inside = [band for band in rule.bands if _inside(band, value * scale)]
    assert len(inside) == 1  # the bands cover every value once, cuts included
    band = inside[0]
    # the fast score and the band read bound by bound agree with the masks, on the cut too
    assert rule.score(np.array([a]), np.array([b]), to_scaled(case.max))[0] == to_scaled(band.points)
    assert rule._band_of(Cell(VALUE, a, b)) == band


def test_points_print_without_exponents() -> None:
    from criteria.numbers import format_points, from_scaled

    assert [str(from_scaled(s)) for s in (200_000, 5_000, 122_500, 0, -2_500)] == ["20", "0.5", "12.25", "0", "-0.25"]
    assert format_points(from_scaled(200_000)) == "20" and format_points(from_scaled(5_000)) == "0,5"


CAPS = HEAD.format(max="2", rule="{kind: boolean}") + """adjustments:
  - code: "T"
    name: Điểm thưởng
    kind: bonus
    cap: 1
    children:
      - {code: "T.1", name: thưởng 1, max: 0.75, provenance: illustrative, rule: {kind: boolean}}
      - {code: "T.2", name: thưởng 2, max: 0.75, provenance: illustrative, rule: {kind: boolean}}
  - code: "P"
    name: Điểm trừ
    kind: penalty
    cap: 1.5
    children:
      - {code: "P.1", name: trừ theo lần, max: 1, provenance: illustrative, rule: {kind: deduction, per_occurrence: 0.5, floor: -1}}
      - {code: "P.2", name: trừ có/không, max: 1, provenance: illustrative, rule: {kind: boolean}}
"""


def test_bonus_and_penalty_are_capped_and_the_tree_never_exceeds_its_maximum() -> None:
    rubric = load_rubric_text(CAPS, "caps.yaml")
    rows = {  # 1.1, T.1, T.2, P.1, P.2
        "đủ, thưởng vượt trần": ["Có", "Có", "Có", 0, "Có"],
        "thưởng vượt trần, trừ vượt trần": ["Không", "Có", "Có", 4, "Không"],
        "trừ dưới trần": ["Có", "Không", "Không", 1, "Có"],
        "chưa khai điểm trừ": ["Không", "Có", "Không", None, None],
    }
    frame = pd.DataFrame(list(rows.values()), index=list(rows), columns=["1.1", "T.1", "T.2", "P.1", "P.2"], dtype=object)
    sheet = score(rubric, validate_frame(rubric, frame, "caps"))
    got = [(t.bonus, t.penalty, t.points) for t in (sheet.result(u).totals for u in rows)]
    assert got == [
        (Decimal(1), Decimal(0), Decimal(2)),  # 2 + min(1.5, 1) = 3, held at the maximum 2
        (Decimal(1), Decimal("1.5"), Decimal("-0.5")),  # lost 2 + 1 = 3, capped at 1.5
        (Decimal(0), Decimal("0.5"), Decimal("1.5")),
        (Decimal("0.75"), Decimal(0), Decimal("0.75")),  # unanswered penalty leaves take nothing
    ]


def _inside(band: Band, value: Fraction) -> bool:
    """``value`` (in the band's own unit) within ``band``, each side read as written."""
    low, high = band.lower, band.upper
    if low is not None and not (value >= Fraction(low[0]) if low[1] else value > Fraction(low[0])):
        return False
    return high is None or (value <= Fraction(high[0]) if high[1] else value < Fraction(high[0]))
