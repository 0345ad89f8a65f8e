"""parindex: the command line. Each command parses its arguments, makes one call into the
``criteria`` or ``scoring`` library and prints what it returns; a command imports its library entry
when it runs, so ``parindex --help`` loads click and nothing else."""

from __future__ import annotations

import atexit
import gc
import json
import os
import sys
from pathlib import Path

# numpy's OpenBLAS starts a thread per core as numpy loads (≈ 30 ms of CPU per command, more wall time
# on a busy machine); parindex computes in integers and never calls BLAS. A value already set is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
# When a command is done, the interpreter's shutdown would search every object its imports made (the
# rubric's pydantic schemas, numpy's types: ≈ 40,000 objects) for cycles again, ≈ 60 ms of CPU for one
# unit scored. The process is ending: the last exit hook freezes them, and the OS takes the memory
# back. Files and temporary folders are closed by the code that opened them and by the exit hooks
# registered later, which run before this one.
atexit.register(gc.freeze)

import click

from scoring.reports.click_vi import FILE, Choice, LazyCommand, LazyGroup, Main, argument, fail, note, option, problems


@click.group(name="parindex", cls=Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="parindex")
def main() -> None:
    """parindex — chấm điểm Chỉ số CCHC (PAR INDEX) và soạn kế hoạch khắc phục."""


# ---------------------------------------------------------------- rubric
@main.group()
def rubric() -> None:
    """Bộ chỉ số (rubric): kiểm tra, xem, lược đồ JSON, nhập và xuất bảng tiêu chí."""


@rubric.command("check")
@argument("files", nargs=-1, required=True, type=FILE, metavar="TỆP...")
@option("--quiet", "-q", is_flag=True, help="Chỉ in dòng tóm tắt của mỗi tệp.")
def rubric_check(files: tuple[Path, ...], quiet: bool) -> None:
    """Kiểm tra các tệp bộ chỉ số; in cây tiêu chí với điểm tối đa và tổng."""
    from scoring.reports.terminal import check_rubric

    failed = False
    for file in files:
        try:
            check_rubric(file, quiet)
        except Exception as exc:  # one file's problems, then the next file
            lines = problems(exc)
            if lines is None:
                raise
            failed = True
            for line in lines:
                note(f"lỗi: {line}")
    if failed:
        sys.exit(2)


@rubric.command("show")
@argument("file", type=FILE, metavar="TỆP")
def rubric_show(file: Path) -> None:
    """In bộ chỉ số: từng tiêu chí, cách tính điểm, tài liệu kiểm chứng."""
    from scoring.reports.terminal import show_rubric

    show_rubric(file)


@rubric.command("test")
@argument("rubric_path", type=FILE, metavar="BỘ_CHỈ_SỐ")
@option("--cases", "cases_path", type=FILE, help="Tệp ca kiểm thử (mặc định: rubrics/tests/<tên bộ>.cases.yaml).")
def rubric_test(rubric_path: Path, cases_path: Path | None) -> None:
    """Chạy các ca kiểm thử của bộ chỉ số: số liệu vào, điểm mong đợi ra."""
    from scoring.reports.terminal import run_cases

    if not run_cases(rubric_path, cases_path):
        sys.exit(1)


