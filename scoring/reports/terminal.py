"""What the command line shows on a terminal: score tables, the rubric as a tree, campaign tables
and the one progress bar of every long command. Output goes to ``out`` (stdout), messages to
``err`` (stderr); both are Rich consoles, so this module is loaded only by commands that print."""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from rich.console import Console
from rich.text import Text

from criteria import Rubric, load_rubric
from criteria.model import NOT_APPLICABLE_WORDS_VI
from criteria.numbers import format_points, format_vn

from scoring.cases import run_rubric_cases
from scoring.ranking import rank
from scoring.reports.grid import Grid
from scoring.reports.text import lost_lines
from scoring.result import STATUS_VI, ScoreSheet, UnitResult

if TYPE_CHECKING:
    from scoring.campaign import CampaignStatus, Standing, UnitDiff



def terminal_console(**options: Any) -> Console:
    """The one way text reaches the terminal: nothing printed is read as Rich markup or emoji codes.

    Unit names, criterion names and file names come from users; “UBND xã [/b]” would crash Rich's
    markup parser and “[red]” would silently vanish. Emphasis is given with ``styled`` instead.
    """
    return Console(markup=False, emoji=False, highlight=False, **options)


def styled(text: str, style: str = "bold") -> Text:
    """Text shown with a style, never parsed: for headings that include user text."""
    return Text(text, style=style)


out = terminal_console(soft_wrap=False, width=140 if not sys.stdout.isatty() else None)
err = terminal_console(stderr=True, soft_wrap=True)

PROVENANCE_VI = {"quoted": "trích nguyên văn", "adapted": "phỏng theo", "illustrative": "minh họa"}


def say(text: str) -> None:
    """One plain line on stdout (no Rich markup, wrapped as the terminal wraps)."""
    out.print(text, markup=False, highlight=False, soft_wrap=True)


def note(text: str) -> None:
    """One plain line on stderr: “Đã ghi …”, warnings, errors."""
    err.print(text, markup=False)


@contextmanager
def progress_bar(description: str) -> Iterator[Callable[..., None]]:
    """A progress bar on stderr for a batch (silent when stderr is not a terminal). Yields
    ``advance(done, total, label=None)``: the count so far, the count in all, and what is being done."""
    from rich.progress import (  # rich.progress: loaded only by the commands that show a bar
        BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn,
    )

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=err, transient=True, disable=not err.is_terminal)
    with bar:
        task = bar.add_task(description, total=None)

        def advance(done: int, total: int, label: str | None = None) -> None:
            bar.update(task, completed=done, total=total, description=label or description)

        yield advance


