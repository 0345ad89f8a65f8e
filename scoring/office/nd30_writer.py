"""The NĐ 30/2020 layout of ``scoring.office.nd30``, written through a Word template in milliseconds.

``Nd30Writer`` has the same vocabulary as ``nd30`` (letterhead, title, căn cứ, headings, bullets,
articles, signature, landscape appendices with a repeated header row) but every line copies the
formatting of a sample paragraph of the template (``scoring.office.docx_template``), so a
province's văn thư restyles the documents by editing one .docx, and a plan is written without
building python-docx objects.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scoring.office.atomic import write_atomic
from scoring.office.docx_template import Sample, Template, load_template, twips
from scoring.office.nd30 import Letterhead, Signature, Span, date_line, issuer_lines

Run = tuple[str, "bool | None", "bool | None"]  # text, bold, italic (None: the sample's)
_ALIGN = {"justify": "both", "center": "center", "left": "left", "right": "right"}


class Nd30Writer:
    """One document: call the parts in reading order, then ``to_bytes`` or ``save``."""

    def __init__(self, template: Template | str | Path | None = None) -> None:
        self.t = template if isinstance(template, Template) else load_template(template)
        self.body: list[str] = []
        self.landscape = False  # the current section
        self._last: tuple[int, Sample, list[Run]] | None = None  # the last body paragraph (for keep-with-next)

    # ------------------------------------------------------------------ fixed pieces
    def letterhead(self, head: Letterhead, year: int | None = None) -> None:
        self.body.append(self.t.pieces["parent"].fill({
            "parent": [head.parent.upper()] if head.parent else [],
            "issuer": issuer_lines(head.issuer),
            "number": head.number or "Số:      /KH-UBND",
            "date_line": date_line(head.place, head.date, year),
        }))

    def title(self, kind: str, summary: str) -> None:
        self.body.append(self.t.pieces["kind_title"].fill({"kind_title": kind.upper(), "summary": summary}))

    def signature(self, signature: Signature) -> None:
        """Nơi nhận beside the signature block, the last line above kept on the same page."""
        if self._last is not None:
            index, sample, runs = self._last
            if index == len(self.body) - 1:
                self.body[index] = sample.paragraph(runs, keep=True)
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
    def line(self, sample: str, runs: Sequence[Run] | str, *, keep: bool = False) -> None:
        """A paragraph in the look of the template's ``{{sample}}``."""
        chosen = self.t.sample(sample)
        runs = [(runs, None, None)] if isinstance(runs, str) else list(runs)
        self._last = (len(self.body), chosen, runs)
        self.body.append(chosen.paragraph(runs, keep=keep))

    def bases(self, bases: Sequence[str]) -> None:
        """Căn cứ: one per line, each ending “;”, the last “.”."""
        cleaned = [b.strip().rstrip(";.") for b in bases if b.strip()]
        for position, base in enumerate(cleaned):
            self.line("basis", f"{base}{'.' if position == len(cleaned) - 1 else ';'}")

    def heading(self, text: str) -> None:
        self.line("heading", text)

    def subheading(self, text: str) -> None:
        self.line("subheading", text)

    def para(self, text: str, *, italic: bool = False) -> None:
        self.line("body", [(text, None, True if italic else None)])

    def bullet(self, text: str, sign: str = "-") -> None:
        self.line("body", f"{sign} {text}")

    def article(self, number: int, text: str) -> None:
        """“Điều 1.” in bold, then its text."""
        self.line("body", [(f"Điều {number}. ", True, None), (text, False, None)])

    def centred(self, text: str) -> None:
        """The authority line above the căn cứ, or “QUYẾT ĐỊNH:”."""
        self.line("centred", text)

    def closing(self, text: str) -> None:
        """The italic line under an appendix table (“Tổng cộng: …”), a blank line above it."""
        self.body.append(self.t.pieces["closing"].fill({"closing": text}))
        self._last = None

    # ------------------------------------------------------------------ tables
    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str | Span]], widths_cm: Sequence[float], *,
              align: Sequence[str] | None = None, bold_rows: Sequence[int] = (), keep_rows: Sequence[int] = (),
              size: float | None = None) -> None:
        """A bordered table whose header row repeats on every page; rows never split; ``keep_rows``
        stay with the row after them; a cell's “\\n” starts a new paragraph in the cell."""
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
                out.append(f"<w:tc>{props}{_cell(sample, span.text, index in bold, False, where, index in keep, size)}</w:tc>")
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
        return self.t.write(self.to_xml())

    def save(self, path: str | Path) -> Path:
        """Atomically: the .docx appears whole or not at all."""
        return write_atomic(path, self.to_bytes())


def _cell(sample: Sample, text: str, bold: bool | None, header: bool, align: str, keep: bool,
          size: float | None) -> str:
    jc = _ALIGN.get(align, align)
    return "".join(sample.paragraph([(line, True if header else bold, None)] if line else [], keep=keep,
                                    align=jc, size=size)
                   for line in text.split("\n"))

