"""Word documents written by filling a Word template (``templates/nd30.docx``), in milliseconds.

The template is an ordinary .docx that a văn thư can open and restyle. Every paragraph of it that
holds a placeholder ``{{name}}`` is a *sample*. What follows a piece (below) up to the next
placeholder — a rule, a blank line — belongs to it; what follows a one-paragraph sample or the
appendix table belongs to the next piece. The renderer reads the template once (lxml) and keeps:

- *pieces* written as they are, with their placeholders filled: the letterhead table (``parent``,
  ``issuer``, ``number``, ``date_line``), the title (``kind_title``, ``summary``), the signature
  table (``recipient``, ``archive``, ``authority``, ``signer``) and the appendix heading
  (``appendix_label``, ``appendix_title``, ``attached_to``), the closing line under an appendix
  table with the blank line above it (``closing``). A paragraph whose whole text is one
  placeholder is repeated for each line of a list value and dropped for an empty list;
- *paragraph samples* whose paragraph and character formatting each written line copies:
  ``heading``, ``subheading``, ``body``, ``basis``, ``centred``, ``note`` (a line under a table); bold and italic runs derive from the sample's own run;
- the appendix *table*: its properties, the header row (``header``), a body row (``cell``) and a
  bold row (``bold_cell``); column widths and alignment come from the document;
- the two page setups: the portrait one (main text) and the landscape one (appendices).

Writing a document is then string joining: the body XML is built from those strings and zipped
with the template's other parts, which are compressed once per template (``Template.write``).
No python-docx object is built per paragraph; one plan takes a few milliseconds.
"""

from __future__ import annotations

import copy
import functools
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from docx.shared import Cm, Pt
from lxml import etree

from criteria.errors import InputError

DEFAULT_TEMPLATE = Path(__file__).resolve().parent / "templates" / "nd30.docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
COMMENTS = "word/comments.xml"
TYPES = "[Content_Types].xml"
RELS = "word/_rels/document.xml.rels"
_COMMENTS_TYPE = ('<Override PartName="/word/comments.xml" '
                  'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>')
