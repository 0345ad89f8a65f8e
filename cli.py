"""parindex: the command line, a thin layer over the ``criteria`` and ``scoring`` packages."""

from __future__ import annotations

import functools
import io
import json
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn

import click
from rich.console import Console

from criteria import InputError, Rubric, load_rubric
from criteria.model import NOT_APPLICABLE_WORDS_VI
from criteria.numbers import format_points
from web.portal.serve import serve

if TYPE_CHECKING:
    from rich.table import Table

    from scoring.campaign import CampaignStore, Standing

console = Console(soft_wrap=False, width=140 if not sys.stdout.isatty() else None)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


def friendly(command: Callable) -> Callable:
    """Bad input ends in one line per problem on stderr and exit code 2, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InputError as exc:
            for problem in exc.problems:
                errors.print(f"lỗi: {problem}", markup=False)
            sys.exit(2)
        except OSError as exc:  # a file the readers did not name: say which, in Vietnamese
            from criteria.files import os_reason

            where = f"{exc.filename}: " if exc.filename else ""
            errors.print(f"lỗi: {where}{os_reason(exc)}", markup=False)
            sys.exit(2)
        except sqlite3.Error as exc:  # the campaign file: locked by another run, or unusable
            locked = "locked" in str(exc)
            errors.print("lỗi: tệp chiến dịch " + ("đang được một lệnh khác ghi; hãy chạy lại sau ít phút" if locked
                                                 else "không dùng được: tệp hỏng hoặc không phải tệp chiến dịch"), markup=False)
            sys.exit(2)

    return wrapper


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from scoring.office.atomic import write_atomic

        write_atomic(output, text)
        errors.print(f"Đã ghi {output}")


_USAGE_WORDS = [  # click's own messages, as a Vietnamese user should read them
    (r"Missing option '([^']+)'(?: / '[^']+')?\.?", r"thiếu tùy chọn bắt buộc \1"),
    (r"Missing argument '([^']+)'\.?", r"thiếu tham số \1"),
    (r"No such option: (\S+)", r"không có tùy chọn \1"),
    (r"No such command '([^']+)'\.?", r"không có lệnh “\1”"),
    (r"Did you mean (\S+)\?", r"(có phải \1?)"),
    (r"\(Possible options: ([^)]+)\)", r"(có thể là: \1)"),
    (r"Option '([^']+)' requires an argument\.?", r"tùy chọn \1 cần một giá trị"),
    (r"Option '([^']+)' requires (\d+) arguments\.?", r"tùy chọn \1 cần \2 giá trị"),
    (r"Got unexpected extra arguments? \(([^)]*)\)", r"thừa tham số: \1"),
    (r"Invalid value for '([^']+)'(?: / '[^']+')?:", r"giá trị không hợp lệ cho \1:"),
    (r"'([^']*)' is not one of (.+?)\.?$", r"“\1” không thuộc \2"),
    (r"'([^']*)' is not a valid integer(?: range)?\.?", r"“\1” không phải số nguyên"),
    (r"'([^']*)' is not a valid float(?: range)?\.?", r"“\1” không phải số"),
    (r"Path '([^']*)' does not exist\.?", r"không tìm thấy “\1”"),
]


def usage_in_vietnamese(message: str) -> str:
    import re

    for pattern, replacement in _USAGE_WORDS:
        message = re.sub(pattern, replacement, message)
    return message


class VietnameseGroup(click.Group):
    """Usage mistakes (a missing option, a wrong choice) answered in Vietnamese, exit code 2."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:  # a bare group: its help, as click shows it
            click.echo(exc.format_message(), err=True)
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx is not None else "parindex"
            errors.print(f"lỗi: {usage_in_vietnamese(exc.format_message())}", markup=False)
            errors.print(f"Xem hướng dẫn: {command} --help", markup=False)
            sys.exit(2)
        except click.ClickException as exc:
            errors.print(f"lỗi: {usage_in_vietnamese(exc.format_message())}", markup=False)
            sys.exit(exc.exit_code)
        except click.Abort:
            errors.print("Đã dừng.", markup=False)
            sys.exit(1)


