"""``campaign migrate``: a campaign file of the earlier format (stdlib sqlite3 tables, typed names;
``data/chien-dich-cu.db`` was written by that version: submissions, a withdrawal, two appraisal
rounds, an explanation, survey points, publication) comes over with its history verifiable."""

from __future__ import annotations

import shutil
import sqlite3

from click.testing import CliRunner

from cli import main
from scoring import campaign as c
from web.store import models as m

from .conftest import HERE

OLD = HERE / "data" / "chien-dich-cu.db"


def test_an_old_campaign_keeps_its_verifiable_history(location, tmp_path) -> None:
    store = c.migrate(OLD, location)
    report = c.verify(store)
    assert report.ok, report.problems
    assert report.entries == 19  # 18 copied exactly, then the signed ``migrate`` entry
    assert "mục #1–#18 chuyển từ tệp chiến dịch cũ, không có chữ ký" in " ".join(report.notes)
    log = c.log(store)
    assert [e.action for e in log][-1] == "migrate" and log[-1].detail["head"][0] == 18
    assert {e.actor for e in log[:18]} == {"Sở Nội vụ", "UBND xã An Phú", "UBND xã Bình Hòa", "UBND xã Cát Tiên",
                                           "UBND phường Đông Hải", "Trần Thị B"}
    roles = {a.name: (a.role, a.active) for a in c.accounts(store)}
    assert roles == {"Sở Nội vụ": ("quan-tri", True)}
    # the published result is read back, proven equal to a recomputation from the rows
    assert [r.unit for r in c.rank(store)][0] == "UBND xã Cát Tiên"
    # an old name becomes a real account once given a role
    c.add_account(store, "Trần Thị B", "tham-dinh", by="Sở Nội vụ")
    assert store.account("Trần Thị B").is_active
    store.close()


def test_an_old_file_edited_before_migration_is_caught(tmp_path) -> None:
    edited = tmp_path / "cu.db"
    shutil.copy(OLD, edited)
    conn = sqlite3.connect(edited)
    conn.execute("UPDATE appraisal SET points = '3' WHERE points = '1.5'")
    conn.commit()
    conn.close()
    store = c.migrate(edited, tmp_path / "moi.db")
    problems = c.verify(store).problems
    assert any("bảng appraisal" in p and "points đã bị sửa" in p for p in problems)
    store.close()


def test_the_command_and_a_file_that_is_no_old_campaign(tmp_path) -> None:
    result = CliRunner().invoke(main, ["campaign", "migrate", str(OLD), "--db", str(tmp_path / "moi.db")])
    assert result.exit_code == 0, result.output
    assert "19 mục nhật ký, toàn vẹn" in result.output
    assert m.Campaign.objects.using(c.open_campaign(tmp_path / "moi.db").alias).count() == 1
    junk = tmp_path / "rac.db"
    junk.write_text("không phải sqlite", encoding="utf-8")
    refused = CliRunner().invoke(main, ["campaign", "migrate", str(junk), "--db", str(tmp_path / "b.db")])
    assert refused.exit_code == 2 and "không phải tệp chiến dịch parindex" in refused.output
    assert not (tmp_path / "b.db").exists()
