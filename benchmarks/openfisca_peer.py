"""OpenFisca as a peer: the same leaves as OpenFisca variables, computed by its engine.

One entity (the commune), three input variables per leaf (state, a, b: the engine's typed
evidence), one formula variable per leaf for its points and one for its applicable maximum,
and the field's total and maximum. The formulas are numpy expressions in scaled integers,
written from the rules' parameters as an OpenFisca country package would write them, so the
outputs must equal the engine's exactly. Run on ``peers.one_leaf_per_kind``: one leaf of each
of the ten rule kinds. Skipped with the reason when ``openfisca-core`` is not installed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from fractions import Fraction

import numpy as np

from criteria import Node, Rubric
from criteria.numbers import SCALE_DIGITS, to_scaled
from criteria.rules import NOT_APPLICABLE, VALUE
from criteria.rules.deadline import NOT_ISSUED
from scoring.evidence import EvidenceTable

Earn = Callable[[np.ndarray, np.ndarray], np.ndarray]
EPOCH = dt.date(1970, 1, 1)
TABLE_ITEMS = 16  # additive checklists up to this many items score by a 2**k lookup table
PERIOD = "2025"


def _share(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


def _rounded_share(max_s: int, decimals: int) -> Earn:
    """a/b × max rounded half-up to ``decimals``: (2·a·max_q + b) // 2b steps."""
    quantum = 10 ** (SCALE_DIGITS - decimals)
    twice_max_q = 2 * (max_s // quantum)

    def earn(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        steps = a * twice_max_q
        steps += b
        steps //= 2 * b
        steps *= quantum
        return steps

    return earn


def _at_least(a: np.ndarray, b: np.ndarray, bound: Fraction, inclusive: bool) -> np.ndarray:
    left, right = a * bound.denominator, b * bound.numerator
    return left >= right if inclusive else left > right


def earn_function(node: Node, max_s: int) -> Earn:
    """Leaf points for arrays of ``a`` and ``b``, by rule kind, with constants bound now."""
    rule = node.rule
    kind = rule.kind  # type: ignore[union-attr]
    if kind == "boolean":
        no = to_scaled(rule.no_points)  # type: ignore[union-attr]
        return (lambda a, b: a * max_s) if no == 0 else (lambda a, b: a * (max_s - no) + no)
    if kind == "choice":
        table = np.array([to_scaled(o.points) for o in rule.options], dtype=np.int64)  # type: ignore[union-attr]
        return lambda a, b: table.take(a)
    if kind == "deadline":
        due = (rule.due - EPOCH).days  # type: ignore[union-attr]
        on_time = to_scaled(rule.on_time_points(node.max))  # type: ignore[union-attr]
        late, none = to_scaled(rule.late), to_scaled(rule.not_issued)  # type: ignore[union-attr]
        return lambda a, b: np.where(a > due, late, np.where(a == NOT_ISSUED, none, on_time))
    if kind == "bands":
        percent = rule.measure == "percent"  # type: ignore[union-attr]
        bands = rule.bands  # type: ignore[union-attr]
        # contiguous, highest range first: walk up from the lowest band by its upper neighbour's lower bound
        steps = [
            ((Fraction(band.lower[0]) / 100 if percent else Fraction(band.lower[0])), band.lower[1],
             to_scaled(band.points))
            for band in reversed(bands[:-1])
        ]
        lowest = to_scaled(bands[-1].points)

        def earn_bands(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            points = np.full(a.shape, lowest, dtype=np.int64)
            for bound, inclusive, value in steps:
                points[_at_least(a, b, bound, inclusive)] = value
            return points

        return earn_bands
    if kind == "proportional":
        share = _rounded_share(max_s, rule.decimals)  # type: ignore[union-attr]
        floor = rule.floor  # type: ignore[union-attr]
        if floor is None:
            return share
        bound = Fraction(floor.bound) / 100

        def earn_floored(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            points = share(a, b)
            points[~_at_least(a, b, bound, floor.inclusive)] = 0
            return points

        return earn_floored
    if kind == "count_ladder":
        ascending = list(reversed(rule.steps))  # type: ignore[union-attr]
        thresholds = np.array([s.at_least for s in ascending], dtype=np.int64)
        table = np.array([to_scaled(rule.otherwise)] + [to_scaled(s.points) for s in ascending], dtype=np.int64)  # type: ignore[union-attr]
        return lambda a, b: table.take(np.searchsorted(thresholds, a, side="right"))
    if kind == "additive":
        values = [to_scaled(i.points) for i in rule.items]  # type: ignore[union-attr]
        if len(values) <= TABLE_ITEMS:
            sums = np.zeros(1, dtype=np.int64)
            for value in values:
                sums = np.concatenate([sums, sums + value])
            table = np.minimum(sums, max_s)
            return lambda a, b: table.take(a)

        def earn_items(a: np.ndarray, b: np.ndarray) -> np.ndarray:
            total = np.zeros(a.shape, dtype=np.int64)
            for i, value in enumerate(values):
                total += ((a >> i) & 1) * value
            return np.minimum(total, max_s, out=total)

        return earn_items
    if kind == "deduction":
        per, floor_s = to_scaled(rule.per_occurrence), to_scaled(rule.floor)  # type: ignore[union-attr]
        return lambda a, b: np.maximum(max_s - a * per, floor_s)
    if kind == "external" and rule.input == "percent_of_max":  # type: ignore[union-attr]
        return _rounded_share(max_s, rule.decimals)  # type: ignore[union-attr]
    if kind in ("external", "manual"):
        return lambda a, b: a
    if kind == "reports":  # a: some report late, b: some report not sent
        on_time = to_scaled(rule.on_time) if rule.on_time is not None else max_s  # type: ignore[union-attr]
        late, unsent = to_scaled(rule.late), to_scaled(rule.missing)  # type: ignore[union-attr]
        return lambda a, b: np.where(b != 0, unsent, np.where(a != 0, late, on_time))
    raise ValueError(f"unknown rule kind {kind}")



def available() -> str | None:
    """None when OpenFisca can run here, else why not (printed as the skip reason)."""
    try:
        import openfisca_core  # noqa: F401
    except ImportError:
        return "bỏ qua: openfisca-core chưa cài (pip install openfisca-core)"
    return None


def system(rubric: Rubric):
    """The rubric's leaves as an OpenFisca tax-benefit system."""
    from openfisca_core.entities import build_entity
    from openfisca_core.periods import DateUnit
    from openfisca_core.taxbenefitsystems import TaxBenefitSystem
    from openfisca_core.variables import Variable

    commune = build_entity(key="commune", plural="communes", label="Xã", is_person=True)
    tbs = TaxBenefitSystem([commune])
    leaves = list(rubric.leaves())

    def variable(name: str, formula=None) -> type:
        attributes = {"value_type": int, "entity": commune, "definition_period": DateUnit.YEAR, "label": name}
        if formula is not None:
            attributes["formula"] = formula
        return type(name, (Variable,), attributes)

    for k, leaf in enumerate(leaves):
        max_s = to_scaled(leaf.max)
        earn = earn_function(leaf, max_s)
        for part in ("state", "a", "b"):
            tbs.add_variable(variable(f"{part}_{k}"))

        tbs.add_variable(variable(f"points_{k}", _points_formula(k, earn)))
        tbs.add_variable(variable(f"maximum_{k}", _maximum_formula(k, max_s)))

    def total(entity, period):
        return sum(entity(f"points_{k}", period) for k in range(len(leaves)))

    def total_max(entity, period):
        return sum(entity(f"maximum_{k}", period) for k in range(len(leaves)))

    tbs.add_variable(variable("total", total))
    tbs.add_variable(variable("total_max", total_max))
    return tbs, [leaf.code for leaf in leaves]


def _points_formula(k: int, earn: Earn):
    def points(entity, period):
        state = entity(f"state_{k}", period)
        a = entity(f"a_{k}", period).astype(np.int64)
        b = entity(f"b_{k}", period).astype(np.int64)
        return np.where(state == VALUE, earn(a, b), 0)

    return points


def _maximum_formula(k: int, max_s: int):
    def maximum(entity, period):
        return np.where(entity(f"state_{k}", period) == NOT_APPLICABLE, 0, max_s)

    return maximum


def run(tbs, codes: list[str], table: EvidenceTable) -> dict[str, np.ndarray]:
    """One simulation over every unit: inputs set, every leaf and the totals calculated."""
    from openfisca_core.simulations import SimulationBuilder

    simulation = SimulationBuilder().build_default_simulation(tbs, count=len(table))
    for k, code in enumerate(codes):
        column = table.columns[code]
        simulation.set_input(f"state_{k}", PERIOD, column.state.astype(np.int32))
        simulation.set_input(f"a_{k}", PERIOD, column.a.astype(np.int32))
        simulation.set_input(f"b_{k}", PERIOD, column.b.astype(np.int32))
    out = {"total": simulation.calculate("total", PERIOD), "total_max": simulation.calculate("total_max", PERIOD)}
    for k in range(len(codes)):
        out[f"points_{k}"] = simulation.calculate(f"points_{k}", PERIOD)
    return out


def fits_int32(table: EvidenceTable, codes: list[str]) -> bool:
    """OpenFisca's int variables are int32: the evidence must fit to be passed exactly."""
    limit = 2**31 - 1
    return all(int(np.abs(table.columns[c].a).max(initial=0)) <= limit
               and int(np.abs(table.columns[c].b).max(initial=0)) <= limit for c in codes)
