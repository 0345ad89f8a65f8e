"""parindex: the command line. Each command parses its arguments, makes one call into the
``criteria`` or ``scoring`` library and prints what it returns; a command imports its library entry
when it runs, so ``parindex --help`` loads click and nothing else."""

from __future__ import annotations

import functools
import json
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from scoring.reports.click_vi import Argument, Choice, Group, Option, install

if TYPE_CHECKING:
    from scoring.campaign import CampaignStore

install()
option = functools.partial(click.option, cls=Option)
argument = functools.partial(click.argument, cls=Argument)
FILE = click.Path(path_type=Path)
say = click.echo


def note(text: str) -> None:
    click.echo(text, err=True)


def fail(*lines: str, code: int = 2) -> NoReturn:
    """The one way a command stops on an error: each problem as “lỗi: …” on stderr, exit 2."""
    for line in lines:
        note(f"lỗi: {line}")
    sys.exit(code)


def problems(exc: BaseException) -> list[str] | None:
    """An error's lines for the user: bad input, a file that cannot be read or written, a locked or
    broken campaign file; None for anything else (a defect, left to show its traceback)."""
    if isinstance(exc, OSError):
        from criteria.files import os_reason  # the words for system errors, loaded on the error path

        return [f"{exc.filename}: {os_reason(exc)}" if exc.filename else os_reason(exc)]
    if isinstance(exc, sqlite3.Error):
        return ["tệp chiến dịch " + ("đang được một lệnh khác ghi; hãy chạy lại sau ít phút" if "locked" in str(exc)
                                     else "không dùng được: tệp hỏng hoặc không phải tệp chiến dịch")]
    errors = sys.modules.get("criteria.errors")  # no input was read if criteria was never loaded
    if errors is not None and isinstance(exc, errors.InputError):
        return [str(problem) for problem in exc.problems]
    return None


class Parindex(Group):
    """Every error ends here: usage mistakes and bad input alike, in Vietnamese, exit code 2."""

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
            note(f"lỗi: {exc.format_message()}")
            note(f"Xem hướng dẫn: {command} --help")
            sys.exit(2)
        except click.ClickException as exc:
            fail(exc.format_message(), code=exc.exit_code)
        except click.Abort:
            note("Đã dừng.")
            sys.exit(1)
        except Exception as exc:
            lines = problems(exc)
            if lines is None:
                raise
            fail(*lines)


@click.group(name="parindex", cls=Parindex, context_settings={"help_option_names": ["-h", "--help"]})
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
@option("--unit", "-u", help="Tên đơn vị điền sẵn, ví dụ “UBND xã An Phú”.")
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
@option("--unit", "-u", help="Chỉ chấm một đơn vị (tên như trong tệp số liệu); cần khi tệp có nhiều đơn vị "
                             "mà xuất docx hoặc biểu đồ.")
@option("--chart", type=FILE, help="Ghi biểu đồ điểm theo lĩnh vực ra tệp .png.")
@option("--detail/--summary", default=None, help="Bảng chi tiết từng đơn vị hoặc chỉ bảng xếp hạng.")
@option("--no-trace", is_flag=True, help="JSON không kèm diễn giải từng tiêu chí.")
def score(rubric_path: Path, evidence_paths: tuple[Path, ...], fmt: str, output: Path | None, unit: str | None,
          chart: Path | None, detail: bool | None, no_trace: bool) -> None:
    """Chấm điểm một hoặc nhiều đơn vị và in điểm, điểm bị mất, chỉ số; xuất bảng điểm, báo cáo."""
    from scoring.reports.results import score_files

    for path in score_files(rubric_path, evidence_paths, fmt, output, unit=unit, chart=chart, detail=detail,
                            traces=not no_trace):
        note(f"Đã ghi {path}")


@main.command()
@option("--rubric", "-r", "rubric_path", type=FILE, help="Tệp bộ chỉ số (.yaml); không cần với --campaign.")
@option("--result", "result_path", type=FILE,
        help="Kết quả của năm đánh giá: tệp số liệu (.yaml, .csv, .xlsx; chấm ngay, chính xác) "
             "hoặc JSON do “parindex score --format json” ghi.")