_COMMENTS_REL = ('<Relationship Id="rIdParindexComments" Target="comments.xml" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"/>')
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
_NS_DECL = re.compile(r' xmlns:\w+="[^"]*"')
_MARK = re.compile(r"<!--@([a-z_]+)-->")
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)  # a template is someone's file
_ZIP_DATE = ((2026 - 1980) << 9) | (1 << 5) | 1  # 2026-01-01, the template's own date
PROTOTYPES = ("heading", "subheading", "body", "basis", "centred", "note")
COMPANIONS = {"kind_title": ("summary",), "appendix_label": ("appendix_title", "attached_to")}  # one piece each
REQUIRED = ("parent", "kind_title", "recipient", "appendix_label", "closing", "header", "cell", "bold_cell",
            *PROTOTYPES)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def escape(text: str) -> str:
    """XML text, in NFC (one spelling of each Vietnamese letter)."""
    text = unicodedata.normalize("NFC", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml(element: etree._Element) -> str:
    """An element as text without the namespace declarations the document's root already makes."""
    return _NS_DECL.sub("", etree.tostring(element, encoding="unicode"))


def _text(element: etree._Element) -> str:
    return "".join(t.text or "" for t in element.iter(_w("t")))


def _mend_split_placeholders(root: etree._Element) -> None:
    """Word may cut “{{name}}” into several runs after an edit: put such a paragraph's text back
    in its first run (the sample's formatting is that run's)."""
    for p in root.iter(_w("p")):
        texts = list(p.iter(_w("t")))
        joined = "".join(t.text or "" for t in texts)
        if "{{" not in joined or all(PLACEHOLDER.fullmatch(t.text or "") or "{{" not in (t.text or "")
                                     for t in texts):
            continue
        texts[0].text = joined
        for t in texts[1:]:
            t.getparent().remove(t)


# ---------------------------------------------------------------------- samples
def _set_flag(r_pr: etree._Element, tag: str, on: bool) -> None:
    """``<w:b/>`` or ``<w:b w:val="0"/>`` (explicit, as the NĐ 30 layout writes every run)."""
    element = r_pr.find(_w(tag))
    if element is None:
        element = etree.SubElement(r_pr, _w(tag))
        anchor = r_pr.find(_w("b")) if tag == "i" else r_pr.find(_w("rFonts"))
        r_pr.remove(element)
        if anchor is None:
            r_pr.insert(0, element)
        else:
            anchor.addnext(element)
    element.attrib.pop(_w("val"), None)
    if not on:
        element.set(_w("val"), "0")


def _with_size(r_pr: etree._Element, size: float) -> None:
    element = r_pr.find(_w("sz"))
    if element is None:
        element = etree.SubElement(r_pr, _w("sz"))
    element.set(_w("val"), str(int(Pt(size).pt * 2)))


@dataclass
class Sample:
    """A sample paragraph: its ``w:pPr`` and its first run's ``w:rPr``, in every variant used."""

    p_pr: etree._Element
    r_pr: etree._Element
    _cache: dict = field(default_factory=dict)

    @classmethod
    def of(cls, p: etree._Element) -> Sample:
        p_pr = p.find(_w("pPr"))
        run = p.find(_w("r"))
        r_pr = run.find(_w("rPr")) if run is not None else None
        return cls(copy.deepcopy(p_pr) if p_pr is not None else etree.Element(_w("pPr")),
                   copy.deepcopy(r_pr) if r_pr is not None else etree.Element(_w("rPr")))

    def paragraph_properties(self, keep: bool = False, align: str | None = None) -> str:
        key = ("p", keep, align)
        if key not in self._cache:
            p_pr = copy.deepcopy(self.p_pr)
            if keep and p_pr.find(_w("keepNext")) is None:
                element = etree.Element(_w("keepNext"))
                style = p_pr.find(_w("pStyle"))
                if style is None:
                    p_pr.insert(0, element)
                else:
                    style.addnext(element)
            if align is not None:
                jc = p_pr.find(_w("jc"))
                if jc is None:
                    jc = etree.SubElement(p_pr, _w("jc"))
                jc.set(_w("val"), align)
            self._cache[key] = _xml(p_pr) if len(p_pr) else ""
        return self._cache[key]

    def run_properties(self, bold: bool | None = None, italic: bool | None = None, size: float | None = None) -> str:
        key = ("r", bold, italic, size)
        if key not in self._cache:
            r_pr = copy.deepcopy(self.r_pr)
            if bold is not None:
                _set_flag(r_pr, "b", bold)
            if italic is not None:
                _set_flag(r_pr, "i", italic)
            if size is not None:
                _with_size(r_pr, size)
            self._cache[key] = _xml(r_pr) if len(r_pr) else ""
        return self._cache[key]

    def run(self, text: str, bold: bool | None = None, italic: bool | None = None, size: float | None = None) -> str:
        """``w:r`` with ``text``; a tab or a line break inside becomes ``w:tab``/``w:br``."""
        if not text:  # an empty run, as python-docx writes one: no w:t
            return f"<w:r>{self.run_properties(bold, italic, size)}</w:r>"
        body = _breaks(escape(text))
        return f'<w:r>{self.run_properties(bold, italic, size)}<w:t xml:space="preserve">{body}</w:t></w:r>'

    def paragraph(self, runs: Iterable[tuple[str, bool | None, bool | None]] | str = "", *, keep: bool = False,
                  align: str | None = None, size: float | None = None, comments: Sequence[int] = ()) -> str:
        """A paragraph of this sample's look; ``runs`` a text, or (text, bold, italic) triples;
        ``comments``: the ids of Word comments anchored on its text."""
        if isinstance(runs, str):
            runs = [(runs, None, None)] if runs else []
        inner = "".join(self.run(text, bold, italic, size) for text, bold, italic in runs)
        if comments:
            inner = anchored(inner or self.run(""), comments)
        return f"<w:p>{self.paragraph_properties(keep, align)}{inner}</w:p>"


def anchored(runs: str, comments: Sequence[int]) -> str:
    """Runs inside the ranges of Word comments ``comments``, each with its reference mark after."""
    starts = "".join(f'<w:commentRangeStart w:id="{i}"/>' for i in comments)
    ends = "".join(f'<w:commentRangeEnd w:id="{i}"/><w:r><w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>'
                   f'<w:commentReference w:id="{i}"/></w:r>' for i in comments)
    return f"{starts}{runs}{ends}"


def comments_xml(notes: Sequence[str], author: str, initials: str, when: str) -> str:
    """``word/comments.xml`` holding ``notes`` (ids 0, 1, …), as python-docx writes a comment."""
    items = "".join(
        f'<w:comment w:id="{i}" w:author="{escape(author)}" w:initials="{escape(initials)}" w:date="{when}">'
        '<w:p><w:pPr><w:pStyle w:val="CommentText"/></w:pPr><w:r><w:rPr><w:rStyle w:val="CommentReference"/>'
        f'</w:rPr><w:annotationRef/></w:r><w:r><w:t xml:space="preserve">{escape(note)}</w:t></w:r></w:p></w:comment>'
        for i, note in enumerate(notes))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments xmlns:w="{W}">{items}</w:comments>'



# ---------------------------------------------------------------------- pieces
Value = str | Sequence[str] | None


@dataclass(frozen=True)
class Piece:
    """Template elements written as they are, placeholders filled (see the module's doc)."""

    parts: tuple[str, ...]  # literal, placeholder name, literal, …  (odd indices: names)
    lines: dict[str, str]  # a whole-paragraph placeholder → that paragraph's XML
    marks: dict[str, str]  # … and the placeholder's exact spelling in it

    @classmethod
    def of(cls, elements: Sequence[etree._Element]) -> Piece:
        lines: dict[str, str] = {}
        marks: dict[str, str] = {}
        text = []
        for element in elements:
            element = copy.deepcopy(element)
            paragraphs = [element] if element.tag == _w("p") else list(element.iter(_w("p")))
            for p in paragraphs:
                match = PLACEHOLDER.fullmatch(_text(p).strip())
                if match:
                    lines[match.group(1)] = _xml(p)
                    marks[match.group(1)] = PLACEHOLDER.search(lines[match.group(1)]).group(0)
                    mark = etree.Comment(f"@{match.group(1)}")
                    if p is element:
                        element = mark
                    else:
                        p.getparent().replace(p, mark)
            text.append(_xml(element) if not isinstance(element, etree._Comment) else f"<!--{element.text}-->")
        joined = _MARK.sub(lambda m: "{{" + "@" + m.group(1) + "}}", "".join(text))
        parts = re.split(r"\{\{\s*(@?[a-z_]+)\s*\}\}", joined)
        return cls(tuple(parts), lines, marks)

    def fill(self, values: dict[str, Value]) -> str:
        out = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
            elif part.startswith("@"):
                name = part[1:]
                value = values.get(name)
                items = [value] if isinstance(value, str) else list(value or ())
                line = self.lines[name]
                out.extend(line.replace(self.marks[name], _breaks(escape(item))) if item else _emptied(line)
                           for item in items)
            else:
                value = values.get(part)
                out.append(_breaks(escape(value if isinstance(value, str) else "".join(value or ()))))
        return "".join(out)


def _breaks(text: str) -> str:
    """A line break or tab inside a run's text, as Word writes it."""
    if "\n" in text or "\t" in text:
        text = text.replace("\t", '</w:t><w:tab/><w:t xml:space="preserve">').replace(
            "\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return text


def _emptied(line: str) -> str:
    """A paragraph of a list placeholder given "": kept, without its run (a blank line)."""
    return re.sub(r"<w:r>.*</w:r>|<w:r .*</w:r>", "", line, flags=re.DOTALL)


@dataclass(frozen=True)
class TableSample:
    properties: str  # w:tblPr
    header_row: str  # w:trPr of the header row
    row: str  # w:trPr of a body row
    cell_properties: str  # w:tcPr without width and span (the {width} slot first)
    header: Sample
    cell: Sample
    bold_cell: Sample


def _cell_properties(tc: etree._Element) -> str:
    tc_pr = copy.deepcopy(tc.find(_w("tcPr")))
    if tc_pr is None:
        return "<w:tcPr>{width}</w:tcPr>"
    for tag in ("tcW", "gridSpan"):
        for element in tc_pr.findall(_w(tag)):
            tc_pr.remove(element)
    rest = "".join(_xml(child) for child in tc_pr)
    return "<w:tcPr>{width}" + rest + "</w:tcPr>"


def _table_sample(tbl: etree._Element) -> tuple[TableSample | None, set[str]]:
    """The appendix table's sample, or None; and the placeholders found in its cells."""
    rows = tbl.findall(_w("tr"))
    found: dict[str, etree._Element] = {}
    for tc in tbl.iter(_w("tc")):
        for p in tc.iter(_w("p")):
            match = PLACEHOLDER.fullmatch(_text(p).strip())
            if match:
                found[match.group(1)] = p
    if any(name not in found for name in ("header", "cell", "bold_cell")) or len(rows) < 2:
        return None, set(found)

    def tr_pr(row: etree._Element) -> str:
        element = row.find(_w("trPr"))
        return _xml(element) if element is not None else ""

    sample = TableSample(_xml(tbl.find(_w("tblPr"))), tr_pr(rows[0]), tr_pr(rows[1]),
                         _cell_properties(next(found["cell"].iterancestors(_w("tc")))),
                         Sample.of(found["header"]), Sample.of(found["cell"]), Sample.of(found["bold_cell"]))
    return sample, set(found)


# ---------------------------------------------------------------------- zip
@dataclass(frozen=True)
class _Entry:
    name: bytes
    crc: int
    data: bytes  # raw deflate
    size: int

    @classmethod
    def of(cls, name: str, data: bytes, level: int = 6) -> _Entry:
        squeeze = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name.encode(), zlib.crc32(data), squeeze.compress(data) + squeeze.flush(), len(data))


def _zip(entries: Sequence[_Entry]) -> bytes:
    """A zip of already-compressed entries (deflate, fixed date): what zipfile would write."""
    out, central = bytearray(), bytearray()
    for e in entries:
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, _ZIP_DATE, e.crc, len(e.data), e.size,
                           len(e.name), 0)
        out += e.name
        out += e.data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, _ZIP_DATE, e.crc, len(e.data),
                               e.size, len(e.name), 0, 0, 0, 0, 0, offset)
        central += e.name
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(out), 0)
    return bytes(out + central + end)


