"""The files a unit downloads or uploads: the Excel sheet (pre-filled with its name), a filled
sheet read back into the draft with the sheet's cell-precise messages, the self-assessment
report (.docx) and the remediation-plan draft (.docx) — all by the project's own writers."""

from __future__ import annotations

import tempfile
from pathlib import Path

from criteria import InputError, Problem, Rubric
from scoring.office.nd30 import to_bytes
from scoring.office.xlsx_book import ReadBook
from scoring.office.xlsx_cells import workbook_bytes
from scoring.plans.api import draft as draft_plan
from scoring.plans.docx import render_docx_bytes
from scoring.plans.profile import Office, Profile, load_profile
from scoring.plans.scored import scored_from_sheet
from scoring.reports.docx import build_report
from scoring.result import ScoreSheet
from scoring.workbook.reader import SheetReader, template_meta
from scoring.workbook.template import build_template

from .paths import shipped


def workbook_for(rubric: Rubric, unit: str) -> bytes:
    return workbook_bytes(build_template(rubric, unit))


def read_workbook(rubric: Rubric, name: str, data: bytes) -> tuple[dict[str, str], dict[str, str],
                                                                       dict[str, list[dict[str, str]]]]:
    """A filled sheet → (cells as typed, giải trình, documents) by leaf code; the sheet's own
    reader checks it first, so a problem is named with its sheet and cell (``EvidenceError``)."""
    with tempfile.TemporaryDirectory(prefix="parindex-excel-") as folder:
        path = Path(folder) / Path(name).name
        path.write_bytes(data)
        book = ReadBook(path)
        meta = template_meta(book)
        if meta is None:
            raise InputError(Problem(Path(name).name, "", "không phải mẫu tự đánh giá do phần mềm tạo; "
                                                          "hãy tải mẫu Excel ở trang này rồi điền vào đó"))
        read = SheetReader(rubric, book, meta).read_all()  # raises with the cell-precise messages
    expl = {code: text for (_, code), text in read.explanations.items()}
    docs = {code: [{"number": d.number, "date": d.date, "summary": d.summary} for d in items]
            for (_, code), items in read.documents.items()}
    return {code: text for code, text in read.cells.items() if text}, expl, docs


def report_docx(sheet: ScoreSheet) -> bytes:
    return to_bytes(build_report(sheet, 0))


def profile_for_unit(unit: str) -> Profile:
    """The unit's profile from the examples (demo units), else a plain one built from its name."""
    for path in sorted(shipped("examples/profiles").glob("*.yaml")):
        profile = load_profile(path)
        if profile.unit == unit:
            return profile
    short = unit.removeprefix("UBND ").strip() or unit
    place = short.split(" ", 1)[-1] if " " in short else short
    office = "Văn phòng HĐND và UBND"
    return Profile(unit=unit, issuer=f"Ủy ban nhân dân {short}", short_name=short, place=place,
                   offices=(Office(name=office, roles=(office,)),), coordinator=office, default_office=office)


def plan_docx(rubric: Rubric, sheet: ScoreSheet, target: str | None) -> bytes:
    scored = scored_from_sheet(sheet, "cổng")
    unit = sheet.units[0]
    outcome = draft_plan(rubric, scored, unit, profile_for_unit(unit), kind="remediation", target=target)
    return render_docx_bytes(outcome.document)
