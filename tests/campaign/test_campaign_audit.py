"""The audit log is a hash chain: any edited, deleted or inserted entry or row is detected."""

from __future__ import annotations

import sqlite3

import pytest

from scoring import campaign as c
from scoring.campaign.audit import entries

from .conftest import ROUND1_TIME


@pytest.fixture
def appraised(small, clock):  # noqa: ANN201
    clock.set(ROUND1_TIME)
    c.appraise(small, "UBND xã An Phú", "1.2", points="1,5", reason="Báo cáo quý III trễ hạn", by="B")
    c.appraise(small, "UBND xã Bình Hòa", "2.1", evidence="140/200", reason="Sổ theo dõi", by="B")
    assert c.verify(small).ok
    return small


def tamper(store, sql: str, *params: object) -> None:
    """Change the file behind the software's back, as someone with a database tool could."""
    other = sqlite3.connect(store.path)
    other.execute(sql, params)
    other.commit()
    other.close()


def test_an_intact_log_verifies_and_names_its_head(appraised) -> None:
    report = c.verify(appraised)
    log = entries(appraised.conn)
    assert report.ok and report.entries == len(log) and report.head_seq == log[-1].seq
    assert report.head_hash == log[-1].hash and len(report.head_hash) == 64
    assert all(b.prev_hash == a.hash for a, b in zip(log, log[1:]))


def test_an_edited_entry_is_detected(appraised) -> None:
    seq = entries(appraised.conn)[-1].seq
    tamper(appraised, "UPDATE audit_log SET actor = 'Người khác' WHERE seq = ?", seq)
    report = c.verify(appraised)
    assert not report.ok
    assert any(f"mục #{seq} (appraise-1" in p and "đã bị sửa" in p for p in report.problems)


def test_an_edited_row_is_detected_even_when_the_log_is_untouched(appraised) -> None:
    tamper(appraised, "UPDATE appraisal SET points = '3' WHERE points = '1.5'")
    problems = c.verify(appraised).problems
    assert len(problems) == 1 and "bảng appraisal" in problems[0] and "points đã bị sửa" in problems[0]


def test_a_deleted_entry_in_the_middle_is_detected(appraised) -> None:
    tamper(appraised, "DELETE FROM audit_log WHERE seq = 3")
    problems = c.verify(appraised).problems
    assert any("nhật ký thiếu mục #3" in p for p in problems)
    assert any("mục #4 không nối với mục đứng trước" in p for p in problems)


def test_a_deleted_last_entry_and_its_row_are_detected_by_the_head(appraised) -> None:
    last = entries(appraised.conn)[-1].seq
    tamper(appraised, "DELETE FROM audit_log WHERE seq = ?", last)
    tamper(appraised, "DELETE FROM appraisal WHERE seq = ?", last)
    problems = c.verify(appraised).problems
    assert problems == [f"đầu chuỗi ghi trong cơ sở dữ liệu là mục #{last}, nhưng nhật ký kết thúc ở mục "
                        f"#{last - 1}: mục cuối đã bị xóa hoặc bị thay"]


def test_a_deleted_row_and_an_inserted_row_are_detected(appraised) -> None:
    last = entries(appraised.conn)[-1].seq
    tamper(appraised, "DELETE FROM appraisal WHERE seq = ?", last)
    tamper(appraised, "INSERT INTO withdrawal (seq, submission_seq, reason) VALUES (999, 6, 'giả')")
    problems = c.verify(appraised).problems
    assert any(f"mục #{last} của nhật ký ghi một dòng vào bảng appraisal, nhưng dòng đó đã bị xóa" in p for p in problems)
    assert any("bảng withdrawal, dòng #999: không có trong nhật ký" in p for p in problems)


def test_a_rewritten_chain_is_caught_by_the_published_anchor(appraised) -> None:
    """Someone who recomputes every hash and the head defeats the chain alone, not the anchor."""
    from scoring.campaign import audit

    report = c.verify(appraised)
    anchor = f"{report.head_seq}:{report.head_hash}"
    conn = sqlite3.connect(appraised.path)
    conn.execute("UPDATE appraisal SET points = '3' WHERE points = '1.5'")
    rows = conn.execute("SELECT seq, at, actor, action, unit, detail FROM audit_log ORDER BY seq").fetchall()
    previous = audit.GENESIS
    for seq, at, actor, action, unit, detail in rows:
        detail = detail.replace('"points":"1.5"', '"points":"3"')
        digest = audit.entry_hash(seq, at, actor, action, unit, detail, previous)
        conn.execute("UPDATE audit_log SET detail = ?, prev_hash = ?, hash = ? WHERE seq = ?", (detail, previous, digest, seq))
        previous = digest
    conn.execute("UPDATE meta SET value = ? WHERE key = 'head_hash'", (previous,))
    conn.commit()
    conn.close()
    assert c.verify(appraised).ok  # the chain alone cannot tell
    problems = c.verify(appraised, anchor).problems
    assert problems == [f"mục #{report.head_seq} khác với mã đã công bố ({report.head_hash[:16]}…): nhật ký đã bị viết lại"]


def test_a_malformed_anchor_is_refused(appraised) -> None:
    with pytest.raises(c.CampaignError, match="không đúng dạng SỐ:SHA256"):
        c.verify(appraised, "12:abc")


def test_entries_written_under_a_simulated_clock_say_so(appraised) -> None:
    assert all(e.detail["clock"] == "simulated" for e in entries(appraised.conn))