# ---------------------------------------------------------------------- template
@dataclass(frozen=True)
class Template:
    """A Word template read once: pieces, samples, table, page setups and the other parts."""

    path: Path
    head: str  # XML before the body's content
    portrait: str  # w:sectPr of the main text
    landscape: str  # w:sectPr of the appendices
    pieces: dict[str, Piece]
    samples: dict[str, Sample]
    table: TableSample
    parts: tuple[_Entry, ...]  # every part but the body, compressed
    document_at: int  # where word/document.xml goes among them
    commented: tuple[_Entry, ...]  # the same parts declaring word/comments.xml

    def sample(self, name: str) -> Sample:
        return self.samples[name]

    def body_xml(self, body: Sequence[str], landscape_end: bool) -> str:
        sect = self.landscape if landscape_end else self.portrait
        return f"{self.head}{''.join(body)}{sect}</w:body></w:document>"

    def section_break(self, landscape_before: bool) -> str:
        """The empty paragraph that ends a section (holding that section's page setup)."""
        return f"<w:p><w:pPr>{self.landscape if landscape_before else self.portrait}</w:pPr></w:p>"

    def write(self, document_xml: str, comments: str | None = None) -> bytes:
        """The .docx: the template's parts and this body (and ``comments``, a comments.xml)."""
        entries = list(self.commented if comments is not None else self.parts)
        entries.insert(self.document_at, _Entry.of(DOCUMENT, document_xml.encode("utf-8"), level=1))
        if comments is not None:
            entries.append(_Entry.of(COMMENTS, comments.encode("utf-8"), level=1))
        return _zip(entries)


