"""The “Kế hoạch khắc phục tồn tại, hạn chế”, in the shape of published ones (Kế hoạch 188/KH-UBND
ngày 30/12/2022 của UBND TP. Tây Ninh; Kế hoạch 43/KH-UBND ngày 21/02/2022 của UBND TP. Quy Nhơn): one task per lost
sub-criterion, grouped by field, with a target, its arithmetic, the tasks per office, and the
appendix table STT | Mã tiêu chí | Nội dung | Điểm bị mất | Chủ trì | Phối hợp | Thời gian | Ghi chú.
"""

from __future__ import annotations

from decimal import Decimal

from scoring.office.nd30 import Span
from scoring.plans.common import (
    PlanInputs, attached_to, basis_lines, count, decide_goal, document_year, goal_sentence, letter,
    closing_words, letterhead, office_short, points, report_to, result_sentence, roman, signature,
    task_parts,
)
from scoring.plans.document import Appendix, PlanDocument, TableSpec
from scoring.plans.indices import OtherIndex
from scoring.plans.targets import Goal
from scoring.plans.tasks import (
    DRAFT_MARK, Task, TaskGroup, bonus_counted, lost_tasks, mark_priority, total_lost, upper_first,
)

HEADERS = ("STT", "Mã tiêu chí", "Nội dung", "Điểm bị mất", "Cơ quan chủ trì", "Cơ quan phối hợp",
           "Thời gian thực hiện", "Ghi chú")
WIDTHS = (1.3, 1.6, 9.2, 1.7, 3.0, 3.2, 2.4, 2.8)  # 25,2 cm: A4 landscape inside NĐ 30 margins
ALIGN = ("center", "center", "left", "center", "left", "left", "center", "left")
OTHER_HEADERS = ("STT", "Chỉ số, nội dung", "Kết quả gần nhất", "Mục tiêu năm {plan}", "Cơ quan chủ trì",
                 "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú")
OTHER_WIDTHS = (1.3, 7.0, 2.3, 2.3, 3.2, 3.3, 2.4, 3.4)


def build_remediation(inputs: PlanInputs) -> tuple[PlanDocument, list[TaskGroup], Goal]:
    groups = lost_tasks(inputs.result, inputs.ctx)
    goal = decide_goal(inputs, groups)
    groups = mark_priority(groups, set(goal.chosen))
    profile = inputs.profile
    year, plan_year = inputs.year, inputs.plan_year
    others = ", ".join(o.short for o in inputs.others)
    summary = (f"Khắc phục những tồn tại, hạn chế trong công tác cải cách hành chính\nnăm {year} "
               f"và nâng cao Chỉ số cải cách hành chính{' và các chỉ số ' + others if others else ''} "
               f"năm {plan_year}")
    doc = PlanDocument(
        letterhead=letterhead(inputs), year=document_year(inputs), kind_title="Kế hoạch", summary=summary,
        bases=profile.remediation.bases, signature=signature(inputs), attached_to=attached_to(inputs),
    )
    doc.para(f"{result_sentence(inputs, groups)} Để khắc phục những tồn tại, hạn chế, nâng cao Chỉ số cải cách "
             f"hành chính năm {plan_year}, {profile.issuer} ban hành Kế hoạch với những nội dung sau:")
    _purpose(doc, inputs, groups, goal)
    _tasks(doc, inputs, groups)
    _organisation(doc, inputs, groups)
    label_main = "Phụ lục I" if inputs.others else "Phụ lục"
    doc.appendices.append(_appendix(inputs, groups, label_main))
    if inputs.others:
        doc.appendices.append(_other_appendix(inputs))
    return doc, groups, goal