@click.group(name="parindex", cls=VietnameseGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parindex")
def main() -> None:
    """parindex — chấm điểm Chỉ số CCHC (PAR INDEX) và soạn kế hoạch khắc phục."""


# ---------------------------------------------------------------- rubric
@main.group()
def rubric() -> None:
    """Bộ chỉ số (rubric): kiểm tra, xem, lược đồ JSON, nhập và xuất bảng tiêu chí."""


def _tree_lines(rb: Rubric) -> list[str]:
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


@rubric.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--quiet", "-q", is_flag=True, help="Chỉ in dòng tóm tắt của mỗi tệp.")
def rubric_check(files: tuple[Path, ...], quiet: bool) -> None:
    """Kiểm tra các tệp bộ chỉ số; in cây tiêu chí với điểm tối đa và tổng."""
    failed = False
    for file in files:
        try:
            rb = load_rubric(file)
        except InputError as exc:
            failed = True
            for problem in exc.problems:
                errors.print(f"lỗi: {problem}", markup=False)
            continue
        leaves = rb.leaves()
        counts = {p: sum(1 for n in leaves if n.provenance == p) for p in ("quoted", "adapted", "illustrative")}
        summary = (f"{file}: hợp lệ — {len(leaves)} tiêu chí thành phần, tối đa "
                   f"{format_points(rb.max_points)} điểm; trích nguyên văn {counts['quoted']}, "
                   f"phỏng theo {counts['adapted']}, minh họa {counts['illustrative']}")
        if not quiet:
            for line in _tree_lines(rb):
                console.print(line, markup=False, highlight=False)
        console.print(summary, markup=False, highlight=False)
    if failed:
        sys.exit(2)


@rubric.command("show")
@click.argument("file", type=click.Path(path_type=Path))
@friendly
def rubric_show(file: Path) -> None:
    """In bộ chỉ số: từng tiêu chí, cách tính điểm, tài liệu kiểm chứng."""
    rb = load_rubric(file)
    console.print(f"[bold]{rb.title}[/bold]  ({rb.id}, cấp {rb.level}, năm {rb.year})")
    console.print(f"Nguồn: {rb.source}", markup=False)
    console.print(f"Không phát sinh (mặc định): {NOT_APPLICABLE_WORDS_VI[rb.not_applicable]}", markup=False)
    if rb.classification:
        bands = "; ".join(f"{b.label} ≥ {format_points(b.min)}%" for b in rb.classification)
        console.print(f"Xếp loại: {bands}", markup=False)
    for node in rb.all_nodes():
        indent = "  " * node.code.count(".")
        if node.is_leaf:
            console.print(f"{indent}[bold]{node.code}[/bold] {node.name} ({format_points(node.max)} điểm)")
            console.print(f"{indent}  Cách tính: {node.rule.describe(node.max)}", markup=False)
            if node.text:
                label = "Văn bản gốc" if node.provenance == "quoted" else "Cách tính như bộ chỉ số ghi"
                text = node.text.strip().replace("\n", "\n" + indent + "    ")
                console.print(f"{indent}  {label}: {text}", markup=False)
            if node.evidence:
                console.print(f"{indent}  Tài liệu kiểm chứng: {node.evidence}", markup=False)
            origin = {"quoted": "trích nguyên văn", "adapted": "phỏng theo", "illustrative": "minh họa"}[node.provenance]
            console.print(f"{indent}  Nguồn: {origin}{' — ' + node.source if node.source else ''}", markup=False)
        else:
            console.print(f"{indent}[bold]{node.code} {node.name}[/bold] ({format_points(node.max)} điểm)")


@rubric.command("test")
@click.argument("rubric_path", type=click.Path(path_type=Path))
@click.option("--cases", "cases_path", type=click.Path(path_type=Path),
              help="Tệp ca kiểm thử (mặc định: rubrics/tests/<tên bộ>.cases.yaml).")
@friendly
def rubric_test(rubric_path: Path, cases_path: Path | None) -> None:
    """Chạy các ca kiểm thử của bộ chỉ số: số liệu vào, điểm mong đợi ra."""
    from scoring.cases import cases_file_for, run_cases

    rb = load_rubric(rubric_path)
    cases_path = cases_path or cases_file_for(rubric_path)
    outcomes = run_cases(rb, cases_path)
    for outcome in outcomes:
        mark = "[green]đạt[/green]" if outcome.passed else "[red]SAI[/red]"
        console.print(f"{mark}  {outcome.name}", highlight=False)
        for failure in outcome.failures:
            console.print(f"      {failure}", markup=False, highlight=False)
    failed = sum(not o.passed for o in outcomes)
    console.print(f"{cases_path}: {len(outcomes) - failed}/{len(outcomes)} ca đạt", markup=False, highlight=False)
    if failed:
        sys.exit(1)


@rubric.command("schema")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Ghi ra tệp thay vì màn hình.")
@friendly
def rubric_schema(output: Path | None) -> None:
    """Lược đồ JSON (JSON Schema) của tệp bộ chỉ số."""
    schema = Rubric.model_json_schema()
    emit(json.dumps(schema, ensure_ascii=False, indent=2) + "\n", output)


@rubric.command("import")
@click.argument("table", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path), help="Tệp bộ chỉ số (.yaml) sẽ ghi.")
@click.option("--source", help="Văn bản ban hành bảng, ví dụ “QĐ 1880/QĐ-UBND” (mặc định: tên tệp).")
@click.option("--id", "rubric_id", help="Mã bộ chỉ số (mặc định: từ tên tệp).")
@click.option("--title", help="Tên bộ chỉ số.")
@click.option("--level", help="Cấp đơn vị: xã, sở, tỉnh… (mặc định: đoán từ tên tệp, nếu không: “đơn vị”).")
@click.option("--year", type=int, help="Năm áp dụng (mặc định: năm 20xx trong tên tệp, nếu không: năm nay).")
@click.option("--survey", help="Mã lĩnh vực điều tra xã hội học (khối XHH).")
@click.option("--use-child-sums", is_flag=True,
              help="Khi điểm tối đa của nút cha khác tổng các nút con: lấy tổng các nút con (vẫn báo cáo).")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Ghi báo cáo nhập ra tệp.")
@click.option("--strict", is_flag=True, help="Mã thoát 1 nếu còn tiêu chí cần người xem hoặc điểm không nhất quán.")
@friendly
def rubric_import(table: Path, output: Path, source: str | None, rubric_id: str | None, title: str | None,
                  level: str | None, year: int | None, survey: str | None, use_child_sums: bool,
                  report_path: Path | None, strict: bool) -> None:
    """Nhập bảng tiêu chí (.xlsx, .docx) thành tệp bộ chỉ số; in báo cáo từng tiêu chí."""
    from criteria import RubricError, load_rubric_text
    from criteria.dumper import rubric_yaml
    from criteria.tables import ImportOptions, import_table
    from scoring.office.atomic import write_atomic

    result = import_table(table, ImportOptions(id=rubric_id, title=title, level=level, year=year, source=source,
                                               survey=survey, use_child_sums=use_child_sums))
    report = result.report
    if result.rubric is not None:
        waiting = ", ".join(leaf.code for leaf in report.needs_person) or "không có"
        header = (f"Nhập từ {table.name} bằng “parindex rubric import”.\n{report.summary()}.\n"
                  f"Cần người xem (quy tắc manual, giữ nguyên văn bản ở “text”): {waiting}")
        text = rubric_yaml(result.rubric, header)
        load_rubric_text(text, str(output))  # what is written always loads
        report.written = str(output)
    rendered = report.render()
    if report_path is not None:  # first: a report that cannot be written must not leave a rubric behind
        write_atomic(report_path, rendered)
    if result.rubric is not None:
        try:
            write_atomic(output, text)
        except BaseException:
            if report_path is not None:
                report_path.unlink(missing_ok=True)
            raise
    click.echo(rendered, nl=False)
    if report_path is not None:
        errors.print(f"Đã ghi báo cáo {report_path}", markup=False)
    if report.problems:
        raise RubricError(report.problems)
    if strict and (report.needs_person or report.findings):
        sys.exit(1)


@rubric.command("export")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(path_type=Path),
              help="Bảng tiêu chí sẽ ghi: .xlsx hoặc .docx.")
@click.option("--bare", is_flag=True, help="Chỉ bảng, không kèm dữ liệu ẩn dùng để nhập lại đúng bộ chỉ số.")
@friendly
def rubric_export(file: Path, output: Path, bare: bool) -> None:
    """Xuất bộ chỉ số thành bảng tiêu chí (STT | Tiêu chí | Điểm tối đa | Cách tính điểm | Tài liệu kiểm chứng)."""
    from criteria.tables import table_bytes
    from scoring.office.atomic import write_atomic

    rb = load_rubric(file)
    write_atomic(output, table_bytes(rb, output, bare))
    errors.print(f"Đã ghi {output}", markup=False)


