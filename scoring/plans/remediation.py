"""The “Kế hoạch khắc phục tồn tại, hạn chế” (seeds 002 and 004): what was lost, in words, per
field in the rubric's order; the tasks (one per criterion and lead office); the offices with
their tasks (“Giao …:”); Nơi nhận and signature; the appendix table STT | Nội dung | Cơ quan chủ
trì | Cơ quan phối hợp | Thời gian thực hiện | Ghi chú, and on request a second appendix with the
points of each sub-criterion. What the drafter must check is a note (a Word comment), never text.
"""

from __future__ import annotations


from scoring.office.nd30 import Span
from scoring.plans.common import (
    PlanInputs, attached_to, basis_lines, decide_goal, document_year, goal_sentence, letterhead,
    office_short, plan_bases, points, report_to, result_sentence, roman, signature,
)
from scoring.plans.document import Appendix, PlanDocument, TableSpec
from scoring.plans.indices import OtherIndex
from scoring.plans.targets import Goal
from scoring.plans.tasks import (
    DRAFT_MARK, Task, TaskGroup, bonus_counted, lost_tasks, mark_priority, total_lost, upper_first,
)

HEADERS = ("STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú")
WIDTHS = (1.4, 11.0, 3.7, 3.9, 2.8, 2.4)  # 25,2 cm: A4 landscape inside NĐ 30 margins
ALIGN = ("center", "left", "left", "left", "center", "left")
DETAIL_HEADERS = ("STT", "Mã tiêu chí", "Tiêu chí thành phần", "Kết quả năm {year}", "Điểm tối đa", "Điểm đạt",
                  "Điểm bị mất", "Nhiệm vụ tại Phụ lục I")
DETAIL_WIDTHS = (1.2, 1.8, 7.4, 7.6, 1.8, 1.8, 1.8, 1.8)
DETAIL_ALIGN = ("center", "center", "left", "left", "center", "center", "center", "center")
OTHER_HEADERS = ("STT", "Chỉ số, nội dung", "Kết quả gần nhất", "Mục tiêu năm {plan}", "Cơ quan chủ trì",
                 "Cơ quan phối hợp", "Thời gian thực hiện", "Ghi chú")
OTHER_WIDTHS = (1.3, 7.0, 2.3, 2.3, 3.2, 3.3, 2.4, 3.4)
PRIORITY = "Nhiệm vụ ưu tiên"


def build_remediation(inputs: PlanInputs) -> tuple[PlanDocument, list[TaskGroup], Goal]:
    groups = lost_tasks(inputs.result, inputs.ctx)
    goal = decide_goal(inputs, groups)
    groups = mark_priority(groups, set(goal.chosen) if goal.target.kind != "all" else set())
    profile = inputs.profile
    year, plan_year = inputs.year, inputs.plan_year
    others = ", ".join(o.short for o in inputs.others)
    summary = (f"Khắc phục những tồn tại, hạn chế trong công tác cải cách hành chính năm {year}\n"
               f"và nâng cao Chỉ số cải cách hành chính{' và các chỉ số ' + others if others else ''} "
               f"năm {plan_year}")
    doc = PlanDocument(
        letterhead=letterhead(inputs), year=document_year(inputs), kind_title="Kế hoạch", summary=summary,
        bases=plan_bases(inputs, profile.remediation.bases), signature=signature(inputs),
        attached_to=attached_to(inputs),
    )
    if not inputs.cal.is_published():
        doc.notes.append(f"Kết quả Chỉ số năm {year} chưa được công bố vào ngày ký kế hoạch: kế hoạch khắc phục "
                         "ban hành sau Quyết định công bố; kiểm tra lại ngày ký.")
    if inputs.cal.published is None or not inputs.cal.published.number:
        doc.notes.append("Chưa có số, ngày của Quyết định công bố Chỉ số (hồ sơ đơn vị: publication, hoặc "
                         "--published): điền căn cứ trước khi trình ký.")
    doc.para(f"{result_sentence(inputs, groups)} Để khắc phục những tồn tại, hạn chế, nâng cao Chỉ số cải cách "
             f"hành chính năm {plan_year}, {profile.issuer} ban hành Kế hoạch với những nội dung sau:")
    _purpose(doc, inputs, groups, goal)
    numbers = _tasks(doc, inputs, groups)
    _organisation(doc, inputs, groups)
    labels = iter(("Phụ lục I", "Phụ lục II", "Phụ lục III"))
    several = bool(inputs.others) or inputs.detail
    doc.appendices.append(_appendix(inputs, groups, next(labels) if several else "Phụ lục"))
    if inputs.detail:
        doc.appendices.append(_detail_appendix(inputs, groups, numbers, next(labels)))
    if inputs.others:
        doc.appendices.append(_other_appendix(inputs, next(labels)))
    return doc, groups, goal