# ---------------------------------------------------------------- scores
def unit_table(result: UnitResult, precision: int, rubric: Rubric | None = None) -> Grid:
    t = result.totals
    title = f"{result.unit} — {format_vn(t.points, precision)}/{format_vn(t.max, precision)} điểm"
    if t.index is not None:
        title += f", chỉ số {format_vn(t.index, precision)}%"
    if t.classification:
        title += f", xếp loại {t.classification}"
    table = Grid(title=title)
    for column, justify in (("Mã", "left"), ("Tiêu chí", "left"), ("Tối đa", "right"), ("Điểm", "right"),
                            ("Mất", "right"), ("Chỉ số %", "right"), ("Trạng thái", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    sections = {adj.code: adj for adj in rubric.adjustments} if rubric is not None else {}
    current: str | None = None
    for n in result.nodes:
        if n.section != current and n.section in sections:
            adj = sections[n.section]
            word = "Điểm thưởng" if adj.kind == "bonus" else "Điểm trừ"
            value = t.bonus if adj.kind == "bonus" else -t.penalty
            label = adj.name if adj.name.casefold() == word.casefold() else f"{adj.name} ({word.lower()})"
            table.add_row(adj.code, f"{label}, tối đa {format_vn(adj.cap, precision)}", "",
                          format_vn(value, precision), "", "", "", style="bold")
        current = n.section
        style = "bold" if n.depth == 0 and n.section is None else None
        name = "  " * (n.depth + (1 if n.section else 0)) + n.name
        table.add_row(n.code, name, format_vn(n.max, precision), format_vn(n.points, precision),
                      format_vn(n.lost, precision), format_vn(n.index, precision), STATUS_VI[n.status],
                      style=style)
    table.add_row("", "TỔNG ĐIỂM", format_vn(t.max, precision), format_vn(t.points, precision),
                  format_vn(t.lost, precision), format_vn(t.index, precision), "", style="bold")
    return table


def ranking_table(sheet: ScoreSheet) -> Grid:
    precision = sheet.rubric.precision
    table = Grid(title=f"Xếp hạng theo bộ chỉ số {sheet.rubric.id} ({len(sheet)} đơn vị)")
    for column in ("Hạng", "Đơn vị", "Điểm", "Tối đa", "Chỉ số %", "Xếp loại", "Thiếu TL"):
        table.add_column(column, justify="right" if column in ("Điểm", "Tối đa", "Chỉ số %", "Thiếu TL") else "left")
    for row in rank(sheet):
        missing = sheet.totals(sheet.position(row.unit)).missing_leaves
        table.add_row(str(row.rank), row.unit, format_vn(row.points, precision), format_vn(row.max, precision),
                      format_vn(row.index, precision), row.classification or "—", str(missing))
    return table


def print_sheet(sheet: ScoreSheet, console: Console, detail: bool | None = None) -> None:
    precision = sheet.rubric.precision
    if detail is None:
        detail = len(sheet) == 1
    if detail:
        for result in sheet.results(traces=True):
            console.print(unit_table(result, precision, sheet.rubric))
            lost = lost_lines(result, precision)
            if lost:
                console.print(styled("Điểm bị mất"))
                console.print("\n".join(f"  • {line}" for line in lost), highlight=False)  # each line wrapped alone
            console.print()
    if len(sheet) > 1 or not detail:
        console.print(ranking_table(sheet))


def sheet_text(sheet: ScoreSheet, detail: bool | None = None) -> str:
    """The terminal tables as plain text (for ``--output`` with the table format)."""
    target = terminal_console(record=True, width=160, file=io.StringIO())
    print_sheet(sheet, target, detail)
    return target.export_text()


# ---------------------------------------------------------------- rubrics
def rubric_tree(rb: Rubric) -> list[str]:
    """The rubric as an indented tree: code, name, maximum and rule kind of every node."""
    lines = [f"{rb.id}: {rb.title} — cấp {rb.level}, năm {rb.year}, tối đa {format_points(rb.max_points)} điểm"]

    def visit(node: Any, depth: int) -> None:
        rule = f"  [{node.rule.kind}]" if node.is_leaf else ""
        lines.append(f"{'  ' * (depth + 1)}{node.code}  {node.name}  ({format_points(node.max)}){rule}")
        for child in node.children:
            visit(child, depth + 1)

    for node in rb.nodes:
        visit(node, 0)
    for adj in rb.adjustments:
        word = "Điểm thưởng" if adj.kind == "bonus" else "Điểm trừ"
        lines.append(f"  {adj.code}  {adj.name}  ({word}, tối đa {format_points(adj.cap)})")
        for node in adj.children:
            visit(node, 1)
    return lines


def rubric_summary(rb: Rubric, name: str) -> str:
    leaves = rb.leaves()
    counts = {p: sum(1 for n in leaves if n.provenance == p) for p in PROVENANCE_VI}
    return (f"{name}: hợp lệ — {len(leaves)} tiêu chí thành phần, tối đa "
            f"{format_points(rb.max_points)} điểm; trích nguyên văn {counts['quoted']}, "
            f"phỏng theo {counts['adapted']}, minh họa {counts['illustrative']}")


def print_rubric(rb: Rubric) -> None:
    """Every criterion with how it is scored, its evidence and its source."""
    out.print(Text.assemble(styled(rb.title), f"  ({rb.id}, cấp {rb.level}, năm {rb.year})"))
    out.print(f"Nguồn: {rb.source}", markup=False)
    out.print(f"Không phát sinh (mặc định): {NOT_APPLICABLE_WORDS_VI[rb.not_applicable]}", markup=False)
    if rb.classification:
        bands = "; ".join(f"{b.label} ≥ {format_points(b.min)}%" for b in rb.classification)
        out.print(f"Xếp loại: {bands}", markup=False)
    for node in rb.all_nodes():
        indent = "  " * node.code.count(".")
        if not node.is_leaf:
            out.print(Text.assemble(indent, styled(f"{node.code} {node.name}"), f" ({format_points(node.max)} điểm)"))
            continue
        out.print(Text.assemble(indent, styled(node.code), f" {node.name} ({format_points(node.max)} điểm)"))
        out.print(f"{indent}  Cách tính: {node.rule.describe(node.max)}", markup=False)
        if node.text:
            label = "Văn bản gốc" if node.provenance == "quoted" else "Cách tính như bộ chỉ số ghi"
            text = node.text.strip().replace("\n", "\n" + indent + "    ")
            out.print(f"{indent}  {label}: {text}", markup=False)
        if node.evidence:
            out.print(f"{indent}  Tài liệu kiểm chứng: {node.evidence}", markup=False)
        origin = PROVENANCE_VI[node.provenance]
        out.print(f"{indent}  Nguồn: {origin}{' — ' + node.source if node.source else ''}", markup=False)


def print_case(name: str, passed: bool, failures: list[str]) -> None:
    mark = styled("đạt", "green") if passed else styled("SAI", "red")
    out.print(Text.assemble(mark, f"  {name}"))
    for failure in failures:
        out.print(f"      {failure}", markup=False, highlight=False)


# ---------------------------------------------------------------- campaign
def diff_table(result: UnitDiff) -> Grid:
    """Self-score and appraised points per criterion, with the change and its outcome."""
    p = result.precision
    table = Grid(title=f"{result.unit}: tự chấm và thẩm định")
    for column, justify in (("Mã", "left"), ("Tiêu chí", "left"), ("Tối đa", "right"), ("Tự chấm", "right"),
                            ("Thẩm định", "right"), ("Chênh lệch", "right"), ("Kết quả", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for row in result.rows:
        change = row.change
        table.add_row(row.code, "  " * row.depth + row.name, format_vn(row.max, p),
                      "—" if row.self_points is None else format_vn(row.self_points, p), format_vn(row.appraised, p),
                      "" if not change else ("+" if change > 0 else "") + format_vn(change, p), row.status,
                      style="bold" if row.depth == 0 else None)
    return table


def standings_table(rows: list[Standing], precision: int, title: str) -> Grid:
    """Ranks, points, index and class of every unit, with the change since a previous period if known."""
    compare = any(r.change is not None for r in rows)
    table = Grid(title=title)
    for column in ("Hạng", "Đơn vị", "Thẩm định", "Điều tra XHH", "Tổng", "Tối đa", "Chỉ số %", "Xếp loại",
                   *(("So với trước",) if compare else ())):
        table.add_column(column)
    for r in rows:
        extra: tuple[str, ...] = ()
        if compare:
            c = r.change
            extra = (c.words() if c.previous_rank is None else f"hạng {c.previous_rank} → {r.rank}, {c.words()}, "
                     f"chỉ số {'+' if c.index_delta and c.index_delta > 0 else ''}{format_vn(c.index_delta, precision)}",)
        table.add_row(str(r.rank), r.unit, format_vn(r.appraised, precision),
                      format_vn(r.survey, precision) if r.survey is not None else "không có",
                      format_vn(r.total, precision), format_vn(r.max, precision), format_vn(r.index, precision),
                      r.classification or "—", *extra)
    return table


def units_table(report: CampaignStatus) -> Grid:
    """Where each unit of a campaign stands: submission, both rounds, explanations, survey."""
    table = Grid(title=f"{len(report.units)} đơn vị")
    for column in ("Đơn vị", "Cấp", "Bản tự đánh giá", "Vòng 1 (điều chỉnh)", "Giải trình", "Vòng 2", "Điều tra XHH"):
        table.add_column(column)
    for u in report.units:
        table.add_row(u.unit, u.level or "—", u.submission, f"{u.round1} ({u.round1_changes})", str(u.explanations),
                      str(u.round2), "có" if u.survey else "không")
    return table


# ---------------------------------------------------------------- rubric commands
def check_rubric(path: Path, quiet: bool = False) -> None:
    """``parindex rubric check``: the tree (unless ``quiet``) and the summary line of one rubric file."""
    rb = load_rubric(path)
    for line in [] if quiet else rubric_tree(rb):
        out.print(line, markup=False, highlight=False)
    out.print(rubric_summary(rb, str(path)), markup=False, highlight=False)


def show_rubric(path: Path) -> None:
    print_rubric(load_rubric(path))


def run_cases(rubric_path: Path, cases_path: Path | None = None) -> bool:
    """``parindex rubric test``: each case passed or not, with why; True if all passed."""
    path, outcomes = run_rubric_cases(rubric_path, cases_path)
    for outcome in outcomes:
        print_case(outcome.name, outcome.passed, outcome.failures)
    failed = sum(not o.passed for o in outcomes)
    out.print(f"{path}: {len(outcomes) - failed}/{len(outcomes)} ca đạt", markup=False, highlight=False)
    return not failed
