"""The NĐ 30/2020 layout of ``scoring.office.nd30``, written through a Word template in milliseconds.

``Nd30Writer`` has the same vocabulary as ``nd30`` (letterhead, title, căn cứ, headings, bullets,
articles, signature, landscape appendices with a repeated header row) but every line copies the
formatting of a sample paragraph of the template (``scoring.office.docx_template``), so a
province's văn thư restyles the documents by editing one .docx, and a plan is written without
building python-docx objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from scoring.office.atomic import write_atomic
from scoring.office.docx_template import (
    Sample,
    Template,
    anchored,
    comments_xml,
    load_template,
    twips,
)
from scoring.office.nd30 import Letterhead, Signature, Span, date_line, issuer_lines

AUTHOR = "parindex (dự thảo)"  # who the drafter's notes (Word comments) are from
INITIALS = "PI"
Run = tuple[str, "bool | None", "bool | None"]  # text, bold, italic (None: the sample's)
_ALIGN = {"justify": "both", "center": "center", "left": "left", "right": "right"}


class Nd30Writer:
    """One document: call the parts in reading order, then ``to_bytes`` or ``save``."""

    def __init__(self, template: Template | str | Path | None = None) -> None:
        self.t = template if isinstance(template, Template) else load_template(template)
        self.body: list[str] = []
        self.landscape = False  # the current section
        self._last: tuple[int, Sample, list[Run], tuple[int, ...]] | None = None  # the last body paragraph
        self.notes: list[str] = []  # Word comments, by id

    def comment(self, notes: Sequence[str]) -> tuple[int, ...]:
        """Ids of new Word comments holding ``notes`` (to anchor on a paragraph or a cell)."""
        first = len(self.notes)
        self.notes.extend(notes)
        return tuple(range(first, len(self.notes)))

    # ------------------------------------------------------------------ fixed pieces
    def letterhead(self, head: Letterhead, year: int | None = None) -> None:
        self.body.append(self.t.pieces["parent"].fill({
            "parent": [head.parent.upper()] if head.parent else [],
            "issuer": issuer_lines(head.issuer),
            "number": head.number or "Số:      /KH-UBND",
            "date_line": date_line(head.place, head.date, year),
        }))

    def title(self, kind: str, summary: str, notes: Sequence[str] = ()) -> None:
        """“KẾ HOẠCH” and its summary; ``notes`` become comments on the first line."""
        xml = self.t.pieces["kind_title"].fill({"kind_title": kind.upper(), "summary": summary})
        if notes:
            start, end = xml.index("<w:r>"), xml.index("</w:p>")
            xml = xml[:start] + anchored(xml[start:end], self.comment(notes)) + xml[end:]
        self.body.append(xml)

    def signature(self, signature: Signature) -> None:
        """Nơi nhận beside the signature block, the last line above kept on the same page."""
        if self._last is not None:
            index, sample, runs, comments = self._last
            if index == len(self.body) - 1:
                self.body[index] = sample.paragraph(runs, keep=True, comments=comments)
        items = [r.strip().rstrip(";.") for r in signature.recipients if r.strip()]
        self.body.append(self.t.pieces["recipient"].fill({
            "recipient": [f"- {item};" for item in items],
            "archive": f"- {signature.archive.rstrip('.')}.",
            "authority": [text.upper() for text in signature.authority],
            "signer": signature.signer,
        }))
        self._last = None

    def appendix(self, label: str, title: str, attached_to: str) -> None:
        """A new landscape page and “Phụ lục I”, its title and “(Kèm theo …)”."""
        self.body.append(self.t.section_break(self.landscape))
        self.landscape = True
        self.body.append(self.t.pieces["appendix_label"].fill({
            "appendix_label": label, "appendix_title": title.upper(), "attached_to": f"({attached_to})"}))
        self._last = None

    # ------------------------------------------------------------------ paragraphs
    def line(self, sample: str, runs: Sequence[Run] | str, *, notes: Sequence[str] = ()) -> None:
        """A paragraph in the look of the template's ``{{sample}}``; ``notes``: Word comments on it."""
        chosen = self.t.sample(sample)
        runs = [(runs, None, None)] if isinstance(runs, str) else list(runs)
        comments = self.comment(notes)
        self._last = (len(self.body), chosen, runs, comments)
        self.body.append(chosen.paragraph(runs, comments=comments))

    def bases(self, bases: Sequence[str]) -> None:
        """Căn cứ: one per line, each ending “;”, the last “.”."""
        cleaned = [b.strip().rstrip(";.") for b in bases if b.strip()]
        for position, base in enumerate(cleaned):
            self.line("basis", f"{base}{'.' if position == len(cleaned) - 1 else ';'}")

    def heading(self, text: str, notes: Sequence[str] = ()) -> None:
        self.line("heading", text, notes=notes)

    def subheading(self, text: str, notes: Sequence[str] = ()) -> None:
        self.line("subheading", text, notes=notes)

    def para(self, text: str, *, italic: bool = False, notes: Sequence[str] = ()) -> None:
        self.line("body", [(text, None, True if italic else None)], notes=notes)

    def bullet(self, text: str, sign: str = "-", notes: Sequence[str] = ()) -> None:
        self.line("body", f"{sign} {text}", notes=notes)

    def article(self, number: int, text: str, notes: Sequence[str] = ()) -> None:
        """“Điều 1.” in bold, then its text."""
        self.line("body", [(f"Điều {number}. ", True, None), (text, False, None)], notes=notes)

    def centred(self, text: str, notes: Sequence[str] = ()) -> None:
        """The authority line above the căn cứ, or “QUYẾT ĐỊNH:”."""
        self.line("centred", text, notes=notes)

    def footnote(self, text: str, size: float | None = None) -> None:
        """An italic line under an appendix table (“Ghi chú: …”); ``size``: smaller than the sample's."""
        sample = self.t.sample("note")
        self._last = None
        self.body.append(sample.paragraph(text, size=size))

    def closing(self, text: str) -> None:
        """The italic line under an appendix table (“Tổng cộng: …”), a blank line above it."""
        self.body.append(self.t.pieces["closing"].fill({"closing": text}))
        self._last = None

    # ------------------------------------------------------------------ tables
    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str | Span]], widths_cm: Sequence[float], *,
              align: Sequence[str] | None = None, bold_rows: Sequence[int] = (), keep_rows: Sequence[int] = (),
              size: float | None = None, cell_notes: Sequence[tuple[int, int, str]] = ()) -> None:
        """A bordered table whose header row repeats on every page; rows never split; ``keep_rows``
        stay with the row after them; a cell's “\\n” starts a new paragraph in the cell;
        ``cell_notes`` (row of ``rows``, grid column, note): Word comments on that cell."""
        t = self.t.table
        width = len(headers)
        grid = "".join(f'<w:gridCol w:w="{twips(w)}"/>' for w in widths_cm)
        cell_props = [t.cell_properties.replace("{width}", f'<w:tcW w:type="dxa" w:w="{twips(w)}"/>')
                      for w in widths_cm]
        out = [f"<w:tbl>{t.properties}<w:tblGrid>{grid}</w:tblGrid><w:tr>{t.header_row}"]
        for column, text in enumerate(headers):
            out.append(f"<w:tc>{cell_props[column]}{_cell(t.header, str(text), None, True, 'center', False, size)}</w:tc>")
        out.append("</w:tr>")
        bold, keep = set(bold_rows), set(keep_rows)
        notes: dict[tuple[int, int], list[str]] = {}
        for row, column, note in cell_notes:
            notes.setdefault((row, column), []).append(note)
        for index, values in enumerate(rows):
            sample = t.bold_cell if index in bold else t.cell
            out.append(f"<w:tr>{t.row}")
            column = 0
            for value in values:
                span = value if isinstance(value, Span) else Span(str(value))
                if column + span.columns > width:
                    raise ValueError(f"hàng {index + 1} của bảng có nhiều ô hơn số cột ({width})")
                where = span.align or (align[column] if align else "left")
                if span.columns > 1:
                    props = t.cell_properties.replace("{width}", f'<w:tcW w:type="dxa" w:w="'
                                                      f'{twips(sum(widths_cm[column:column + span.columns]))}"/>'
                                                      f'<w:gridSpan w:val="{span.columns}"/>')
                else:
                    props = cell_props[column]
                ids = self.comment([note for c in range(column, column + span.columns)
                                    for note in notes.get((index, c), ())]) if notes else ()
                cell = _cell(sample, span.text, index in bold, False, where, index in keep, size, ids)
                out.append(f"<w:tc>{props}{cell}</w:tc>")
                column += span.columns
            if column != width:
                raise ValueError(f"hàng {index + 1} của bảng có {column} ô, cần {width}")
            out.append("</w:tr>")
        out.append("</w:tbl>")
        self.body.append("".join(out))
        self._last = None

    # ------------------------------------------------------------------ output
    def to_xml(self) -> str:
        return self.t.body_xml(self.body, self.landscape)

    def to_bytes(self) -> bytes:
        comments = comments_xml(self.notes, AUTHOR, INITIALS, _now()) if self.notes else None
        return self.t.write(self.to_xml(), comments)

    def save(self, path: str | Path) -> Path:
        """Atomically: the .docx appears whole or not at all."""
        return write_atomic(path, self.to_bytes())


def _cell(sample: Sample, text: str, bold: bool | None, header: bool, align: str, keep: bool,
          size: float | None, comments: Sequence[int] = ()) -> str:
    """A cell's paragraphs (one per line); ``comments`` anchored on all of them."""
    jc = _ALIGN.get(align, align)
    lines = [sample.paragraph([(line, True if header else bold, None)] if line else [], keep=keep, align=jc,
                              size=size) for line in text.split("\n")]
    if comments:
        first, last = lines[0], lines[-1]
        starts = "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in comments)
        lines[0] = first.replace("</w:pPr>", "</w:pPr>" + starts, 1) if "</w:pPr>" in first else \
            first.replace("<w:p>", "<w:p>" + starts, 1)
        last = lines[-1]
        lines[-1] = last[: -len("</w:p>")] + anchored("", comments).removeprefix(starts) + "</w:p>"
    return "".join(lines)



def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
