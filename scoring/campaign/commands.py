"""The ``parindex campaign`` commands: each parses, calls the campaign API, prints. ``cli.py`` lists
this group and imports it only when a campaign command runs (the campaign store is slow to load)."""

from __future__ import annotations

import sys
from contextvars import ContextVar
from pathlib import Path

import click

from criteria.files import refuse_overwriting
from scoring.campaign import (CampaignStore, Decision, PHASE_VI, PublishOptions, accounts, add_account, add_unit,
                              add_unit_accounts, appraise_many, clock_from_environment, close_phase, diff,
                              diff_workbook, explain, import_survey, init, log, migrate, open_campaign, publish, rank,
                              read_decisions, reset_password, set_active, status, submit, unit_names_from_files,
                              verify, withdraw)
from scoring.campaign.clock import parse_moment, show_moment
from scoring.campaign.diff import totals_lines
from scoring.campaign.health import damage
from scoring.campaign.phases import phase_key
from scoring.campaign.publish import FILES, anchor_text
from scoring.campaign.reading import log_reader, reader, unit_reader
from scoring.campaign.standings import load_previous
from scoring.campaign.status import describe
from scoring.campaign.store import ROLE_VI
from scoring.office.docx_template import load_template
from scoring.reports.click_vi import FILE, Group, argument, fail, note, option, say
from scoring.reports.terminal import diff_table, out, progress_bar, standings_table, units_table
from web.dburl import is_postgres, sqlite_file

DB_OPTION = option("--db", "-d", "db", required=True, envvar=["PARINDEX_CAMPAIGN", "DATABASE_URL"],
                   help="Tệp chiến dịch (SQLite), sqlite:///đường/dẫn.db hoặc postgresql://máy/csdl[#mã-chiến-dịch]; "
                        "mặc định $PARINDEX_CAMPAIGN, rồi $DATABASE_URL.")
BY_OPTION = option("--as", "--by", "by", default=None, envvar="PARINDEX_USER",
                   help="Tài khoản thực hiện (tên đăng nhập hoặc họ tên; phải có vai trò phù hợp trong chiến dịch); "
                        "mặc định $PARINDEX_USER.")


OPENED: ContextVar[str | None] = ContextVar("OPENED", default=None)  # the campaign the running command opened


def sqlite_path(db: str) -> Path | None:
    """The campaign's file when it is a SQLite one (an output must not replace it)."""
    return None if is_postgres(db) else sqlite_file(db)


def _open(db: str, by: str | None = None) -> CampaignStore:  # the store of every campaign command
    OPENED.set(db)
    return open_campaign(db, clock_from_environment(), as_=by)


class CampaignGroup(Group):
    """The ``campaign`` group: a command that fails on a damaged database answers with one line naming
    the file (``health.diagnose``), never a traceback; a failure on a whole campaign stays a defect."""

    def invoke(self, ctx: click.Context) -> object:
        token = OPENED.set(None)
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.Abort):
            raise
        except Exception as exc:
            found = damage(OPENED.get(), exc)
            if found is exc:
                raise
            raise found from None
        finally:
            OPENED.reset(token)


@click.group(cls=CampaignGroup)
def campaign() -> None:
    """Chiến dịch chấm điểm: nộp, thẩm định hai vòng, giải trình, điều tra XHH, xếp hạng, công bố."""


@campaign.command("init")
@DB_OPTION
@option("--rubric", "-r", "rubric_path", required=True, type=FILE, help="Tệp bộ chỉ số (.yaml).")
@option("--name", required=True, help="Tên chiến dịch, ví dụ “Chỉ số CCHC cấp xã năm 2025”.")
@option("--year", type=int, default=None, help="Năm đánh giá (mặc định năm của bộ chỉ số).")
@option("--deadline", "deadlines", multiple=True, metavar="GIAI_ĐOẠN=NGÀY",
        help="Hạn một giai đoạn: tu-danh-gia, tham-dinh-1, giai-trinh, tham-dinh-2 (ví dụ tu-danh-gia=31/01/2026).")