def _purpose(doc: PlanDocument, inputs: PlanInputs, groups: list[TaskGroup], goal: Goal) -> None:
    t = inputs.result.totals
    year, plan_year = inputs.year, inputs.plan_year
    n_tasks = sum(len(g.tasks) for g in groups)
    doc.heading("I. MỤC ĐÍCH, YÊU CẦU")
    doc.heading("1. Mục đích", 2)
    bonus = bonus_counted(inputs.result)
    if n_tasks:
        after_bonus = (f"; sau khi cộng {points(bonus)} điểm thưởng, đơn vị mất {points(t.lost)} điểm"
                       if bonus > 0 else "")
        doc.bullet(f"Khắc phục {n_tasks} nội dung bị mất điểm của Chỉ số cải cách hành chính năm {year} "
                   f"({points(total_lost(groups))} điểm{after_bonus}), không để các tiêu chí đã đạt điểm tối đa "
                   f"bị mất điểm trong năm {plan_year}.")
    else:
        doc.bullet(f"Giữ vững kết quả đạt điểm tối đa của Chỉ số cải cách hành chính năm {year}.")
    doc.bullet(goal_sentence(inputs, goal))
    for other in inputs.others:
        doc.bullet(f"Nâng {other.title} từ {points(other.points)}/{points(other.max)} điểm năm {other.rubric.year} lên "
                   f"ít nhất {points(other.target)}/{points(other.max)} điểm năm {plan_year}.")
    doc.bullet("Nâng cao nhận thức, trách nhiệm của người đứng đầu và cán bộ, công chức trong thực hiện nhiệm vụ "
               "cải cách hành chính.")
    doc.heading("2. Yêu cầu", 2)
    doc.bullet("Mỗi nội dung bị mất điểm có nhiệm vụ cụ thể, cơ quan chủ trì, cơ quan phối hợp, thời gian thực "
               "hiện và sản phẩm; cơ quan chủ trì chịu trách nhiệm về kết quả khắc phục.")
    if goal.chosen:
        doc.bullet(f"Tập trung hoàn thành trước {len(goal.chosen)} nhiệm vụ ưu tiên để đạt mục tiêu đề ra.")
    doc.bullet("Lưu trữ đầy đủ tài liệu kiểm chứng của từng tiêu chí ngay khi thực hiện, phục vụ tự đánh giá, "
               f"chấm điểm Chỉ số cải cách hành chính năm {plan_year}.")
    doc.heading("3. Cơ sở xác định mục tiêu", 2)
    for line in basis_lines(inputs, goal):
        doc.para(line)
    if not t.max:
        doc.para("Không có tiêu chí nào được tính điểm trong năm đánh giá.")


def task_heading(task: Task) -> str:
    what = "Tiêu chí thành phần" if len(task.codes) == 1 else "Các tiêu chí thành phần"
    priority = " (nhiệm vụ ưu tiên)" if task.priority else ""
    return f"{what} {task.key} “{task.name}”{priority}"


def _tasks(doc: PlanDocument, inputs: PlanInputs, groups: list[TaskGroup]) -> None:
    doc.heading("II. NHIỆM VỤ VÀ GIẢI PHÁP")
    prefix = ""
    section = 0
    if inputs.others:
        section = 1
        doc.heading("1. Chỉ số cải cách hành chính (PAR INDEX)", 2)
        prefix = "1."
    if not groups:
        doc.para("Không có tiêu chí thành phần nào bị mất điểm; duy trì các nhiệm vụ theo Kế hoạch cải cách hành "
                 f"chính năm {inputs.plan_year}.")
    for number, group in enumerate(groups, 1):
        lost = (f"mất {points(group.lost)} điểm" if group.penalty
                else f"mất {points(group.lost)}/{points(group.max)} điểm")
        name = group.name if group.penalty else f"Lĩnh vực “{group.name}”"
        doc.heading(f"{prefix}{number}. {name}: {lost}", 2)
        for position, task in enumerate(group.tasks, 1):
            doc.heading(f"{letter(position)}) {task_heading(task)}", 3)
            doc.bullet(f"{upper_first(task.why)}.", lead="Tồn tại, hạn chế:")
            if task.explanation:
                doc.bullet(f"{upper_first(task.explanation.rstrip('.'))}.", lead="Đơn vị đã giải trình:")
            doc.bullet(f"{upper_first(task.action)}.", lead="Nhiệm vụ, giải pháp:",
                       parts=task_parts(task.product, task.assignment))
            if task.derived:
                doc.para(f"({DRAFT_MARK}.)", italic=True)
    for offset, other in enumerate(inputs.others, section + 1):
        _other_section(doc, inputs, other, offset)


def _other_section(doc: PlanDocument, inputs: PlanInputs, other: OtherIndex, number: int) -> None:
    year, plan_year = other.rubric.year, inputs.plan_year
    doc.heading(f"{number}. {other.title}: năm {year} đạt {points(other.points)}/{points(other.max)} điểm", 2)
    if any(not c.target_set for c in other.components):
        doc.para("Mục tiêu của các nội dung chưa có mục tiêu trong hồ sơ đơn vị do dự thảo đề xuất: thu hẹp một "
                 "nửa khoảng cách tới điểm tối đa, làm tròn lên 0,1 điểm; người soạn điều chỉnh nếu cần.", italic=True)
    for position, c in enumerate(other.components, 1):
        now = f"năm {year} đạt {points(c.points)}/{points(c.max)} điểm" if c.points is not None else f"năm {year} chưa có kết quả"
        doc.heading(f"{number}.{position}. Nội dung “{c.name}”: {now}; mục tiêu năm {plan_year} đạt từ "
                    f"{points(c.target)}/{points(c.max)} điểm trở lên", 3)
        doc.bullet(f"{upper_first(c.action)}.", lead="Nhiệm vụ:", parts=[
            ("Chủ trì:", f"{c.assignment.lead};"), ("phối hợp:", f"{', '.join(c.assignment.cooperate)};"),
            ("thời gian:", f"{c.assignment.timing}.")])
        if c.derived:
            doc.para(f"({DRAFT_MARK}.)", italic=True)


