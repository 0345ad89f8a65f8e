"""The annual CCHC plan draft, in the shape of a published one (e.g. Kế hoạch 3838/KH-UBND ngày
28/12/2023 của UBND thị xã Kiến Tường, CCHC năm 2024): objectives and target, one task per criterion
of the rubric for the coming year (last year's lost points first), a target table (Phụ lục I)
and an assignment table (Phụ lục II)."""

from __future__ import annotations

from scoring.office.nd30 import Span
from scoring.plans.common import (
    PlanInputs, attached_to, basis_lines, count, decide_goal, document_year, goal_sentence, letter,
    closing_words, letterhead, office_short, plan_bases, points, report_to, result_sentence, roman, signature,
    task_parts,
)
from scoring.plans.document import Appendix, PlanDocument, TableSpec
from scoring.plans.targets import Goal
from scoring.plans.tasks import DRAFT_MARK, CriterionTask, TaskGroup, criterion_tasks, lost_tasks, upper_first

TARGET_HEADERS = ("STT", "Mã", "Chỉ tiêu", "Mức cần đạt năm {plan}", "Kết quả năm {year}", "Cơ quan chủ trì", "Ghi chú")
TARGET_WIDTHS = (1.3, 1.5, 7.4, 5.4, 3.2, 3.6, 2.8)
TARGET_ALIGN = ("center", "center", "left", "left", "center", "left", "left")
TASK_HEADERS = ("TT", "Nội dung", "Nhiệm vụ cụ thể", "Sản phẩm", "Cơ quan chủ trì", "Cơ quan phối hợp",
                "Thời gian thực hiện", "Dự kiến kinh phí", "Ghi chú")
TASK_WIDTHS = (1.0, 3.2, 6.0, 3.2, 2.7, 2.9, 2.2, 2.2, 1.8)
TASK_ALIGN = ("center", "left", "left", "left", "left", "left", "center", "left", "left")


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def ordered(tasks: list[CriterionTask], groups: list[TaskGroup]) -> tuple[list[CriterionTask], list[CriterionTask]]:
    """(criteria that lost points — fields by points lost, then most lost first; the rest in
    the rubric's order)."""
    field_rank = {g.code: i for i, g in enumerate(groups)}
    lost = sorted((t for t in tasks if t.lost > 0), key=lambda t: (field_rank.get(t.group_code, 99), -t.lost))
    rest = [t for t in tasks if t.lost <= 0]
    return lost, rest