@option("--campaign", "campaign_path", type=FILE,
        help="Hoặc một chiến dịch (.db): kết quả thẩm định của mọi đơn vị, các đơn vị khác làm mốc xếp hạng.")
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
@option("--unit", "-u", help="Đơn vị cần soạn khi RESULT có nhiều đơn vị.")
@option("--all", "all_units", is_flag=True, help="Soạn cho mọi đơn vị của RESULT, mỗi đơn vị một tệp.")
@option("--target", "-t", help="Mục tiêu: “tăng ít nhất 2 bậc”, “thứ 1”, “nhóm Tốt”, “85 điểm”, “90%”, “toàn bộ”.")
@option("--peers", "peer_paths", multiple=True, type=FILE,
        help="CSV chỉ số các đơn vị khác (cột đơn vị + chỉ số %, hoặc điểm [+ tối đa]). Có thể lặp lại.")
@option("--index", "index_specs", nargs=2, multiple=True, type=FILE, metavar="BỘ_CHỈ_SỐ KẾT_QUẢ",
        help="Chỉ số khác (SIPAS, PAPI, QĐ 766): bộ chỉ số và kết quả thành phần. Có thể lặp lại.")
def plan(rubric_path: Path | None, result_path: Path | None, campaign_path: Path | None, stage: str,
         profile_path: Path, kind: str, output: Path | None, fmt: str | None, unit: str | None, all_units: bool,
         target: str | None, peer_paths: tuple[Path, ...], index_specs: tuple[tuple[Path, Path], ...]) -> None:
    """Soạn dự thảo kế hoạch (Word, thể thức NĐ 30/2020) từ điểm bị mất của năm đánh giá."""
    from scoring.plans.api import plan_files
    from scoring.reports.terminal import progress_bar

    with progress_bar("Soạn kế hoạch") as advance:
        run = plan_files(profile_path, rubric_path=rubric_path, result_path=result_path, campaign_path=campaign_path,
                         stage=stage, kind=kind, output=output, fmt=fmt, unit=unit, all_units=all_units,
                         target=target, peer_paths=peer_paths, index_specs=index_specs, on_progress=advance)
    for warning in run.warnings:
        note(f"cảnh báo: {warning}")
    if run.markdown is not None:
        click.echo(run.markdown, nl=False)
    else:
        note(run.summary())


# ---------------------------------------------------------------- campaign
DB_OPTION = option("--db", "-d", "db", required=True, envvar="PARINDEX_CAMPAIGN", type=FILE,
                   help="Tệp chiến dịch (SQLite) hoặc sqlite:///đường/dẫn.db; mặc định $PARINDEX_CAMPAIGN.")
BY_OPTION = option("--by", "by", required=True, envvar="PARINDEX_USER",
                   help="Tên người thực hiện (ghi vào nhật ký); mặc định $PARINDEX_USER.")


def _open(db: Path) -> CampaignStore:  # the store of every campaign command
    from scoring.campaign import clock_from_environment, open_campaign

    return open_campaign(db, clock_from_environment())


@main.group()
def campaign() -> None:
    """Chiến dịch chấm điểm: nộp, thẩm định hai vòng, giải trình, điều tra XHH, xếp hạng, công bố."""


@campaign.command("init")
@DB_OPTION
@option("--rubric", "-r", "rubric_path", required=True, type=FILE, help="Tệp bộ chỉ số (.yaml).")
@option("--name", required=True, help="Tên chiến dịch, ví dụ “Chỉ số CCHC cấp xã năm 2025”.")
@option("--year", type=int, default=None, help="Năm đánh giá (mặc định năm của bộ chỉ số).")
@option("--deadline", "deadlines", multiple=True, metavar="GIAI_ĐOẠN=NGÀY",
        help="Hạn một giai đoạn: tu-danh-gia, tham-dinh-1, giai-trinh, tham-dinh-2 (ví dụ tu-danh-gia=31/01/2026).")
