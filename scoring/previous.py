"""An earlier period's results, as read from a published table: the checks that make it usable.

Framework-free, so the campaign (whatever store it lives on) and the plans call the same rules:
each unit once (names compared by ``criteria.names.unit_key``: “Hòa”/“Hoà”, spacing, case), each
index a percentage from 0 to 100. A table that breaks them is refused, naming every offending row —
never “the last row wins” or “chỉ số +116,61” in a ranking.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from criteria import Problem
from criteria.names import unit_clash
from criteria.numbers import format_vn


def previous_problems(name: str, rows: Sequence[tuple[str, Decimal | None, str]]) -> list[Problem]:
    """Problems of ``rows`` = (unit, index in %, place such as “dòng 3”) of the table ``name``."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for unit, index, place in rows:
        earlier = unit_clash(unit, seen)
        if earlier is not None:
            same = "bị lặp" if earlier == unit else f"trùng với “{earlier}”"
            problems.append(Problem(name, place, f"đơn vị “{unit}” {same}: mỗi đơn vị chỉ một dòng"))
        if index is not None and not Decimal(0) <= index <= Decimal(100):
            problems.append(Problem(name, place, f"chỉ số {format_vn(index, 2, trim=True)}% ngoài khoảng 0–100%"))
    return problems