@option("--demo", is_flag=True, help="Chiến dịch trình diễn: cho phép đồng hồ giả lập PARINDEX_NOW.")
@BY_OPTION
def campaign_init(db: str, rubric_path: Path, name: str, year: int | None, deadlines: tuple[str, ...], demo: bool,
                  by: str | None) -> None:
    """Tạo chiến dịch mới (một tệp hoặc trong PostgreSQL) cho một bộ chỉ số; --as là tài khoản quản trị đầu tiên."""
    given = {}
    for item in deadlines:
        phase, sep, when = item.partition("=")
        if not sep:
            fail(f"--deadline: “{item}”: cần dạng GIAI_ĐOẠN=NGÀY, ví dụ tu-danh-gia=31/01/2026")
        given[phase.strip()] = when.strip()
    if not by:
        fail("--as: cần tên tài khoản quản trị đầu tiên (--as TÊN hoặc PARINDEX_USER)")
    with init(db, rubric_path, name, by=by, deadlines=given, year=year, clock=clock_from_environment(),
              demo=demo) as store:
        info = store.info
        say(f"Đã tạo chiến dịch “{info.name}” (bộ chỉ số {info.rubric_id}, năm {info.year}) tại {store.name}")
        say(f"  Tài khoản quản trị: {store.operator.first_name} (tên đăng nhập {store.operator.username})")
        if demo:
            say("  CHẾ ĐỘ TRÌNH DIỄN: chấp nhận đồng hồ giả lập PARINDEX_NOW; mọi mục ghi dưới đồng hồ đó bị đánh dấu.")
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
def campaign_add_unit(db: str, names: tuple[str, ...], from_files: tuple[Path, ...], level: str, by: str | None) -> None:
    """Thêm đơn vị vào chiến dịch (tên đã có thì bỏ qua)."""
    with _open(db, by) as store:
        wanted = list(names) + (unit_names_from_files(store, from_files) if from_files else [])
        with progress_bar("Thêm đơn vị") as bar:
            added = add_unit(store, wanted, by=by, level=level, on_progress=bar)
        for name in wanted:
            say(f"  {name}: {'đã thêm' if name in added else 'đã có, bỏ qua'}")
        say(f"Chiến dịch có {len(store.units())} đơn vị.")


@campaign.command("submit")
@DB_OPTION
@argument("files", nargs=-1, required=True, type=FILE, metavar="TỆP...")
@BY_OPTION
def campaign_submit(db: str, files: tuple[Path, ...], by: str | None) -> None:
    """Nộp bản tự đánh giá (.yaml một đơn vị; .csv/.xlsx nhiều đơn vị); nộp lại nội dung y hệt không tạo bản mới."""
    with _open(db, by) as store, progress_bar("Nộp bản tự đánh giá") as bar:
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
def campaign_withdraw(db: str, unit: str, reason: str, by: str | None) -> None:
    """Rút bản tự đánh giá để sửa (chỉ trước hạn tự đánh giá)."""
    with _open(db, by) as store:
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
def campaign_appraise(db: str, unit: str | None, code: str | None, points: str | None, evidence: str | None,
                      accept: bool, confirm: bool, reason: str | None, decisions_file: Path | None, by: str | None) -> None:
    """Thẩm định một tiêu chí của một đơn vị (hoặc cả bảng quyết định) ở vòng đang mở, luôn kèm lý do."""
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
    with _open(db, by) as store, progress_bar("Ghi quyết định thẩm định") as bar:
        seqs = appraise_many(store, decisions, by=by, on_progress=bar)
    for decision, seq in zip(decisions, seqs):
        say(f"  #{seq} {decision.unit}, tiêu chí {decision.code}: đã ghi")


@campaign.command("explain")
@DB_OPTION
@argument("unit", metavar="ĐƠN_VỊ")
@argument("code", metavar="MÃ")
@option("--text", required=True, help="Nội dung giải trình.")
@BY_OPTION
def campaign_explain(db: str, unit: str, code: str, text: str, by: str | None) -> None:
    """Đơn vị giải trình về một tiêu chí bị điều chỉnh ở vòng 1 (trong giai đoạn giải trình)."""
    with _open(db, by) as store:
        seq = explain(store, unit, code, text, by=by)
    say(f"Đã ghi giải trình #{seq} của {unit}, tiêu chí {code}.")