def build_annual(inputs: PlanInputs) -> tuple[PlanDocument, list[CriterionTask], Goal]:
    groups = lost_tasks(inputs.result, inputs.ctx)
    goal = decide_goal(inputs, groups)
    chosen = set(goal.chosen)
    priority_leaves = {code for g in groups for t in g.tasks if t.key in chosen for code in t.codes}
    tasks = criterion_tasks(inputs.result, inputs.ctx)
    lost, rest = ordered(tasks, groups)
    profile = inputs.profile
    year, plan_year = inputs.year, inputs.plan_year
    doc = PlanDocument(
        letterhead=letterhead(inputs), year=document_year(inputs), kind_title="Kế hoạch",
        summary=f"Cải cách hành chính năm {plan_year} của {profile.short_name}",
        bases=plan_bases(inputs, profile.annual.bases) if published(inputs) else profile.annual.bases,
        signature=signature(inputs), attached_to=attached_to(inputs),
    )
    if published(inputs):
        doc.para(f"{result_sentence(inputs, groups)} {profile.issuer} ban hành Kế hoạch cải cách hành chính năm "
                 f"{plan_year} với những nội dung sau:")
    else:  # signed before the year's index is published: the plan cannot cite its result
        doc.notes.append(f"Kế hoạch ký trước khi công bố Chỉ số năm {year}: văn bản không nêu kết quả năm {year}; "
                         f"các nội dung “chưa đạt năm {year}” theo kết quả tự đánh giá.")
        doc.para(f"{profile.issuer} ban hành Kế hoạch cải cách hành chính năm {plan_year} với những nội dung sau:")
    doc.heading("I. MỤC TIÊU, YÊU CẦU VÀ CHỈ TIÊU")
    doc.heading("1. Mục tiêu", 2)
    doc.para(f"Thực hiện đồng bộ, có hiệu quả các nhiệm vụ cải cách hành chính năm {plan_year} theo Bộ chỉ số "
             f"đánh giá; khắc phục dứt điểm các nội dung bị mất điểm năm {year}; nâng cao chất lượng phục vụ "
             f"người dân, tổ chức.")
    doc.para(goal_sentence(inputs, goal),
             notes=[f"Cơ sở xác định mục tiêu (không in trong văn bản): {' '.join(basis_lines(inputs, goal))}"])
    for other in inputs.others:
        doc.para(f"Nâng {other.title} lên ít nhất {points(other.target)}/{points(other.max)} điểm "
                 f"(năm {other.rubric.year}: {points(other.points)} điểm).")
    doc.heading("2. Yêu cầu", 2)
    doc.bullets([
        "Nhiệm vụ cụ thể, rõ sản phẩm, cơ quan chủ trì, cơ quan phối hợp và thời gian hoàn thành; gắn trách "
        "nhiệm người đứng đầu với kết quả thực hiện.",
        f"Ưu tiên các nhiệm vụ khắc phục điểm bị mất năm {year}; lưu trữ đầy đủ tài liệu kiểm chứng ngay khi "
        "thực hiện để phục vụ tự đánh giá, chấm điểm.",
        "Thường xuyên theo dõi, đôn đốc, kiểm tra; báo cáo kết quả định kỳ theo quy định.",
    ])
    n_targets = sum(len(t.targets) for t in tasks)
    doc.heading("3. Chỉ tiêu cụ thể", 2)
    doc.para(f"{count(n_targets)} chỉ tiêu theo các tiêu chí thành phần của Bộ chỉ số, thuộc "
             f"{count(len(inputs.rubric.nodes))} lĩnh vực (chi tiết tại Phụ lục I kèm theo).")

    doc.heading(f"II. NHIỆM VỤ CẢI CÁCH HÀNH CHÍNH NĂM {plan_year}")
    section = 0
    if lost:
        section += 1
        doc.heading(f"{section}. Nhiệm vụ trọng tâm: khắc phục các nội dung chưa đạt năm {year}", 2)
        for position, task in enumerate(lost, 1):
            _criterion(doc, task, position, year, priority_leaves)
    fields: dict[str, list[CriterionTask]] = {}
    for task in rest:
        fields.setdefault(task.group_code, []).append(task)
    for code, items in fields.items():
        section += 1
        doc.heading(f"{section}. Lĩnh vực “{items[0].group_name}”", 2)
        for position, task in enumerate(items, 1):
            _criterion(doc, task, position, year, priority_leaves)

    doc.heading("III. GIẢI PHÁP THỰC HIỆN")
    doc.bullets([
        "Tăng cường vai trò, trách nhiệm của người đứng đầu; xác định cải cách hành chính là nhiệm vụ trọng tâm, "
        "thường xuyên; gắn kết quả thực hiện với thi đua, khen thưởng.",
        "Đẩy mạnh thông tin, tuyên truyền về cải cách hành chính đến cán bộ, công chức và người dân.",
        "Bố trí đủ cán bộ, công chức và kinh phí để thực hiện các nhiệm vụ của Kế hoạch.",
        "Tăng cường ứng dụng công nghệ thông tin, chuyển đổi số trong giải quyết thủ tục hành chính và "
        "điều hành công việc.",
    ])
    _organisation(doc, inputs, lost + rest)
    doc.appendices.append(_targets_appendix(inputs, tasks, groups, priority_leaves))
    doc.appendices.append(_tasks_appendix(inputs, lost, fields, priority_leaves))
    return doc, lost + rest, goal


def published(inputs: PlanInputs) -> bool:
    """Was the evaluated year's index published when this plan is signed (an annual plan is
    usually signed in December, before it is)?"""
    if inputs.cal.plan_date is not None:
        return inputs.cal.is_published()
    return document_year(inputs) > inputs.year


def _flags(task: CriterionTask, priority_leaves: set[str], year: int) -> list[str]:
    flags = []
    if task.lost > 0:
        flags.append(f"Khắc phục nội dung chưa đạt năm {year}")
    if any(code in priority_leaves for code in task.leaves):
        flags.append("Nhiệm vụ ưu tiên")
    return flags


def task_notes(task: CriterionTask) -> list[str]:
    notes = [f"{DRAFT_MARK} (tiêu chí {task.code})."] if task.derived else []
    notes.extend(f"Vai trò “{role}” chưa có trong hồ sơ đơn vị (offices)." for role in task.assignment.unknown_roles)
    return notes + list(task.assignment.notes)


def _criterion(doc: PlanDocument, task: CriterionTask, position: int, year: int, priority_leaves: set[str]) -> None:
    doc.heading(f"{letter(position)}) {task.name}", 3)
    doc.bullet(f"{upper_first(task.action)}.", lead="Nhiệm vụ:", parts=task_parts(task.product, task.assignment),
               notes=task_notes(task))


def _organisation(doc: PlanDocument, inputs: PlanInputs, tasks: list[CriterionTask]) -> None:
    coordinator = office_short(inputs)
    doc.heading("IV. TỔ CHỨC THỰC HIỆN")
    by_office: dict[str, list[CriterionTask]] = {coordinator: []}
    for task in tasks:
        by_office.setdefault(task.assignment.lead, []).append(task)
    for number, (office, items) in enumerate(by_office.items(), 1):
        doc.heading(f"{number}. {office}", 2)
        if office == coordinator:
            doc.para(f"Là đầu mối theo dõi, đôn đốc, hướng dẫn thực hiện Kế hoạch; tổng hợp, báo cáo "
                     f"{report_to(inputs)} định kỳ hằng quý, 06 tháng, năm; tham mưu tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
                     f"năm {inputs.plan_year}.")
        if items:
            doc.para("Chủ trì thực hiện các nhiệm vụ của tiêu chí " + ", ".join(t.code for t in items)
                     + " (Phụ lục II); phối hợp với các bộ phận liên quan thực hiện các nhiệm vụ khác được phân công.")
    doc.para(closing_words(inputs, f"Kế hoạch cải cách hành chính năm {inputs.plan_year}"))