def _bad_template(path: Path, why: str) -> InputError:
    return InputError.single(str(path), "", f"mẫu văn bản không dùng được: {why}")


@functools.lru_cache(maxsize=8)
def _load(path: Path, stamp: tuple[int, int]) -> Template:
    try:
        with zipfile.ZipFile(path) as archive:
            order = archive.namelist()
            blobs = {name: archive.read(name) for name in order}
    except (OSError, zipfile.BadZipFile) as exc:
        raise _bad_template(path, f"không đọc được tệp .docx ({exc.__class__.__name__})") from None
    if DOCUMENT not in blobs:
        raise _bad_template(path, "thiếu word/document.xml")
    try:
        root = etree.fromstring(blobs[DOCUMENT], _SAFE)
    except etree.XMLSyntaxError as exc:
        raise _bad_template(path, f"word/document.xml hỏng ({exc.msg})") from None
    _mend_split_placeholders(root)
    body = root.find(_w("body"))
    children = list(body)
    if not children or children[-1].tag != _w("sectPr"):
        raise _bad_template(path, "thiếu thiết lập trang ở cuối văn bản")
    landscape = _xml(children[-1])
    breaks = [c for c in children[:-1] if c.tag == _w("p") and c.find(f"{_w('pPr')}/{_w('sectPr')}") is not None]
    if len(breaks) != 1:
        raise _bad_template(path, "cần đúng hai phần: văn bản (trang dọc) và phụ lục (trang ngang)")
    portrait = _xml(breaks[0].find(f"{_w('pPr')}/{_w('sectPr')}"))
    groups: list[tuple[str, list[etree._Element]]] = [("prelude", [])]
    held: list[etree._Element] = []
    table, in_table = None, set()
    for child in children[:-1]:
        if child is breaks[0]:
            continue
        names = PLACEHOLDER.findall(_text(child))
        if child.tag == _w("tbl") and "header" in names:
            table, in_table = _table_sample(child)
            groups.append(("table", []))
            continue
        if names and all(name in COMPANIONS.get(groups[-1][0], ()) for name in names):
            groups[-1][1].append(child)
        elif names:
            groups.append((names[0], held + [child]))
            held = []
        elif groups[-1][0] == "table" or groups[-1][0] in PROTOTYPES:
            held.append(child)  # a sample is one paragraph: what follows it belongs to the next piece
        else:
            groups[-1][1].append(child)
    pieces = {name: Piece.of(elements) for name, elements in groups if name != "table"}
    samples = {}
    for name, elements in groups:
        if name in PROTOTYPES:
            p = next(e for e in elements if PLACEHOLDER.search(_text(e)))
            samples[name] = Sample.of(p)
    found = set(pieces) | set(samples) | (in_table if table is not None else set())
    missing = [name for name in REQUIRED if name not in found]
    if missing:
        raise _bad_template(path, "thiếu chỗ điền " + ", ".join("{{" + m + "}}" for m in missing))
    xml = etree.tostring(root, encoding="unicode")
    head = xml[: xml.index(">", xml.index("<w:body")) + 1]
    if not head.startswith("<?xml"):
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + head
    blobs.pop(COMMENTS, None)  # a template's own comments are instructions to whoever restyles it
    order = [name for name in order if name != COMMENTS]
    parts = tuple(_Entry.of(name, blobs[name]) for name in order if name != DOCUMENT)
    declared = dict(blobs)
    if b"/word/comments.xml" not in declared[TYPES]:
        declared[TYPES] = declared[TYPES].replace(b"</Types>", _COMMENTS_TYPE.encode() + b"</Types>")
    if b'Target="comments.xml"' not in declared[RELS]:
        declared[RELS] = declared[RELS].replace(b"</Relationships>", _COMMENTS_REL.encode() + b"</Relationships>")
    commented = tuple(_Entry.of(name, declared[name]) if name in (TYPES, RELS) else entry
                      for name, entry in zip((n for n in order if n != DOCUMENT), parts))
    return Template(path, head, portrait, landscape, pieces, samples, table, parts,  # type: ignore[arg-type]
                    order.index(DOCUMENT), commented)


def load_template(path: str | Path | None = None) -> Template:
    """The template at ``path`` (default: the shipped NĐ 30 one), read once per process and file version."""
    path = Path(path) if path is not None else DEFAULT_TEMPLATE
    try:
        stat = path.stat()
    except OSError:
        raise InputError.single(str(path), "", "không tìm thấy tệp mẫu văn bản (.docx)") from None
    return _load(path.resolve(), (stat.st_mtime_ns, stat.st_size))


def twips(cm: float) -> int:
    return int(Cm(cm).twips)
