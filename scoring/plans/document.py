"""A plan (or a Quyết định) as neutral blocks, written once and rendered twice: Word (NĐ 30
layout) and Markdown.

The builders decide the words; the renderers decide the looks. Nothing here knows about
python-docx.

The body holds only what an official signs. What the drafter must check travels beside the
text as *notes*: ``notes`` on a block, ``cell_notes`` on a table, ``notes`` on the document
(its date line, its căn cứ). Word shows them as comments on the text they concern; the command
prints them as a review list (``PlanDocument.review()``); Markdown lists them after the text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence, Union

from scoring.office.nd30 import Letterhead, Signature, Span


@dataclass(frozen=True)
class Heading:
    """“I. MỤC ĐÍCH, YÊU CẦU” (level 1), “1. …” (level 2), “1.1. …”/“a) …” (level 3)."""

    text: str
    level: int = 1
    notes: tuple[str, ...] = ()  # drafter's notes: Word comments on this paragraph, never text


@dataclass(frozen=True)
class Para:
    """A body paragraph; ``lead`` is printed bold before the text (“Thời gian thực hiện:”)."""

    text: str
    lead: str = ""
    italic: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Bullet:
    """“- …” (or “+ …”); ``parts`` are (bold lead, text) pairs that follow ``text`` on the
    same line: “- Giải pháp: … Sản phẩm: … Chủ trì: …”."""

    text: str
    sign: str = "-"
    lead: str = ""
    parts: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Article:
    """“Điều 1. …” of a Quyết định: “Điều N.” bold, then the text."""

    number: int
    text: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decides:
    """The centred bold “QUYẾT ĐỊNH:” between a decision's căn cứ and its articles."""

    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableSpec:
    headers: tuple[str, ...]
    rows: tuple[tuple[Union[str, Span], ...], ...]
    widths_cm: tuple[float, ...]
    align: tuple[str, ...]
    bold_rows: tuple[int, ...] = ()
    group_rows: tuple[int, ...] = ()  # headings of a group of rows: kept with the next row
    cell_notes: tuple[tuple[int, int, str], ...] = ()  # (row of ``rows``, grid column, drafter's note)
    size: float = 12  # font size of the cells
    blank_columns: tuple[int, ...] = ()  # columns a cell may leave empty (Ghi chú)

    def __post_init__(self) -> None:
        width = len(self.headers)
        if len(self.widths_cm) != width or len(self.align) != width:
            raise ValueError("bảng: số độ rộng/căn lề khác số cột")
        for number, row in enumerate(self.rows, 1):
            used = sum(c.columns if isinstance(c, Span) else 1 for c in row)
            if used != width:
                raise ValueError(f"bảng: hàng {number} có {used} ô, cần {width}")
            column = 0
            for cell in row:
                text = cell.text if isinstance(cell, Span) else cell
                if not str(text).strip() and column not in self.blank_columns:
                    raise ValueError(f"bảng: hàng {number} có ô trống")
                column += cell.columns if isinstance(cell, Span) else 1


@dataclass(frozen=True)
class Appendix:
    label: str  # “Phụ lục I”
    title: str
    table: TableSpec
    closing: str = ""  # “Tổng cộng: 05 lĩnh vực, 12 nhiệm vụ./.”
    footnotes: tuple[str, ...] = ()  # italic lines under the table (“Ghi chú: …”)


Block = Union[Heading, Para, Bullet, Article, Decides]


@dataclass
class PlanDocument:
    letterhead: Letterhead
    year: int | None  # shown in a blank date line
    kind_title: str  # “KẾ HOẠCH”
    summary: str
    bases: tuple[str, ...]
    body: list[Block] = field(default_factory=list)
    signature: Signature = Signature()
    appendices: list[Appendix] = field(default_factory=list)
    attached_to: str = ""  # “Kèm theo Kế hoạch số …”
    enacting: str = ""  # a Quyết định's authority line above the căn cứ (“CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …”)
    notes: list[str] = field(default_factory=list)  # on the document itself: Word comments on its title

    def heading(self, text: str, level: int = 1, notes: Sequence[str] = ()) -> None:
        self.body.append(Heading(text, level, tuple(notes)))

    def para(self, text: str, lead: str = "", italic: bool = False, notes: Sequence[str] = ()) -> None:
        self.body.append(Para(text, lead, italic, tuple(notes)))

    def bullet(self, text: str, sign: str = "-", lead: str = "", parts: Sequence[tuple[str, str]] = (),
               notes: Sequence[str] = ()) -> None:
        self.body.append(Bullet(text, sign, lead, tuple(parts), tuple(notes)))

    def bullets(self, items: Sequence[str], sign: str = "-") -> None:
        for item in items:
            self.bullet(item, sign)

    def review(self) -> list[str]:
        """Every drafter's note, in reading order, each once: the list the command prints."""
        found: list[str] = list(self.notes)
        for block in self.body:
            found.extend(block.notes)
        for appendix in self.appendices:
            found.extend(note for _, _, note in appendix.table.cell_notes)
        return list(dict.fromkeys(found))
