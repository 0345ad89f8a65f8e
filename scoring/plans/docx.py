"""A ``PlanDocument`` (a plan or a Quyết định) as Word, in the NĐ 30/2020 layout, by filling a
Word template.

The shipped template (``scoring/office/templates/nd30.docx``) holds the layout of
``scoring.office.nd30``; a province passes its own restyled copy with ``--template``. Drafter's
notes become Word comments on the paragraph or table cell they concern, never text.
"""

from __future__ import annotations

from pathlib import Path

from scoring.office.docx_template import Template
from scoring.office.nd30_writer import Nd30Writer
from scoring.plans.document import Article, Bullet, Decides, Heading, Para, PlanDocument

TemplateArg = Template | str | Path | None


def render_docx_bytes(plan: PlanDocument, template: TemplateArg = None) -> bytes:
    """The .docx of ``plan`` (``template``: a restyled copy of the shipped one; None: the shipped one)."""
    return write_document(plan, template).to_bytes()


def save_docx(plan: PlanDocument, path: str | Path, template: TemplateArg = None) -> Path:
    """Write atomically: the .docx appears whole or not at all."""
    return write_document(plan, template).save(path)


def write_document(plan: PlanDocument, template: TemplateArg = None) -> Nd30Writer:
    doc = Nd30Writer(template)
    doc.letterhead(plan.letterhead, plan.year)
    doc.title(plan.kind_title, plan.summary, plan.notes)
    if plan.enacting:
        doc.centred(plan.enacting.upper())
    doc.bases(plan.bases)
    for block in plan.body:
        if isinstance(block, Heading):
            (doc.heading if block.level < 3 else doc.subheading)(block.text, block.notes)
        elif isinstance(block, Para):
            _with_lead(doc, block.lead, block.text, italic=block.italic, notes=block.notes)
        elif isinstance(block, Bullet):
            _with_lead(doc, block.lead, block.text, sign=block.sign, parts=block.parts, notes=block.notes)
        elif isinstance(block, Article):
            doc.article(block.number, block.text, block.notes)
        elif isinstance(block, Decides):
            doc.centred("QUYẾT ĐỊNH:", block.notes)
    doc.signature(plan.signature)
    for appendix in plan.appendices:
        doc.appendix(appendix.label, appendix.title, plan.attached_to)
        table = appendix.table
        doc.table(table.headers, table.rows, table.widths_cm, bold_rows=table.bold_rows, align=table.align,
                  keep_rows=table.group_rows, size=table.size, cell_notes=table.cell_notes)
        for line in appendix.footnotes:
            doc.footnote(line)
        if appendix.closing:
            doc.closing(appendix.closing)
    return doc


def _with_lead(doc: Nd30Writer, lead: str, text: str, *, italic: bool = False, sign: str = "",
               parts: tuple[tuple[str, str], ...] = (), notes: tuple[str, ...] = ()) -> None:
    if not lead and not parts:
        if sign:
            doc.bullet(text, sign, notes)
        else:
            doc.para(text, italic=italic, notes=notes)
        return
    runs = [(f"{sign} ", False, False)] if sign else []
    if lead:
        runs.append((f"{lead} ", True, False))
    runs.append((text, False, italic))
    for part_lead, part_text in parts:
        runs += [(f" {part_lead} ", True, False), (part_text, False, italic)]
    doc.line("body", runs, notes=notes)
