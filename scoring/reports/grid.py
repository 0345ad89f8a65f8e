"""The terminal's tables: what ``rich.table.Table`` draws for rows of plain strings, character for
character and style for style, at a fraction of its cost.

Rich lays out any renderable in any cell: it measures each cell through ``Padding`` and
``Measurement``, then renders each through ``render_lines``: 0.04 s of CPU for the 80 rows of one
unit's score table, eight times what scoring the unit takes. Our cells are plain strings, so a cell
that fits on one line is measured by its words and drawn as ``" " + text, justified + " "``
directly; a cell that must wrap (a long criterion name), or whose text holds characters Rich treats
specially (tabs, new lines, control codes), is handed to Rich as its ``Table`` would, and the
title too. Column widths follow Rich's own rule (each column as wide as its widest cell; when the
table is too wide, the widest columns shrink first, to the next widest, then all evenly).

``tests/test_grid.py`` draws random tables both ways, at many widths, in colour, plain and recorded,
and requires the same output. Text is never read as Rich markup (the console's ``markup=False`` holds).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from rich.box import HEAVY_HEAD
from rich.cells import cell_len as rich_cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

# Characters Rich draws one cell wide: its own fast set (printable Latin) and Vietnamese's precomposed
# letters (U+1E00–U+1EFF, one cell each in Rich's width table). A text of these only is as wide as it
# is long; any other text is measured by Rich (combining marks, wide characters, joiners).
_ONE_CELL = frozenset(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0xAD), *range(0xAE, 0x300), *range(0x1E00, 0x1F00)]))


def cell_len(text: str) -> int:
    """``rich.cells.cell_len``, without Rich's slower path for Vietnamese text (a unit's table measures
    ≈ 1,300 cells: ≈ 6 µs each there, < 1 µs here; tests/test_grid.py compares with Rich)."""
    return len(text) if _ONE_CELL.issuperset(text) else rich_cell_len(text)

Justify = Literal["left", "center", "right"]
Overflow = Literal["fold", "crop", "ellipsis"]
PAD = 1  # spaces on each side of a cell, as Rich's default padding (0, 1)


@dataclass
class GridColumn:
    header: str
    justify: Justify = "left"
    overflow: Overflow = "ellipsis"
    cells: list[str] = field(default_factory=list)


@dataclass
class Grid:
    """A table of strings drawn as ``rich.table.Table(title=title)`` draws the same rows (heavy
    head box, header in ``table.header``, title centred in ``table.title``, a row's style on every
    cell of the row). Only the options the terminal uses exist."""

    title: str | None = None
    columns: list[GridColumn] = field(default_factory=list)
    row_styles: list[str | None] = field(default_factory=list)

    def add_column(self, header: str, justify: Justify = "left", overflow: Overflow = "ellipsis") -> None:
        self.columns.append(GridColumn(header, justify, overflow, [""] * len(self.row_styles)))

    def add_row(self, *cells: str, style: str | None = None) -> None:
        if len(cells) > len(self.columns):
            raise ValueError(f"{len(cells)} ô cho {len(self.columns)} cột")
        for column, text in zip(self.columns, (*cells, *[""] * (len(self.columns) - len(cells)))):
            column.cells.append(text)
        self.row_styles.append(style)

    def rich_table(self) -> object:
        """The same table as a ``rich.table.Table`` (what this drawing must equal)."""
        from rich.table import Table  # rich.table: loaded only to compare with Rich's own drawing

        table = Table(title=self.title)
        for column in self.columns:
            table.add_column(column.header, justify=column.justify, overflow=column.overflow)
        for row, style in enumerate(self.row_styles):
            table.add_row(*(column.cells[row] for column in self.columns), style=style)
        return table

    # ------------------------------------------------------------ drawing
    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.columns:
            yield Segment("\n")
            return
        extra = 2 + len(self.columns) - 1  # the edges and the lines between columns
        widths = self._widths(console, options.update_width(options.max_width - extra))
        render_options = options.update(width=sum(widths) + extra, highlight=False, height=None)
        if self.title:
            title = console.render_str(self.title, style="table.title", highlight=False)
            yield from console.render(title, options=render_options.update(justify="center"))
        yield from self._body(console, render_options, widths)

    def _widths(self, console: Console, options: ConsoleOptions) -> list[int]:
        """Each column's width with its padding, as ``Table._calculate_column_widths`` finds it."""
        available = options.max_width
        texts = [(column.header, *column.cells) for column in self.columns]
        extents = [[text_extent(text) for text in column] for column in texts]
        ranges = [self._measure(console, options, *cells, available) for cells in zip(texts, extents)]
        widths = [maximum or 1 for _, maximum in ranges]
        if sum(widths) > available:
            widths = collapse(widths, available)
            if sum(widths) > available:
                widths = ratio_reduce(sum(widths) - available, [1] * len(widths), widths, widths)
            widths = [self._measure(console, options, *cells, width)[1] or 0
                      for width, cells in zip(widths, zip(texts, extents))]
        return widths

    @staticmethod
    def _measure(console: Console, options: ConsoleOptions, texts: tuple[str, ...],
                 extents: list[tuple[int, int] | None], width: int) -> tuple[int, int]:
        """The narrowest and widest a column of ``texts`` can be within ``width`` (``Table._measure_column``)."""
        if width < 1:
            return 0, 0
        lows, highs = [], []
        for text, extent in zip(texts, extents):
            low, high = padded_measure(console, options, text, extent, width)
            lows.append(low)
            highs.append(high)
        return min(max(lows), width), min(max(highs), width)

    def _body(self, console: Console, options: ConsoleOptions, widths: list[int]) -> Iterable[Segment]:
        box = HEAVY_HEAD.substitute(options, safe=console.safe_box)
        line = Segment.line()
        plain = Style.null()
        header_style = console.get_style("table.header") + console.get_style("")
        column_style = console.get_style("")
        edges = [(Segment(box.head_left, plain), Segment(box.head_right, plain), Segment(box.head_vertical, plain)),
                 (Segment(box.mid_left, plain), Segment(box.mid_right, plain), Segment(box.mid_vertical, plain)),
                 (Segment(box.foot_left, plain), Segment(box.foot_right, plain), Segment(box.foot_vertical, plain))]
        yield Segment(box.get_top(widths), plain)
        yield line
        rows = len(self.row_styles)
        for index in range(rows + 1):
            header = index == 0
            if header:
                texts = [column.header for column in self.columns]
                style = header_style + plain
            else:
                texts = [column.cells[index - 1] for column in self.columns]
                row_style = self.row_styles[index - 1]
                style = column_style + (plain + console.get_style(row_style) if row_style is not None else plain)
            cells = [self._cell(console, options, text, width, column, style)
                     for text, width, column in zip(texts, widths, self.columns)]
            tallest = max(len(cell) for cell in cells)
            height = max(tallest, 1)
            if any(len(cell) != height for cell in cells):
                align = Segment.align_bottom if header else Segment.align_top
                cells = [Segment.set_shape(align(cell, width, tallest, style), width, height)
                         for cell, width in zip(cells, widths)]
            left, right, divider = edges[0 if header else (2 if index == rows else 1)]
            for number in range(height):
                yield left
                for position, cell in enumerate(cells):
                    yield from cell[number]
                    if position < len(cells) - 1:
                        yield divider
                yield right
                yield line
            if header:
                yield Segment(box.get_row(widths, "head", edge=True), plain)
                yield line
        yield Segment(box.get_bottom(widths), plain)
        yield line

    @staticmethod
    def _cell(console: Console, options: ConsoleOptions, text: str, width: int, column: GridColumn,
              style: Style) -> list[list[Segment]]:
        """The lines of one cell: a text that fits is justified here, a longer one is wrapped by Rich's
        ``Text.wrap``; a text with characters Rich treats specially is left to Rich whole."""
        inner = width - 2 * PAD
        if inner >= 1 and text.isprintable():
            pad = Segment(" " * PAD, style)
            length = cell_len(text)
            if length <= inner:
                if column.justify == "left":
                    shown = text + " " * (inner - length)
                else:
                    stripped = text.rstrip()
                    space = inner - cell_len(stripped)
                    before = space if column.justify == "right" else space // 2
                    shown = " " * before + stripped + " " * (space - before)
                return [[pad, Segment(shown, style), pad]]
            lines = [line.plain for line in Text(text).wrap(console, inner, justify=column.justify,
                                                             overflow=column.overflow)]
            if all(cell_len(line) == inner for line in lines):  # else Rich pads or crops them: let it
                return [[pad, Segment(line, style), pad] for line in lines]
        cell_options = options.update(width=width, justify=column.justify, no_wrap=False, overflow=column.overflow,
                                      height=None, highlight=False)
        return console.render_lines(Padding(text, (0, PAD)), cell_options, style=style)


