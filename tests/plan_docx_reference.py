"""A ``PlanDocument`` as Word, in the NĐ 30/2020 layout of ``scoring.office.nd30``."""

from __future__ import annotations

from pathlib import Path

from docx.document import Document as DocxDocument

from scoring.office import nd30
from scoring.plans.document import Bullet, Heading, Para, PlanDocument


def render_docx(plan: PlanDocument) -> DocxDocument:
    doc = nd30.new_document()
    nd30.add_letterhead(doc, plan.letterhead, plan.year)
    nd30.add_title(doc, plan.kind_title, plan.summary)
    nd30.add_bases(doc, plan.bases)
    for block in plan.body:
        if isinstance(block, Heading):
            (nd30.heading if block.level < 3 else nd30.subheading)(doc, block.text)
        elif isinstance(block, Para):
            _with_lead(doc, block.lead, block.text, italic=block.italic)
        elif isinstance(block, Bullet):
            _with_lead(doc, block.lead, block.text, sign=block.sign, parts=block.parts)
    nd30.add_signature(doc, plan.signature)
    for appendix in plan.appendices:
        nd30.add_landscape_section(doc)
        nd30.appendix_heading(doc, appendix.label, appendix.title, plan.attached_to)
        table = appendix.table
        nd30.add_table(doc, table.headers, table.rows, table.widths_cm, bold_rows=table.bold_rows,
                       align=table.align, keep_rows=table.group_rows)
        if appendix.closing:
            nd30.paragraph(doc, "", space_after=0)
            nd30.paragraph(doc, appendix.closing, italic=True, align="left")
    return doc


def _with_lead(doc: DocxDocument, lead: str, text: str, *, italic: bool = False, sign: str = "",
               parts: tuple[tuple[str, str], ...] = ()) -> None:
    if not lead and not parts:
        if sign:
            nd30.bullet(doc, text, sign)
        else:
            nd30.body(doc, text, italic=italic)
        return
    para = nd30.paragraph(doc, f"{sign} " if sign else "", indent=True)
    if lead:
        nd30.add_run(para, f"{lead} ", bold=True)
    nd30.add_run(para, text, italic=italic)
    for part_lead, part_text in parts:
        nd30.add_run(para, f" {part_lead} ", bold=True)
        nd30.add_run(para, part_text, italic=italic)


def save_docx(plan: PlanDocument, path: str | Path) -> Path:
    return nd30.save(render_docx(plan), path)
