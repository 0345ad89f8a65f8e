"""Targets that mean something: “tăng ít nhất N bậc”, “vào nhóm B”, “đạt X điểm”, “đạt X%”.

The index is total / applicable maximum × 100, so recovering a lost point raises the index by
100 / maximum. A target becomes the smallest total (in 1/10 000 of a point) that meets it; the
lost sub-criteria to recover are chosen with the fewest tasks, ties broken by more points.
All arithmetic is exact (integers and fractions); the other units keep last year's results.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Literal, Sequence

from criteria import InputError, Rubric
from criteria.numbers import SCALE, format_points, format_vn, from_scaled, parse_decimal, to_scaled
from criteria.rules.base import norm_text

from scoring.plans.peers import others_descending, rank_of
from scoring.ranking import Standing
from scoring.result import Totals

TargetKind = Literal["rank_up", "rank", "group", "points", "index", "all"]


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: int | str | Decimal | None = None

    def words(self) -> str:
        if self.kind == "rank_up":
            return f"tăng ít nhất {self.value} bậc"
        if self.kind == "rank":
            return f"đạt vị trí thứ {self.value} trở lên"
        if self.kind == "group":
            return f"vào nhóm “{self.value}”"
        if self.kind == "points":
            return f"đạt ít nhất {format_points(self.value)} điểm"  # type: ignore[arg-type]
        if self.kind == "index":
            return f"đạt Chỉ số từ {format_vn(self.value, 2, trim=True)}% trở lên"  # type: ignore[arg-type]
        return "khắc phục toàn bộ điểm bị mất"


_PATTERNS: list[tuple[re.Pattern[str], TargetKind]] = [
    (re.compile(r"^(?:tăng|rank\+|\+)\s*(?:ít nhất\s*)?(\d+)\s*(?:bậc|hạng)?$"), "rank_up"),
    (re.compile(r"^(?:hạng|thứ|vị trí|vị trí thứ|rank[:=]?)\s*(\d+)$"), "rank"),
    (re.compile(r"^(?:vào\s+)?(?:nhóm|loại|xếp loại|group[:=]?|class[:=]?)\s*(.+)$"), "group"),
    (re.compile(r"^(?:đạt\s+)?(?:points[:=]?\s*)?([\d.,]+)\s*(?:điểm)$|^points[:=]\s*([\d.,]+)$"), "points"),
    (re.compile(r"^(?:đạt\s+)?(?:chỉ số\s+)?(?:index[:=]?\s*)?([\d.,]+)\s*%$|^index[:=]\s*([\d.,]+)$"), "index"),
    (re.compile(r"^(?:toàn bộ|tất cả|all|tối đa)$"), "all"),
]


def parse_target(text: str, rubric: Rubric, source: str = "--target") -> Target:
    """Read a target as a person writes it: “tăng ít nhất 2 bậc”, “thứ 1”, “nhóm B”,
    “85 điểm”, “90%”, “toàn bộ” (or rank+2, group:B, points:85, index:90, all)."""
    key = norm_text(text)
    for pattern, kind in _PATTERNS:
        match = pattern.match(key)
        if not match:
            continue
        raw = next(g for g in match.groups() if g is not None) if match.groups() else None
        try:
            if kind in ("rank_up", "rank"):
                number = int(raw)  # type: ignore[arg-type]
                if number < 1:
                    raise ValueError("số bậc/thứ hạng phải từ 1 trở lên")
                return Target(kind, number)
            if kind == "group":
                label = next((b.label for b in rubric.classification if norm_text(b.label) == norm_text(raw or "")), None)
                if label is None:
                    bands = ", ".join(f"“{b.label}”" for b in rubric.classification) or "không có"
                    raise ValueError(f"bộ chỉ số không có nhóm “{raw}” (các nhóm: {bands})")
                return Target("group", label)
            if kind in ("points", "index"):
                value = parse_decimal(raw)
                if kind == "index" and not 0 < value <= 100:
                    raise ValueError("chỉ số mục tiêu phải trong khoảng (0; 100]")
                if kind == "points" and value <= 0:
                    raise ValueError("điểm mục tiêu phải lớn hơn 0")
                return Target(kind, value)
            return Target("all")
        except ValueError as exc:
            raise InputError.single(source, "", f"mục tiêu “{text}”: {exc}") from None
    raise InputError.single(source, "", f"không hiểu mục tiêu “{text}”; viết như “tăng ít nhất 2 bậc”, "
                                        "“thứ 1”, “nhóm B”, “85 điểm”, “90%” hoặc “toàn bộ”")


# ---------------------------------------------------------------- choosing the tasks
def choose(gains: Sequence[int], needed: int) -> tuple[int, ...] | None:
    """Positions of the fewest gains whose sum reaches ``needed``; among those, the largest
    sum; among equal gains, the earliest. ``None`` when even all of them fall short.

    The k largest gains have the largest sum of any k, so the first k that reaches
    ``needed`` is the fewest, and no other k-set has more points.
    """
    if needed <= 0:
        return ()
    if any(g <= 0 for g in gains):
        raise ValueError("every gain must be positive")
    order = sorted(range(len(gains)), key=lambda i: (-gains[i], i))
    total = 0
    for count, position in enumerate(order, 1):
        total += gains[position]
        if total >= needed:
            return tuple(sorted(order[:count]))
    return None


def total_after(totals: Totals, gain_scaled: int, bonus_may_exceed_max: bool) -> int:
    """The unit's total (scaled) after recovering ``gain_scaled`` points of the main tree,
    bonus and penalty as the engine applies them."""
    tree = to_scaled(totals.tree_points) + gain_scaled
    maximum = to_scaled(totals.max)
    total = tree + to_scaled(totals.bonus)
    if not bonus_may_exceed_max:
        total = min(total, maximum)  # as scoring.engine: tree points never exceed the maximum
    return total - to_scaled(totals.penalty)


def gain_needed(totals: Totals, goal_total: int, limit: int, bonus_may_exceed_max: bool) -> int | None:
    """Smallest tree gain (scaled, 0…limit) that brings the total to ``goal_total``; None if
    even ``limit`` does not (the total is monotone in the gain: a binary search is exact)."""
    if total_after(totals, 0, bonus_may_exceed_max) >= goal_total:
        return 0
    if total_after(totals, limit, bonus_may_exceed_max) < goal_total:
        return None
    low, high = 0, limit
    while high - low > 1:
        middle = (low + high) // 2
        if total_after(totals, middle, bonus_may_exceed_max) >= goal_total:
            high = middle
        else:
            low = middle
    return high


# ---------------------------------------------------------------- the goal and its arithmetic
@dataclass(frozen=True)
class Goal:
    target: Target
    reachable: bool
    already: bool  # the target is met without any task
    goal_total: int | None  # scaled points the target needs; None when it cannot exist
    needed_gain: int | None  # scaled points to recover
    chosen: tuple[str, ...]  # task keys marked priority
    recovered: int  # scaled points the chosen tasks recover
    total_before: int
    total_after: int
    max_scaled: int
    rank_before: int | None
    rank_after: int | None
    n_units: int | None
    threshold: Standing | None  # the unit whose index must be matched (rank targets)
    threshold_index: Fraction | None  # the index the target asks for (rank, group, index targets)
    reason: str = ""  # why not reachable, in Vietnamese

    def index_before(self) -> Fraction:
        return Fraction(self.total_before * 100, self.max_scaled)

    def index_after(self) -> Fraction:
        return Fraction(self.total_after * 100, self.max_scaled)


def _ceil_total(index: Fraction, max_scaled: int) -> int:
    """Smallest scaled total whose index (total / max × 100) is at least ``index``."""
    value = index * max_scaled / 100
    return math.ceil(value)


def plan_goal(
    target: Target, totals: Totals, tasks: Sequence[tuple[str, Decimal]], rubric: Rubric,
    unit: str, standings: list[Standing] | None,
) -> Goal:
    """Turn ``target`` into points needed and choose the tasks. ``tasks`` are (key, points
    recoverable) of the main tree, in the plan's order; ``standings`` include the unit."""
    max_scaled = to_scaled(totals.max)
    before = to_scaled(totals.points)
    keys = [k for k, _ in tasks]
    gains = [to_scaled(points) for _, points in tasks]
    limit = sum(gains)
    rank_before = rank_of(standings, unit) if standings else None
    n_units = len(standings) if standings else None
    threshold: Standing | None = None
    threshold_index: Fraction | None = None
    reason = ""
    goal_total: int | None
    if target.kind in ("rank_up", "rank"):
        if not standings or len(standings) < 2:
            raise InputError.single("--target", "", f"mục tiêu “{target.words()}” cần chỉ số của các đơn vị khác "
                                                    "(--peers, hoặc tệp kết quả có nhiều đơn vị)")
        wanted = rank_before - int(target.value) if target.kind == "rank_up" else int(target.value)  # type: ignore[operator]
        if wanted < 1:
            goal_total = None
            reason = (f"đơn vị đang xếp thứ {rank_before}/{n_units}, không thể tăng {target.value} bậc"
                      if target.kind == "rank_up" else "thứ hạng phải từ 1 trở lên")
        elif wanted >= rank_before:
            goal_total = before
        else:
            others = others_descending(standings, unit)
            threshold = others[wanted - 1]  # at most wanted − 1 units may stay strictly above
            threshold_index = threshold.exact
            goal_total = _ceil_total(threshold.exact, max_scaled)  # type: ignore[arg-type] - peers are ranked
    elif target.kind == "group":
        band = next(b for b in rubric.classification if b.label == target.value)
        threshold_index = Fraction(band.min)
        goal_total = _ceil_total(threshold_index, max_scaled)
    elif target.kind == "points":
        goal_total = to_scaled(target.value)  # type: ignore[arg-type]
    elif target.kind == "index":
        threshold_index = Fraction(target.value)  # type: ignore[arg-type]
        goal_total = _ceil_total(threshold_index, max_scaled)
    else:
        goal_total = total_after(totals, limit, rubric.bonus_may_exceed_max)
    needed = None if goal_total is None else gain_needed(totals, goal_total, limit, rubric.bonus_may_exceed_max)
    if goal_total is not None and needed is None:
        best = total_after(totals, limit, rubric.bonus_may_exceed_max)
        reason = (f"kể cả khắc phục toàn bộ {len(gains)} nhiệm vụ ({format_points(from_scaled(limit))} điểm), "
                  f"tổng điểm chỉ đạt {format_points(from_scaled(best))}, chỉ số "
                  f"{format_vn(Fraction(best * 100, max_scaled), 2)}%")
    picked = choose(gains, needed) if needed is not None else None
    chosen = tuple(keys[i] for i in picked) if picked is not None else ()
    recovered = sum(gains[i] for i in picked) if picked is not None else 0
    after = total_after(totals, recovered, rubric.bonus_may_exceed_max)
    rank_after = None
    if standings:
        moved = [Standing(s.unit, Fraction(after * 100, max_scaled)) if s.unit == unit else s for s in standings]
        rank_after = rank_of(moved, unit)
    return Goal(
        target=target, reachable=picked is not None, already=needed == 0, goal_total=goal_total,
        needed_gain=needed, chosen=chosen, recovered=recovered, total_before=before, total_after=after,
        max_scaled=max_scaled, rank_before=rank_before, rank_after=rank_after, n_units=n_units,
        threshold=threshold, threshold_index=threshold_index, reason=reason,
    )


