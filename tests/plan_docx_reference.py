"""The python-docx renderer of plans as it was before the Word template: the reference the
template-filled documents are compared with (tests/test_docx_template.py). Not used by the program.

Drafter's notes become Word comments on the paragraph or table cell they concern, never text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.text.paragraph import Paragraph

from scoring.office import nd30
from scoring.plans.document import Article, Bullet, Decides, Heading, Para, PlanDocument

AUTHOR = "parindex (dự thảo)"
INITIALS = "PI"


def comment(doc: DocxDocument, paragraphs: Sequence[Paragraph], notes: Sequence[str]) -> None:
    """Attach each note as a Word comment to the runs of ``paragraphs``."""
    runs = [run for para in paragraphs for run in para.runs]
    if not runs:
        runs = [paragraphs[-1].add_run("")] if paragraphs else []
    for note in notes:
        if runs:
            doc.add_comment(runs, text=note, author=AUTHOR, initials=INITIALS)


def render_docx(plan: PlanDocument) -> DocxDocument:
    doc = nd30.new_document()
    nd30.add_letterhead(doc, plan.letterhead, plan.year)
    title_at = len(doc.paragraphs)
    nd30.add_title(doc, plan.kind_title, plan.summary)
    if plan.notes:
        comment(doc, doc.paragraphs[title_at:title_at + 1], plan.notes)
    if plan.enacting:
        nd30.enacting_formula(doc, plan.enacting)
    nd30.add_bases(doc, plan.bases)
    for block in plan.body:
        if isinstance(block, Heading):
            para = (nd30.heading if block.level < 3 else nd30.subheading)(doc, block.text)
        elif isinstance(block, Para):
            para = _with_lead(doc, block.lead, block.text, italic=block.italic)
        elif isinstance(block, Bullet):
            para = _with_lead(doc, block.lead, block.text, sign=block.sign, parts=block.parts)
        elif isinstance(block, Article):
            para = nd30.article(doc, block.number, block.text)
        elif isinstance(block, Decides):
            nd30.decides(doc)
            para = doc.paragraphs[-1]
        else:  # pragma: no cover - every block type is handled above
            continue
        if block.notes:
            comment(doc, [para], block.notes)
    nd30.add_signature(doc, plan.signature)
    for appendix in plan.appendices:
        nd30.add_landscape_section(doc)
        nd30.appendix_heading(doc, appendix.label, appendix.title, plan.attached_to)
        table = appendix.table
        made = nd30.add_table(doc, table.headers, table.rows, table.widths_cm, bold_rows=table.bold_rows,
                              align=table.align, keep_rows=table.group_rows, size=table.size)
        for row, column, note in table.cell_notes:
            comment(doc, made.rows[row + 1].cells[column].paragraphs, [note])
        for line in appendix.footnotes:
            nd30.paragraph(doc, line, size=11, italic=True, space_after=2, align="left")
        if appendix.closing:
            nd30.paragraph(doc, "", space_after=0)
            nd30.paragraph(doc, appendix.closing, italic=True, align="left")
    return doc


def _with_lead(doc: DocxDocument, lead: str, text: str, *, italic: bool = False, sign: str = "",
               parts: tuple[tuple[str, str], ...] = ()) -> Paragraph:
    if not lead and not parts:
        if sign:
            return nd30.bullet(doc, text, sign)
        return nd30.body(doc, text, italic=italic)
    para = nd30.paragraph(doc, f"{sign} " if sign else "", indent=True)
    if lead:
        nd30.add_run(para, f"{lead} ", bold=True)
    nd30.add_run(para, text, italic=italic)
    for part_lead, part_text in parts:
        nd30.add_run(para, f" {part_lead} ", bold=True)
        nd30.add_run(para, part_text, italic=italic)
    return para


def save_docx(plan: PlanDocument, path: str | Path) -> Path:
    return nd30.save(render_docx(plan), path)