def code_order(code: str) -> tuple:
    """“1.10” after “1.9”: criterion codes in natural order."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.replace(",", ".").split("."))


def _codes(tasks: list[Task]) -> str:
    return "; ".join(sorted((t.key for t in tasks), key=code_order))


def _other_parts(inputs: PlanInputs, office: str, lead: bool) -> str:
    """“SIPAS (S1, S4); PAPI (P5)”: the other indices' components an office leads or helps."""
    parts = []
    for other in inputs.others:
        codes = [c.code for c in other.components
                 if (c.assignment.lead == office if lead else office in c.assignment.cooperate)]
        if codes:
            parts.append(f"{other.short} ({', '.join(codes)})")
    return "; ".join(parts)


def offices_of(groups: list[TaskGroup]) -> dict[str, tuple[list[Task], list[Task]]]:
    """Office → (tasks it leads, tasks it helps), offices in order of first appearance."""
    out: dict[str, tuple[list[Task], list[Task]]] = {}
    for group in groups:
        for task in group.tasks:
            out.setdefault(task.lead, ([], []))[0].append(task)
    for group in groups:
        for task in group.tasks:
            for helper in task.cooperate:
                out.setdefault(helper, ([], []))[1].append(task)
    return out


def _organisation(doc: PlanDocument, inputs: PlanInputs, groups: list[TaskGroup]) -> None:
    """III: the coordinating office first (its duty, then its tasks), every other lead office
    with its tasks, then the offices that only help."""
    coordinator = office_short(inputs)
    offices = offices_of(groups)
    for other in inputs.others:  # offices that only appear in the other indices' tasks
        for c in other.components:
            for office in (c.assignment.lead, *c.assignment.cooperate):
                offices.setdefault(office, ([], []))
    doc.heading("III. TỔ CHỨC THỰC HIỆN")
    number = 0
    for office in [coordinator, *(o for o in offices if o != coordinator)]:
        leads, helps = offices.get(office, ([], []))
        other_leads, other_helps = _other_parts(inputs, office, True), _other_parts(inputs, office, False)
        if office != coordinator and not leads and not other_leads:
            continue
        number += 1
        doc.heading(f"{number}. {office}", 2)
        if office == coordinator:
            doc.para(f"Là đầu mối theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; tổng hợp kết quả khắc phục, "
                     f"báo cáo {report_to(inputs)} hằng quý (lồng ghép trong báo cáo cải cách hành chính định kỳ) và trước "
                     f"ngày 15/12/{inputs.plan_year}.")
        if leads:
            doc.bullet(f"Chủ trì thực hiện các nhiệm vụ của tiêu chí {_codes(leads)}.")
        if other_leads:
            doc.bullet(f"Chủ trì thực hiện các nhiệm vụ nâng cao các chỉ số: {other_leads}.")
        if helps or other_helps:
            what = [f"của tiêu chí {_codes(helps)}"] if helps else []
            what += [f"nâng cao các chỉ số: {other_helps}"] if other_helps else []
            doc.bullet(f"Phối hợp thực hiện các nhiệm vụ {'; '.join(what)}.")
    helpers_only = [(o, helps) for o, (leads, helps) in offices.items()
                    if not leads and not _other_parts(inputs, o, True) and o != coordinator]
    if helpers_only:
        number += 1
        doc.heading(f"{number}. Các bộ phận, cán bộ, công chức phối hợp", 2)
        for office, helps in helpers_only:
            what = [f"của tiêu chí {_codes(helps)}"] if helps else []
            other = _other_parts(inputs, office, False)
            what += [f"nâng cao các chỉ số: {other}"] if other else []
            doc.bullet(f"{office}: phối hợp thực hiện các nhiệm vụ {'; '.join(what)}.")
    doc.para(closing_words(inputs, f"Kế hoạch khắc phục những tồn tại, hạn chế Chỉ số cải cách hành chính năm "
                                   f"{inputs.year} và nâng cao Chỉ số cải cách hành chính năm {inputs.plan_year}"))


