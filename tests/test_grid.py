"""The terminal's tables (``scoring.reports.grid.Grid``) print exactly what ``rich.table.Table`` prints
for the same rows: every character, and every colour code on a colour terminal, at any width."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len as rich_len

from scoring.reports.grid import Grid, cell_len
from scoring.reports.terminal import terminal_console, unit_table

WORDS = ["Mã", "Tiêu", "chí", "[red]Đỏ[/red]", "[/b]", ":smile:", "UBND", "xã", "An", "Phú", "12,00", "—", "漢字",
         "Kế\u0301", "a" * 30, "hành", "chính", "", "đã chấm", "x\ty", "dòng\nhai", "\u3000", "e\u0301", "🙂"]
text = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join) | st.sampled_from(["", " ", "  lề", "cuối  "])


def drawn(renderable: object, width: int, mode: str) -> str:
    """What a console prints: ``plain`` (a pipe), ``colour`` (a terminal) or ``record`` (``--output``)."""
    options = {"colour": {"force_terminal": True, "color_system": "standard"}, "record": {"record": True}}
    console = terminal_console(file=io.StringIO(), width=width, soft_wrap=False, **options.get(mode, {}))
    console.print(renderable)
    if mode == "record":
        return console.export_text() + console.export_text(styles=True)
    return console.file.getvalue()  # type: ignore[attr-defined]


@st.composite
def grids(draw: st.DrawFn) -> Grid:
    grid = Grid(title=draw(st.none() | text))
    for _ in range(draw(st.integers(1, 7))):
        grid.add_column(draw(text), justify=draw(st.sampled_from(["left", "right", "center"])),
                        overflow=draw(st.sampled_from(["fold", "ellipsis", "crop"])))
    for _ in range(draw(st.integers(0, 6))):
        cells = draw(st.lists(text, min_size=0, max_size=len(grid.columns)))
        grid.add_row(*cells, style=draw(st.sampled_from([None, "bold", "italic", "red"])))
    return grid


@settings(max_examples=300, deadline=None)
@given(grids(), st.integers(1, 160), st.sampled_from(["plain", "colour", "record"]))
def test_a_grid_prints_what_rich_prints_for_the_same_rows(grid: Grid, width: int, mode: str) -> None:
    assert drawn(grid, width, mode) == drawn(grid.rich_table(), width, mode)


def test_a_units_score_table_prints_what_rich_prints() -> None:
    from pathlib import Path

    from criteria import load_rubric
    from scoring.engine import score
    from scoring.inputs.readers import read_with_details

    root = Path(__file__).resolve().parent.parent
    rubric = load_rubric(root / "rubrics" / "demo-xa-2025.yaml")
    table, _ = read_with_details(rubric, [root / "examples" / "xa-an-phu.yaml"])
    grid = unit_table(next(score(rubric, table).results(traces=True)), rubric.precision, rubric)
    for width in (60, 100, 140, 160):
        for mode in ("plain", "colour", "record"):
            mine = drawn(grid, width, mode)
            assert mine == drawn(grid.rich_table(), width, mode)
    assert "UBND xã An Phú" in mine and "TỔNG ĐIỂM" in mine


def test_the_fast_width_is_rich_width_for_every_printable_character() -> None:
    """``grid.cell_len`` skips Rich's slow path only for characters Rich draws one cell wide."""
    differ = [hex(code) for code in range(0x20, 0x30000)
              if chr(code).isprintable() and cell_len(chr(code)) != rich_len(chr(code))]
    assert differ == []
    assert cell_len("Thị trấn Hoà Bình") == rich_len("Thị trấn Hoà Bình") == 17
    assert cell_len("Hoa\u0300") == rich_len("Hoa\u0300") == 3  # a combining mark takes no cell