@BY_OPTION
def campaign_init(db: Path, rubric_path: Path, name: str, year: int | None, deadlines: tuple[str, ...], by: str) -> None:
    """Tạo chiến dịch mới (một tệp) cho một bộ chỉ số; bộ chỉ số được lưu cố định bên trong."""
    from scoring.campaign import PHASE_VI, clock_from_environment, init
    from scoring.campaign.clock import show_moment

    given = {}
    for item in deadlines:
        phase, sep, when = item.partition("=")
        if not sep:
            fail(f"--deadline: “{item}”: cần dạng GIAI_ĐOẠN=NGÀY, ví dụ tu-danh-gia=31/01/2026")
        given[phase.strip()] = when.strip()
    with init(db, rubric_path, name, by=by, deadlines=given, year=year, clock=clock_from_environment()) as store:
        info = store.info
        say(f"Đã tạo chiến dịch “{info.name}” (bộ chỉ số {info.rubric_id}, năm {info.year}) tại {store.path}")
        for key, name in PHASE_VI.items():
            moment = info.deadlines.get(key)
            say(f"  Hạn {name}: {show_moment(moment) if moment else 'không đặt (khóa bằng close-phase)'}")


@campaign.command("add-unit")
@DB_OPTION
@argument("names", nargs=-1, metavar="[TÊN]...")
@option("--from", "from_files", multiple=True, type=FILE,
        help="Lấy tên đơn vị từ tệp số liệu (.yaml, .csv, .xlsx). Có thể lặp lại.")
@option("--level", default="", help="Cấp đơn vị (xã, phường, sở…).")
@BY_OPTION
def campaign_add_unit(db: Path, names: tuple[str, ...], from_files: tuple[Path, ...], level: str, by: str) -> None:
    """Thêm đơn vị vào chiến dịch (tên đã có thì bỏ qua)."""
    from scoring.campaign import add_unit, unit_names_from_files
    from scoring.reports.terminal import progress_bar

    with _open(db) as store:
        wanted = list(names) + (unit_names_from_files(store, from_files) if from_files else [])
        with progress_bar("Thêm đơn vị") as bar:
            added = add_unit(store, wanted, by=by, level=level, on_progress=bar)
        for name in wanted:
            say(f"  {name}: {'đã thêm' if name in added else 'đã có, bỏ qua'}")
        say(f"Chiến dịch có {len(store.units())} đơn vị.")


@campaign.command("submit")
@DB_OPTION
@argument("files", nargs=-1, required=True, type=FILE, metavar="TỆP...")
@option("--by", "by", default=None, envvar="PARINDEX_USER", help="Người nộp; mặc định tên đơn vị.")
def campaign_submit(db: Path, files: tuple[Path, ...], by: str | None) -> None:
    """Nộp bản tự đánh giá (.yaml một đơn vị; .csv/.xlsx nhiều đơn vị); nộp lại nội dung y hệt không tạo bản mới."""
    from scoring.campaign import submit
    from scoring.reports.terminal import progress_bar

    with _open(db) as store, progress_bar("Nộp bản tự đánh giá") as bar:
        outcomes = submit(store, files, by=by, on_progress=bar)
    for outcome in outcomes:
        say(f"  {outcome.unit}: {outcome.status} (#{outcome.seq})")
        if outcome.dropped_survey:
            say(f"    bỏ qua {', '.join(outcome.dropped_survey)}: điểm điều tra XHH do cơ quan Nội vụ nhập (import-survey)")


@campaign.command("withdraw")
@DB_OPTION
@argument("unit", metavar="ĐƠN_VỊ")
@option("--reason", required=True, help="Lý do rút (bắt buộc).")
@BY_OPTION
def campaign_withdraw(db: Path, unit: str, reason: str, by: str) -> None:
    """Rút bản tự đánh giá để sửa (chỉ trước hạn tự đánh giá)."""
    from scoring.campaign import withdraw

    with _open(db) as store:
        seq = withdraw(store, unit, reason=reason, by=by)
    say(f"Đã rút bản tự đánh giá của {unit} (#{seq}); nộp lại bằng campaign submit.")