def _purpose(doc: PlanDocument, inputs: PlanInputs, groups: list[TaskGroup], goal: Goal) -> None:
    year, plan_year = inputs.year, inputs.plan_year
    short = inputs.profile.short_name
    doc.heading("I. MỤC ĐÍCH, YÊU CẦU")
    doc.heading("1. Mục đích", 2)
    if groups:
        doc.bullet(f"Khắc phục những tồn tại, hạn chế trong thực hiện Chỉ số cải cách hành chính năm {year} của "
                   f"{short}; không để các tiêu chí đã đạt điểm tối đa bị mất điểm trong năm {plan_year}.")
    else:
        doc.bullet(f"Giữ vững kết quả đạt điểm tối đa của Chỉ số cải cách hành chính năm {year}.")
    reasoning = " ".join(basis_lines(inputs, goal))
    bonus = bonus_counted(inputs.result)
    if bonus > 0:
        reasoning += (f" Tổng điểm năm {year} đã gồm {points(bonus)} điểm thưởng; mục tiêu không tính thêm điểm "
                      "thưởng năm sau.")
    doc.bullet(goal_sentence(inputs, goal), notes=[f"Cơ sở xác định mục tiêu (không in trong văn bản): {reasoning}"])
    for other in inputs.others:
        doc.bullet(f"Nâng {other.title} từ {points(other.points)}/{points(other.max)} điểm năm {other.rubric.year} lên "
                   f"từ {points(other.target)}/{points(other.max)} điểm năm {plan_year}.")
    doc.bullet("Nâng cao nhận thức, trách nhiệm của người đứng đầu và cán bộ, công chức trong thực hiện nhiệm vụ "
               "cải cách hành chính.")
    doc.heading("2. Yêu cầu", 2)
    doc.bullet("Các bộ phận, cán bộ, công chức được giao nhiệm vụ xác định rõ nguyên nhân, trách nhiệm đối với "
               "từng nội dung bị mất điểm; tổ chức thực hiện đúng nội dung, thời gian; cơ quan chủ trì chịu trách "
               "nhiệm về kết quả khắc phục.")
    if any(t.priority for g in groups for t in g.tasks):
        doc.bullet("Tập trung hoàn thành trước các nhiệm vụ ưu tiên (ghi tại Phụ lục) để đạt mục tiêu đề ra.")
    doc.bullet("Lưu trữ đầy đủ tài liệu kiểm chứng của từng tiêu chí ngay khi thực hiện, phục vụ tự đánh giá, "
               f"chấm điểm Chỉ số cải cách hành chính năm {plan_year}.")


def task_notes(task: Task) -> list[str]:
    """What the drafter must check about a task: never printed, a comment on it."""
    notes = []
    if task.derived:
        notes.append(f"{DRAFT_MARK} (tiêu chí {task.key}).")
    if task.explanation:
        notes.append(f"Đơn vị đã giải trình ({task.key}): {task.explanation.rstrip('.')}.")
    for role in task.assignment.unknown_roles:
        notes.append(f"Vai trò “{role}” chưa có trong hồ sơ đơn vị (offices): kiểm tra cơ quan chủ trì, phối hợp.")
    notes.extend(task.assignment.notes)
    return notes


