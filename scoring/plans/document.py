"""A plan as neutral blocks, written once and rendered twice: Word (NĐ 30 layout) and Markdown.

The plan builders decide the words; the renderers decide the looks. Nothing here knows about
python-docx.
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


@dataclass(frozen=True)
class Para:
    """A body paragraph; ``lead`` is printed bold before the text (“Thời gian thực hiện:”)."""

    text: str
    lead: str = ""
    italic: bool = False


@dataclass(frozen=True)
class Bullet:
    """“- …” (or “+ …”); ``parts`` are (bold lead, text) pairs that follow ``text`` on the
    same line: “- Giải pháp: … Sản phẩm: … Chủ trì: …”."""

    text: str
    sign: str = "-"
    lead: str = ""
    parts: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class TableSpec:
    headers: tuple[str, ...]
    rows: tuple[tuple[Union[str, Span], ...], ...]
    widths_cm: tuple[float, ...]
    align: tuple[str, ...]
    bold_rows: tuple[int, ...] = ()
    group_rows: tuple[int, ...] = ()  # headings of a group of rows: kept with the next row

    def __post_init__(self) -> None:
        width = len(self.headers)
        if len(self.widths_cm) != width or len(self.align) != width:
            raise ValueError("bảng: số độ rộng/căn lề khác số cột")
        for number, row in enumerate(self.rows, 1):
            used = sum(c.columns if isinstance(c, Span) else 1 for c in row)
            if used != width:
                raise ValueError(f"bảng: hàng {number} có {used} ô, cần {width}")
            for cell in row:
                text = cell.text if isinstance(cell, Span) else cell
                if not str(text).strip():
                    raise ValueError(f"bảng: hàng {number} có ô trống")


@dataclass(frozen=True)
class Appendix:
    label: str  # “Phụ lục I”
    title: str
    table: TableSpec
    closing: str = ""  # “Tổng cộng: 05 lĩnh vực, 12 nhiệm vụ./.”


Block = Union[Heading, Para, Bullet]


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

    def heading(self, text: str, level: int = 1) -> None:
        self.body.append(Heading(text, level))

    def para(self, text: str, lead: str = "", italic: bool = False) -> None:
        self.body.append(Para(text, lead, italic))

    def bullet(self, text: str, sign: str = "-", lead: str = "", parts: Sequence[tuple[str, str]] = ()) -> None:
        self.body.append(Bullet(text, sign, lead, tuple(parts)))

    def bullets(self, items: Sequence[str], sign: str = "-") -> None:
        for item in items:
            self.bullet(item, sign)