# ---------------------------------------------------------------- template
@main.command()
@click.option("--rubric", "-r", "rubric_path", required=True, type=click.Path(path_type=Path),
              help="Tệp bộ chỉ số (.yaml).")
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help="Tệp Excel tạo ra (.xlsx), ví dụ tu-danh-gia.xlsx.")
@click.option("--unit", "-u", help="Tên đơn vị điền sẵn, ví dụ “UBND xã An Phú”.")
@friendly
def template(rubric_path: Path, output: Path, unit: str | None) -> None:
    """Tạo tệp Excel tự đánh giá từ bộ chỉ số: đơn vị nhập số liệu, tài liệu kiểm chứng, giải trình."""
    from scoring.workbook.template import write_template

    _need_suffix(output, ".xlsx", "--output")
    rb = load_rubric(rubric_path)
    write_template(rb, output, unit)
    errors.print(f"Đã ghi {output}: {len(rb.leaves())} tiêu chí thành phần; nhập vào các ô màu vàng.")


def fail(message: str) -> NoReturn:
    """A usage problem: one line, exit code 2 (as ``friendly`` does for bad input)."""
    errors.print(f"lỗi: {message}", markup=False)
    sys.exit(2)


def _need_suffix(path: Path, suffix: str, option: str) -> None:
    if path.suffix.lower() != suffix:
        fail(f"{option} cần tên tệp {suffix}, nhận được “{path}”")


# ---------------------------------------------------------------- score
@main.command()
@click.option("--rubric", "-r", "rubric_path", required=True, type=click.Path(path_type=Path),
              help="Tệp bộ chỉ số (.yaml).")
@click.option("--evidence", "-e", "evidence_paths", required=True, multiple=True, type=click.Path(path_type=Path),
              help="Số liệu: .yaml (một đơn vị), .xlsx (tệp tự đánh giá hoặc bảng nhiều đơn vị), .csv. "
                   "Có thể lặp lại.")
@click.option("--format", "-f", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "json", "csv", "xlsx", "docx"]),
              help="Định dạng kết quả: xlsx = bảng tự đánh giá, chấm điểm; docx = báo cáo tự đánh giá.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Ghi ra tệp thay vì màn hình (bắt buộc với xlsx, docx).")
@click.option("--unit", "-u", help="Chỉ chấm một đơn vị (tên như trong tệp số liệu); cần khi tệp có nhiều đơn vị "
                                   "mà xuất docx hoặc biểu đồ.")
@click.option("--chart", type=click.Path(path_type=Path), help="Ghi biểu đồ điểm theo lĩnh vực ra tệp .png.")
@click.option("--detail/--summary", default=None, help="Bảng chi tiết từng đơn vị hoặc chỉ bảng xếp hạng.")
@click.option("--no-trace", is_flag=True, help="JSON không kèm diễn giải từng tiêu chí.")
@friendly
def score(rubric_path: Path, evidence_paths: tuple[Path, ...], fmt: str, output: Path | None, unit: str | None,
          chart: Path | None, detail: bool | None, no_trace: bool) -> None:
    """Chấm điểm một hoặc nhiều đơn vị và in điểm, điểm bị mất, chỉ số; xuất bảng điểm, báo cáo."""
    from scoring import score as score_units
    from scoring.inputs.readers import read_with_details
    from scoring.reports.text import print_sheet, sheet_csv, sheet_json

    if fmt in ("xlsx", "docx"):
        if output is None:
            fail(f"--format {fmt} cần --output TỆP.{fmt}")
        _need_suffix(output, f".{fmt}", "--output")
    if chart is not None:
        _need_suffix(chart, ".png", "--chart")
    rb = load_rubric(rubric_path)
    table, details = read_with_details(rb, evidence_paths)
    if unit is not None:
        table = table.take([_unit_row(table.units, unit)])
    elif len(table) > 1 and (fmt == "docx" or chart is not None):
        fail(f"số liệu có {len(table)} đơn vị; báo cáo và biểu đồ lập cho một đơn vị: chọn bằng --unit "
             f"(ví dụ --unit “{table.units[0]}”)")
    sheet = score_units(rb, table)
    if fmt == "xlsx":
        from scoring.reports.xlsx import write_score_xlsx

        write_score_xlsx(sheet, output)
        errors.print(f"Đã ghi {output}")
    elif fmt == "docx":
        from scoring.reports.docx import write_report_docx

        write_report_docx(sheet, output, 0, details.get(sheet.units[0]))
        errors.print(f"Đã ghi {output}")
    elif fmt == "json":
        emit(sheet_json(sheet, traces=not no_trace), output)
    elif fmt == "csv":
        emit(sheet_csv(sheet), output)
    elif output is not None:
        target = Console(record=True, width=160, file=io.StringIO())
        print_sheet(sheet, target, detail)
        emit(target.export_text(), output)
    else:
        print_sheet(sheet, console, detail)
    if chart is not None:
        from scoring.reports.charts import write_chart

        write_chart(sheet.result(0), chart)
        errors.print(f"Đã ghi {chart}")


def _unit_row(units: list[str], name: str) -> int:
    from criteria.rules.base import nfc

    wanted = nfc(name)
    if wanted in units:
        return units.index(wanted)
    shown = ", ".join(f"“{u}”" for u in units[:5]) + (f" và {len(units) - 5} đơn vị khác" if len(units) > 5 else "")
    fail(f"không có đơn vị “{wanted}” trong số liệu; có: {shown}")


# ---------------------------------------------------------------- plan
@main.command()
@click.option("--rubric", "-r", "rubric_path", type=click.Path(path_type=Path),
              help="Tệp bộ chỉ số (.yaml); không cần với --campaign.")
@click.option("--result", "result_path", type=click.Path(path_type=Path),
              help="Kết quả của năm đánh giá: tệp số liệu (.yaml, .csv, .xlsx; chấm ngay, chính xác) "
                   "hoặc JSON do “parindex score --format json” ghi.")
@click.option("--campaign", "campaign_path", type=click.Path(path_type=Path),
              help="Hoặc một chiến dịch (.db): kết quả thẩm định của mọi đơn vị, các đơn vị khác làm mốc xếp hạng.")
@click.option("--stage", type=click.Choice(["appraised", "self"]), default="appraised", show_default=True,
              help="Với --campaign: kết quả thẩm định (kèm điểm điều tra) hoặc bản tự đánh giá.")
@click.option("--profile", "-p", "profile_path", required=True, type=click.Path(path_type=Path),
              help="Hồ sơ đơn vị (.yaml); với --all: một thư mục hồ sơ (hoặc một hồ sơ mẫu unit: \"*\").")