def _group_title(group: TaskGroup) -> str:
    return "Các nội dung bị trừ điểm" if group.penalty else group.name


def _tasks(doc: PlanDocument, inputs: PlanInputs, groups: list[TaskGroup]) -> dict[str, int]:
    """Section II; returns each task's number in the appendix (by task key)."""
    doc.heading("II. NHIỆM VỤ VÀ GIẢI PHÁP")
    prefix = ""
    section = 0
    if inputs.others:
        section = 1
        doc.heading("1. Chỉ số cải cách hành chính (PAR INDEX)", 2)
        prefix = "1."
    numbers: dict[str, int] = {}
    if not groups:
        doc.para("Không có tiêu chí thành phần nào bị mất điểm; duy trì các nhiệm vụ theo Kế hoạch cải cách hành "
                 f"chính năm {inputs.plan_year}.")
    for number, group in enumerate(groups, 1):
        doc.heading(f"{prefix}{number}. {_group_title(group)}", 2)
        sentences = [s for t in group.tasks for s in t.shortfalls]
        doc.para(" ".join(f"{upper_first(s)}." for s in sentences), lead="Tồn tại, hạn chế:")
        doc.para("", lead="Nhiệm vụ, giải pháp:")
        for task in group.tasks:
            numbers[task.key] = len(numbers) + 1
            doc.bullet(f"{upper_first(task.action)}.", notes=task_notes(task))
    if groups:
        doc.para("(Có Phụ lục chi tiết các nhiệm vụ kèm theo)", italic=True)
    for offset, other in enumerate(inputs.others, section + 1):
        _other_section(doc, inputs, other, offset)
    return numbers


def _other_section(doc: PlanDocument, inputs: PlanInputs, other: OtherIndex, number: int) -> None:
    year, plan_year = other.rubric.year, inputs.plan_year
    notes = (["Mục tiêu của các nội dung chưa có mục tiêu trong hồ sơ đơn vị do dự thảo đề xuất: thu hẹp một nửa "
              "khoảng cách tới điểm tối đa, làm tròn lên 0,1 điểm; điều chỉnh nếu cần."]
             if any(not c.target_set for c in other.components) else [])
    doc.heading(f"{number}. {other.title}: năm {year} đạt {points(other.points)}/{points(other.max)} điểm", 2, notes)
    for position, c in enumerate(other.components, 1):
        now = f"năm {year} đạt {points(c.points)}/{points(c.max)} điểm" if c.points is not None else f"năm {year} chưa có kết quả"
        doc.heading(f"{number}.{position}. {c.name}: {now}; mục tiêu năm {plan_year} đạt từ "
                    f"{points(c.target)}/{points(c.max)} điểm trở lên", 3)
        doc.bullet(f"{upper_first(c.action)}.", lead="Nhiệm vụ:", parts=[
            ("Chủ trì:", f"{c.assignment.lead};"), ("phối hợp:", f"{', '.join(c.assignment.cooperate)};"),
            ("thời gian:", f"{c.assignment.timing}.")], notes=[DRAFT_MARK + "."] if c.derived else [])


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


def _about(tasks: list[Task]) -> str:
    """“tỷ lệ hồ sơ TTHC giải quyết trễ hạn; …”: what a group of tasks is about, in words."""
    names = list(dict.fromkeys(t.name for t in tasks))
    return "; ".join(n[:1].lower() + n[1:] if n[:1].isupper() and not n[1:2].isupper() else n for n in names)


def _helps(helps: list[Task]) -> list[str]:
    by_lead: dict[str, list[Task]] = {}
    for task in helps:
        by_lead.setdefault(task.lead, []).append(task)
    return [f"Phối hợp với {lead} thực hiện các nhiệm vụ về {_about(tasks)}." for lead, tasks in by_lead.items()]


