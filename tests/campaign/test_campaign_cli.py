"""The campaign commands: bad input is one line per problem and exit 2; a broken log exits 1."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from cli import main

from .conftest import FILES, SMALL

BY = ["--by", "Sở Nội vụ"]


@pytest.fixture
def db(tmp_path, monkeypatch):  # noqa: ANN001, ANN201
    monkeypatch.setenv("PARINDEX_NOW", "10/01/2026 08:00")
    path = tmp_path / "c.db"
    runner = CliRunner()
    for args in (["init", "-d", path, "-r", SMALL, "--name", "Thử", "--deadline", "tu-danh-gia=31/01/2026", *BY],
                 ["add-unit", "-d", path, "--from", FILES[0], "--from", FILES[2], "--level", "xã", *BY],
                 ["submit", "-d", path, FILES[0], FILES[2]]):
        result = runner.invoke(main, ["campaign", *map(str, args)])
        assert result.exit_code == 0, result.output
    return str(path)


def run(*args: str):  # noqa: ANN201
    return CliRunner().invoke(main, ["campaign", *args])


def test_status_and_a_refused_action(db, monkeypatch) -> None:
    status = run("status", "-d", db)
    assert "tự đánh giá: đang mở (hạn 23:59 ngày 31/01/2026)" in status.output
    assert "UBND xã Cát Tiên" in status.output
    refused = run("appraise", "-d", db, "UBND xã An Phú", "1.1", "--points", "1", "--reason", "x", *BY)
    assert refused.exit_code == 2
    assert refused.output.strip().startswith("lỗi: ") and "Giai đoạn thẩm định vòng 1 chưa mở" in refused.output
    assert "Traceback" not in refused.output


def test_a_batch_of_decisions_reports_every_problem_on_its_own_line(db, monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("PARINDEX_NOW", "01/02/2026 08:00")
    table = tmp_path / "quyet-dinh.csv"
    table.write_text("Đơn vị,Mã,Điểm,Số liệu,Lý do\n"
                     "UBND xã An Phú,1.2,\"1,5\",,Báo cáo trễ\n"
                     "UBND xã An Phú,2.1,9,,Sai\n"
                     "UBND xã An Phú,2.2,,,\n", encoding="utf-8")
    result = run("appraise", "-d", db, "--file", str(table), *BY)
    lines = [line for line in result.output.splitlines() if line.startswith("lỗi:")]
    assert result.exit_code == 2 and len(lines) == 2
    assert "dòng 3: tiêu chí “2.1”: điểm 9 ngoài khoảng [0; 5]" in lines[0]
    assert "dòng 4: tiêu chí “2.2”: quyết định thẩm định bắt buộc có lý do" in lines[1]
    ok = run("appraise", "-d", db, "UBND xã An Phú", "1.2", "--points", "1,5", "--reason", "Báo cáo trễ", *BY)
    assert ok.exit_code == 0 and "tiêu chí 1.2: đã ghi" in ok.output
    missing_action = run("appraise", "-d", db, "UBND xã An Phú", "1.2", "--reason", "x", *BY)
    assert missing_action.exit_code == 2 and "chọn một: --points, --evidence, --accept hoặc --confirm" in missing_action.output


def test_verify_exits_1_on_a_broken_log(db) -> None:
    assert run("verify", "-d", db).exit_code == 0
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM audit_log WHERE seq = 2")
    conn.commit()
    conn.close()
    result = run("verify", "-d", db)
    assert result.exit_code == 1 and "nhật ký thiếu mục #2" in result.output and "KHÔNG toàn vẹn" in result.output


def test_a_missing_campaign_file_is_one_line(tmp_path) -> None:
    result = run("status", "-d", str(tmp_path / "khong.db"))
    assert result.exit_code == 2
    assert result.output.strip() == f"lỗi: {tmp_path / 'khong.db'}: không tìm thấy tệp chiến dịch (tạo bằng parindex campaign init)"