@click.option("--kind", "-k", default="remediation", show_default=True,
              type=click.Choice(["remediation", "annual"]),
              help="remediation: Kế hoạch khắc phục tồn tại, hạn chế; annual: Kế hoạch CCHC năm.")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Tệp kế hoạch (.docx hoặc .md); với --all: thư mục. Bỏ trống với --format md: in ra màn hình.")
@click.option("--format", "-f", "fmt", type=click.Choice(["docx", "md"]), default=None,
              help="docx (mặc định, thể thức NĐ 30/2020) hoặc md để xem nhanh; mặc định theo đuôi tệp.")
@click.option("--unit", "-u", help="Đơn vị cần soạn khi RESULT có nhiều đơn vị.")
@click.option("--all", "all_units", is_flag=True, help="Soạn cho mọi đơn vị của RESULT, mỗi đơn vị một tệp.")
@click.option("--target", "-t", help="Mục tiêu: “tăng ít nhất 2 bậc”, “thứ 1”, “nhóm Tốt”, “85 điểm”, “90%”, “toàn bộ”.")
@click.option("--peers", "peer_paths", multiple=True, type=click.Path(path_type=Path),
              help="CSV chỉ số các đơn vị khác (cột đơn vị + chỉ số %, hoặc điểm [+ tối đa]). Có thể lặp lại.")
@click.option("--index", "index_specs", nargs=2, multiple=True, type=click.Path(path_type=Path),
              metavar="RUBRIC RESULT", help="Chỉ số khác (SIPAS, PAPI, QĐ 766): bộ chỉ số và kết quả thành phần. "
                                            "Có thể lặp lại.")
@friendly
def plan(rubric_path: Path | None, result_path: Path | None, campaign_path: Path | None, stage: str,
         profile_path: Path, kind: str, output: Path | None, fmt: str | None, unit: str | None, all_units: bool, target: str | None, peer_paths: tuple[Path, ...],
         index_specs: tuple[tuple[Path, Path], ...]) -> None:
    """Soạn dự thảo kế hoạch (Word, thể thức NĐ 30/2020) từ điểm bị mất của năm đánh giá."""
    import time

    from scoring.plans.api import draft, draft_all, write_plan
    from scoring.plans.document import PlanDocument
    from scoring.plans.indices import IndexSource
    from scoring.plans.scored import load_scored
    from scoring.plans.markdown import render_markdown
    from scoring.plans.peers import read_peers_csv
    from scoring.plans.profile import load_profiles, profile_for
    from scoring.plans.targets import parse_target

    if (result_path is None) == (campaign_path is None):
        raise InputError.single("--result/--campaign", "", "cần đúng một trong --result TỆP hoặc --campaign TỆP.db")
    if campaign_path is not None:
        from scoring import campaign as c
        from scoring.plans.scored import scored_from_sheet

        store = c.open_campaign(campaign_path)
        rb = store.rubric
        sheet = c.appraised_sheet(store) if stage == "appraised" else c.self_sheet(store)
        scored = scored_from_sheet(sheet, str(campaign_path))
    else:
        if rubric_path is None:
            raise InputError.single("--rubric", "", "cần --rubric TỆP.yaml cùng với --result")
        rb = load_rubric(rubric_path)
        scored = load_scored(rb, result_path)
    profiles = load_profiles(profile_path)
    peers = [s for path in peer_paths for s in read_peers_csv(path, rb.max_points)]
    indices = [IndexSource(r, e) for r, e in index_specs]
    if target is not None:
        parse_target(target, rb)  # refuse a bad target before any work
    started = time.perf_counter()
    if all_units:
        if output is None:
            raise InputError.single("--output", "", "với --all cần -o THƯ_MỤC để ghi mỗi đơn vị một tệp")
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=errors, transient=False) as bar:
            task = bar.add_task("Soạn kế hoạch", total=len(scored.units))
            written = draft_all(rb, scored, profiles, output, kind=kind, fmt=fmt or "docx", target=target,
                                peers=peers, indices=indices,
                                progress=lambda name: bar.update(task, advance=1, description=name))
        for outcome, _ in written:
            for warning in outcome.warnings:
                errors.print(f"cảnh báo: {warning}", markup=False)
        seconds = time.perf_counter() - started
        errors.print(f"Đã ghi {len(written)} kế hoạch vào {output} ({seconds:.1f} giây, "
                     f"{seconds / max(len(written), 1) * 1000:.0f} ms/kế hoạch)", markup=False)
        return
    name = scored.pick(unit)
    profile = profile_for(profiles, name, str(profile_path))
    outcome = draft(rb, scored, name, profile, kind=kind, target=target, peers=peers, indices=indices)
    for warning in outcome.warnings:
        errors.print(f"cảnh báo: {warning}", markup=False)
    chosen = fmt or ("md" if output is not None and output.suffix.lower() == ".md" else "docx")
    if output is None:
        if chosen != "md":
            raise InputError.single("--output", "", "cần -o TỆP.docx (hoặc --format md để in ra màn hình)")
        click.echo(render_markdown(outcome.document), nl=False)
        return
    write_plan(outcome, output, chosen)
    goal = outcome.goal
    what = "nhiệm vụ" if kind == "remediation" else "tiêu chí có nhiệm vụ"
    state = "đạt được" if goal.reachable else "không đạt được"
    errors.print(f"Đã ghi {output}: {outcome.tasks} {what}, mục tiêu ({goal.target.words()}) {state}"
                 + (f", {len(goal.chosen)} nhiệm vụ ưu tiên" if goal.chosen else ""), markup=False)


# ---------------------------------------------------------------- campaign
DB_OPTION = click.option("--db", "-d", "db", required=True, envvar=["PARINDEX_CAMPAIGN", "DATABASE_URL"],
                         help="Tệp chiến dịch (SQLite), sqlite:///đường/dẫn.db hoặc postgresql://máy/csdl[#mã-chiến-dịch]; "
                              "mặc định $PARINDEX_CAMPAIGN, rồi $DATABASE_URL.")
BY_OPTION = click.option("--as", "--by", "by", default=None, envvar="PARINDEX_USER",
                         help="Tài khoản thực hiện (tên đăng nhập hoặc họ tên; phải có vai trò phù hợp trong chiến dịch); "
                              "mặc định $PARINDEX_USER.")


def _open(db: Path | str, by: str | None = None) -> CampaignStore:
    from scoring.campaign import clock_from_environment, open_campaign

    return open_campaign(db, clock_from_environment(), as_=by)