def default_target(totals: Totals, rubric: Rubric, standings: list[Standing] | None, unit: str) -> Target:
    """No target given: the next group up if the rubric has groups, else one rank up if the
    other units are known, else every lost point."""
    index = Fraction(totals.points) * 100 / Fraction(totals.max) if totals.max else Fraction(0)
    higher = [b for b in rubric.classification if index < b.min]
    if higher:
        return Target("group", higher[-1].label)
    if standings and len(standings) > 1 and rank_of(standings, unit) > 1:
        return Target("rank_up", 1)
    return Target("all")


def exact_percent(value: Fraction) -> str:
    """An index as written in arithmetic: exact to 4 decimals, else “≈” and 4 decimals."""
    shown = format_vn(value, 4, trim=True)
    return f"{shown}%" if (value * 10_000).denominator == 1 else f"≈ {shown}%"


def basis_text(goal: Goal, year: int, plan_year: int, short_name: str, peer_group: str,
               precision: int, codes: Sequence[str]) -> list[str]:
    """The “Cơ sở xác định mục tiêu” paragraphs: the arithmetic, in Vietnamese."""
    show_index = lambda f: f"{format_vn(f, precision)}%"  # noqa: E731
    points = lambda s: format_points(from_scaled(s))  # noqa: E731
    before, maximum = goal.total_before, goal.max_scaled
    lines = [
        f"Chỉ số CCHC = tổng điểm đạt được / tổng điểm tối đa của các tiêu chí có phát sinh × 100. "
        f"Năm {year}, {short_name} đạt {points(before)}/{points(maximum)} điểm, Chỉ số "
        f"{show_index(goal.index_before())}"
        + (f", xếp thứ {goal.rank_before}/{goal.n_units} {peer_group}" if goal.rank_before else "")
        + f"; mỗi điểm khắc phục được làm Chỉ số tăng {format_vn(Fraction(100 * SCALE, maximum), 4, trim=True)} "
        f"điểm phần trăm (100/{points(maximum)})."
    ]
    target = goal.target
    if goal.goal_total is None:
        lines.append(f"Mục tiêu “{target.words()}” không thực hiện được: {goal.reason}.")
        return lines
    need = points(goal.goal_total)
    if target.kind in ("rank_up", "rank") and goal.threshold is not None:
        t = goal.threshold
        wanted = goal.rank_before - int(target.value) if target.kind == "rank_up" else int(target.value)  # type: ignore[operator]
        lines.append(
            f"Giả định các {peer_group} khác giữ nguyên kết quả năm {year}, để xếp thứ {wanted} trở lên "
            f"thì Chỉ số phải đạt ít nhất bằng Chỉ số của {t.unit} đang xếp thứ {wanted} trong số các "
            f"{peer_group} còn lại ({exact_percent(t.exact)}; bằng Chỉ số thì đồng hạng), tức tổng điểm từ "
            f"{exact_percent(t.exact)} × {points(maximum)} / 100 = {need} điểm trở lên"
            + ("" if (t.exact * maximum / 100).denominator == 1 else " (làm tròn lên 0,0001 điểm)") + "."
        )
    elif target.kind == "group":
        lines.append(f"Nhóm “{target.value}” cần Chỉ số từ {exact_percent(goal.threshold_index)} trở lên, tức "
                     f"tổng điểm từ {exact_percent(goal.threshold_index)} × {points(maximum)} / 100 = {need} điểm trở lên.")
    elif target.kind == "index":
        lines.append(f"Chỉ số {format_vn(target.value, 2, trim=True)}% tương ứng tổng điểm từ {need} điểm trở lên.")  # type: ignore[arg-type]
    elif target.kind == "points":
        lines.append(f"Tổng điểm cần đạt: {need} điểm.")
    if goal.already:
        lines.append(f"Kết quả năm {year} đã đáp ứng mục tiêu; năm {plan_year} cần giữ vững kết quả và "
                     f"khắc phục các điểm còn bị mất.")
        return lines
    if not goal.reachable:
        lines.append(f"Mục tiêu “{target.words()}” không đạt được trong một năm: {goal.reason}. "
                     f"Kế hoạch vẫn giao khắc phục toàn bộ điểm bị mất; đề nghị chọn mục tiêu thấp hơn.")
        return lines
    lines.append(
        f"Cần khắc phục thêm ít nhất {need} − {points(before)} = {points(goal.needed_gain)} điểm"
        + (" (sau khi tính điểm thưởng, điểm trừ)" if goal.needed_gain != goal.goal_total - before else "")
        + f". Chọn {len(goal.chosen)} nhiệm vụ ít nhất đủ bù số điểm này (ưu tiên nhiệm vụ nhiều điểm): "
        f"{', '.join(codes)}, khôi phục {points(goal.recovered)} điểm, đưa tổng điểm lên "
        f"{points(goal.total_after)}/{points(maximum)}, Chỉ số {show_index(goal.index_after())}"
        + (f", xếp thứ {goal.rank_after}/{goal.n_units}" if goal.rank_after else "")
        + ". Các nhiệm vụ này được đánh dấu “ưu tiên”."
    )
    return lines