def _result_cell(inputs: PlanInputs, code: str) -> str:
    node = inputs.result.node(code)
    if node.status == "not_applicable":
        return "Không phát sinh"
    text = f"{points(node.points)}/{points(node.max)} điểm"
    return f"{text}\n(thiếu tài liệu)" if node.status == "missing" else text


def _targets_appendix(inputs: PlanInputs, tasks: list[CriterionTask], groups: list[TaskGroup],
                      priority_leaves: set[str]) -> Appendix:
    headers = tuple(h.format(year=inputs.year, plan=inputs.plan_year) for h in TARGET_HEADERS)
    if not published(inputs):
        headers = tuple(h.replace("Kết quả năm", "Tự đánh giá năm") for h in headers)
    lost_codes = {code for g in groups for t in g.tasks for code in t.codes}
    rows: list[tuple] = []
    bold: list[int] = []
    number = 0
    current = None
    field_number = 0
    for task in tasks:
        if task.group_code != current:
            current = task.group_code
            field_number += 1
            bold.append(len(rows))
            rows.append((Span(roman(field_number)), Span(task.group_name, len(headers) - 1, "left")))
        for code, level, lead in task.targets:
            number += 1
            node = inputs.rubric.by_code[code]
            note = []
            if code in priority_leaves:
                note.append("Ưu tiên")
            note.append("Khắc phục" if code in lost_codes else "Duy trì")
            rows.append((str(number), code, node.name, level, _result_cell(inputs, code), lead,
                         "\n".join(note)))
    for other in inputs.others:
        field_number += 1
        bold.append(len(rows))
        rows.append((Span(roman(field_number)), Span(other.title, len(headers) - 1, "left")))
        for c in other.components:
            number += 1
            now = f"{points(c.points)}/{points(c.max)} điểm\n(năm {other.rubric.year})" if c.points is not None \
                else "Chưa có kết quả"
            rows.append((str(number), c.code, c.name, f"Từ {points(c.target)}/{points(c.max)} điểm", now,
                         c.assignment.lead, "Theo hồ sơ đơn vị" if c.target_set else "Mục tiêu dự thảo"))
    title = f"Mục tiêu, chỉ tiêu cải cách hành chính năm {inputs.plan_year}"
    closing = f"Tổng cộng: {count(field_number)} nhóm chỉ tiêu, {count(number)} chỉ tiêu./."
    return Appendix("Phụ lục I", title, TableSpec(headers, tuple(rows), TARGET_WIDTHS, TARGET_ALIGN, tuple(bold),
                                                  tuple(bold)),
                    closing)


def _tasks_appendix(inputs: PlanInputs, lost: list[CriterionTask], fields: dict[str, list[CriterionTask]],
                    priority_leaves: set[str]) -> Appendix:
    rows: list[tuple] = []
    bold: list[int] = []
    notes: list[tuple[int, int, str]] = []
    number = 0

    def add(task: CriterionTask) -> None:
        nonlocal number
        number += 1
        flags = _flags(task, priority_leaves, inputs.year)
        helpers = task.assignment.cooperate
        notes.extend((len(rows), 2, note) for note in task_notes(task))
        rows.append((str(number), f"{task.code}. {task.name}", f"{upper_first(task.action)}.", task.product,
                     task.assignment.lead, "\n".join(f"- {h}" for h in helpers) if len(helpers) > 1 else helpers[0],
                     task.assignment.timing, inputs.profile.budget.get(task.code, ""), "\n".join(flags)))

    group = 0
    if lost:
        group += 1
        bold.append(len(rows))
        rows.append((Span(roman(group)), Span(f"Khắc phục các nội dung chưa đạt năm {inputs.year}", 8, "left")))
        for task in lost:
            add(task)
    for items in fields.values():
        group += 1
        bold.append(len(rows))
        rows.append((Span(roman(group)), Span(items[0].group_name, 8, "left")))
        for task in items:
            add(task)
    title = f"Phân công thực hiện nhiệm vụ cải cách hành chính năm {inputs.plan_year}"
    closing = f"Tổng cộng: {count(len(inputs.rubric.nodes))} lĩnh vực, {count(number)} nhiệm vụ./."
    return Appendix("Phụ lục II", title, TableSpec(TASK_HEADERS, tuple(rows), TASK_WIDTHS, TASK_ALIGN, tuple(bold),
                                                   tuple(bold), cell_notes=tuple(notes), blank_columns=(7, 8)),
                    closing)
