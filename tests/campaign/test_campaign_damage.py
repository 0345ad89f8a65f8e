"""A damaged campaign file — cut, overwritten, a table dropped, a row or a log entry edited, not a
database, made by a newer parindex — answers every campaign command with one Vietnamese line naming
the file and exit 2, never a traceback; ``verify`` names the broken entry or row."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from tests.fuzz.mutants import database_mutants

from .conftest import FILES, SMALL, SURVEY

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def damaged(tmp_path_factory: pytest.TempPathFactory, django_db_blocker) -> dict[str, Path]:  # noqa: ANN001
    folder = tmp_path_factory.mktemp("hong")
    db = folder / "goc.db"
    runner = CliRunner()
    with django_db_blocker.unblock():
        for args in (["init", "-r", SMALL, "--name", "Thử", "--as", "Sở"],
                     ["add-unit", "--from", FILES[0], "--from", FILES[1], "--from", FILES[2], "--as", "Sở"],
                     ["submit", *FILES, "--as", "Sở"]):
            result = runner.invoke(main, ["campaign", *map(str, args[:1]), "-d", str(db), *map(str, args[1:])])
            assert result.exit_code == 0, result.output
    return {m.why: m.path for m in database_mutants(db, folder / "mutants")} | {"whole": db}


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["campaign", *map(str, args)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.output


COMMANDS = [("status",), ("rank",), ("diff", "UBND xã An Phú"), ("status", "--log"), ("submit", FILES[0]),
            ("import-survey", SURVEY), ("verify",)]
UNREADABLE = ["not a database", "empty file", "a table dropped", "the log dropped", "a newer schema"]


@pytest.mark.parametrize("why", UNREADABLE)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0] + ("-log" if "--log" in c else ""))
def test_an_unreadable_campaign_file_gives_one_line_naming_it_and_exit_2(damaged, why: str, command: tuple) -> None:
    db = damaged[why]
    code, output = run(command[0], "-d", db, *command[1:], "--as", "Sở")
    lines = [line for line in output.splitlines() if line.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"lỗi: {db}: "), output


def test_the_messages_say_what_is_wrong(damaged) -> None:
    assert "không phải tệp chiến dịch parindex" in run("status", "-d", damaged["not a database"], "--as", "Sở")[1]
    assert "thiếu bảng store_submission" in run("rank", "-d", damaged["a table dropped"], "--as", "Sở")[1]
    newer = run("verify", "-d", damaged["a newer schema"], "--as", "Sở")[1]
    assert "lược đồ mới hơn phiên bản parindex này (9999_tu_phien_ban_moi)" in newer


@pytest.mark.parametrize("why", ["the deadlines no longer JSON", "the stored rubric edited", "a row's JSON cut"])
def test_reading_commands_on_an_edited_campaign_name_the_damage_in_one_line(damaged, why: str) -> None:
    db = damaged[why]
    code, output = run("rank", "-d", db, "--as", "Sở")
    lines = output.strip().splitlines()
    assert code == 2 and len(lines) == 1 and lines[0].startswith(f"lỗi: {db}: "), output
    assert "bị sửa ngoài phần mềm" in lines[0]


def test_verify_names_the_broken_entry_or_row(damaged) -> None:
    code, output = run("verify", "-d", damaged["an entry's content no longer JSON"], "--as", "Sở")
    assert code == 1 and "mục #2 (add-unit): nội dung không còn là JSON" in output
    assert "mục #2 (add-unit" in output and "hash không khớp nội dung" in output
    code, output = run("verify", "-d", damaged["a row's JSON cut"], "--as", "Sở")
    assert code == 1 and "bảng submission" in output and "cells đã bị sửa" in output
    code, output = run("verify", "-d", damaged["the chain head moved"], "--as", "Sở")
    assert code == 1 and "đầu chuỗi ghi trong cơ sở dữ liệu" in output


def test_a_cut_file_is_refused_as_damaged(damaged, tmp_path: Path) -> None:
    for why in ("cut in half", "header zeroed"):
        code, output = run("verify", "-d", damaged[why], "--as", "Sở")
        lines = output.strip().splitlines()
        assert code == 2 and len(lines) == 1 and lines[0].startswith(f"lỗi: {damaged[why]}: "), output


def test_the_whole_campaign_still_verifies(damaged, tmp_path: Path) -> None:
    copy = tmp_path / "ban-sao.db"
    shutil.copyfile(damaged["whole"], copy)
    code, output = run("verify", "-d", copy, "--as", "Sở")
    assert code == 0 and "Nhật ký toàn vẹn" in output


def test_campaign_outputs_never_replace_the_campaign_file_or_another_input(damaged, tmp_path: Path) -> None:
    db = tmp_path / "chien-dich.db"
    shutil.copyfile(damaged["whole"], db)
    before = db.read_bytes()
    code, output = run("diff", "-d", db, "UBND xã An Phú", "--xlsx", db, "--as", "Sở")
    assert code == 2 and output.strip() == (f"lỗi: {db}: --xlsx trùng với tệp đầu vào “{db}”: tệp đầu vào sẽ bị ghi "
                                             "đè; hãy chọn tên tệp khác")
    template = tmp_path / "cong-bo" / "quyet-dinh-cong-bo.docx"
    template.parent.mkdir()
    template.write_bytes(b"mau")
    code, output = run("publish", "-d", db, "-o", template.parent, "--issuer", "UBND tỉnh", "--place", "Hà Tĩnh",
                       "--template", template, "--as", "Sở")
    assert code == 2 and "--out trùng với tệp đầu vào" in output and template.read_bytes() == b"mau"
    assert db.read_bytes() == before
