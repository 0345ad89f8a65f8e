"""Build the shipped Word template ``nd30.docx`` from the NĐ 30/2020 layout of ``scoring.office.nd30``.

    python -m scoring.office.templates.build          # rewrites scoring/office/templates/nd30.docx

The template is an ordinary .docx that a province's văn thư can open in Word or LibreOffice and
restyle (letterhead, motto, fonts, spacing, margins), then pass with ``--template``. Every
paragraph that holds a placeholder ``{{name}}`` is a sample: the renderer
(``scoring.office.docx_template``) copies its paragraph and character formatting for each line
of that kind. The order of the samples does not matter; a rule or a blank line after a
multi-line piece (letterhead, title, signature) travels with it, and after a one-line sample or
the appendix table with what comes next. The landscape section at the
end gives the appendices their page setup; the portrait one gives the main text its own.

The output is byte-for-byte reproducible (fixed zip dates and document properties), so the
committed file changes only when the layout does.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx.text.paragraph import Paragraph

from scoring.office import nd30

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "nd30.docx"
FIXED_TIME = dt.datetime(2026, 1, 1)


def _retext(paragraph: Paragraph, text: str) -> None:
    """Replace a paragraph's text with ``text`` in its first run (keeps that run's formatting)."""
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run._element.getparent().remove(run._element)


def _find(doc, start: str) -> Paragraph:
    for table in doc.tables:
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                if paragraph.text.startswith(start):
                    return paragraph
    raise LookupError(start)


def build_document():
    """The template as a python-docx document: every sample once, in a plan's order."""
    doc = nd30.new_document()
    head = nd30.Letterhead(issuer="{{issuer}}", parent="{{parent}}", number="{{number}}", place="@date@")
    nd30.add_letterhead(doc, head)
    _retext(_find(doc, "{{PARENT}}"), "{{parent}}")
    _retext(_find(doc, "{{ISSUER}}"), "{{issuer}}")
    _retext(_find(doc, "@date@"), "{{date_line}}")
    nd30.add_title(doc, "{{kind_title}}", "{{summary}}")
    _retext(doc.paragraphs[-4], "{{kind_title}}")  # add_title prints the kind in capitals
    nd30.enacting_formula(doc, "{{centred}}")
    _retext(doc.paragraphs[-1], "{{centred}}")
    nd30.add_bases(doc, ["{{basis}}"])
    _retext(doc.paragraphs[-1], "{{basis}}")
    nd30.heading(doc, "{{heading}}")
    nd30.subheading(doc, "{{subheading}}")
    body = nd30.body(doc, "{{body}}")
    nd30.add_signature(doc, nd30.Signature(authority=("{{authority}}",), signer="{{signer}}",
                                           recipients=("{{recipient}}",), archive="{{archive}}"))
    body.paragraph_format.keep_with_next = None  # the signature keeps the line above it; a sample must not
    _retext(_find(doc, "- {{recipient}}"), "{{recipient}}")
    _retext(_find(doc, "- {{archive}}"), "{{archive}}")
    _retext(_find(doc, "{{AUTHORITY}}"), "{{authority}}")
    nd30.add_landscape_section(doc)
    nd30.appendix_heading(doc, "{{appendix_label}}", "{{appendix_title}}", "{{attached_to}}")
    _retext(doc.paragraphs[-2], "{{appendix_title}}")
    _retext(doc.paragraphs[-1], "{{attached_to}}")
    nd30.add_table(doc, ["{{header}}"], [["{{cell}}"], ["{{bold_cell}}"]], [25.2], bold_rows=[1])
    nd30.paragraph(doc, "{{note}}", size=11, italic=True, space_after=2, align="left")
    nd30.paragraph(doc, "", space_after=0)
    nd30.paragraph(doc, "{{closing}}", italic=True, align="left")
    return doc


def reproducible(data: bytes) -> bytes:
    """The same .docx with fixed zip dates, so the committed file only changes with the layout."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def build(path: Path = TEMPLATE) -> Path:
    doc = build_document()
    props = doc.core_properties
    props.author, props.last_modified_by, props.title = "parindex", "parindex", "Mẫu văn bản NĐ 30/2020"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    path.write_bytes(reproducible(nd30.to_bytes(doc)))
    return path


if __name__ == "__main__":
    print(build())
