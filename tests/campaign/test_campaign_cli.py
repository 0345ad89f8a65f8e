"""The campaign commands: bad input is one line per problem and exit 2; a broken log exits 1;
the acting account (--as, alias --by) is checked like any other — on both databases."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from cli import main
from scoring import campaign as c
from web.store import models as m

from .conftest import FILES, SMALL

BY = ["--as", "Sở Nội vụ"]
APPRAISER = ["--by", "Thẩm định viên"]


@pytest.fixture
def cli_db(location, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("PARINDEX_NOW", "10/01/2026 08:00")
    runner = CliRunner()
    for args in (["init", "-d", location, "-r", SMALL, "--name", "Thử", "--deadline", "tu-danh-gia=31/01/2026",
                  "--demo", *BY],
                 ["add-unit", "-d", location, "--from", FILES[0], "--from", FILES[2], "--level", "xã", *BY],
                 ["account", "add", "-d", location, "Thẩm định viên", "--role", "tham-dinh", *BY],
                 ["account", "add-units", "-d", location, *BY],
                 ["submit", "-d", location, FILES[0], FILES[2], *BY]):
        result = runner.invoke(main, ["campaign", *map(str, args)])
        assert result.exit_code == 0, result.output
    return str(location)


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, ["campaign", *args])


def test_status_and_a_refused_action(cli_db, monkeypatch) -> None:
    db = cli_db
    status = run("status", "-d", db, *BY)
    assert "tự đánh giá: đang mở (hạn 23:59 ngày 31/01/2026)" in status.output
    assert "UBND xã Cát Tiên" in status.output
    refused = run("appraise", "-d", db, "UBND xã An Phú", "1.1", "--points", "1", "--reason", "x", *APPRAISER)
    assert refused.exit_code == 2
    assert refused.output.strip().startswith("lỗi: ") and "Giai đoạn thẩm định vòng 1 chưa mở" in refused.output
    assert "Traceback" not in refused.output


def test_accounts_are_listed_and_passwords_shown_once(cli_db) -> None:
    db = cli_db
    listed = run("account", "list", "-d", db, *BY)
    assert listed.exit_code == 0
    assert "Sở Nội vụ — tên đăng nhập so-noi-vu, quản trị" in listed.output
    assert "Thẩm định viên — tên đăng nhập tham-dinh-vien, thẩm định, phân công: mọi đơn vị" in listed.output
    assert "UBND xã An Phú — tên đăng nhập ubnd-xa-an-phu, đơn vị, UBND xã An Phú" in listed.output
    assert "mật khẩu ban đầu" not in listed.output
    added = run("account", "add", "-d", db, "Lãnh đạo tỉnh", "--role", "xem", *BY)
    assert added.exit_code == 0 and "mật khẩu ban đầu" in added.output
    locked = run("account", "lock", "-d", db, "Lãnh đạo tỉnh", *BY)
    assert locked.exit_code == 0 and "[đã khóa]" in locked.output


def test_an_unknown_or_wrong_account_is_refused_and_nothing_is_written(cli_db, monkeypatch) -> None:
    db = cli_db
    store = c.open_campaign(db, c.FixedClock("10/01/2026 08:00"))
    before = store.head()
    nobody = run("add-unit", "-d", db, "UBND xã Mới", "--as", "Người lạ")
    assert nobody.exit_code == 2 and "không có tài khoản “Người lạ”" in nobody.output
    unit = run("add-unit", "-d", db, "UBND xã Mới", "--as", "UBND xã An Phú")
    assert unit.exit_code == 2
    assert "Tài khoản “UBND xã An Phú” (vai trò đơn vị của UBND xã An Phú) không được thêm đơn vị." in unit.output
    other = run("withdraw", "-d", db, "UBND xã Cát Tiên", "--reason", "x", "--as", "UBND xã An Phú")
    assert other.exit_code == 2 and "không được rút bản tự đánh giá của “UBND xã Cát Tiên”" in other.output
    missing = run("close-phase", "-d", db, "tu-danh-gia")
    assert missing.exit_code == 2 and "cần tài khoản thực hiện (--as TÊN hoặc biến PARINDEX_USER)" in missing.output
    assert store.head() == before
    store.close()


def test_the_demo_clock_is_refused_on_a_real_campaign(location, monkeypatch) -> None:
    monkeypatch.setenv("PARINDEX_NOW", "10/01/2026 08:00")
    refused = run("init", "-d", str(location), "-r", str(SMALL), "--name", "Thật", *BY)
    assert refused.exit_code == 2 and "đồng hồ giả lập chỉ dùng cho chiến dịch trình diễn" in refused.output
    monkeypatch.delenv("PARINDEX_NOW")
    assert run("init", "-d", str(location), "-r", str(SMALL), "--name", "Thật", *BY).exit_code == 0
    monkeypatch.setenv("PARINDEX_NOW", "10/01/2026 08:00")
    status = run("status", "-d", str(location))
    assert status.exit_code == 2 and "đồng hồ giả lập chỉ dùng được với chiến dịch tạo ở chế độ trình diễn" in status.output


def test_a_batch_of_decisions_reports_every_problem_on_its_own_line(cli_db, monkeypatch, tmp_path) -> None:
    db = cli_db
    monkeypatch.setenv("PARINDEX_NOW", "01/02/2026 08:00")
    table = tmp_path / "quyet-dinh.csv"
    table.write_text("Đơn vị,Mã,Điểm,Số liệu,Lý do\n"
                     "UBND xã An Phú,1.2,\"1,5\",,Báo cáo trễ\n"
                     "UBND xã An Phú,2.1,9,,Sai\n"
                     "UBND xã An Phú,2.2,,,\n", encoding="utf-8")
    result = run("appraise", "-d", db, "--file", str(table), *APPRAISER)
    lines = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert result.exit_code == 2 and len(lines) == 2
    assert "dòng 3: tiêu chí “2.1”: điểm 9 ngoài khoảng [0; 5]" in lines[0]
    assert "dòng 4: tiêu chí “2.2”: quyết định thẩm định bắt buộc có lý do" in lines[1]
    ok = run("appraise", "-d", db, "UBND xã An Phú", "1.2", "--points", "1,5", "--reason", "Báo cáo trễ", *APPRAISER)
    assert ok.exit_code == 0 and "tiêu chí 1.2: đã ghi" in ok.output
    missing_action = run("appraise", "-d", db, "UBND xã An Phú", "1.2", "--reason", "x", *APPRAISER)
    assert missing_action.exit_code == 2 and "chọn một: --points, --evidence, --accept hoặc --confirm" in missing_action.output


def test_verify_exits_1_on_a_broken_log(cli_db) -> None:
    db = cli_db
    verified = run("verify", "-d", db, *BY)
    assert verified.exit_code == 0 and "ĐỒNG HỒ GIẢ LẬP" in verified.output
    store = c.open_campaign(db, c.FixedClock("10/01/2026 08:00"))
    m.AuditEntry.objects.using(store.alias).filter(campaign=store.campaign, seq=2).delete()
    store.close()
    result = run("verify", "-d", db, *BY)
    assert result.exit_code == 1 and "nhật ký thiếu mục #2" in result.output and "KHÔNG toàn vẹn" in result.output


def test_a_missing_campaign_file_is_one_line(tmp_path) -> None:
    result = run("status", "-d", str(tmp_path / "khong.db"))
    assert result.exit_code == 2
    assert result.output.strip() == f"lỗi: {tmp_path / 'khong.db'}: không tìm thấy tệp chiến dịch (tạo bằng parindex campaign init)"
