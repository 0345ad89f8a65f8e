"""A ``PlanDocument`` as Word, in the NĐ 30/2020 layout, by filling a Word template.

The shipped template (``scoring/office/templates/nd30.docx``) holds the layout of
``scoring.office.nd30``; a province passes its own restyled copy with ``--template``.
"""

from __future__ import annotations

from pathlib import Path

from scoring.office.docx_template import Template
from scoring.office.nd30_writer import Nd30Writer
from scoring.plans.document import Bullet, Heading, Para, PlanDocument


def render_docx_bytes(plan: PlanDocument, template: Template | str | Path | None = None) -> bytes:
    return _write(plan, template).to_bytes()


def _write(plan: PlanDocument, template: Template | str | Path | None) -> Nd30Writer:
    doc = Nd30Writer(template)
    doc.letterhead(plan.letterhead, plan.year)
    doc.title(plan.kind_title, plan.summary)
    doc.bases(plan.bases)
    for block in plan.body:
        if isinstance(block, Heading):
            (doc.heading if block.level < 3 else doc.subheading)(block.text)
        elif isinstance(block, Para):
            _with_lead(doc, block.lead, block.text, italic=block.italic)
        elif isinstance(block, Bullet):
            _with_lead(doc, block.lead, block.text, sign=block.sign, parts=block.parts)
    doc.signature(plan.signature)
    for appendix in plan.appendices:
        doc.appendix(appendix.label, appendix.title, plan.attached_to)
        table = appendix.table
        doc.table(table.headers, table.rows, table.widths_cm, bold_rows=table.bold_rows, align=table.align,
                  keep_rows=table.group_rows)
        if appendix.closing:
            doc.closing(appendix.closing)
    return doc


def _with_lead(doc: Nd30Writer, lead: str, text: str, *, italic: bool = False, sign: str = "",
               parts: tuple[tuple[str, str], ...] = ()) -> None:
    if not lead and not parts:
        if sign:
            doc.bullet(text, sign)
        else:
            doc.para(text, italic=italic)
        return
    runs = [(f"{sign} ", False, False)] if sign else []
    if lead:
        runs.append((f"{lead} ", True, False))
    runs.append((text, False, italic))
    for part_lead, part_text in parts:
        runs += [(f" {part_lead} ", True, False), (part_text, False, italic)]
    doc.line("body", runs)


def save_docx(plan: PlanDocument, path: str | Path, template: Template | str | Path | None = None) -> Path:
    return _write(plan, template).save(path)