@campaign.command("close-phase")
@DB_OPTION
@argument("phase", metavar="GIAI_ĐOẠN")
@BY_OPTION
def campaign_close_phase(db: str, phase: str, by: str | None) -> None:
    """Khóa một giai đoạn ngay (tu-danh-gia, tham-dinh-1, giai-trinh, tham-dinh-2)."""
    with _open(db, by) as store:
        seq = close_phase(store, phase, by=by)
        head = store.head()
    say(f"Đã khóa giai đoạn {PHASE_VI[phase_key(phase)]} (#{seq}). Đầu chuỗi nhật ký: #{head[0]} {head[1]}")


@campaign.command("import-survey")
@DB_OPTION
@argument("file", type=FILE, metavar="TỆP")
@BY_OPTION
def campaign_import_survey(db: str, file: Path, by: str | None) -> None:
    """Nhập điểm điều tra XHH/SIPAS theo đơn vị từ .csv hoặc .xlsx (cột đơn vị + cột mã tiêu chí điều tra)."""
    with _open(db, by) as store, progress_bar("Nhập điểm điều tra") as bar:
        outcome = import_survey(store, file, by=by, on_progress=bar)
    if outcome.seq is None:
        say(f"Không có thay đổi: {outcome.units} đơn vị, điểm đã có sẵn.")
    else:
        say(f"Đã nhập điểm điều tra của {outcome.units} đơn vị, {outcome.changed} giá trị mới (#{outcome.seq}).")


@campaign.command("diff")
@DB_OPTION
@argument("unit", metavar="ĐƠN_VỊ")
@option("--xlsx", "xlsx_path", type=FILE, help="Ghi thêm ra tệp .xlsx.")
@BY_OPTION
def campaign_diff(db: str, unit: str, xlsx_path: Path | None, by: str | None) -> None:
    """Điểm tự chấm và điểm thẩm định từng tiêu chí, mỗi điều chỉnh kèm lý do và số nhật ký."""
    refuse_overwriting(xlsx_path, [sqlite_path(db)], "--xlsx")
    with _open(db, by) as store:
        unit_reader(store, by, unit, "xem chênh lệch điểm")
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
@BY_OPTION
def campaign_rank(db: str, previous: Path | None, by: str | None) -> None:
    """Xếp hạng mọi đơn vị theo chỉ số (đồng hạng khi bằng nhau) và xếp loại theo bộ chỉ số."""
    with _open(db, by) as store:
        reader(store, by, "xem xếp hạng mọi đơn vị")
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
@option("--template", "template_path", type=FILE,
        help="Mẫu văn bản Word (.docx) của địa phương cho Quyết định (bản sao mẫu NĐ 30 kèm theo, đã sửa).")
@BY_OPTION
def campaign_publish(db: str, out_dir: Path, issuer: str, place: str, parent: str, number: str | None,
                     date_text: str | None, signer: str, authority: tuple[str, ...], subject: str | None,
                     bases: tuple[str, ...], proposer: str, recipients: tuple[str, ...], previous: Path | None,
                     template_path: Path | None, by: str | None) -> None:
    """Công bố: lưu kết quả cuối cùng, ghi bảng xếp hạng (.xlsx), Quyết định công bố (.docx) và biểu đồ (.png)."""
    try:
        date = parse_moment(date_text).date() if date_text else None
    except ValueError as exc:
        fail(f"--date: {exc}")
    options = PublishOptions(issuer=issuer, place=place, parent=parent, number=number, date=date, signer=signer,
                             authority=authority or ("CHỦ TỊCH",), subject=subject, bases=bases, proposer=proposer,
                             template=template_path, **({"recipients": recipients} if recipients else {}))
    for name in FILES.values():  # no published file may replace one of the command's inputs
        refuse_overwriting(out_dir / name, [sqlite_path(db), previous, template_path], "--out")
    if template_path is not None:
        load_template(template_path)  # refuse a bad template before anything is recorded
    with _open(db, by) as store:
        before = load_previous(previous) if previous else None
        with progress_bar("Công bố") as bar:
            result = publish(store, out_dir, options, by=by, previous=before, on_progress=bar)
        out.print(standings_table(list(result.rows), store.rubric.precision,
                                       f"Kết quả công bố: {store.info.name}"))
    say(f"Kết quả cuối cùng đã lưu (nhật ký #{result.seq}). Mã kiểm tra nhật ký: {anchor_text(result.head)}")
    if result.simulated:
        note(f"CHÚ Ý: {result.simulated} mục nhật ký được ghi dưới ĐỒNG HỒ GIẢ LẬP (PARINDEX_NOW): đây là "
             "chiến dịch trình diễn, thời điểm không phải giờ máy chủ.")
    for path in result.files.values():
        say(f"Đã ghi {path}")