def _other_lines(inputs: PlanInputs, office: str) -> list[str]:
    lines = []
    for other in inputs.others:
        for c in other.components:
            if c.assignment.lead == office:
                lines.append(f"Chủ trì {c.action[:1].lower() + c.action[1:]} ({other.short}: {c.name}).")
            elif office in c.assignment.cooperate:
                lines.append(f"Phối hợp với {c.assignment.lead} nâng cao {other.short}: {c.name}.")
    return lines


def _organisation(doc: PlanDocument, inputs: PlanInputs, groups: list[TaskGroup]) -> None:
    """III: “Giao <office>:” with its tasks in words — the coordinating office first, then each
    office that leads tasks, then the offices that only help. The chairman directs; he is not
    an office here."""
    coordinator = office_short(inputs)
    offices = offices_of(groups)
    for other in inputs.others:
        for c in other.components:
            for office in (c.assignment.lead, *c.assignment.cooperate):
                offices.setdefault(office, ([], []))
    doc.heading("III. TỔ CHỨC THỰC HIỆN")
    number = 0
    helpers_only: list[tuple[str, list[Task]]] = []
    for office in [coordinator, *(o for o in offices if o != coordinator)]:
        leads, helps = offices.get(office, ([], []))
        extra = _other_lines(inputs, office)
        if office != coordinator and not leads and not any(line.startswith("Chủ trì") for line in extra):
            helpers_only.append((office, helps))
            continue
        number += 1
        doc.heading(f"{number}. Giao {office}:", 2)
        if office == coordinator:
            doc.bullet(f"Là cơ quan đầu mối theo dõi, đôn đốc, kiểm tra việc thực hiện Kế hoạch; tổng hợp kết quả "
                       f"khắc phục, báo cáo {report_to(inputs)} hằng quý (lồng ghép trong báo cáo cải cách hành "
                       f"chính định kỳ) và trước ngày 15/12/{inputs.plan_year}.")
        for task in leads:
            action = task.action[:1].lower() + task.action[1:]
            doc.bullet(f"Chủ trì {action}.")
        for line in _helps(helps) + extra:
            doc.bullet(line)
    if helpers_only:
        number += 1
        doc.heading(f"{number}. Các bộ phận, cán bộ, công chức có liên quan:", 2)
        for office, helps in helpers_only:
            leads = list(dict.fromkeys(t.lead for t in helps))
            others = [line[:1].lower() + line[1:].rstrip(".") for line in _other_lines(inputs, office)]
            what = [f"phối hợp với {', '.join(leads)} thực hiện các nhiệm vụ được giao tại Phụ lục"] if leads else []
            doc.bullet(f"{office}: {'; '.join(what + others)}.")
    profile = inputs.profile
    doc.para(f"Yêu cầu các bộ phận, cán bộ, công chức tập trung tổ chức thực hiện có hiệu quả Kế hoạch này. Trong "
             f"quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo {profile.issuer} (qua "
             f"{coordinator}) để xem xét, giải quyết./.")


def _appendix(inputs: PlanInputs, groups: list[TaskGroup], label: str) -> Appendix:
    rows: list[tuple] = []
    bold: list[int] = []
    notes: list[tuple[int, int, str]] = []
    number = 0
    for position, group in enumerate(groups, 1):
        bold.append(len(rows))
        rows.append((Span(roman(position)), Span(_group_title(group), len(HEADERS) - 1, "left")))
        for task in group.tasks:
            number += 1
            row = len(rows)
            helpers = "\n".join(f"- {h}" for h in task.cooperate) if len(task.cooperate) > 1 else task.cooperate[0]
            rows.append((str(number), f"{upper_first(task.action)}.", task.lead, helpers, task.timing,
                         PRIORITY if task.priority else ""))
            notes.extend((row, 1, note) for note in task_notes(task))
    title = f"Các nội dung cần khắc phục để nâng cao Chỉ số cải cách hành chính năm {inputs.plan_year}"
    return Appendix(label, title, TableSpec(HEADERS, tuple(rows), WIDTHS, ALIGN, tuple(bold), tuple(bold),
                                            cell_notes=tuple(notes), blank_columns=(5,)))


