"""Self-assessment against appraisal, node by node, with every decision's reason and log number.

``diff(store, unit)`` returns a ``UnitDiff``: for each node the self-scored and the appraised
points, and for each leaf the history that explains the difference — round-1 and round-2
decisions (who, when, why), the unit's explanations, and for survey leaves the import that
set them. Every step carries its audit-log number, so a number in the published table can be
followed back to the entry that produced it. ``diff_workbook`` writes the same as xlsx.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from criteria.numbers import format_vn
from scoring.result import Totals
from web.store.models import SurveyImport

from .appraisal import ACCEPT, CHANGES, explanations, in_force, records, show_decision
from .clock import show_moment
from .sheets import appraised_sheet, self_sheet
from .store import CampaignStore
from .submissions import active_submission, survey_codes
from .survey import survey_values
from .xlsx import SheetData, write_workbook


@dataclass(frozen=True)
class Step:
    """One event in a leaf's history."""

    seq: int
    at: dt.datetime | None
    by: str
    what: str  # “Vòng 1 — điều chỉnh điểm: 1,5/3 điểm”, “Giải trình của đơn vị”, …
    reason: str = ""

    def line(self) -> str:
        when = f", {show_moment(self.at)}" if self.at else ""
        reason = f". Lý do: {self.reason}" if self.reason else ""
        return f"#{self.seq} ({self.by}{when}) {self.what}{reason}"


@dataclass(frozen=True)
class DiffRow:
    code: str
    name: str
    depth: int
    section: str | None  # bonus/penalty section code; None for the main tree
    is_leaf: bool
    max: Decimal
    self_points: Decimal | None  # None for survey nodes: not the unit's to score
    appraised: Decimal
    self_text: str  # the self-assessed leaf's trace
    appraised_text: str  # the appraised leaf's trace
    status: str  # “giữ nguyên”, “công nhận”, “điều chỉnh”, “điều tra XHH”
    steps: tuple[Step, ...] = ()

    @property
    def change(self) -> Decimal | None:
        return None if self.self_points is None else self.appraised - self.self_points


@dataclass(frozen=True)
class UnitDiff:
    unit: str
    submission_seq: int | None
    self_totals: Totals
    totals: Totals
    survey_points: Decimal | None
    rows: tuple[DiffRow, ...]
    precision: int

    def changed(self) -> list[DiffRow]:
        return [r for r in self.rows if r.is_leaf and r.steps]


def diff(store: CampaignStore, unit: str) -> UnitDiff:
    """The unit's self-score and appraised points per node, each change with its reasons."""
    row = store.unit(unit)
    unit_seq, name = row.seq, row.name
    rubric = store.rubric
    with store.reading():
        mine, final = self_sheet(store, name).result(0), appraised_sheet(store, name).result(0)
        history: dict[str, list] = {}
        for record in records(store, unit_seq):
            history.setdefault(record.code, []).append(record)
        answers: dict[str, list] = {}
        for seq, code, text, at, by in explanations(store, unit_seq):
            answers.setdefault(code, []).append(Step(seq, at, by, f"Giải trình của đơn vị: {text}"))
        surveys = survey_values(store).get(name, {})
        import_info = store.entry_meta(list(store.objects(SurveyImport).values_list("seq", flat=True)))
        active = active_submission(store, unit_seq)
    survey_leaves = set(survey_codes(store))
    survey_node = rubric.survey.code if rubric.survey else None
    in_survey = {n.code for n in rubric.by_code[survey_node].walk()} if survey_node else set()
    rows = []
    for mine_node, node in zip(mine.nodes, final.nodes):
        steps: list[Step] = []
        status = ""
        if node.is_leaf:
            leaf_max = rubric.by_code[node.code].max
            for record in history.get(node.code, []):
                what = f"Vòng {record.round} — {show_decision(record, leaf_max)}"
                steps.append(Step(record.seq, record.at, record.by, what, record.reason))
            steps.extend(answers.get(node.code, []))
            steps.sort(key=lambda s: s.seq)
            if node.code in survey_leaves:
                status = "điều tra XHH"
                if node.code in surveys:
                    _, seq, source = surveys[node.code]
                    at, by = import_info[seq]
                    steps = [Step(seq, dt.datetime.fromisoformat(at), by, f"Nhập điểm điều tra từ tệp {source}")]
            else:
                decision = in_force(history.get(node.code, []))
                if node.points != mine_node.points:
                    status = "điều chỉnh"
                elif decision is None:
                    status = "giữ nguyên"
                elif decision.action in CHANGES:
                    status = "điều chỉnh (điểm không đổi)"
                else:
                    status = "chấp nhận giải trình" if decision.action == ACCEPT else "công nhận"
        rows.append(DiffRow(
            code=node.code, name=node.name, depth=node.depth, section=node.section, is_leaf=node.is_leaf,
            max=node.max,
            self_points=None if node.code in in_survey else mine_node.points, appraised=node.points,
            self_text=mine_node.trace.explanation if mine_node.trace and node.code not in in_survey else "",
            appraised_text=node.trace.explanation if node.trace else "",
            status=status, steps=tuple(steps)))
    survey_points = final.node(survey_node).points if survey_node and final.node(survey_node).max else None
    return UnitDiff(name, active[0] if active else None, mine.totals, final.totals, survey_points,
                    tuple(rows), rubric.precision)


def totals_lines(result: UnitDiff) -> list[str]:
    """The diff's totals in words, with decimal commas."""
    p = result.precision
    s, t = result.self_totals, result.totals
    survey = (f" + điều tra XHH {format_vn(result.survey_points, p)}" if result.survey_points is not None
              else " (không có điều tra XHH: quy về thang điểm 100)")
    submitted = f"bản nộp #{result.submission_seq}" if result.submission_seq else "chưa nộp"
    return [
        f"Tự đánh giá ({submitted}): {format_vn(s.points, p)}/{format_vn(s.max, p)} điểm, chỉ số {format_vn(s.index, p)}%",
        f"Thẩm định {format_vn(t.points - (result.survey_points or 0), p)}{survey} = {format_vn(t.points, p)}/"
        f"{format_vn(t.max, p)} điểm, chỉ số {format_vn(t.index, p)}%, xếp loại {t.classification or '—'}",
    ]


def diff_workbook(result: UnitDiff, path: str | Path) -> Path:
    """The diff as xlsx: one sheet of nodes, one of the history steps (with log numbers)."""
    rows = []
    for r in result.rows:
        rows.append([r.code, "  " * r.depth + r.name, r.max, r.self_points, r.appraised, r.change, r.status,
                     r.self_text, r.appraised_text, "\n".join(s.line() for s in r.steps)])
    notes = totals_lines(result)
    steps = [[r.code, st.seq, st.at.isoformat() if st.at else "", st.by, st.what, st.reason]
             for r in result.rows for st in r.steps]
    return write_workbook(path, [
        SheetData("Chênh lệch", ["Mã", "Tiêu chí", "Tối đa", "Tự chấm", "Thẩm định", "Chênh lệch", "Kết quả",
                                 "Diễn giải tự chấm", "Diễn giải thẩm định", "Quyết định, giải trình (số nhật ký)"],
                  rows, (8, 48, 9, 9, 10, 10, 16, 40, 40, 60), notes),
        SheetData("Nhật ký", ["Mã", "Số nhật ký", "Thời điểm", "Người thực hiện", "Nội dung", "Lý do"],
                  steps, (8, 11, 26, 24, 50, 60)),
    ], result.precision)

