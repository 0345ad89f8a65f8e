"""The RESULT a plan starts from: an evidence file scored on the fly (exact), or the JSON that
``parindex score --format json`` wrote. Either may hold one unit or many.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from criteria import InputError, Rubric
from criteria.rules.base import nfc

from scoring.compiled import compile_rubric
from scoring.engine import score
from scoring.plans.peers import standings_from_sheet
from scoring.ranking import Standing
from scoring.inputs.readers import read_evidence
from scoring.result import LeafTrace, NodeResult, ScoreSheet, Totals, UnitResult

_STATUSES = ("scored", "missing", "not_applicable")


@dataclass
class ScoredFile:
    """Units of one RESULT file: their names, each unit's result on demand, their standings."""

    source: str
    units: list[str]
    standings: list[Standing]
    _result: Callable[[str], UnitResult] = field(repr=False)
    exact: bool = True  # False: numbers come from a JSON rounded to the rubric's precision

    def result(self, unit: str) -> UnitResult:
        return self._result(unit)

    def pick(self, unit: str | None) -> str:
        """The unit a single plan is for: ``--unit``, or the only unit of the file."""
        if unit is None:
            if len(self.units) == 1:
                return self.units[0]
            shown = ", ".join(f"“{u}”" for u in self.units[:6])
            more = "…" if len(self.units) > 6 else ""
            raise InputError.single(self.source, "", f"tệp có {len(self.units)} đơn vị ({shown}{more}): "
                                                     "chọn một bằng --unit, hoặc dùng --all để soạn cho mọi đơn vị")
        wanted = nfc(unit)
        if wanted not in self.units:
            raise InputError.single(self.source, "", f"không có đơn vị “{unit}” trong tệp kết quả")
        return wanted


def load_scored(rubric: Rubric, path: str | Path) -> ScoredFile:
    """Read RESULT by extension: ``.json`` = score output; anything else = evidence."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        return _from_json(rubric, path)
    return scored_from_sheet(score(rubric, read_evidence(rubric, path)), str(path))


def scored_from_sheet(sheet: ScoreSheet, source: str) -> ScoredFile:
    """Any score sheet as a RESULT: an evidence file scored here, or a campaign's sheet (self
    or appraised) — every unit plannable, every unit a peer for rank targets."""
    return ScoredFile(source, list(sheet.units), standings_from_sheet(sheet),
                      lambda unit: sheet.result(unit, traces=True))


def _decimal(value: Any, where: str, name: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise InputError.single(name, where, f"cần một số, nhận được {value!r}")


def _from_json(rubric: Rubric, path: Path) -> ScoredFile:
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
    except FileNotFoundError:
        raise InputError.single(name, "", "không tìm thấy tệp") from None
    except UnicodeDecodeError:
        raise InputError.single(name, "", "tệp không phải văn bản UTF-8") from None
    except json.JSONDecodeError as exc:  # json's own words are English: give the place, say what was expected
        raise InputError.single(name, f"dòng {exc.lineno}, cột {exc.colno}", "JSON hỏng hoặc không đầy đủ; cần tệp "
                                "do “parindex score --format json” ghi") from None
    if not isinstance(data, dict) or not isinstance(data.get("units"), list):
        raise InputError.single(name, "", "cần tệp JSON do “parindex score --format json” ghi (có khóa “units”)")
    if data.get("layout") == "compact":  # one line per unit, without each node's lost points: not enough for a plan
        raise InputError.single(name, "", "tệp JSON dạng gọn (--layout gon, mỗi đơn vị một dòng) không đủ để soạn kế "
                                          "hoạch: dùng chính tệp số liệu, hoặc chấm lại với --layout chi-tiet")
    if data.get("rubric") != rubric.id:
        raise InputError.single(name, "", f"kết quả của bộ chỉ số “{data.get('rubric')}”, không phải “{rubric.id}”")
    compiled = compile_rubric(rubric)
    results: dict[str, UnitResult] = {}
    for position, item in enumerate(data["units"]):
        result = _unit_from_json(item, compiled, name, position)
        if result.unit in results:
            raise InputError.single(name, f"đơn vị thứ {position + 1}", f"đơn vị “{result.unit}” bị lặp")
        results[result.unit] = result
    standings = [
        Standing(r.unit, Fraction(r.totals.points) * 100 / Fraction(r.totals.max), r.totals.points, r.totals.max)
        for r in results.values() if r.totals.max > 0
    ]
    return ScoredFile(name, list(results), standings, results.__getitem__, exact=False)


def _unit_from_json(item: Any, compiled: Any, name: str, position: int) -> UnitResult:
    where = f"đơn vị thứ {position + 1}"
    if not isinstance(item, dict) or not isinstance(item.get("unit"), str):
        raise InputError.single(name, where, "thiếu tên đơn vị (“unit”)")
    unit = nfc(item["unit"])
    totals = item.get("totals")
    nodes = item.get("nodes")
    if not isinstance(totals, dict) or not isinstance(nodes, list):
        raise InputError.single(name, where, "thiếu “totals” hoặc “nodes”")
    number = lambda key, d, w: _decimal(d.get(key), w, name)  # noqa: E731
    t = Totals(
        points=number("points", totals, where), max=number("max", totals, where),
        lost=number("lost", totals, where),
        index=None if totals.get("index") is None else number("index", totals, where),
        classification=totals.get("class"),
        tree_points=number("tree_points", totals, where), bonus=number("bonus", totals, where),
        penalty=number("penalty", totals, where), missing_leaves=int(totals.get("missing_leaves") or 0),
    )
    by_code = {n.get("code"): n for n in nodes if isinstance(n, dict)}
    missing = [node.code for node in compiled.nodes if node.code not in by_code]
    if missing:
        raise InputError.single(name, where, f"thiếu tiêu chí {', '.join(missing[:5])} của bộ chỉ số")
    out = []
    for row, node in enumerate(compiled.nodes):
        n = by_code[node.code]
        w = f"{where}, tiêu chí “{node.code}”"
        status = n.get("status")
        if status not in _STATUSES:
            raise InputError.single(name, w, f"trạng thái “{status}” không hợp lệ")
        trace = n.get("trace")
        out.append(NodeResult(
            code=node.code, name=node.name, depth=compiled.depth[row], section=compiled.section[row],
            is_leaf=node.is_leaf, points=number("points", n, w), max=number("max", n, w),
            lost=number("lost", n, w), index=None if n.get("index") is None else number("index", n, w),
            status=status, missing_leaves=int(n.get("missing_leaves") or 0),
            trace=LeafTrace.model_validate(trace) if isinstance(trace, dict) else None,
        ))
    return UnitResult(unit=unit, rubric_id=compiled.rubric.id, totals=t, nodes=tuple(out),
                      explanations=item.get("explanations") or {})
