"""Hypothesis strategies: valid rules of every kind and whole rubrics, for round-trip tests.

Rules are drawn in the space their ``describe()`` text states completely: labels without
digits or the punctuation that separates options, default rounding, no aliases. Rubrics
add what only the table's hidden data keeps (provenance, remediation, policies, sections).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from criteria.model import Adjustment, ClassBand, Node, Remediation, Rubric, Survey
from criteria.rules import (
    AdditiveRule, Band, BandsRule, BooleanRule, ChoiceRule, CountLadderRule, DeadlineRule, DeductionRule,
    ExternalRule, Item, ManualRule, Option, ProportionalRule, ShareFloor, Step,
)

WORDS = [
    "Ban hành", "kế hoạch", "đầy đủ", "đúng quy định", "Tốt", "Khá", "Trung bình", "Yếu", "thực hiện",
    "công khai", "niêm yết", "Đạt yêu cầu", "chưa đầy đủ", "xuất sắc", "hội nghị", "tờ gấp", "website",
    "mạng xã hội", "bảng điện tử", "Cổng thông tin", "nội dung", "theo hướng dẫn", "kịp thời", "hướng dẫn",
    "Phòng Nội vụ", "cập nhật", "giải quyết", "tuyên truyền", "số hóa", "trực tuyến", "ứng dụng",
]
UNITS = ["lần", "văn bản", "cuộc họp", "đợt", "hồ sơ", "buổi"]


def label() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(WORDS), min_size=1, max_size=4).map(" ".join)


def points(low: int = 1, high: int = 400) -> st.SearchStrategy[Decimal]:
    """Multiples of 0,05 (exact decimals)."""
    return st.integers(low, high).map(lambda n: (Decimal(n) / 20).normalize()).map(
        lambda d: d.quantize(Decimal(1)) if d == d.to_integral_value() else d
    )


def _distinct_labels(n: int) -> st.SearchStrategy[list[str]]:
    return st.lists(label(), min_size=n, max_size=n, unique_by=lambda s: s.casefold())


@st.composite
def boolean_rules(draw, max_points: Decimal) -> BooleanRule:
    yes, no = draw(_distinct_labels(2))
    no_points = -draw(points(0, 10))
    return BooleanRule(kind="boolean", yes_label=yes, no_label=no, no_points=no_points)


@st.composite
def choice_rules(draw, max_points: Decimal) -> ChoiceRule:
    n = draw(st.integers(2, 5))
    labels = draw(_distinct_labels(n))
    scaled = int(max_points * 20)
    values = [max_points] + [Decimal(draw(st.integers(-4, scaled))) / 20 for _ in range(n - 1)]
    values = [v.normalize() if v else Decimal(0) for v in draw(st.permutations(values))]
    if n == 2 and values[0] == max_points and values[1] <= 0:
        values = [values[1], values[0]]  # a boolean otherwise
        if values[0] == values[1]:
            values[0] = Decimal("0.05") if max_points > Decimal("0.05") else Decimal(0)
    if n == 2 and values[0] == max_points and values[1] <= 0:
        values[1] = max_points
    options = tuple(Option(label=lb, points=v) for lb, v in zip(labels, values))
    return ChoiceRule(kind="choice", options=options, floor=min(Decimal(0), *values))


@st.composite
def deadline_rules(draw, max_points: Decimal) -> DeadlineRule:
    due = draw(st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)))
    late = Decimal(draw(st.integers(0, int(max_points * 20)))) / 20
    missing = Decimal(draw(st.integers(-4, int(late * 20)))) / 20
    return DeadlineRule(kind="deadline", due=due, late=late, not_issued=missing)


@st.composite
def band_rules(draw, max_points: Decimal) -> BandsRule:
    measure = draw(st.sampled_from(["percent", "number"]))
    cuts = sorted(draw(st.lists(st.integers(1, 400 if measure == "percent" else 2000), min_size=1, max_size=4,
                                unique=True)), reverse=True)
    cuts = [Decimal(c) / 4 for c in cuts]
    inclusive = [draw(st.booleans()) for _ in cuts]
    bounds: list[dict] = []
    top_equal = measure == "percent" and cuts[0] == 100 and inclusive[0] and draw(st.booleans())
    bounds.append({"ge" if inclusive[0] else "gt": cuts[0], **({"le": cuts[0]} if top_equal else {})})
    for i in range(1, len(cuts)):
        upper = {"lt": cuts[i - 1]} if inclusive[i - 1] else {"le": cuts[i - 1]}
        bounds.append({"ge" if inclusive[i] else "gt": cuts[i], **upper})
    bounds.append({"lt": cuts[-1]} if inclusive[-1] else {"le": cuts[-1]})
    n = len(bounds)
    values = sorted((Decimal(draw(st.integers(0, int(max_points * 20)))) / 20 for _ in range(n - 1)), reverse=True)
    values = [max_points] + values
    better = draw(st.sampled_from(["higher", "lower"]))
    if better == "lower":
        values = values[::-1]
        if len(set(values)) == 1:
            better = "higher"
    bands = tuple(Band(points=v, **b) for v, b in zip(values, bounds))
    return BandsRule(kind="bands", measure=measure, better=better, bands=bands)


@st.composite
def proportional_rules(draw, max_points: Decimal) -> ProportionalRule:
    floor = draw(st.one_of(st.none(), st.builds(lambda v: ShareFloor(ge=v), points(1, 2000).filter(lambda v: v <= 100)),
                           st.builds(lambda v: ShareFloor(gt=v), points(1, 1999).filter(lambda v: v < 100))))
    return ProportionalRule(kind="proportional", floor=floor)


@st.composite
def count_rules(draw, max_points: Decimal) -> CountLadderRule:
    counts = sorted(draw(st.lists(st.integers(0, 30), min_size=1, max_size=5, unique=True)), reverse=True)
    values = sorted((Decimal(draw(st.integers(0, int(max_points * 20)))) / 20 for _ in counts[1:]), reverse=True)
    values = [max_points] + values
    otherwise = Decimal(draw(st.integers(0, int(values[-1] * 20)))) / 20
    return CountLadderRule(kind="count_ladder", unit=draw(st.sampled_from(UNITS)),
                           steps=tuple(Step(at_least=c, points=v) for c, v in zip(counts, values)),
                           otherwise=otherwise)


@st.composite
def additive_rules(draw, max_points: Decimal) -> AdditiveRule:
    n = draw(st.integers(1, 5))
    labels = draw(_distinct_labels(n))
    values = [draw(points(1, 100)) for _ in range(n)]
    total = sum(values, Decimal(0))
    if total < max_points:
        values[-1] += max_points - total
    return AdditiveRule(kind="additive", items=tuple(Item(label=lb, points=v) for lb, v in zip(labels, values)))


@st.composite
def deduction_rules(draw, max_points: Decimal) -> DeductionRule:
    return DeductionRule(kind="deduction", per_occurrence=draw(points(1, 40)),
                         unit=draw(st.sampled_from(["trường hợp", "văn bản chậm", "hồ sơ trễ hạn", "lượt vi phạm"])),
                         floor=-Decimal(draw(st.integers(0, 20))) / 20)


@st.composite
def external_rules(draw, max_points: Decimal) -> ExternalRule:
    return ExternalRule(kind="external", input=draw(st.sampled_from(["points", "percent_of_max"])),
                        source_name=draw(st.sampled_from(["điều tra xã hội học", "Chỉ số SIPAS", "khảo sát lãnh đạo"])))


@st.composite
def manual_rules(draw, max_points: Decimal) -> ManualRule:
    guidance = draw(st.one_of(st.just(""), st.lists(st.sampled_from(WORDS + ["1,5", "; xem", ":"]), min_size=1,
                                                    max_size=6).map(" ".join)))
    return ManualRule(kind="manual", guidance=guidance)


RULE_BUILDERS = [boolean_rules, choice_rules, deadline_rules, band_rules, proportional_rules, count_rules,
                 additive_rules, deduction_rules, external_rules, manual_rules]


@st.composite
def rule_and_max(draw):
    max_points = draw(points(1, 200))
    builder = draw(st.sampled_from(RULE_BUILDERS))
    return draw(builder(max_points)), max_points


# ---------------------------------------------------------------- rubrics
NAMES = WORDS + ["=SUM(A1:A3)", "+84 số điện thoại", "-Ghi chú", "@tài liệu", "Mức độ (%)"]


def name() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(NAMES), min_size=1, max_size=5).map(" ".join)


def free_text() -> st.SearchStrategy[str]:
    """Multi-line cell text (evidence, an unparsed rule text)."""
    line = st.lists(st.sampled_from(NAMES + ["0,5 điểm", "Quyết định số 12/QĐ-UBND"]), min_size=1,
                    max_size=6).map(" ".join)
    return st.lists(line, min_size=1, max_size=3).map("\n".join)


@st.composite
def leaves(draw, code: str, with_extras: bool) -> Node:
    rule, max_points = draw(rule_and_max())
    text = None
    if with_extras:
        text = draw(st.one_of(st.none(), st.just(rule.describe(max_points)), free_text()))
    provenance = draw(st.sampled_from(["quoted", "adapted", "illustrative"])) if with_extras else "quoted"
    source = "QĐ 1880/QĐ-UBND" if provenance != "illustrative" or draw(st.booleans()) else None
    remediation = None
    if with_extras and draw(st.booleans()):
        remediation = Remediation(task=draw(name()), lead="Văn phòng", cooperate=("Phòng Nội vụ",),
                                  product=draw(st.one_of(st.none(), name())))
    return Node(
        code=code, name=draw(name()), max=max_points, rule=rule, text=text,
        evidence=draw(st.one_of(st.none(), free_text())),
        provenance=provenance, source=source, remediation=remediation,
        not_applicable=draw(st.sampled_from([None, "exclude", "full_points", "not_allowed"])) if with_extras else None,
    )


@st.composite
def subtree(draw, code: str, depth: int, with_extras: bool) -> Node:
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        return draw(leaves(code, with_extras))
    n = draw(st.integers(1, 3))
    children = tuple(draw(subtree(f"{code}.{i}", depth - 1, with_extras)) for i in range(1, n + 1))
    return Node(code=code, name=draw(name()), max=sum((c.max for c in children), Decimal(0)), children=children,
                not_applicable=draw(st.sampled_from([None, "exclude", "full_points"])) if with_extras else None)


@st.composite
def rubrics(draw, with_extras: bool = True) -> Rubric:
    n = draw(st.integers(1, 3))
    nodes = tuple(draw(subtree(str(i), 3, with_extras)) for i in range(1, n + 1))
    adjustments: tuple[Adjustment, ...] = ()
    if with_extras and draw(st.booleans()):
        kind = draw(st.sampled_from(["bonus", "penalty"]))
        code = "T" if kind == "bonus" else "TR"
        children = tuple(draw(leaves(f"{code}.{i}", with_extras)) for i in range(1, draw(st.integers(1, 2)) + 1))
        adjustments = (Adjustment(code=code, name=draw(name()), kind=kind, cap=draw(points(1, 100)),
                                  children=children),)
    survey = None
    if with_extras and draw(st.booleans()):
        survey = Survey(code=nodes[-1].code, when_absent=draw(st.sampled_from(["rescale", "zero"])))
    classification = ()
    if with_extras and draw(st.booleans()):
        classification = (ClassBand(label="Tốt", min=Decimal(80)), ClassBand(label="Khá", min=Decimal("65.5")))
    return Rubric(
        id=draw(st.sampled_from(["demo-xa-2025", "ca-mau.2013", "bo_chi_so"])),
        title=draw(name()), level=draw(st.sampled_from(["xã", "sở", "tỉnh"])),
        year=draw(st.integers(2013, 2030)), source="QĐ 1880/QĐ-UBND",
        note=draw(st.one_of(st.none(), name())) if with_extras else None,
        precision=draw(st.integers(0, 3)) if with_extras else 2,
        not_applicable=draw(st.sampled_from(["exclude", "full_points", "not_allowed"])) if with_extras else "exclude",
        classification=classification, survey=survey,
        bonus_may_exceed_max=draw(st.booleans()) if with_extras else False,
        nodes=nodes, adjustments=adjustments,
    )