@campaign.command("verify")
@DB_OPTION
@option("--anchor", default=None, help="Mã kiểm tra đã công bố, dạng SỐ:SHA256.")
@BY_OPTION
def campaign_verify(db: str, anchor: str | None, by: str | None) -> None:
    """Kiểm tra nhật ký: chuỗi hash, đầu chuỗi, mọi bảng khớp nhật ký; mã đã công bố (nếu có)."""
    with _open(db, by) as store:
        reader(store, by, "kiểm tra nhật ký của chiến dịch")
        report = verify(store, anchor)
    for phase, seq, digest in report.phase_heads:
        say(f"Khóa giai đoạn {phase}: đầu chuỗi lúc đó #{seq} {digest}")
    for line in report.notes:
        note(line)
    for line in report.made_with:
        say(line)
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
@option("--unit", default=None, metavar="ĐƠN_VỊ", help="Chỉ nhật ký của một đơn vị.")
@BY_OPTION
def campaign_status(db: str, show_log: bool, unit: str | None, by: str | None) -> None:
    """Tình trạng chiến dịch: các giai đoạn và hạn, từng đơn vị, đầu chuỗi nhật ký."""
    with _open(db, by) as store:
        if unit:
            unit_reader(store, by, unit, "xem nhật ký")
        elif show_log:
            log_reader(store, by)
        else:
            reader(store, by, "xem tình trạng chiến dịch")
        if show_log or unit:
            for entry in log(store, unit):
                who = f" [{entry.unit}]" if entry.unit else ""
                say(f"#{entry.seq} {show_moment(entry.at)} {entry.actor}{who}: {describe(entry)}")
            return
        report = status(store)
    info = report.info
    say(f"{info.name} — {report.rubric_title} ({info.rubric_id}), năm {info.year}; bây giờ: {show_moment(report.now)}")
    for line in report.made_with:
        say(line)
    for phase in report.phases:
        deadline = f"hạn {show_moment(phase.deadline)}" if phase.deadline else "không đặt hạn"
        say(f"  {phase.name}: {phase.state} ({phase.why_ended() if phase.has_ended else deadline})")
    out.print(units_table(report))
    published = f"đã công bố (#{report.published_seq})" if report.published_seq else "chưa công bố"
    say(f"Kết quả: {published}. Đầu chuỗi nhật ký: #{report.head[0]} {report.head[1]}")


@campaign.group("account", cls=Group)
def campaign_account() -> None:
    """Tài khoản và vai trò: quan-tri (Sở Nội vụ), don-vi (một đơn vị), tham-dinh (được phân công), xem."""


def _show_accounts(found: list) -> None:
    for a in found:
        where = f", {a.unit}" if a.unit else (f", phân công: {'; '.join(a.assignments)}" if a.assignments else "")
        state = "" if a.active else " [đã khóa]"
        say(f"  {a.name} — tên đăng nhập {a.username}, {ROLE_VI[a.role]}{where}{state}")
        if a.password:
            say(f"    mật khẩu ban đầu (chỉ hiện một lần, đổi ở lần đăng nhập đầu): {a.password}")


