"""parindex: the command line, a thin layer over the ``criteria`` and ``scoring`` packages."""

from __future__ import annotations

import functools
import io
import json
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn

import click
from rich.console import Console

from criteria import InputError, Rubric, load_rubric
from criteria.model import NOT_APPLICABLE_WORDS_VI
from criteria.numbers import format_points

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
        except OSError as exc:
            errors.print(f"lỗi: {exc.filename or ''}: {exc.strerror or exc}", markup=False)
            sys.exit(2)

    return wrapper


def emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        from scoring.atomic import write_atomic

        write_atomic(output, text)
        errors.print(f"Đã ghi {output}")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
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
    from scoring.rubric_cases import cases_file_for, run_cases

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
    from scoring.atomic import write_atomic

    result = import_table(table, ImportOptions(id=rubric_id, title=title, level=level, year=year, source=source,
                                               survey=survey, use_child_sums=use_child_sums))
    report = result.report
    if result.rubric is not None:
        waiting = ", ".join(leaf.code for leaf in report.needs_person) or "không có"
        header = (f"Nhập từ {table.name} bằng “parindex rubric import”.\n{report.summary()}.\n"
                  f"Cần người xem (quy tắc manual, giữ nguyên văn bản ở “text”): {waiting}")
        text = rubric_yaml(result.rubric, header)
        load_rubric_text(text, str(output))  # what is written always loads
        write_atomic(output, text)
        report.written = str(output)
    rendered = report.render()
    click.echo(rendered, nl=False)
    if report_path is not None:
        write_atomic(report_path, rendered)
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
    from scoring.atomic import write_atomic

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
    from scoring.xlsx_template import write_template

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
    from scoring.report_data import read_for_report
    from scoring.writers import print_sheet, sheet_csv, sheet_json

    if fmt in ("xlsx", "docx"):
        if output is None:
            fail(f"--format {fmt} cần --output TỆP.{fmt}")
        _need_suffix(output, f".{fmt}", "--output")
    if chart is not None:
        _need_suffix(chart, ".png", "--chart")
    rb = load_rubric(rubric_path)
    table, details = read_for_report(rb, evidence_paths)
    if unit is not None:
        table = table.take([_unit_row(table.units, unit)])
    elif len(table) > 1 and (fmt == "docx" or chart is not None):
        fail(f"số liệu có {len(table)} đơn vị; báo cáo và biểu đồ lập cho một đơn vị: chọn bằng --unit "
             f"(ví dụ --unit “{table.units[0]}”)")
    sheet = score_units(rb, table)
    if fmt == "xlsx":
        from scoring.xlsx_report import write_score_xlsx

        write_score_xlsx(sheet, output)
        errors.print(f"Đã ghi {output}")
    elif fmt == "docx":
        from scoring.docx_report import write_report_docx

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
        from scoring.charts import write_chart

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
@click.option("--rubric", "-r", "rubric_path", required=True, type=click.Path(path_type=Path),
              help="Tệp bộ chỉ số (.yaml).")
@click.option("--result", "result_path", required=True, type=click.Path(path_type=Path),
              help="Kết quả của năm đánh giá: tệp số liệu (.yaml, .csv, .xlsx; chấm ngay, chính xác) "
                   "hoặc JSON do “parindex score --format json” ghi.")
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
def plan(rubric_path: Path, result_path: Path, profile_path: Path, kind: str, output: Path | None,
         fmt: str | None, unit: str | None, all_units: bool, target: str | None, peer_paths: tuple[Path, ...],
         index_specs: tuple[tuple[Path, Path], ...]) -> None:
    """Soạn dự thảo kế hoạch (Word, thể thức NĐ 30/2020) từ điểm bị mất của năm đánh giá."""
    import time

    from scoring.plan import draft, draft_all, write_plan
    from scoring.plan_document import PlanDocument
    from scoring.plan_indices import IndexSource
    from scoring.plan_input import load_scored
    from scoring.plan_markdown import render_markdown
    from scoring.plan_peers import read_peers_csv
    from scoring.plan_profile import load_profiles, profile_for
    from scoring.plan_targets import parse_target

    rb = load_rubric(rubric_path)
    profiles = load_profiles(profile_path)
    scored = load_scored(rb, result_path)
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


if __name__ == "__main__":
    main()
