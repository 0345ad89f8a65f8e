"""The rule-text parser on a table of cases: every verbatim rule of the reference files
(``shared/reference/RULES.md``, ``LEAVES.md``), other provincial phrasings, what must stay
with a person, and the inconsistencies it must report."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from criteria.rule_text import parse_rule_text
from criteria.rules import (
    AdditiveRule, Band, BandsRule, BooleanRule, ChoiceRule, CountLadderRule, DeadlineRule, DeductionRule,
    ExternalRule, Item, Option, ProportionalRule, ShareFloor, Step,
)

D = Decimal


def choice(*pairs: tuple[str, str]) -> ChoiceRule:
    return ChoiceRule(kind="choice", options=tuple(Option(label=lb, points=D(p)) for lb, p in pairs))


def boolean(yes: str, no: str, no_points: str = "0") -> BooleanRule:
    return BooleanRule(kind="boolean", yes_label=yes, no_label=no, no_points=D(no_points))


def bands(*specs: dict, measure: str = "percent", better: str = "higher") -> BandsRule:
    return BandsRule(kind="bands", measure=measure, better=better,
                     bands=tuple(Band(**{k: D(v) for k, v in s.items()}) for s in specs))


# (source, text, maximum, intended rule)
VERBATIM = [
    # RULES.md — "Rule kinds seen in real criteria sets (verbatim examples)"
    ("RULES choice / deadline tiers, Cà Mau 1.1.1",
     "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0", "1",
     choice(("Ban hành kịp thời", "1"), ("Ban hành không kịp thời", "0.5"), ("Không ban hành", "0"))),
    ("RULES boolean, Cà Mau 1.1.3, 1.2.2", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0", "1",
     boolean("Đạt yêu cầu", "Không đạt yêu cầu")),
    ("RULES boolean all conditions, Cà Mau 1.1.2",
     "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh "
     "phí: 0", "1",
     boolean("Xác định đầy đủ nhiệm vụ và có bố trí kinh phí",
             "Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí")),
    ("RULES count + deadline, Cà Mau 1.2.1",
     "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0",
     "1",
     boolean("Đủ số lượng và đúng thời gian quy định",
             "Không đủ số lượng báo cáo hoặc không đúng thời gian quy định")),
    ("RULES % bands, Cà Mau 1.1.4 (>90; [70, 90]; <70)",
     "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0", "2",
     bands({"points": 2, "gt": 90}, {"points": 1, "ge": 70, "le": 90}, {"points": 0, "lt": 70})),
    ("RULES % bands, common form", "Đạt 100%: 1; từ 80% đến dưới 100%: 0,5; dưới 80%: 0", "1",
     bands({"points": 1, "ge": 100, "le": 100}, {"points": "0.5", "ge": 80, "lt": 100}, {"points": 0, "lt": 80})),
    ("RULES proportional with floor, Xuân Lộc 4.1",
     "Hoàn thành 100% kế hoạch: 1. Hoàn thành 90%–100%: điểm = số mục tiêu hoàn thành / số mục tiêu đề ra × 1 "
     "(ví dụ 4/5 × 1 = 0,8). Dưới 90%: 0", "1",
     ProportionalRule(kind="proportional", floor=ShareFloor(ge=D(90)))),
    ("RULES additive items, Xuân Lộc 4.2",
     "Tuyên truyền qua phương tiện trực tuyến: 0,5 (bảng/màn hình điện tử 0,25; website, mạng xã hội 0,25); qua "
     "hình thức truyền thống: 0,5", "1",
     AdditiveRule(kind="additive", items=(Item(label="bảng/màn hình điện tử", points=D("0.25")),
                                          Item(label="website, mạng xã hội", points=D("0.25")),
                                          Item(label="qua hình thức truyền thống", points=D("0.5"))))),
    ("RULES pure proportional, DTI", "Tỷ lệ = a/b; Điểm = Tỷ lệ × Điểm tối đa", "2",
     ProportionalRule(kind="proportional")),
    ("RULES count ladder, DTI", "họp 4 lần/năm: 20; 3 lần: 15; 2 lần: 10; 1 lần: 5; còn lại: 0", "20",
     CountLadderRule(kind="count_ladder", unit="lần", steps=tuple(
         Step(at_least=n, points=D(p)) for n, p in ((4, 20), (3, 15), (2, 10), (1, 5))))),
    ("RULES deduction below zero, one-stop shop (the positive case earns the maximum)",
     "Không bố trí ... bị 0 điểm và bị trừ 0,25 điểm", "1",
     boolean("Bố trí ...", "Không bố trí ...", "-0.25")),
    ("RULES severity deduction: “trừ” counts from the maximum",
     "vi phạm nhẹ: trừ 50% điểm; nghiêm trọng: 0", "1",
     choice(("Không bị trừ điểm", "1"), ("vi phạm nhẹ", "0.5"), ("nghiêm trọng", "0"))),
    ("RULES bonus, Phú Thọ form (shares of the maximum)",
     "Thực hiện tốt các nhiệm vụ đột xuất: xuất sắc = tối đa, tốt = 75 %, hoàn thành = 50 %", "5",
     choice(("xuất sắc", "5"), ("tốt", "3.75"), ("hoàn thành", "2.5"))),
    # LEAVES.md — Cà Mau QĐ 1880/QĐ-UBND 2013 and Xuân Lộc Công văn 244/PNV 2022, as published
    ("LEAVES Cà Mau 1.1.1", "Ban hành kịp thời: 1; Ban hành không kịp thời: 0,5; Không ban hành: 0", "1",
     choice(("Ban hành kịp thời", "1"), ("Ban hành không kịp thời", "0.5"), ("Không ban hành", "0"))),
    ("LEAVES Cà Mau 1.1.2",
     "Xác định đầy đủ nhiệm vụ và có bố trí kinh phí: 1; Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh "
     "phí: 0", "1",
     boolean("Xác định đầy đủ nhiệm vụ và có bố trí kinh phí",
             "Không xác định đầy đủ nhiệm vụ hoặc không bố trí kinh phí")),
    ("LEAVES Cà Mau 1.1.3", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0", "1",
     boolean("Đạt yêu cầu", "Không đạt yêu cầu")),
    ("LEAVES Cà Mau 1.1.4",
     "Thực hiện trên 90% kế hoạch: 2; Thực hiện từ 70% - 90% kế hoạch: 1; Dưới 70% kế hoạch: 0", "2",
     bands({"points": 2, "gt": 90}, {"points": 1, "ge": 70, "le": 90}, {"points": 0, "lt": 70})),
    ("LEAVES Cà Mau 1.2.1",
     "Đủ số lượng và đúng thời gian quy định: 1; Không đủ số lượng báo cáo hoặc không đúng thời gian quy định: 0",
     "1",
     boolean("Đủ số lượng và đúng thời gian quy định",
             "Không đủ số lượng báo cáo hoặc không đúng thời gian quy định")),
    ("LEAVES Cà Mau 1.2.2", "Đạt yêu cầu: 1; Không đạt yêu cầu: 0", "1",
     boolean("Đạt yêu cầu", "Không đạt yêu cầu")),
    ("LEAVES Xuân Lộc 4.1",
     "Hoàn thành 100% kế hoạch: 1 (có kế hoạch, báo cáo kèm theo). Hoàn thành 90%–100% kế hoạch: điểm = số mục "
     "tiêu đã hoàn thành / số mục tiêu đề ra × 1 điểm (ví dụ 4/5 × 1 = 0,8 điểm). Hoàn thành dưới 90%: 0", "1",
     ProportionalRule(kind="proportional", floor=ShareFloor(ge=D(90)))),
    ("LEAVES Xuân Lộc 4.2",
     "Tuyên truyền thông qua phương tiện trực tuyến, ứng dụng CNTT (bảng thông tin điện tử, màn hình điện tử: "
     "0,25; website, trang mạng xã hội: 0,25) và qua hình thức truyền thống (hội nghị, tờ gấp, ...): 0,5; có báo "
     "cáo và tài liệu kiểm chứng kèm theo", "1",
     AdditiveRule(kind="additive", items=(
         Item(label="bảng thông tin điện tử, màn hình điện tử", points=D("0.25")),
         Item(label="website, trang mạng xã hội", points=D("0.25")),
         Item(label="qua hình thức truyền thống (hội nghị, tờ gấp, ...)", points=D("0.5"))))),
]

# Phrasings provinces also use (issue 7 names: "≥", "<", "2 điểm", "75% điểm", "Điểm tối đa", "trừ … mỗi").
PHRASINGS = [
    ("≥ and <", "≥ 90%: 1; từ 70% đến dưới 90%: 0,5; < 70%: 0", "1",
     bands({"points": 1, "ge": 90}, {"points": "0.5", "ge": 70, "lt": 90}, {"points": 0, "lt": 70})),
    ("bands listed from the lowest", "dưới 70%: 0; từ 70% đến 90%: 1; trên 90%: 2", "2",
     bands({"points": 2, "gt": 90}, {"points": 1, "ge": 70, "le": 90}, {"points": 0, "lt": 70})),
    ("fewer is better", "dưới 1%: 1; từ 1% trở lên: 0", "1",
     bands({"points": 0, "ge": 1}, {"points": 1, "lt": 1}, better="lower")),
    ("còn lại closes the bands", "100%: 2; từ 80% đến dưới 100%: 1; còn lại: 0", "2",
     bands({"points": 2, "ge": 100, "le": 100}, {"points": 1, "ge": 80, "lt": 100}, {"points": 0, "lt": 80})),
    ("number bands", "từ 10 trở lên: 1; dưới 10: 0", "1",
     bands({"points": 1, "ge": 10}, {"points": 0, "lt": 10}, measure="number")),
    ("points written “1 điểm”", "Đạt: 1 điểm; Không đạt: 0 điểm", "1", boolean("Đạt", "Không đạt")),
    ("options on lines with bullets", "- Đạt yêu cầu: 1\n- Không đạt yêu cầu: 0", "1",
     boolean("Đạt yêu cầu", "Không đạt yêu cầu")),
    ("wrapped text inside an option", "Thực hiện trên 90% kế\nhoạch: 2\nThực hiện từ 70% - 90% kế hoạch: 1\nDưới "
     "70% kế hoạch: 0", "2",
     bands({"points": 2, "gt": 90}, {"points": 1, "ge": 70, "le": 90}, {"points": 0, "lt": 70})),
    ("points in parentheses", "Ban hành kịp thời (1 điểm); Ban hành chậm (0,5 điểm); Không ban hành (0 điểm)", "1",
     choice(("Ban hành kịp thời", "1"), ("Ban hành chậm", "0.5"), ("Không ban hành", "0"))),
    ("Điểm tối đa and 50% điểm",
     "Cập nhật đầy đủ, kịp thời: Điểm tối đa; Cập nhật chưa đầy đủ: 50% điểm; Không cập nhật: 0", "1,5",
     choice(("Cập nhật đầy đủ, kịp thời", "1.5"), ("Cập nhật chưa đầy đủ", "0.75"), ("Không cập nhật", "0"))),
    ("a deadline with its date, "
     "“đến hết ngày”", "Ban hành đến hết ngày 31/12/2024: 1; Ban hành sau ngày 31/12/2024: 0,5; Không ban hành: 0",
     "1", DeadlineRule(kind="deadline", due=dt.date(2024, 12, 31), late=D("0.5"))),
    ("count ladder with “từ … trở lên” and “dưới”", "từ 4 lần trở lên: 2; 3 lần: 1,5; dưới 3 lần: 0", "2",
     CountLadderRule(kind="count_ladder", unit="lần", steps=(Step(at_least=4, points=D(2)),
                                                              Step(at_least=3, points=D("1.5"))))),
    ("deduction per occurrence", "trừ 0,25 điểm cho mỗi văn bản ban hành chậm", "1",
     DeductionRule(kind="deduction", per_occurrence=D("0.25"), unit="văn bản ban hành chậm")),
    ("deduction, the other word order", "Mỗi hồ sơ trễ hạn trừ 0,25 điểm; thấp nhất 0", "1",
     DeductionRule(kind="deduction", per_occurrence=D("0.25"), unit="hồ sơ trễ hạn")),
    ("survey points", "Theo kết quả điều tra xã hội học", "10", ExternalRule(kind="external")),
    ("survey percentage", "Chỉ số SIPAS (%) × 10", "10",
     ExternalRule(kind="external", input="percent_of_max", source_name="SIPAS")),
]


@pytest.mark.parametrize("source,text,maximum,intended", VERBATIM + PHRASINGS, ids=[c[0] for c in VERBATIM + PHRASINGS])
def test_text_reads_to_the_intended_rule(source, text, maximum, intended):
    parsed = parse_rule_text(text, D(maximum.replace(",", ".")))
    assert parsed.reason is None
    assert parsed.rule == intended


def test_every_reference_rule_is_in_the_table():
    """The cases above quote the reference files word for word."""
    from pathlib import Path

    # ../shared beside the checkout (as on developers' machines and in CI); read-only reference
    reference = Path(__file__).resolve().parent.parent.parent / "shared" / "reference"
    if not reference.exists():
        pytest.skip("reference files (../shared/reference) not beside this checkout")
    corpus = " ".join((reference / name).read_text(encoding="utf-8") for name in ("RULES.md", "LEAVES.md"))
    corpus = " ".join(corpus.split())
    for source, text, _, _ in VERBATIM:
        assert " ".join(text.split()) in corpus, source


NEEDS_A_PERSON = [
    ("RULES per-occurrence deduction without amounts", "Có vi phạm: trừ điểm theo mức độ", "1"),
    ("RULES manual (appraiser judgement): one level only",
     "Các kết quả phải đạt được xác định rõ ràng, cụ thể ...: Đạt yêu cầu: 1", "1"),
    ("free judgement", "Hội đồng thẩm định xem xét, chấm điểm căn cứ mức độ hài lòng và các phản ánh trong năm", "1"),
    ("blank", "", "1"),
    ("items that add up but are not written as a group", "Tốt: 0,5; Khá: 0,5", "1"),
    ("a percentage beside an unknown word", "Tỷ lệ đạt 80% thì xem xét", "1"),
]


@pytest.mark.parametrize("source,text,maximum", NEEDS_A_PERSON, ids=[c[0] for c in NEEDS_A_PERSON])
def test_uncertain_text_is_left_to_a_person(source, text, maximum):
    parsed = parse_rule_text(text, D(maximum))
    assert parsed.rule is None and parsed.needs_person
    assert parsed.reason


def test_not_applicable_sentences_set_the_policy():
    """RULES.md, “Criteria that do not apply”: full points when nothing arose."""
    alone = parse_rule_text("Trong năm đánh giá không có nhiệm vụ được giao ban hành văn bản quy phạm pháp luật được "
                            "tính 03 điểm", D(3))
    assert alone.not_applicable == "full_points" and alone.rule is None
    assert parse_rule_text("không có phản ánh, kiến nghị ... được tính 02 điểm", D(2)).not_applicable == "full_points"
    with_rule = parse_rule_text("Mỗi văn bản trả lời trễ hạn trừ 0,25 điểm; thấp nhất 0. Trường hợp không phát sinh "
                                "phản ánh, kiến nghị: tính điểm tối đa", D(1))
    assert with_rule.rule == DeductionRule(kind="deduction", per_occurrence=D("0.25"), unit="văn bản trả lời trễ hạn")
    assert with_rule.not_applicable == "full_points"
    excluded = parse_rule_text("Đạt yêu cầu: 1; Không đạt yêu cầu: 0. Trường hợp không phát sinh: không tính điểm",
                               D(1))
    assert excluded.not_applicable == "exclude" and excluded.rule is not None
    assert parse_rule_text("Không có vi phạm: 1; Có vi phạm: 0", D(1)).not_applicable is None


INCONSISTENT = [
    ("an option above the maximum", "Tốt: 2; Khá: 1; Kém: 0", "1", "ngoài khoảng"),
    ("a gap between bands", "trên 90%: 2; từ 70% đến 80%: 1; dưới 70%: 0", "2", "khoảng trống"),
    ("overlapping bands", "từ 80% trở lên: 2; từ 70% đến 90%: 1; dưới 70%: 0", "2", "chồng lên nhau"),
    ("a level against the formula", "Hoàn thành 100%: 1; Hoàn thành 90%-100%: điểm = a/b × 1; Dưới 90%: 0,5", "1",
     "theo công thức tỷ lệ là 0"),
    ("a multiplier that is not the maximum", "Điểm = tỷ lệ × 3", "2", "khác điểm tối đa"),
    ("a day that no tier covers", "Ban hành trước ngày 31/12/2024: 1; Ban hành sau ngày 31/12/2024: 0,5; Không ban "
     "hành: 0", "1", "31/12/2024 không thuộc mức nào"),
    ("items in parentheses that do not add up", "Trực tuyến: 0,5 (website 0,25; mạng xã hội 0,5); truyền thống: 0,5",
     "1", "cộng lại"),
]


@pytest.mark.parametrize("source,text,maximum,words", INCONSISTENT, ids=[c[0] for c in INCONSISTENT])
def test_inconsistent_text_is_reported_and_left_to_a_person(source, text, maximum, words):
    parsed = parse_rule_text(text, D(maximum))
    assert parsed.rule is None
    assert any(words in finding for finding in parsed.findings), parsed.findings


def test_worked_example_that_contradicts_the_rule_is_reported():
    """Xuân Lộc 4.1: 4/5 = 80 % is below the 90 % floor; the rule is kept, the example flagged."""
    parsed = parse_rule_text(
        "Hoàn thành 100% kế hoạch: 1 (có kế hoạch, báo cáo kèm theo). Hoàn thành 90%–100% kế hoạch: điểm = số mục "
        "tiêu đã hoàn thành / số mục tiêu đề ra × 1 điểm (ví dụ 4/5 × 1 = 0,8 điểm). Hoàn thành dưới 90%: 0", D(1))
    assert parsed.rule == ProportionalRule(kind="proportional", floor=ShareFloor(ge=D(90)))
    assert len(parsed.findings) == 1
    assert "4/5 × 1 = 0,8" in parsed.findings[0] and "0 điểm" in parsed.findings[0]


def test_worked_examples_that_agree_or_miscalculate():
    agrees = parse_rule_text("Điểm = tỷ lệ × điểm tối đa (ví dụ 4/5 × 1 = 0,8)", D(1))
    assert agrees.rule is not None and agrees.findings == ()
    wrong_sum = parse_rule_text("Điểm = tỷ lệ × điểm tối đa (ví dụ 4/5 × 1 = 0,7)", D(1))
    assert any("phép tính sai" in f for f in wrong_sum.findings)
    band = parse_rule_text("trên 90%: 2 (ví dụ đạt 85% được 2 điểm); từ 70% đến 90%: 1; dưới 70%: 0", D(2))
    assert band.rule is not None and any("85%" in f and "mâu thuẫn" in f for f in band.findings)


def test_evidence_notes_are_kept_aside_not_scored():
    parsed = parse_rule_text("Tuyên truyền thông qua phương tiện trực tuyến, ứng dụng CNTT (bảng thông tin điện tử, "
                             "màn hình điện tử: 0,25; website, trang mạng xã hội: 0,25) và qua hình thức truyền thống "
                             "(hội nghị, tờ gấp, ...): 0,5; có báo cáo và tài liệu kiểm chứng kèm theo", D(1))
    assert parsed.ignored == ("có báo cáo và tài liệu kiểm chứng kèm theo",)


def test_reference_rules_counted():
    """How many of the reference rules read to a rule (the rest are meant for a person)."""
    read = sum(parse_rule_text(text, D(m.replace(",", "."))).rule is not None for _, text, m, _ in VERBATIM)
    assert read == len(VERBATIM) == 21


# ---------------------------------------------------------------- robustness
from hypothesis import given, settings, strategies as st  # noqa: E402

FRAGMENTS = ["Đạt", "Không đạt", "trên", "dưới", "từ", "đến", "đến dưới", "trở lên", "%", "90", "70", "0", "1",
             "0,5", "2 điểm", ":", ";", ". ", "\n", "-", "×", "/", "=", "(", ")", "ví dụ", "mỗi", "trừ", "lần",
             "còn lại", "Điểm", "tỷ lệ", "tối đa", "và", "không phát sinh", "Ban hành kịp thời", "31/12/2024",
             "trước ngày", "sau ngày", "Không ban hành", "bị", "được tính", "XHH", "≥", "<", "Cộng điểm các mục đạt"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map(" ".join), st.sampled_from(["0,25", "1", "2", "20"]))
def test_any_text_gives_a_valid_rule_or_a_reason(text, maximum):
    parsed = parse_rule_text(text, D(maximum.replace(",", ".")))
    if parsed.rule is None:
        assert parsed.reason
    else:
        assert parsed.rule.check(D(maximum.replace(",", "."))) == []