def _notes(task: Task) -> str:
    notes = []
    if task.priority:
        notes.append("Ưu tiên (để đạt mục tiêu)")
    if task.derived:
        notes.append("Người soạn bổ sung: nhiệm vụ do dự thảo tự đề xuất")
    for role in task.assignment.unknown_roles:
        notes.append(f"“{role}”: chưa có trong hồ sơ đơn vị")
    notes.extend(task.assignment.notes)
    return "\n".join(notes) or "Lưu tài liệu kiểm chứng"


def _appendix(inputs: PlanInputs, groups: list[TaskGroup], label: str) -> Appendix:
    rows: list[tuple] = []
    bold: list[int] = []
    number = 0
    for position, group in enumerate(groups, 1):
        bold.append(len(rows))
        lost = (f"mất {points(group.lost)} điểm" if group.penalty
                else f"mất {points(group.lost)}/{points(group.max)} điểm")
        rows.append((Span(roman(position)), Span(f"{group.name} ({lost})", len(HEADERS) - 1, "left")))
        for task in group.tasks:
            number += 1
            content = f"{upper_first(task.action)}.\n(Năm {inputs.year}: {task.why}.)"
            helpers = "\n".join(f"- {h}" for h in task.cooperate) if len(task.cooperate) > 1 else task.cooperate[0]
            rows.append((str(number), task.key.replace(", ", ",\n"), content, points(task.lost), task.lead,
                         helpers, task.timing, _notes(task)))
    bonus = bonus_counted(inputs.result)
    if bonus > 0:
        rows.append((Span(f"Điểm thưởng năm {inputs.year} đã được cộng vào tổng điểm", 3), f"−{points(bonus)}",
                     Span("Duy trì các nội dung được thưởng", 4)))
    total = total_lost(groups) - max(bonus, Decimal(0))
    priority = sum(1 for g in groups for t in g.tasks if t.priority)
    bold.append(len(rows))
    rows.append((Span("Tổng cộng", 3, "center"), points(total),
                 Span(f"{count(number)} nhiệm vụ, trong đó {count(priority)} nhiệm vụ ưu tiên", 4)))
    title = f"Các nội dung cần khắc phục để nâng cao Chỉ số cải cách hành chính năm {inputs.plan_year}"
    fields = sum(1 for g in groups if not g.penalty)
    closing = f"Tổng cộng: {count(fields)} lĩnh vực, {count(number)} nhiệm vụ, {points(total)} điểm bị mất./."
    groups_rows = tuple(bold[:-1])
    return Appendix(label, title, TableSpec(HEADERS, tuple(rows), WIDTHS, ALIGN, tuple(bold), groups_rows), closing)


def _other_appendix(inputs: PlanInputs) -> Appendix:
    headers = tuple(h.format(year=inputs.year, plan=inputs.plan_year) for h in OTHER_HEADERS)
    rows: list[tuple] = []
    bold: list[int] = []
    for position, other in enumerate(inputs.others, 1):
        bold.append(len(rows))
        rows.append((Span(roman(position)), Span(other.title, 3, "left"),
                     Span(f"Năm {other.rubric.year}: {points(other.points)}/{points(other.max)} điểm; mục tiêu năm "
                          f"{inputs.plan_year}: từ {points(other.target)} điểm", 4, "left")))
        for number, c in enumerate(other.components, 1):
            now = f"{points(c.points)}/{points(c.max)}" if c.points is not None else "Chưa có kết quả"
            note = "Mục tiêu theo hồ sơ đơn vị" if c.target_set else "Mục tiêu dự thảo"
            if c.derived:
                note += "\nNgười soạn bổ sung nhiệm vụ"
            helpers = "\n".join(f"- {h}" for h in c.assignment.cooperate) if len(c.assignment.cooperate) > 1 else c.assignment.cooperate[0]
            rows.append((f"{number}", f"{c.name}:\n{upper_first(c.action)}.", now, f"Từ {points(c.target)}/{points(c.max)}",
                         c.assignment.lead, helpers, c.assignment.timing, note))
    title = f"Mục tiêu nâng cao các chỉ số {', '.join(o.short for o in inputs.others)} năm {inputs.plan_year}"
    align = ("center", "left", "center", "center", "left", "left", "center", "left")
    return Appendix("Phụ lục II", title, TableSpec(headers, tuple(rows), OTHER_WIDTHS, align, tuple(bold), tuple(bold)))