@campaign.command("appraise")
@DB_OPTION
@argument("unit", required=False, metavar="[ĐƠN_VỊ]")
@argument("code", required=False, metavar="[MÃ]")
@option("--points", help="Đặt điểm tiêu chí (trong khoảng cho phép), ví dụ 1,5.")
@option("--evidence", help="Sửa số liệu; điểm tính lại theo quy tắc của tiêu chí, ví dụ 140/200.")
@option("--accept", is_flag=True, help="Vòng 2: chấp nhận giải trình, giữ điểm tự đánh giá.")
@option("--confirm", is_flag=True, help="Công nhận kết quả tự đánh giá (vòng 2: giữ kết quả vòng 1).")
@option("--reason", help="Lý do (bắt buộc).")
@option("--file", "decisions_file", type=FILE,
        help="Nhiều quyết định từ bảng .csv/.xlsx: Đơn vị, Mã, Điểm, Số liệu, Lý do, Chấp nhận giải trình.")
@BY_OPTION
def campaign_appraise(db: Path, unit: str | None, code: str | None, points: str | None, evidence: str | None,
                      accept: bool, confirm: bool, reason: str | None, decisions_file: Path | None, by: str) -> None:
    """Thẩm định một tiêu chí của một đơn vị (hoặc cả bảng quyết định) ở vòng đang mở, luôn kèm lý do."""
    from scoring.campaign import Decision, appraise_many, read_decisions
    from scoring.reports.terminal import progress_bar

    if decisions_file is not None:
        if unit or code or points or evidence or accept or confirm:
            fail("appraise: dùng --file thì không ghi thêm đơn vị, mã hay điểm trên dòng lệnh")
        decisions = read_decisions(decisions_file)
    else:
        if not unit or not code:
            fail("appraise: cần ĐƠN_VỊ và MÃ tiêu chí (hoặc --file)")
        if not (points or evidence or accept or confirm):
            fail("appraise: chọn một: --points, --evidence, --accept hoặc --confirm")
        if confirm and (points or evidence or accept):
            fail("appraise: --confirm không đi cùng --points, --evidence hay --accept")
        decisions = [Decision(unit, code, reason or "", points, evidence, accept)]
    with _open(db) as store, progress_bar("Ghi quyết định thẩm định") as bar:
        seqs = appraise_many(store, decisions, by=by, on_progress=bar)
    for decision, seq in zip(decisions, seqs):
        say(f"  #{seq} {decision.unit}, tiêu chí {decision.code}: đã ghi")


@campaign.command("explain")
@DB_OPTION
@argument("unit", metavar="ĐƠN_VỊ")
@argument("code", metavar="MÃ")
@option("--text", required=True, help="Nội dung giải trình.")
@BY_OPTION
def campaign_explain(db: Path, unit: str, code: str, text: str, by: str) -> None:
    """Đơn vị giải trình về một tiêu chí bị điều chỉnh ở vòng 1 (trong giai đoạn giải trình)."""
    from scoring.campaign import explain

    with _open(db) as store:
        seq = explain(store, unit, code, text, by=by)
    say(f"Đã ghi giải trình #{seq} của {unit}, tiêu chí {code}.")


@campaign.command("close-phase")
@DB_OPTION
@argument("phase", metavar="GIAI_ĐOẠN")
@BY_OPTION
def campaign_close_phase(db: Path, phase: str, by: str) -> None:
    """Khóa một giai đoạn ngay (tu-danh-gia, tham-dinh-1, giai-trinh, tham-dinh-2)."""
    from scoring.campaign import PHASE_VI, close_phase
    from scoring.campaign.phases import phase_key

    with _open(db) as store:
        seq = close_phase(store, phase, by=by)
    say(f"Đã khóa giai đoạn {PHASE_VI[phase_key(phase)]} (#{seq}).")


@campaign.command("import-survey")
@DB_OPTION
@argument("file", type=FILE, metavar="TỆP")
@BY_OPTION
def campaign_import_survey(db: Path, file: Path, by: str) -> None:
    """Nhập điểm điều tra XHH/SIPAS theo đơn vị từ .csv hoặc .xlsx (cột đơn vị + cột mã tiêu chí điều tra)."""
    from scoring.campaign import import_survey
    from scoring.reports.terminal import progress_bar

    with _open(db) as store, progress_bar("Nhập điểm điều tra") as bar:
        outcome = import_survey(store, file, by=by, on_progress=bar)
    if outcome.seq is None:
        say(f"Không có thay đổi: {outcome.units} đơn vị, điểm đã có sẵn.")
    else:
        say(f"Đã nhập điểm điều tra của {outcome.units} đơn vị, {outcome.changed} giá trị mới (#{outcome.seq}).")