@rubric.command("schema")
@option("-o", "--output", type=FILE, help="Ghi ra tệp thay vì màn hình.")
def rubric_schema(output: Path | None) -> None:
    """Lược đồ JSON (JSON Schema) của tệp bộ chỉ số."""
    from criteria import Rubric

    text = json.dumps(Rubric.model_json_schema(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        from scoring.office.atomic import write_atomic

        note(f"Đã ghi {write_atomic(output, text)}")


@rubric.command("import")
@argument("table", type=FILE, metavar="BẢNG")
@option("-o", "--output", required=True, type=FILE, help="Tệp bộ chỉ số (.yaml) sẽ ghi.")
@option("--source", help="Văn bản ban hành bảng, ví dụ “QĐ 1880/QĐ-UBND” (mặc định: tên tệp).")
@option("--id", "rubric_id", help="Mã bộ chỉ số (mặc định: từ tên tệp).")
@option("--title", help="Tên bộ chỉ số.")
@option("--level", help="Cấp đơn vị: xã, sở, tỉnh… (mặc định: đoán từ tên tệp, nếu không: “đơn vị”).")
@option("--year", type=int, help="Năm áp dụng (mặc định: năm 20xx trong tên tệp, nếu không: năm nay).")
@option("--survey", help="Mã lĩnh vực điều tra xã hội học (khối XHH).")
@option("--use-child-sums", is_flag=True,
        help="Khi điểm tối đa của nút cha khác tổng các nút con: lấy tổng các nút con (vẫn báo cáo).")
@option("--report", "report_path", type=FILE, help="Ghi báo cáo nhập ra tệp.")
@option("--strict", is_flag=True, help="Mã thoát 1 nếu còn tiêu chí cần người xem hoặc điểm không nhất quán.")
def rubric_import(table: Path, output: Path, source: str | None, rubric_id: str | None, title: str | None,
                  level: str | None, year: int | None, survey: str | None, use_child_sums: bool,
                  report_path: Path | None, strict: bool) -> None:
    """Nhập bảng tiêu chí (.xlsx, .docx) thành tệp bộ chỉ số; in báo cáo từng tiêu chí."""
    from criteria.tables import ImportOptions, import_to_file
    from scoring.office.atomic import write_atomic

    options = ImportOptions(id=rubric_id, title=title, level=level, year=year, source=source, survey=survey,
                            use_child_sums=use_child_sums)
    report = import_to_file(table, output, options, write_atomic, report_path)
    click.echo(report.render(), nl=False)
    if report_path is not None:
        note(f"Đã ghi báo cáo {report_path}")
    if report.problems:
        fail(*map(str, report.problems))
    if strict and (report.needs_person or report.findings):
        sys.exit(1)


@rubric.command("export")
@argument("file", type=FILE, metavar="TỆP")
@option("-o", "--output", required=True, type=FILE, help="Bảng tiêu chí sẽ ghi: .xlsx hoặc .docx.")
@option("--bare", is_flag=True, help="Chỉ bảng, không kèm dữ liệu ẩn dùng để nhập lại đúng bộ chỉ số.")
def rubric_export(file: Path, output: Path, bare: bool) -> None:
    """Xuất bộ chỉ số thành bảng tiêu chí (STT | Tiêu chí | Điểm tối đa | Cách tính điểm | Tài liệu kiểm chứng)."""
    from criteria.tables import export_to_file
    from scoring.office.atomic import write_atomic

    note(f"Đã ghi {export_to_file(file, output, bare, write_atomic)}")


# ---------------------------------------------------------------- template, score, plan
@main.command()
@option("--rubric", "-r", "rubric_path", required=True, type=FILE, help="Tệp bộ chỉ số (.yaml).")
@option("--output", "-o", required=True, type=FILE, help="Tệp Excel tạo ra (.xlsx), ví dụ tu-danh-gia.xlsx.")
@option("--unit", "-u", metavar="ĐƠN_VỊ", help="Tên đơn vị điền sẵn, ví dụ “UBND xã An Phú”.")
def template(rubric_path: Path, output: Path, unit: str | None) -> None:
    """Tạo tệp Excel tự đánh giá từ bộ chỉ số: đơn vị nhập số liệu, tài liệu kiểm chứng, giải trình."""
    from scoring.workbook.template import template_file

    rb = template_file(rubric_path, output, unit)
    note(f"Đã ghi {output}: {len(rb.leaves())} tiêu chí thành phần; nhập vào các ô màu vàng.")


@main.command()
@option("--rubric", "-r", "rubric_path", required=True, type=FILE, help="Tệp bộ chỉ số (.yaml).")
@option("--evidence", "-e", "evidence_paths", required=True, multiple=True, type=FILE,
        help="Số liệu: .yaml (một đơn vị), .xlsx (tệp tự đánh giá hoặc bảng nhiều đơn vị), .csv. Có thể lặp lại.")
@option("--format", "-f", "fmt", default="table", show_default=True,
        type=Choice({"table": "table", "json": "json", "csv": "csv", "xlsx": "xlsx", "docx": "docx"}),
        help="Định dạng kết quả: table = bảng trên màn hình; xlsx = bảng tự đánh giá, chấm điểm; "
             "docx = báo cáo tự đánh giá.")
@option("--output", "-o", type=FILE, help="Ghi ra tệp thay vì màn hình (bắt buộc với xlsx, docx).")
@option("--unit", "-u", metavar="ĐƠN_VỊ",
        help="Chỉ chấm một đơn vị (tên như trong tệp số liệu); cần khi tệp có nhiều đơn vị mà xuất docx hoặc biểu đồ.")
@option("--chart", type=FILE, help="Ghi biểu đồ điểm theo lĩnh vực ra tệp .png.")
@option("--detail/--summary", default=None, help="Bảng chi tiết từng đơn vị hoặc chỉ bảng xếp hạng.")
@option("--no-trace", is_flag=True, help="JSON không kèm diễn giải từng tiêu chí.")
@option("--layout", type=Choice({"tu-dong": "auto", "chi-tiet": "detailed", "gon": "compact"}), default=None,
        help="Bố cục JSON/CSV: chi-tiet = từng tiêu chí của từng đơn vị kèm diễn giải; gon = mỗi đơn vị một dòng, "
             "danh sách tiêu chí và các diễn giải khác nhau ghi một lần (hàng nghìn đơn vị); "
             "tu-dong (mặc định) = chi-tiet đến 1.000 đơn vị, gon khi nhiều hơn.")
def score(rubric_path: Path, evidence_paths: tuple[Path, ...], fmt: str, output: Path | None, unit: str | None,
          chart: Path | None, detail: bool | None, no_trace: bool, layout: str | None) -> None:
    """Chấm điểm một hoặc nhiều đơn vị và in điểm, điểm bị mất, chỉ số; xuất bảng điểm, báo cáo."""
    from scoring.reports.results import score_files

    for path in score_files(rubric_path, evidence_paths, fmt, output, unit=unit, chart=chart, detail=detail,
                            traces=not no_trace, layout=layout, on_note=note):
        note(f"Đã ghi {path}")


@main.command()
@option("--rubric", "-r", "rubric_path", type=FILE, help="Tệp bộ chỉ số (.yaml); không cần với --campaign.")
@option("--result", "result_path", type=FILE,
        help="Kết quả của năm đánh giá: tệp số liệu (.yaml, .csv, .xlsx; chấm ngay, chính xác) "
             "hoặc JSON do “parindex score --format json” ghi.")
@option("--campaign", "campaign_path", metavar="CHIẾN_DỊCH",
        help="Hoặc một chiến dịch (tệp .db hoặc postgresql://…#mã): kết quả thẩm định của mọi đơn vị, các đơn vị "
             "khác làm mốc xếp hạng.")
@option("--stage", type=Choice({"tham-dinh": "appraised", "tu-danh-gia": "self"}), default="tham-dinh",
        show_default=True, help="Với --campaign: tham-dinh = kết quả thẩm định (kèm điểm điều tra), "
                                "tu-danh-gia = bản tự đánh giá.")
@option("--profile", "-p", "profile_path", required=True, type=FILE,
        help="Hồ sơ đơn vị (.yaml); với --all: một thư mục hồ sơ (hoặc một hồ sơ mẫu unit: \"*\").")
@option("--kind", "-k", type=Choice({"khac-phuc": "remediation", "hang-nam": "annual"}), default="khac-phuc",
        show_default=True, help="khac-phuc: Kế hoạch khắc phục tồn tại, hạn chế; hang-nam: Kế hoạch CCHC năm.")
@option("--output", "-o", type=FILE,
        help="Tệp kế hoạch (.docx hoặc .md); với --all: thư mục. Bỏ trống với --format md: in ra màn hình.")
@option("--format", "-f", "fmt", type=Choice({"docx": "docx", "md": "md"}), default=None,
        help="docx (mặc định, thể thức NĐ 30/2020) hoặc md để xem nhanh; mặc định theo đuôi tệp.")
@option("--unit", "-u", metavar="ĐƠN_VỊ", help="Đơn vị cần soạn khi kết quả (--result, --campaign) có nhiều đơn vị.")
@option("--all", "all_units", is_flag=True, help="Soạn cho mọi đơn vị của kết quả, mỗi đơn vị một tệp.")
@option("--target", "-t", help="Mục tiêu: “tăng ít nhất 2 bậc”, “thứ 1”, “nhóm Tốt”, “85 điểm”, “90%”, “toàn bộ”.")
@option("--peers", "peer_paths", multiple=True, type=FILE,
        help="CSV chỉ số các đơn vị khác (cột đơn vị + chỉ số %, hoặc điểm [+ tối đa]). Có thể lặp lại.")
@option("--index", "index_specs", nargs=2, multiple=True, type=FILE, metavar="BỘ_CHỈ_SỐ KẾT_QUẢ",
        help="Chỉ số khác (SIPAS, PAPI, QĐ 766): bộ chỉ số và kết quả thành phần. Có thể lặp lại.")
@option("--plan-year", type=click.IntRange(2000, 2100), metavar="NĂM",
        help="Năm thực hiện kế hoạch; mặc định: hồ sơ đơn vị, nếu không có thì năm đánh giá + 1.")
@option("--plan-date", metavar="NGÀY", help="Ngày ký kế hoạch (dd/mm/yyyy); mặc định: hồ sơ đơn vị, nếu không có thì để trống.")
@option("--published", metavar="SỐ", help="Số, ký hiệu Quyết định công bố Chỉ số năm đánh giá (“313/QĐ-UBND”): căn cứ đầu tiên.")
@option("--published-date", metavar="NGÀY", help="Ngày ký Quyết định công bố Chỉ số (dd/mm/yyyy).")
@option("--published-by", metavar="CƠ_QUAN", help="Cơ quan ban hành Quyết định công bố (“Ủy ban nhân dân tỉnh Bình Định”).")
@option("--detail", is_flag=True, help="Thêm phụ lục chi tiết điểm bị mất của từng tiêu chí thành phần.")
@option("--explain", is_flag=True, help="In cơ sở xác định mục tiêu (phép tính) ra màn hình; văn bản không in.")
@option("--template", "template_path", type=FILE,
        help="Mẫu văn bản Word (.docx) của địa phương: bản sao mẫu NĐ 30 kèm theo, đã sửa tiêu đề, phông chữ, "
             "giãn dòng (xem docs/plans.md).")
@option("--as", "acting", default=None, envvar="PARINDEX_USER",
        help="Với --campaign: tài khoản đọc chiến dịch (đơn vị chỉ soạn được kế hoạch của mình); mặc định $PARINDEX_USER.")
def plan(rubric_path: Path | None, result_path: Path | None, campaign_path: str | None, stage: str,
         profile_path: Path, kind: str, output: Path | None, fmt: str | None, unit: str | None, all_units: bool,
         target: str | None, peer_paths: tuple[Path, ...], index_specs: tuple[tuple[Path, Path], ...],
         plan_year: int | None = None, plan_date: str | None = None, published: str | None = None,
         published_date: str | None = None, published_by: str | None = None, detail: bool = False,
         explain: bool = False, template_path: Path | None = None, acting: str | None = None) -> None:
    """Soạn dự thảo kế hoạch (Word, thể thức NĐ 30/2020) từ điểm bị mất của năm đánh giá."""
    from scoring.plans.api import plan_files
    from scoring.reports.terminal import progress_bar

    with progress_bar("Soạn kế hoạch") as advance:
        run = plan_files(profile_path, rubric_path=rubric_path, result_path=result_path, campaign_path=campaign_path,
                         stage=stage, kind=kind, output=output, fmt=fmt, unit=unit, all_units=all_units,
                         target=target, peer_paths=peer_paths, index_specs=index_specs, on_progress=advance,
                         plan_year=plan_year, plan_date=plan_date, published=published,
                         published_date=published_date, published_by=published_by, detail=detail,
                         template=template_path, acting=acting)
    for warning in run.warnings:
        note(f"cảnh báo: {warning}")
    if explain and run.explain:
        note("Cơ sở xác định mục tiêu:")
        for line in run.explain:
            note(f"  {line}")
    if run.review:
        note("Cần rà soát trước khi trình ký (chú thích trong Word, không in trong văn bản):")
        for line in run.review:
            note(f"  - {line}")
    if run.markdown is not None:
        click.echo(run.markdown, nl=False)
    else:
        note(run.summary())


main.add_command(LazyGroup(
    "campaign", "scoring.campaign.commands:campaign",
    "Chiến dịch chấm điểm: nộp, thẩm định hai vòng, giải trình, điều tra XHH, xếp hạng, công bố."))
main.add_command(LazyCommand(
    "serve", "web.portal.serve:serve",
    "Chạy cổng thông tin trên trình duyệt (--demo: đợt đánh giá minh họa trên SQLite, không cần cài đặt gì thêm)."))

if __name__ == "__main__":
    main()
