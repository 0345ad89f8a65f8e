"""Read commands check who is acting too: on both databases, every read command without an
account, with a unit account on another unit, or with a role that may not read the whole
campaign is refused with one Vietnamese line, exit 2, and prints nothing of another unit."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from scoring import campaign as c

from .conftest import ROOT

AN_PHU, BINH_HOA, CAT_TIEN = "UBND xã An Phú", "UBND xã Bình Hòa", "UBND xã Cát Tiên"
PROFILE = ROOT / "examples" / "profiles" / "xa-binh-minh.yaml"


def run(*args: object, env: dict[str, str] | None = None):  # noqa: ANN201
    return CliRunner().invoke(main, [str(a) for a in args], env=env or {}, catch_exceptions=False)


def refused_line(result, *words: str) -> str:  # noqa: ANN001
    """One ``lỗi:`` line, exit 2, every word in it, and no other unit named anywhere."""
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lỗi: "), result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def campaign_db(small, monkeypatch) -> str:  # noqa: ANN001
    monkeypatch.delenv("PARINDEX_USER", raising=False)
    monkeypatch.delenv("PARINDEX_NOW", raising=False)
    return str(small.location)


@pytest.mark.parametrize("args", [["status"], ["status", "--log"], ["rank"], ["verify"], ["account", "list"],
                                  ["diff", AN_PHU], ["status", "--log", "--unit", AN_PHU]],
                         ids=lambda a: " ".join(a))
def test_a_read_without_an_account_is_refused(campaign_db, args) -> None:
    db = campaign_db
    refused_line(run("campaign", *args, "-d", db), "cần tài khoản thực hiện (--as TÊN hoặc biến PARINDEX_USER)")


@pytest.mark.parametrize("args", [["status"], ["rank"], ["verify"], ["account", "list"], ["status", "--log"]],
                         ids=lambda a: " ".join(a))
def test_a_unit_account_does_not_read_the_whole_campaign(campaign_db, args) -> None:
    db = campaign_db
    line = refused_line(run("campaign", *args, "-d", db, "--as", AN_PHU), "(vai trò đơn vị của UBND xã An Phú)")
    assert BINH_HOA not in line and CAT_TIEN not in line


def test_a_unit_reads_only_its_own_unit(campaign_db) -> None:
    db = campaign_db
    own = run("campaign", "diff", AN_PHU, "-d", db, "--as", AN_PHU)
    assert own.exit_code == 0 and AN_PHU in own.output and BINH_HOA not in own.output
    own_log = run("campaign", "status", "--log", "--unit", AN_PHU, "-d", db, env={"PARINDEX_USER": AN_PHU})
    assert own_log.exit_code == 0 and "nộp" in own_log.output and BINH_HOA not in own_log.output
    refused_line(run("campaign", "diff", BINH_HOA, "-d", db, "--as", AN_PHU),
                 "không được xem chênh lệch điểm của UBND xã Bình Hòa")
    refused_line(run("campaign", "status", "--log", "--unit", BINH_HOA, "-d", db, "--as", AN_PHU),
                 "không được xem nhật ký của UBND xã Bình Hòa")
    unknown = refused_line(run("campaign", "diff", "UBND xã Không Có", "-d", db, "--as", AN_PHU),
                           "không có đơn vị “UBND xã Không Có” trong phạm vi")
    assert BINH_HOA not in unknown and CAT_TIEN not in unknown  # no list of the units that exist


def test_readers_of_the_campaign(campaign_db) -> None:
    db = campaign_db
    c.add_account(c.open_campaign(db, as_="Sở"), "Lãnh đạo", "xem", by="Sở")
    for who in ("Sở Nội vụ", "Hội đồng", "Lãnh đạo"):
        for args in (["status"], ["rank"], ["verify"], ["account", "list"], ["diff", BINH_HOA]):
            result = run("campaign", *args, "-d", db, "--as", who)
            assert result.exit_code == 0, (who, args, result.output)
    assert run("campaign", "status", "--log", "-d", db, "--as", "Hội đồng").exit_code == 0
    refused_line(run("campaign", "status", "--log", "-d", db, "--as", "Lãnh đạo"),
                 "(vai trò xem) không được xem toàn bộ nhật ký chiến dịch")


def test_an_appraiser_reads_only_assigned_units(campaign_db) -> None:
    db = campaign_db
    c.add_account(c.open_campaign(db, as_="Sở"), "Tổ An Phú", "tham-dinh", by="Sở", units=(AN_PHU,))
    assert run("campaign", "diff", AN_PHU, "-d", db, "--as", "Tổ An Phú").exit_code == 0
    refused_line(run("campaign", "diff", BINH_HOA, "-d", db, "--as", "Tổ An Phú"),
                 "(vai trò thẩm định) không được xem chênh lệch điểm của UBND xã Bình Hòa")
    refused_line(run("campaign", "status", "--log", "--unit", CAT_TIEN, "-d", db, "--as", "Tổ An Phú"),
                 "không được xem nhật ký của UBND xã Cát Tiên")


def test_plan_from_a_campaign_checks_the_account(campaign_db, tmp_path: Path) -> None:
    db = campaign_db
    profile = tmp_path / "ho-so.yaml"  # one profile for every unit
    profile.write_text(PROFILE.read_text(encoding="utf-8").replace("unit: UBND xã Bình Minh", 'unit: "*"'),
                       encoding="utf-8")
    base = ["plan", "--campaign", db, "--stage", "tu-danh-gia", "-p", profile]
    refused_line(run(*base, "--unit", AN_PHU, "-o", tmp_path / "a.docx"), "cần tài khoản thực hiện")
    refused_line(run(*base, "--unit", BINH_HOA, "-o", tmp_path / "b.docx", "--as", AN_PHU),
                 "không được soạn kế hoạch của UBND xã Bình Hòa")
    refused_line(run(*base, "--all", "-o", tmp_path / "tat-ca", "--as", AN_PHU),
                 "không được soạn kế hoạch cho mọi đơn vị")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ho-so.yaml", *(["nho.db"] if Path(db).exists() else [])]
    own = run(*base, "--unit", AN_PHU, "-o", tmp_path / "a.docx", "--as", AN_PHU)
    assert own.exit_code == 0, own.output
    assert (tmp_path / "a.docx").is_file()