@campaign_account.command("add")
@DB_OPTION
@argument("name", metavar="TÊN")
@option("--role", required=True, help="quan-tri, don-vi, tham-dinh hoặc xem.")
@option("--unit", default=None, metavar="ĐƠN_VỊ", help="Với don-vi: đơn vị của tài khoản.")
@option("--assign", "assigned_units", multiple=True, metavar="ĐƠN_VỊ",
        help="Với tham-dinh: một đơn vị được phân công (lặp lại).")
@option("--field", "fields", multiple=True, metavar="MÃ",
        help="Với tham-dinh: một lĩnh vực/tiêu chí được phân công, ví dụ 4 (lặp lại).")
@BY_OPTION
def campaign_account_add(db: str, name: str, role: str, unit: str | None, assigned_units: tuple[str, ...],
                         fields: tuple[str, ...], by: str | None) -> None:
    """Thêm tài khoản (hoặc giao vai trò cho tài khoản đã có); in mật khẩu ban đầu một lần."""
    with _open(db, by) as store:
        _show_accounts([add_account(store, name, role, by=by, unit=unit, fields=fields, units=assigned_units)])


@campaign_account.command("add-units")
@DB_OPTION
@BY_OPTION
def campaign_account_add_units(db: str, by: str | None) -> None:
    """Một tài khoản đơn vị cho mỗi đơn vị chưa có (tên tài khoản = tên đơn vị)."""
    with _open(db, by) as store:
        made = add_unit_accounts(store, by=by)
        _show_accounts(made)
        say(f"Đã tạo {len(made)} tài khoản đơn vị.")


@campaign_account.command("list")
@DB_OPTION
@BY_OPTION
def campaign_account_list(db: str, by: str | None) -> None:
    """Mọi tài khoản của chiến dịch và vai trò."""
    with _open(db, by) as store:
        reader(store, by, "xem danh sách tài khoản")
        _show_accounts(accounts(store))


@campaign_account.command("lock")
@DB_OPTION
@argument("name", metavar="TÊN")
@option("--unlock", is_flag=True, help="Mở khóa thay vì khóa.")
@BY_OPTION
def campaign_account_lock(db: str, name: str, unlock: bool, by: str | None) -> None:
    """Khóa (hoặc mở khóa) một tài khoản: không đăng nhập, không thao tác được."""
    with _open(db, by) as store:
        _show_accounts([set_active(store, name, unlock, by=by)])


@campaign_account.command("reset-password")
@DB_OPTION
@argument("name", metavar="TÊN")
@BY_OPTION
def campaign_account_reset_password(db: str, name: str, by: str | None) -> None:
    """Cấp mật khẩu ban đầu mới (hiện một lần; phải đổi ở lần đăng nhập sau)."""
    with _open(db, by) as store:
        _show_accounts([reset_password(store, name, by=by)])


@campaign.command("migrate")
@argument("old", type=FILE, metavar="TỆP_CŨ")
@option("--db", "-d", "db", default=None, envvar=["PARINDEX_CAMPAIGN", "DATABASE_URL"],
        help="Nơi nhận: tệp SQLite mới hoặc postgresql://…; mặc định CŨ-moi.db cạnh tệp cũ.")
def campaign_migrate(old: Path, db: str | None) -> None:
    """Chuyển một tệp chiến dịch định dạng cũ sang kho mới, giữ nguyên nhật ký (vẫn kiểm tra được)."""
    target = db or str(old.with_name(old.stem + "-moi.db"))
    with migrate(old, target) as store:
        report = verify(store)
        say(f"Đã chuyển {old} → {store.name}: {report.entries} mục nhật ký, "
            f"{'toàn vẹn' if report.ok else 'KHÔNG toàn vẹn'}; đầu chuỗi #{report.head_seq} {report.head_hash}")
        say(f"  Tài khoản quản trị: {store.operator.first_name}; các tên khác trong nhật ký cũ thành tài khoản "
            "bị khóa, giao vai trò bằng campaign account add.")
        for problem in report.problems:
            note(f"lỗi: {problem}")
    if not report.ok:
        sys.exit(1)