def text_extent(text: str) -> tuple[int, int] | None:
    """The longest word and the whole width of a one-line text, in cells (``Text.__rich_measure__``);
    None for a text with characters Rich treats specially, which Rich measures itself."""
    if not text.isprintable():
        return None
    words = text.split()
    high = cell_len(text)
    return (max(map(cell_len, words)) if words else high), high


def padded_measure(console: Console, options: ConsoleOptions, text: str, extent: tuple[int, int] | None,
                   width: int) -> tuple[int, int]:
    """``Measurement.get`` of ``Padding(text, (0, 1))`` within ``width``: fewest and most cells
    (``extent`` is ``text_extent(text)``)."""
    if extent is None:
        return Measurement.get(console, options.update_width(width), Padding(text, (0, PAD)))
    if width - 2 * PAD < 1:
        low = high = width
    else:
        low, high = extent
        low, high = min(low, high, width), min(high, width)  # the text's own measurement, normalised
        if high < 1:
            low = high = 0
        low, high = min(low + 2 * PAD, width), min(high + 2 * PAD, width)
    low = min(low, high)
    return (0, 0) if high < 1 else (low, high)


def collapse(widths: list[int], limit: int) -> list[int]:
    """Narrow the widest columns to the next widest, and so on, until the table fits ``limit``
    (Rich's ``Table._collapse_widths`` for columns that may all wrap)."""
    excess = sum(widths) - limit
    while sum(widths) and excess > 0:
        widest = max(widths)
        second = max((w for w in widths if w != widest), default=0)
        if not widest - second:
            break
        ratios = [1 if w == widest else 0 for w in widths]
        widths = ratio_reduce(excess, ratios, [min(excess, widest - second)] * len(widths), widths)
        excess = sum(widths) - limit
    return widths


def ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """Take ``total`` off ``values`` in proportion to ``ratios``, at most ``maximums`` each
    (Rich's ``rich._ratio.ratio_reduce``, rounding as it does)."""
    ratios = [ratio if maximum else 0 for ratio, maximum in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    remaining = total
    result = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * remaining / total_ratio))
            result.append(value - distributed)
            remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result
