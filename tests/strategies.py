"""Hypothesis strategies: valid random leaves of every rule kind, rubrics, and evidence.

Each leaf case carries a strategy for its raw evidence and one for an ordered pair
(worse, better) of raw evidence, so monotonicity can be stated for every kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

QUARTER = Decimal("0.25")
DUE = dt.date(2024, 12, 31)


def quarters(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low, high).map(lambda k: Decimal(k) * QUARTER)


def comma(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


@dataclass(frozen=True)
class LeafCase:
    kind: str
    max: Decimal
    rule: dict[str, Any]
    value: st.SearchStrategy[Any]  # raw evidence as a person types it
    better_pair: st.SearchStrategy[tuple[Any, Any]]  # (worse, better)


def _share_pair() -> st.SearchStrategy[tuple[str, str]]:
    @st.composite
    def pair(draw: st.DrawFn) -> tuple[str, str]:
        den = draw(st.integers(1, 500))
        a, b = sorted(draw(st.lists(st.integers(0, den), min_size=2, max_size=2)))
        return f"{a}/{den}", f"{b}/{den}"

    return pair()


def _share_value() -> st.SearchStrategy[str]:
    ratio = st.integers(1, 500).flatmap(lambda den: st.integers(0, den).map(lambda a: f"{a}/{den}"))
    percent = st.integers(0, 1000).map(lambda k: comma(Decimal(k) / 10) + "%")
    return st.one_of(ratio, percent)


@st.composite
def _cuts(draw: st.DrawFn, low: int, high: int) -> list[int]:
    return sorted(draw(st.sets(st.integers(low, high), min_size=1, max_size=4)), reverse=True)


@st.composite
def leaf_case(draw: st.DrawFn, kinds: tuple[str, ...] | None = None) -> LeafCase:
    kind = draw(st.sampled_from(kinds or (
        "boolean", "choice", "deadline", "bands", "bands_number", "proportional",
        "count_ladder", "additive", "deduction", "external", "external_percent", "manual",
    )))
    maximum = draw(quarters(1, 20))
    steps = int(maximum / QUARTER)
    if kind == "boolean":
        no_points = draw(st.sampled_from([Decimal(0), Decimal("-0.25")]))
        rule = {"kind": "boolean", "no_points": no_points}
        values = st.sampled_from(["Có", "Không", "Đạt", "không đạt", True, False])
        pair = st.just(("Không", "Có"))
        return LeafCase(kind, maximum, rule, values, pair)
    if kind == "choice":
        others = draw(st.lists(st.integers(0, steps), min_size=1, max_size=3))
        points = [maximum] + [Decimal(k) * QUARTER for k in others]
        labels = [f"Mức {i + 1}" for i in range(len(points))]
        rule = {"kind": "choice", "options": [{"label": l, "points": p} for l, p in zip(labels, points)]}
        ranked = sorted(zip(points, labels))
        pair = st.tuples(st.integers(0, len(ranked) - 1), st.integers(0, len(ranked) - 1)).map(
            lambda ij: (ranked[min(ij)][1], ranked[max(ij)][1]))
        return LeafCase(kind, maximum, rule, st.sampled_from(labels), pair)
    if kind == "deadline":
        late = Decimal(draw(st.integers(0, steps))) * QUARTER
        rule = {"kind": "deadline", "due": DUE.isoformat(), "late": late, "not_issued": Decimal(0)}
        day = st.integers(-60, 60).map(lambda d: (DUE + dt.timedelta(days=d)).strftime("%d/%m/%Y"))
        values = st.one_of(day, st.just("Không ban hành"))

        @st.composite
        def pair(d: st.DrawFn) -> tuple[str, str]:
            x, y = sorted(d(st.lists(st.integers(-60, 60), min_size=2, max_size=2)))
            better = (DUE + dt.timedelta(days=x)).strftime("%d/%m/%Y")
            worse = d(st.sampled_from(["Không ban hành", (DUE + dt.timedelta(days=y)).strftime("%d/%m/%Y")]))
            return worse, better

        return LeafCase(kind, maximum, rule, values, pair())
    if kind in ("bands", "bands_number"):
        number = kind == "bands_number"
        cuts = draw(_cuts(1, 20) if number else _cuts(1, 99))
        better = "higher" if number else draw(st.sampled_from(["higher", "lower"]))
        inclusive = [draw(st.booleans()) for _ in cuts]  # does the band above include the cut?
        point_steps = sorted(draw(st.lists(st.integers(0, steps), min_size=len(cuts), max_size=len(cuts))),
                             reverse=True)
        points = [maximum] + [Decimal(k) * QUARTER for k in point_steps]
        if better == "lower":
            points = points[::-1]
        bands = []
        for i in range(len(cuts) + 1):
            band: dict[str, Any] = {"points": points[i]}
            if i < len(cuts):
                band["ge" if inclusive[i] else "gt"] = Decimal(cuts[i])
            if i > 0:
                band["lt" if inclusive[i - 1] else "le"] = Decimal(cuts[i - 1])
            bands.append(band)
        rule = {"kind": "bands", "measure": "number" if number else "percent", "better": better, "bands": bands}
        if number:
            values = st.integers(0, 25).map(str)
            pair = st.lists(st.integers(0, 25), min_size=2, max_size=2).map(lambda v: (str(min(v)), str(max(v))))
        else:
            values = _share_value()
            pair = _share_pair() if better == "higher" else _share_pair().map(lambda p: (p[1], p[0]))
        return LeafCase(kind, maximum, rule, values, pair)
    if kind == "proportional":
        rule: dict[str, Any] = {"kind": "proportional"}
        if draw(st.booleans()):
            rule["floor"] = {draw(st.sampled_from(["ge", "gt"])): Decimal(draw(st.integers(0, 99)))}
        return LeafCase(kind, maximum, rule, _share_value(), _share_pair())
    if kind == "count_ladder":
        counts = sorted(draw(st.sets(st.integers(1, 12), min_size=1, max_size=4)), reverse=True)
        point_steps = sorted(draw(st.lists(st.integers(0, steps), min_size=len(counts), max_size=len(counts))),
                             reverse=True)
        points = [maximum] + [Decimal(k) * QUARTER for k in point_steps[1:]]
        otherwise = Decimal(draw(st.integers(0, int(points[-1] / QUARTER)))) * QUARTER
        rule = {"kind": "count_ladder", "steps": [{"at_least": c, "points": p} for c, p in zip(counts, points)],
                "otherwise": otherwise}
        pair = st.lists(st.integers(0, 15), min_size=2, max_size=2).map(lambda v: (min(v), max(v)))
        return LeafCase(kind, maximum, rule, st.integers(0, 15), pair)
    if kind == "additive":
        n = draw(st.integers(1, 4))
        item_points = draw(st.lists(st.integers(1, steps), min_size=n, max_size=n))
        if sum(item_points) < steps:
            item_points[0] += steps - sum(item_points)
        rule = {"kind": "additive", "items": [
            {"label": f"Mục {i + 1}", "points": Decimal(p) * QUARTER} for i, p in enumerate(item_points)]}
        subsets = st.sets(st.integers(1, n))

        def text(s: set[int]) -> str:
            return "; ".join(str(i) for i in sorted(s)) if s else "Không có mục nào"

        pair = st.tuples(subsets, subsets).map(lambda ab: (text(ab[0]), text(ab[0] | ab[1])))
        return LeafCase(kind, maximum, rule, subsets.map(text), pair)
    if kind == "deduction":
        per = draw(st.sampled_from([Decimal("0.25"), Decimal("0.5"), Decimal(1)]))
        floor = draw(st.sampled_from([Decimal(0), Decimal("-0.5")]))
        rule = {"kind": "deduction", "per_occurrence": per, "floor": floor}
        pair = st.lists(st.integers(0, 30), min_size=2, max_size=2).map(lambda v: (max(v), min(v)))
        return LeafCase(kind, maximum, rule, st.integers(0, 30), pair)
    if kind == "external":
        rule = {"kind": "external", "input": "points"}
        value = st.integers(0, int(maximum * 100)).map(lambda k: comma(Decimal(k) / 100))
        pair = st.lists(st.integers(0, int(maximum * 100)), min_size=2, max_size=2).map(
            lambda v: (comma(Decimal(min(v)) / 100), comma(Decimal(max(v)) / 100)))
        return LeafCase(kind, maximum, rule, value, pair)
    if kind == "external_percent":
        rule = {"kind": "external", "input": "percent_of_max"}
        value = st.integers(0, 1000).map(lambda k: comma(Decimal(k) / 10))
        pair = st.lists(st.integers(0, 1000), min_size=2, max_size=2).map(
            lambda v: (comma(Decimal(min(v)) / 10), comma(Decimal(max(v)) / 10)))
        return LeafCase(kind, maximum, rule, value, pair)
    rule = {"kind": "manual"}
    value = st.integers(0, steps).map(lambda k: f"{comma(Decimal(k) * QUARTER)} | đã kiểm tra hồ sơ")
    pair = st.lists(st.integers(0, steps), min_size=2, max_size=2).map(
        lambda v: (f"{comma(Decimal(min(v)) * QUARTER)} | ít", f"{comma(Decimal(max(v)) * QUARTER)} | nhiều"))
    return LeafCase("manual", maximum, rule, value, pair)


def single_leaf_rubric(case: LeafCase, policy: str = "exclude") -> dict[str, Any]:
    leaf = {"code": "1.1", "name": "Tiêu chí thử", "max": case.max, "rule": case.rule,
            "provenance": "illustrative", "not_applicable": policy}
    return {
        "id": "thu", "title": "Bộ thử", "level": "xã", "year": 2025, "source": "thử nghiệm",
        "nodes": [{"code": "1", "name": "Lĩnh vực thử", "max": case.max, "children": [leaf]}],
    }


@dataclass(frozen=True)
class RubricCase:
    data: dict[str, Any]
    leaves: dict[str, LeafCase]


@st.composite
def rubric_case(draw: st.DrawFn) -> RubricCase:
    """A random tree (fields → criteria → leaves, some fields with leaves directly)."""
    leaves: dict[str, LeafCase] = {}
    policies = st.sampled_from([None, None, "exclude", "full_points"])

    def leaf(code: str) -> dict[str, Any]:
        case = draw(leaf_case())
        leaves[code] = case
        node = {"code": code, "name": f"Tiêu chí {code}", "max": case.max, "rule": case.rule,
                "provenance": "illustrative"}
        policy = draw(policies)
        if policy:
            node["not_applicable"] = policy
        return node

    def parent(code: str, children: list[dict[str, Any]]) -> dict[str, Any]:
        return {"code": code, "name": f"Nhóm {code}", "max": sum((c["max"] for c in children), Decimal(0)),
                "children": children}

    fields = []
    for f in range(1, draw(st.integers(1, 3)) + 1):
        if draw(st.booleans()):
            kids = [leaf(f"{f}.{c}") for c in range(1, draw(st.integers(1, 3)) + 1)]
        else:
            kids = []
            for c in range(1, draw(st.integers(1, 3)) + 1):
                count = draw(st.sampled_from([1, 2, 3, 10]))  # 10 makes codes like "1.1.10"
                kids.append(parent(f"{f}.{c}", [leaf(f"{f}.{c}.{l}") for l in range(1, count + 1)]))
        fields.append(parent(str(f), kids))
    data = {
        "id": "ngau-nhien", "title": "Bộ chỉ số ngẫu nhiên", "level": "xã", "year": 2025, "source": "thử nghiệm",
        "classification": [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 50}, {"label": "Yếu", "min": 0}],
        "nodes": fields,
    }
    return RubricCase(data, leaves)


@st.composite
def evidence_rows(draw: st.DrawFn, case: RubricCase, units: int) -> list[dict[str, Any]]:
    """Raw evidence rows for ``units`` units: values, blanks and “Không phát sinh”."""
    rows = []
    for _ in range(units):
        row: dict[str, Any] = {}
        for code, leaf in case.leaves.items():
            choice = draw(st.integers(0, 9))
            if choice == 0:
                row[code] = None
            elif choice == 1:
                row[code] = "Không phát sinh"
            else:
                row[code] = draw(leaf.value)
        rows.append(row)
    return rows