class _Bar:
    """A progress bar on stderr for a batch step (silent when stderr is not a terminal)."""

    def __init__(self, description: str):
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeRemainingColumn(), console=errors, transient=True,
                                 disable=not errors.is_terminal)
        self.description = description
        self.task = None

    def __enter__(self) -> "_Bar":
        self.progress.start()
        self.task = self.progress.add_task(self.description, total=None)
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def __call__(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@main.group()
def campaign() -> None:
    """Chiến dịch chấm điểm: nộp, thẩm định hai vòng, giải trình, điều tra XHH, xếp hạng, công bố."""


@campaign.command("init")
@DB_OPTION
@click.option("--rubric", "-r", "rubric_path", required=True, type=click.Path(path_type=Path), help="Tệp bộ chỉ số (.yaml).")
@click.option("--name", required=True, help="Tên chiến dịch, ví dụ “Chỉ số CCHC cấp xã năm 2025”.")
@click.option("--year", type=int, default=None, help="Năm đánh giá (mặc định năm của bộ chỉ số).")
@click.option("--deadline", "deadlines", multiple=True, metavar="GIAI_ĐOẠN=NGÀY",
              help="Hạn một giai đoạn: tu-danh-gia, tham-dinh-1, giai-trinh, tham-dinh-2 (ví dụ tu-danh-gia=31/01/2026).")
@click.option("--demo", is_flag=True, help="Chiến dịch trình diễn: cho phép đồng hồ giả lập PARINDEX_NOW.")
@BY_OPTION
@friendly
def campaign_init(db: Path, rubric_path: Path, name: str, year: int | None, deadlines: tuple[str, ...], demo: bool,
                  by: str | None) -> None:
    """Tạo chiến dịch mới (một tệp hoặc trong PostgreSQL) cho một bộ chỉ số; --as là tài khoản quản trị đầu tiên."""
    from scoring.campaign import PHASE_VI, clock_from_environment, init
    from scoring.campaign.clock import show_moment

    given = {}
    for item in deadlines:
        phase, sep, when = item.partition("=")
        if not sep:
            raise InputError.single("--deadline", "", f"“{item}”: cần dạng GIAI_ĐOẠN=NGÀY, ví dụ tu-danh-gia=31/01/2026")
        given[phase.strip()] = when.strip()
    if not by:
        raise InputError.single("--as", "", "cần tên tài khoản quản trị đầu tiên (--as TÊN hoặc PARINDEX_USER)")
    with init(db, rubric_path, name, by=by, deadlines=given, year=year, clock=clock_from_environment(),
              demo=demo) as store:
        info = store.info
        _say(f"Đã tạo chiến dịch “{info.name}” (bộ chỉ số {info.rubric_id}, năm {info.year}) tại {store.name}")
        _say(f"  Tài khoản quản trị: {store.operator.first_name} (tên đăng nhập {store.operator.username})")
        if demo:
            _say("  CHẾ ĐỘ TRÌNH DIỄN: chấp nhận đồng hồ giả lập PARINDEX_NOW; mọi mục ghi dưới đồng hồ đó bị đánh dấu.")
        for key, name in PHASE_VI.items():
            moment = info.deadlines.get(key)
            _say(f"  Hạn {name}: {show_moment(moment) if moment else 'không đặt (khóa bằng close-phase)'}")


@campaign.command("add-unit")
@DB_OPTION
@click.argument("names", nargs=-1)
@click.option("--from", "from_files", multiple=True, type=click.Path(path_type=Path),
              help="Lấy tên đơn vị từ tệp số liệu (.yaml, .csv, .xlsx). Có thể lặp lại.")
@click.option("--level", default="", help="Cấp đơn vị (xã, phường, sở…).")
@BY_OPTION
@friendly
def campaign_add_unit(db: Path, names: tuple[str, ...], from_files: tuple[Path, ...], level: str, by: str | None) -> None:
    """Thêm đơn vị vào chiến dịch (tên đã có thì bỏ qua)."""
    from scoring.campaign import add_unit, unit_names_from_files

    with _open(db, by) as store:
        wanted = list(names) + (unit_names_from_files(store, from_files) if from_files else [])
        with _Bar("Thêm đơn vị") as bar:
            added = add_unit(store, wanted, by=by, level=level, on_progress=bar)
        for name in wanted:
            _say(f"  {name}: {'đã thêm' if name in added else 'đã có, bỏ qua'}")
        _say(f"Chiến dịch có {len(store.units())} đơn vị.")


@campaign.command("submit")
@DB_OPTION
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@BY_OPTION
@friendly
def campaign_submit(db: Path, files: tuple[Path, ...], by: str | None) -> None:
    """Nộp bản tự đánh giá (.yaml một đơn vị; .csv/.xlsx nhiều đơn vị); nộp lại nội dung y hệt không tạo bản mới."""
    from scoring.campaign import submit

    with _open(db, by) as store, _Bar("Nộp bản tự đánh giá") as bar:
        outcomes = submit(store, files, by=by, on_progress=bar)
    for outcome in outcomes:
        _say(f"  {outcome.unit}: {outcome.status} (#{outcome.seq})")
        if outcome.dropped_survey:
            _say(f"    bỏ qua {', '.join(outcome.dropped_survey)}: điểm điều tra XHH do cơ quan Nội vụ nhập (import-survey)")


@campaign.command("withdraw")
@DB_OPTION
@click.argument("unit")
@click.option("--reason", required=True, help="Lý do rút (bắt buộc).")
@BY_OPTION
@friendly
def campaign_withdraw(db: Path, unit: str, reason: str, by: str | None) -> None:
    """Rút bản tự đánh giá để sửa (chỉ trước hạn tự đánh giá)."""
    from scoring.campaign import withdraw

    with _open(db, by) as store:
        seq = withdraw(store, unit, reason=reason, by=by)
    _say(f"Đã rút bản tự đánh giá của {unit} (#{seq}); nộp lại bằng campaign submit.")


@campaign.command("appraise")
@DB_OPTION
@click.argument("unit", required=False)
@click.argument("code", required=False)
@click.option("--points", help="Đặt điểm tiêu chí (trong khoảng cho phép), ví dụ 1,5.")
@click.option("--evidence", help="Sửa số liệu; điểm tính lại theo quy tắc của tiêu chí, ví dụ 140/200.")
@click.option("--accept", is_flag=True, help="Vòng 2: chấp nhận giải trình, giữ điểm tự đánh giá.")
@click.option("--confirm", is_flag=True, help="Công nhận kết quả tự đánh giá (vòng 2: giữ kết quả vòng 1).")
@click.option("--reason", help="Lý do (bắt buộc).")
@click.option("--file", "decisions_file", type=click.Path(path_type=Path),
              help="Nhiều quyết định từ bảng .csv/.xlsx: Đơn vị, Mã, Điểm, Số liệu, Lý do, Chấp nhận giải trình.")
@BY_OPTION
@friendly
def campaign_appraise(db: Path, unit: str | None, code: str | None, points: str | None, evidence: str | None,
                      accept: bool, confirm: bool, reason: str | None, decisions_file: Path | None, by: str | None) -> None:
    """Thẩm định một tiêu chí của một đơn vị (hoặc cả bảng quyết định) ở vòng đang mở, luôn kèm lý do."""
    from scoring.campaign import Decision, appraise_many, read_decisions

    if decisions_file is not None:
        if unit or code or points or evidence or accept or confirm:
            raise InputError.single("appraise", "", "dùng --file thì không ghi thêm đơn vị, mã hay điểm trên dòng lệnh")
        decisions = read_decisions(decisions_file)
    else:
        if not unit or not code:
            raise InputError.single("appraise", "", "cần ĐƠN_VỊ và MÃ tiêu chí (hoặc --file)")
        if not (points or evidence or accept or confirm):
            raise InputError.single("appraise", "", "chọn một: --points, --evidence, --accept hoặc --confirm")
        if confirm and (points or evidence or accept):
            raise InputError.single("appraise", "", "--confirm không đi cùng --points, --evidence hay --accept")
        decisions = [Decision(unit, code, reason or "", points, evidence, accept)]
    with _open(db, by) as store, _Bar("Ghi quyết định thẩm định") as bar:
        seqs = appraise_many(store, decisions, by=by, on_progress=bar)
    for decision, seq in zip(decisions, seqs):
        _say(f"  #{seq} {decision.unit}, tiêu chí {decision.code}: đã ghi")


@campaign.command("explain")
@DB_OPTION
@click.argument("unit")
@click.argument("code")
@click.option("--text", required=True, help="Nội dung giải trình.")
@BY_OPTION
@friendly
def campaign_explain(db: Path, unit: str, code: str, text: str, by: str | None) -> None:
    """Đơn vị giải trình về một tiêu chí bị điều chỉnh ở vòng 1 (trong giai đoạn giải trình)."""
    from scoring.campaign import explain

    with _open(db, by) as store:
        seq = explain(store, unit, code, text, by=by)
    _say(f"Đã ghi giải trình #{seq} của {unit}, tiêu chí {code}.")


@campaign.command("close-phase")
@DB_OPTION
@click.argument("phase")
@BY_OPTION
@friendly
def campaign_close_phase(db: Path, phase: str, by: str | None) -> None:
    """Khóa một giai đoạn ngay (tu-danh-gia, tham-dinh-1, giai-trinh, tham-dinh-2)."""
    from scoring.campaign import PHASE_VI, close_phase
    from scoring.campaign.phases import phase_key

    with _open(db, by) as store:
        seq = close_phase(store, phase, by=by)
        head = store.head()
    _say(f"Đã khóa giai đoạn {PHASE_VI[phase_key(phase)]} (#{seq}). Đầu chuỗi nhật ký: #{head[0]} {head[1]}")


@campaign.command("import-survey")
@DB_OPTION
@click.argument("file", type=click.Path(path_type=Path))
@BY_OPTION
@friendly
def campaign_import_survey(db: Path, file: Path, by: str | None) -> None:
    """Nhập điểm điều tra XHH/SIPAS theo đơn vị từ .csv hoặc .xlsx (cột đơn vị + cột mã tiêu chí điều tra)."""
    from scoring.campaign import import_survey

    with _open(db, by) as store, _Bar("Nhập điểm điều tra") as bar:
        outcome = import_survey(store, file, by=by, on_progress=bar)
    if outcome.seq is None:
        _say(f"Không có thay đổi: {outcome.units} đơn vị, điểm đã có sẵn.")
    else:
        _say(f"Đã nhập điểm điều tra của {outcome.units} đơn vị, {outcome.changed} giá trị mới (#{outcome.seq}).")


@campaign.command("diff")
@DB_OPTION
@click.argument("unit")
@click.option("--xlsx", "xlsx_path", type=click.Path(path_type=Path), help="Ghi thêm ra tệp .xlsx.")
@friendly
def campaign_diff(db: Path, unit: str, xlsx_path: Path | None) -> None:
    """Điểm tự chấm và điểm thẩm định từng tiêu chí, mỗi điều chỉnh kèm lý do và số nhật ký."""
    from rich.table import Table

    from criteria.numbers import format_vn
    from scoring.campaign import diff, diff_workbook
    from scoring.campaign.diff import totals_lines

    with _open(db) as store:
        result = diff(store, unit)
    p = result.precision
    table = Table(title=f"{result.unit}: tự chấm và thẩm định")
    for column, justify in (("Mã", "left"), ("Tiêu chí", "left"), ("Tối đa", "right"), ("Tự chấm", "right"),
                            ("Thẩm định", "right"), ("Chênh lệch", "right"), ("Kết quả", "left")):
        table.add_column(column, justify=justify, overflow="fold")
    for row in result.rows:
        change = row.change
        table.add_row(row.code, "  " * row.depth + row.name, format_vn(row.max, p),
                      "—" if row.self_points is None else format_vn(row.self_points, p), format_vn(row.appraised, p),
                      "" if not change else ("+" if change > 0 else "") + format_vn(change, p), row.status,
                      style="bold" if row.depth == 0 else None)
    console.print(table)
    for line in totals_lines(result):
        _say(line)
    changed = result.changed()
    if changed:
        _say("Quyết định, giải trình và nguồn điểm (số # là số mục nhật ký):")
        for row in changed:
            _say(f"  {row.code} {row.name}")
            if row.self_points is not None and row.self_points != row.appraised:
                _say(f"    tự chấm: {row.self_text}")
                _say(f"    thẩm định: {row.appraised_text}")
            for step in row.steps:
                _say(f"    {step.line()}")
    if xlsx_path is not None:
        diff_workbook(result, xlsx_path)
        errors.print(f"Đã ghi {xlsx_path}")


def _standings_table(rows: list[Standing], precision: int, title: str) -> Table:
    from rich.table import Table

    from criteria.numbers import format_vn

    compare = any(r.change is not None for r in rows)
    table = Table(title=title)
    for column in ("Hạng", "Đơn vị", "Thẩm định", "Điều tra XHH", "Tổng", "Tối đa", "Chỉ số %", "Xếp loại",
                   *(("So với trước",) if compare else ())):
        table.add_column(column)
    for r in rows:
        extra = ()
        if compare:
            c = r.change
            extra = (c.words() if c.previous_rank is None else f"hạng {c.previous_rank} → {r.rank}, {c.words()}, "
                     f"chỉ số {'+' if c.index_delta and c.index_delta > 0 else ''}{format_vn(c.index_delta, precision)}",)
        table.add_row(str(r.rank), r.unit, format_vn(r.appraised, precision),
                      format_vn(r.survey, precision) if r.survey is not None else "không có",
                      format_vn(r.total, precision), format_vn(r.max, precision), format_vn(r.index, precision),
                      r.classification or "—", *extra)
    return table


@campaign.command("rank")
@DB_OPTION
@click.option("--previous", type=click.Path(path_type=Path),
              help="Kỳ trước để so sánh: tệp chiến dịch, hoặc bảng kết quả đã công bố (.csv/.xlsx).")
@friendly
def campaign_rank(db: Path, previous: Path | None) -> None:
    """Xếp hạng mọi đơn vị theo chỉ số (đồng hạng khi bằng nhau) và xếp loại theo bộ chỉ số."""
    from scoring.campaign import rank

    from scoring.campaign.standings import load_previous

    with _open(db) as store:
        rows = rank(store, load_previous(previous) if previous else None)
        console.print(_standings_table(rows, store.rubric.precision,
                                       f"Xếp hạng: {store.info.name} ({len(rows)} đơn vị)"))


@campaign.command("publish")
@DB_OPTION
@click.option("--out", "-o", "out_dir", required=True, type=click.Path(path_type=Path), help="Thư mục ghi kết quả.")
@click.option("--issuer", required=True, help="Cơ quan ban hành, ví dụ “Ủy ban nhân dân tỉnh Hà Tĩnh”.")
@click.option("--place", required=True, help="Địa danh ở dòng ngày tháng, ví dụ “Hà Tĩnh”.")
@click.option("--parent", default="", help="Cơ quan cấp trên in trên tên cơ quan (nếu có).")
@click.option("--number", default=None, help="Số quyết định (bỏ trống để văn thư ghi).")
@click.option("--date", "date_text", default=None, help="Ngày ký, ví dụ 15/04/2026 (bỏ trống để văn thư ghi).")
@click.option("--signer", default="", help="Họ tên người ký.")
@click.option("--authority", multiple=True, help="Dòng thẩm quyền ký (mặc định “CHỦ TỊCH”); lặp lại: “KT. CHỦ TỊCH”, “PHÓ CHỦ TỊCH”.")
@click.option("--subject", default=None, help="Đối tượng công bố, ví dụ “các xã, phường”.")
@click.option("--base", "bases", multiple=True, help="Một căn cứ (lặp lại cho nhiều căn cứ).")
@click.option("--proposer", default="Giám đốc Sở Nội vụ", show_default=True, help="Cơ quan đề nghị.")
@click.option("--recipient", "recipients", multiple=True, help="Một nơi nhận (lặp lại).")
@click.option("--previous", type=click.Path(path_type=Path),
              help="Kỳ trước để so sánh: tệp chiến dịch, hoặc bảng kết quả đã công bố (.csv/.xlsx).")
@BY_OPTION
@friendly
def campaign_publish(db: Path, out_dir: Path, issuer: str, place: str, parent: str, number: str | None,
                     date_text: str | None, signer: str, authority: tuple[str, ...], subject: str | None,
                     bases: tuple[str, ...], proposer: str, recipients: tuple[str, ...], previous: Path | None,
                     by: str | None) -> None:
    """Công bố: lưu kết quả cuối cùng, ghi bảng xếp hạng (.xlsx), Quyết định công bố (.docx) và biểu đồ (.png)."""
    from scoring.campaign import PublishOptions, publish
    from scoring.campaign.clock import parse_moment
    from scoring.campaign.publish import anchor_text

    try:
        date = parse_moment(date_text).date() if date_text else None
    except ValueError as exc:
        raise InputError.single("--date", "", str(exc)) from None
    options = PublishOptions(issuer=issuer, place=place, parent=parent, number=number, date=date, signer=signer,
                             authority=authority or ("CHỦ TỊCH",), subject=subject, bases=bases, proposer=proposer,
                             **({"recipients": recipients} if recipients else {}))
    from scoring.campaign.standings import load_previous

    with _open(db, by) as store:
        before = load_previous(previous) if previous else None
        with _Bar("Công bố") as bar:
            result = publish(store, out_dir, options, by=by, previous=before, on_progress=bar)
        console.print(_standings_table(list(result.rows), store.rubric.precision,
                                       f"Kết quả công bố: {store.info.name}"))
    _say(f"Kết quả cuối cùng đã lưu (nhật ký #{result.seq}). Mã kiểm tra nhật ký: {anchor_text(result.head)}")
    if result.simulated:
        errors.print(f"CHÚ Ý: {result.simulated} mục nhật ký được ghi dưới ĐỒNG HỒ GIẢ LẬP (PARINDEX_NOW): đây là "
                     "chiến dịch trình diễn, thời điểm không phải giờ máy chủ.", markup=False)
    for path in result.files.values():
        _say(f"Đã ghi {path}")


@campaign.command("verify")
@DB_OPTION
@click.option("--anchor", default=None, help="Mã kiểm tra đã công bố, dạng SỐ:SHA256.")
@friendly
def campaign_verify(db: Path, anchor: str | None) -> None:
    """Kiểm tra nhật ký: chuỗi hash, đầu chuỗi, mọi bảng khớp nhật ký; mã đã công bố (nếu có)."""
    from scoring.campaign import verify

    with _open(db) as store:
        report = verify(store, anchor)
    for phase, seq, digest in report.phase_heads:
        _say(f"Khóa giai đoạn {phase}: đầu chuỗi lúc đó #{seq} {digest}")
    for note in report.notes:
        errors.print(note, markup=False)
    if report.ok:
        _say(f"Nhật ký toàn vẹn: {report.entries} mục, đầu chuỗi #{report.head_seq} {report.head_hash}")
        return
    for problem in report.problems:
        errors.print(f"lỗi: {db}: {problem}", markup=False)
    errors.print(f"Nhật ký KHÔNG toàn vẹn: {len(report.problems)} vấn đề.", markup=False)
    sys.exit(1)


@campaign.command("status")
@DB_OPTION
@click.option("--log", "show_log", is_flag=True, help="In nhật ký (mọi mục, hoặc của --unit).")
@click.option("--unit", default=None, help="Chỉ nhật ký của một đơn vị.")
@friendly
def campaign_status(db: Path, show_log: bool, unit: str | None) -> None:
    """Tình trạng chiến dịch: các giai đoạn và hạn, từng đơn vị, đầu chuỗi nhật ký."""
    from rich.table import Table

    from scoring.campaign import log, status
    from scoring.campaign.clock import show_moment
    from scoring.campaign.status import describe

    with _open(db) as store:
        if show_log or unit:
            for entry in log(store, unit):
                who = f" [{entry.unit}]" if entry.unit else ""
                _say(f"#{entry.seq} {show_moment(entry.at)} {entry.actor}{who}: {describe(entry)}")
            return
        report = status(store)
    info = report.info
    _say(f"{info.name} — {report.rubric_title} ({info.rubric_id}), năm {info.year}; bây giờ: {show_moment(report.now)}")
    for phase in report.phases:
        deadline = f"hạn {show_moment(phase.deadline)}" if phase.deadline else "không đặt hạn"
        _say(f"  {phase.name}: {phase.state} ({phase.why_ended() if phase.has_ended else deadline})")
    table = Table(title=f"{len(report.units)} đơn vị")
    for column in ("Đơn vị", "Cấp", "Bản tự đánh giá", "Vòng 1 (điều chỉnh)", "Giải trình", "Vòng 2", "Điều tra XHH"):
        table.add_column(column)
    for u in report.units:
        table.add_row(u.unit, u.level or "—", u.submission, f"{u.round1} ({u.round1_changes})", str(u.explanations),
                      str(u.round2), "có" if u.survey else "không")
    console.print(table)
    published = f"đã công bố (#{report.published_seq})" if report.published_seq else "chưa công bố"
    _say(f"Kết quả: {published}. Đầu chuỗi nhật ký: #{report.head[0]} {report.head[1]}")



@campaign.group("account")
def campaign_account() -> None:
    """Tài khoản và vai trò: quan-tri (Sở Nội vụ), don-vi (một đơn vị), tham-dinh (được phân công), xem."""


def _show_accounts(found: list) -> None:
    from scoring.campaign.store import ROLE_VI

    for a in found:
        where = f", {a.unit}" if a.unit else (f", phân công: {'; '.join(a.assignments)}" if a.assignments else "")
        state = "" if a.active else " [đã khóa]"
        _say(f"  {a.name} — tên đăng nhập {a.username}, {ROLE_VI[a.role]}{where}{state}")
        if a.password:
            _say(f"    mật khẩu ban đầu (chỉ hiện một lần, đổi ở lần đăng nhập đầu): {a.password}")


@campaign_account.command("add")
@DB_OPTION
@click.argument("name")
@click.option("--role", required=True, help="quan-tri, don-vi, tham-dinh hoặc xem.")
@click.option("--unit", default=None, help="Với don-vi: đơn vị của tài khoản.")
@click.option("--assign", "assigned_units", multiple=True, help="Với tham-dinh: một đơn vị được phân công (lặp lại).")
@click.option("--field", "fields", multiple=True, help="Với tham-dinh: một lĩnh vực/tiêu chí được phân công, ví dụ 4 (lặp lại).")
@BY_OPTION
@friendly
def campaign_account_add(db: Path, name: str, role: str, unit: str | None, assigned_units: tuple[str, ...],
                         fields: tuple[str, ...], by: str | None) -> None:
    """Thêm tài khoản (hoặc giao vai trò cho tài khoản đã có); in mật khẩu ban đầu một lần."""
    from scoring.campaign import add_account

    with _open(db, by) as store:
        _show_accounts([add_account(store, name, role, by=by, unit=unit, fields=fields, units=assigned_units)])


@campaign_account.command("add-units")
@DB_OPTION
@BY_OPTION
@friendly
def campaign_account_add_units(db: Path, by: str | None) -> None:
    """Một tài khoản đơn vị cho mỗi đơn vị chưa có (tên tài khoản = tên đơn vị)."""
    from scoring.campaign import add_unit_accounts

    with _open(db, by) as store:
        made = add_unit_accounts(store, by=by)
        _show_accounts(made)
        _say(f"Đã tạo {len(made)} tài khoản đơn vị.")


@campaign_account.command("list")
@DB_OPTION
@friendly
def campaign_account_list(db: Path) -> None:
    """Mọi tài khoản của chiến dịch và vai trò."""
    from scoring.campaign import accounts

    with _open(db) as store:
        _show_accounts(accounts(store))


@campaign_account.command("lock")
@DB_OPTION
@click.argument("name")
@click.option("--unlock", is_flag=True, help="Mở khóa thay vì khóa.")
@BY_OPTION
@friendly
def campaign_account_lock(db: Path, name: str, unlock: bool, by: str | None) -> None:
    """Khóa (hoặc mở khóa) một tài khoản: không đăng nhập, không thao tác được."""
    from scoring.campaign import set_active

    with _open(db, by) as store:
        _show_accounts([set_active(store, name, unlock, by=by)])


@campaign_account.command("reset-password")
@DB_OPTION
@click.argument("name")
@BY_OPTION
@friendly
def campaign_account_reset_password(db: Path, name: str, by: str | None) -> None:
    """Cấp mật khẩu ban đầu mới (hiện một lần; phải đổi ở lần đăng nhập sau)."""
    from scoring.campaign import reset_password

    with _open(db, by) as store:
        _show_accounts([reset_password(store, name, by=by)])


@campaign.command("migrate")
@click.argument("old", type=click.Path(path_type=Path))
@click.option("--db", "-d", "db", default=None, envvar=["PARINDEX_CAMPAIGN", "DATABASE_URL"],
              help="Nơi nhận: tệp SQLite mới hoặc postgresql://…; mặc định CŨ-moi.db cạnh tệp cũ.")
@friendly
def campaign_migrate(old: Path, db: str | None) -> None:
    """Chuyển một tệp chiến dịch định dạng cũ sang kho mới, giữ nguyên nhật ký (vẫn kiểm tra được)."""
    from scoring.campaign import migrate, verify

    target = db or str(old.with_name(old.stem + "-moi.db"))
    with migrate(old, target) as store:
        report = verify(store)
        _say(f"Đã chuyển {old} → {store.name}: {report.entries} mục nhật ký, "
             f"{'toàn vẹn' if report.ok else 'KHÔNG toàn vẹn'}; đầu chuỗi #{report.head_seq} {report.head_hash}")
        _say(f"  Tài khoản quản trị: {store.operator.first_name}; các tên khác trong nhật ký cũ thành tài khoản "
             "bị khóa, giao vai trò bằng campaign account add.")
        for problem in report.problems:
            errors.print(f"lỗi: {problem}", markup=False)
    if not report.ok:
        sys.exit(1)


# ---------------------------------------------------------------- portal
main.add_command(serve)


if __name__ == "__main__":
    main()