@campaign.command("diff")
@DB_OPTION
@argument("unit", metavar="ĐƠN_VỊ")
@option("--xlsx", "xlsx_path", type=FILE, help="Ghi thêm ra tệp .xlsx.")
def campaign_diff(db: Path, unit: str, xlsx_path: Path | None) -> None:
    """Điểm tự chấm và điểm thẩm định từng tiêu chí, mỗi điều chỉnh kèm lý do và số nhật ký."""
    from scoring.campaign import diff, diff_workbook
    from scoring.campaign.diff import totals_lines
    from scoring.reports.terminal import diff_table, out

    with _open(db) as store:
        result = diff(store, unit)
    out.print(diff_table(result))
    for line in totals_lines(result):
        say(line)
    changed = result.changed()
    if changed:
        say("Quyết định, giải trình và nguồn điểm (số # là số mục nhật ký):")
        for row in changed:
            say(f"  {row.code} {row.name}")
            if row.self_points is not None and row.self_points != row.appraised:
                say(f"    tự chấm: {row.self_text}")
                say(f"    thẩm định: {row.appraised_text}")
            for step in row.steps:
                say(f"    {step.line()}")
    if xlsx_path is not None:
        diff_workbook(result, xlsx_path)
        note(f"Đã ghi {xlsx_path}")



@campaign.command("rank")
@DB_OPTION
@option("--previous", type=FILE,
        help="Kỳ trước để so sánh: tệp chiến dịch, hoặc bảng kết quả đã công bố (.csv/.xlsx).")
def campaign_rank(db: Path, previous: Path | None) -> None:
    """Xếp hạng mọi đơn vị theo chỉ số (đồng hạng khi bằng nhau) và xếp loại theo bộ chỉ số."""
    from scoring.campaign import rank
    from scoring.campaign.standings import load_previous
    from scoring.reports.terminal import out, standings_table

    with _open(db) as store:
        rows = rank(store, load_previous(previous) if previous else None)
        out.print(standings_table(rows, store.rubric.precision,
                                       f"Xếp hạng: {store.info.name} ({len(rows)} đơn vị)"))


@campaign.command("publish")
@DB_OPTION
@option("--out", "-o", "out_dir", required=True, type=FILE, help="Thư mục ghi kết quả.")
@option("--issuer", required=True, help="Cơ quan ban hành, ví dụ “Ủy ban nhân dân tỉnh Hà Tĩnh”.")
@option("--place", required=True, help="Địa danh ở dòng ngày tháng, ví dụ “Hà Tĩnh”.")
@option("--parent", default="", help="Cơ quan cấp trên in trên tên cơ quan (nếu có).")
@option("--number", default=None, help="Số quyết định (bỏ trống để văn thư ghi).")
@option("--date", "date_text", default=None, help="Ngày ký, ví dụ 15/04/2026 (bỏ trống để văn thư ghi).")
@option("--signer", default="", help="Họ tên người ký.")
@option("--authority", multiple=True, help="Dòng thẩm quyền ký (mặc định “CHỦ TỊCH”); lặp lại: “KT. CHỦ TỊCH”, “PHÓ CHỦ TỊCH”.")
@option("--subject", default=None, help="Đối tượng công bố, ví dụ “các xã, phường”.")
@option("--base", "bases", multiple=True, help="Một căn cứ (lặp lại cho nhiều căn cứ).")
@option("--proposer", default="Giám đốc Sở Nội vụ", show_default=True, help="Cơ quan đề nghị.")
@option("--recipient", "recipients", multiple=True, help="Một nơi nhận (lặp lại).")
@option("--previous", type=FILE,
        help="Kỳ trước để so sánh: tệp chiến dịch, hoặc bảng kết quả đã công bố (.csv/.xlsx).")