def _detail_appendix(inputs: PlanInputs, groups: list[TaskGroup], numbers: dict[str, int], label: str) -> Appendix:
    """One row per lost sub-criterion: what it reached, its points, the task that recovers it."""
    headers = tuple(h.format(year=inputs.year) for h in DETAIL_HEADERS)
    nodes = {n.code: n for n in inputs.result.nodes}
    rows: list[tuple] = []
    bold: list[int] = []
    number = 0
    for position, group in enumerate(groups, 1):
        bold.append(len(rows))
        rows.append((Span(roman(position)), Span(_group_title(group), len(headers) - 1, "left")))
        for task in group.tasks:
            for code, sentence in zip(task.codes, task.shortfalls):
                number += 1
                leaf = nodes[code]
                name = inputs.rubric.by_code[code].name
                got = points(leaf.points)
                lost = points(leaf.lost if not task.penalty else task.lost if len(task.codes) == 1 else leaf.lost)
                rows.append((str(number), code, name, f"{upper_first(sentence)}.", points(leaf.max), got, lost,
                             str(numbers[task.key])))
    bold.append(len(rows))
    rows.append((Span("Tổng cộng", 4, "center"), Span(f"{points(total_lost(groups))} điểm bị mất", 4, "center")))
    title = f"Chi tiết các tiêu chí thành phần bị mất điểm năm {inputs.year}"
    bonus = bonus_counted(inputs.result)
    footnotes = (f"Ghi chú: tổng điểm năm {inputs.year} đã gồm {points(bonus)} điểm thưởng; số điểm bị mất sau khi "
                 f"cộng điểm thưởng là {points(inputs.result.totals.lost)} điểm.",) if bonus > 0 else ()
    return Appendix(label, title, TableSpec(headers, tuple(rows), DETAIL_WIDTHS, DETAIL_ALIGN, tuple(bold),
                                            tuple(bold[:-1]), size=11), footnotes=footnotes)


def _other_appendix(inputs: PlanInputs, label: str) -> Appendix:
    headers = tuple(h.format(year=inputs.year, plan=inputs.plan_year) for h in OTHER_HEADERS)
    rows: list[tuple] = []
    bold: list[int] = []
    notes: list[tuple[int, int, str]] = []
    for position, other in enumerate(inputs.others, 1):
        bold.append(len(rows))
        rows.append((Span(roman(position)), Span(other.title, 3, "left"),
                     Span(f"Năm {other.rubric.year}: {points(other.points)}/{points(other.max)} điểm; mục tiêu năm "
                          f"{inputs.plan_year}: từ {points(other.target)} điểm", 4, "left")))
        for number, c in enumerate(other.components, 1):
            now = f"{points(c.points)}/{points(c.max)}" if c.points is not None else "Chưa có kết quả"
            if not c.target_set:
                notes.append((len(rows), 3, "Mục tiêu do dự thảo đề xuất: điều chỉnh nếu cần."))
            if c.derived:
                notes.append((len(rows), 1, DRAFT_MARK + "."))
            helpers = "\n".join(f"- {h}" for h in c.assignment.cooperate) if len(c.assignment.cooperate) > 1 else c.assignment.cooperate[0]
            rows.append((f"{number}", f"{c.name}:\n{upper_first(c.action)}.", now, f"Từ {points(c.target)}/{points(c.max)}",
                         c.assignment.lead, helpers, c.assignment.timing, ""))
    title = f"Mục tiêu nâng cao các chỉ số {', '.join(o.short for o in inputs.others)} năm {inputs.plan_year}"
    align = ("center", "left", "center", "center", "left", "left", "center", "left")
    return Appendix(label, title, TableSpec(headers, tuple(rows), OTHER_WIDTHS, align, tuple(bold), tuple(bold),
                                            cell_notes=tuple(notes), blank_columns=(7,)))