@BY_OPTION
def campaign_publish(db: Path, out_dir: Path, issuer: str, place: str, parent: str, number: str | None,
                     date_text: str | None, signer: str, authority: tuple[str, ...], subject: str | None,
                     bases: tuple[str, ...], proposer: str, recipients: tuple[str, ...], previous: Path | None,
                     by: str) -> None:
    """Công bố: lưu kết quả cuối cùng, ghi bảng xếp hạng (.xlsx), Quyết định công bố (.docx) và biểu đồ (.png)."""
    from scoring.campaign import PublishOptions, publish
    from scoring.campaign.clock import parse_moment
    from scoring.campaign.publish import anchor_text
    from scoring.campaign.standings import load_previous
    from scoring.reports.terminal import out, progress_bar, standings_table

    try:
        date = parse_moment(date_text).date() if date_text else None
    except ValueError as exc:
        fail(f"--date: {exc}")
    options = PublishOptions(issuer=issuer, place=place, parent=parent, number=number, date=date, signer=signer,
                             authority=authority or ("CHỦ TỊCH",), subject=subject, bases=bases, proposer=proposer,
                             **({"recipients": recipients} if recipients else {}))
    with _open(db) as store:
        before = load_previous(previous) if previous else None
        with progress_bar("Công bố") as bar:
            result = publish(store, out_dir, options, by=by, previous=before, on_progress=bar)
        out.print(standings_table(list(result.rows), store.rubric.precision,
                                       f"Kết quả công bố: {store.info.name}"))
    say(f"Kết quả cuối cùng đã lưu (nhật ký #{result.seq}). Mã kiểm tra nhật ký: {anchor_text(result.head)}")
    for path in result.files.values():
        say(f"Đã ghi {path}")


@campaign.command("verify")
@DB_OPTION
@option("--anchor", default=None, help="Mã kiểm tra đã công bố, dạng SỐ:SHA256.")
def campaign_verify(db: Path, anchor: str | None) -> None:
    """Kiểm tra nhật ký: chuỗi hash, đầu chuỗi, mọi bảng khớp nhật ký; mã đã công bố (nếu có)."""
    from scoring.campaign import verify

    with _open(db) as store:
        report = verify(store, anchor)
    if report.ok:
        say(f"Nhật ký toàn vẹn: {report.entries} mục, đầu chuỗi #{report.head_seq} {report.head_hash}")
        return
    for problem in report.problems:
        note(f"lỗi: {db}: {problem}")
    note(f"Nhật ký KHÔNG toàn vẹn: {len(report.problems)} vấn đề.")
    sys.exit(1)


@campaign.command("status")
@DB_OPTION
@option("--log", "show_log", is_flag=True, help="In nhật ký (mọi mục, hoặc của --unit).")
@option("--unit", default=None, help="Chỉ nhật ký của một đơn vị.")
def campaign_status(db: Path, show_log: bool, unit: str | None) -> None:
    """Tình trạng chiến dịch: các giai đoạn và hạn, từng đơn vị, đầu chuỗi nhật ký."""
    from scoring.campaign import log, status
    from scoring.campaign.clock import show_moment
    from scoring.campaign.status import describe
    from scoring.reports.terminal import out, units_table

    with _open(db) as store:
        if show_log or unit:
            for entry in log(store, unit):
                who = f" [{entry.unit}]" if entry.unit else ""
                say(f"#{entry.seq} {show_moment(entry.at)} {entry.actor}{who}: {describe(entry)}")
            return
        report = status(store)
    info = report.info
    say(f"{info.name} — {report.rubric_title} ({info.rubric_id}), năm {info.year}; bây giờ: {show_moment(report.now)}")
    for phase in report.phases:
        deadline = f"hạn {show_moment(phase.deadline)}" if phase.deadline else "không đặt hạn"
        say(f"  {phase.name}: {phase.state} ({phase.why_ended() if phase.has_ended else deadline})")
    out.print(units_table(report))
    published = f"đã công bố (#{report.published_seq})" if report.published_seq else "chưa công bố"
    say(f"Kết quả: {published}. Đầu chuỗi nhật ký: #{report.head[0]} {report.head[1]}")


if __name__ == "__main__":
    main()
