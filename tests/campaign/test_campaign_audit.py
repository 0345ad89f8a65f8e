"""The audit log is a signed hash chain: any edited, deleted or inserted entry or row is detected,
on SQLite and on PostgreSQL, and a rewrite of the whole chain fails the server's signatures."""

from __future__ import annotations

import pytest

from scoring import campaign as c
from scoring.campaign import audit
from scoring.campaign.verification import entries
from web.store import models as m

from .conftest import ROUND1_TIME


@pytest.fixture
def appraised(small, clock):  # noqa: ANN201
    clock.set(ROUND1_TIME)
    c.appraise(small, "UBND xã An Phú", "1.2", points="1,5", reason="Báo cáo quý III trễ hạn", by="B")
    c.appraise(small, "UBND xã Bình Hòa", "2.1", evidence="140/200", reason="Sổ theo dõi", by="B")
    assert c.verify(small).ok
    return small


def rows(store, model):  # noqa: ANN001, ANN201
    """The table behind the software's back, as someone with a database tool sees it (no log, no checks)."""
    return model.objects.using(store.alias).filter(campaign_id=store.campaign.pk)


def test_an_intact_log_verifies_and_names_its_head(appraised) -> None:
    report = c.verify(appraised)
    log = entries(appraised)
    assert report.ok and report.entries == len(log) and report.head_seq == log[-1].seq
    assert report.head_hash == log[-1].hash and len(report.head_hash) == 64
    assert all(b.prev_hash == a.hash for a, b in zip(log, log[1:]))
    assert all(len(e.signature) == 128 for e in log)


def test_an_edited_entry_is_detected(appraised) -> None:
    seq = entries(appraised)[-1].seq
    rows(appraised, m.AuditEntry).filter(seq=seq).update(actor="Người khác")
    report = c.verify(appraised)
    assert not report.ok
    assert any(f"mục #{seq} (appraise-1" in p and "đã bị sửa" in p for p in report.problems)


def test_an_edited_row_is_detected_even_when_the_log_is_untouched(appraised) -> None:
    rows(appraised, m.Appraisal).filter(points="1.5").update(points="3")
    problems = c.verify(appraised).problems
    assert len(problems) == 1 and "bảng appraisal" in problems[0] and "points đã bị sửa" in problems[0]


def test_a_deleted_entry_in_the_middle_is_detected(appraised) -> None:
    rows(appraised, m.AuditEntry).filter(seq=3).delete()
    problems = c.verify(appraised).problems
    assert any("nhật ký thiếu mục #3" in p for p in problems)
    assert any("mục #4 không nối với mục đứng trước" in p for p in problems)


def test_a_deleted_last_entry_and_its_row_are_detected_by_the_head(appraised) -> None:
    last = entries(appraised)[-1].seq
    rows(appraised, m.AuditEntry).filter(seq=last).delete()
    rows(appraised, m.Appraisal).filter(seq=last).delete()
    problems = c.verify(appraised).problems
    assert problems == [f"đầu chuỗi ghi trong cơ sở dữ liệu là mục #{last}, nhưng nhật ký kết thúc ở mục "
                        f"#{last - 1}: mục cuối đã bị xóa hoặc bị thay"]


def test_a_deleted_row_and_an_inserted_row_are_detected(appraised) -> None:
    last = entries(appraised)[-1].seq
    rows(appraised, m.Appraisal).filter(seq=last).delete()
    submission = rows(appraised, m.Submission).order_by("seq").first()
    m.Withdrawal.objects.using(appraised.alias).create(campaign=appraised.campaign, seq=999, submission=submission,
                                                       reason="giả")
    problems = c.verify(appraised).problems
    assert any(f"mục #{last} của nhật ký ghi một dòng vào bảng appraisal, nhưng dòng đó đã bị xóa" in p for p in problems)
    assert any("bảng withdrawal, dòng #999: không có trong nhật ký" in p for p in problems)


def _rewrite_chain(store, replace: tuple[str, str]) -> None:  # noqa: ANN001
    """Recompute every hash and the head after an edit: what the chain alone cannot catch."""
    previous = audit.GENESIS
    for entry in rows(store, m.AuditEntry).order_by("seq"):
        payload = entry.payload.replace(*replace)
        digest = audit.entry_hash(entry.seq, entry.at, entry.actor, entry.action, entry.unit, payload, previous)
        rows(store, m.AuditEntry).filter(pk=entry.pk).update(payload=payload, prev_hash=previous, hash=digest)
        previous = digest
    m.Campaign.objects.using(store.alias).filter(pk=store.campaign.pk).update(head_hash=previous)


def test_a_rewritten_chain_fails_the_signatures_and_the_published_anchor(appraised) -> None:
    """Someone who recomputes every hash and the head, without the server's key file."""
    report = c.verify(appraised)
    anchor = f"{report.head_seq}:{report.head_hash}"
    rows(appraised, m.Appraisal).filter(points="1.5").update(points="3")
    _rewrite_chain(appraised, ('"points":"1.5"', '"points":"3"'))
    problems = c.verify(appraised).problems
    first = next(e.seq for e in entries(appraised) if '"points":"3"' in e.text)
    assert f"mục #{first} (appraise-1) không mang chữ ký hợp lệ của máy chủ: nhật ký đã bị viết lại ngoài phần mềm" \
        in problems
    assert not any("hash không khớp" in p or "bảng appraisal" in p for p in problems)  # the chain itself is consistent
    problems = c.verify(appraised, anchor).problems
    assert f"mục #{report.head_seq} khác với mã đã công bố ({report.head_hash[:16]}…): nhật ký đã bị viết lại" in problems


def test_a_rewritten_chain_is_caught_against_the_head_printed_at_a_phase_close(appraised, clock) -> None:
    seq = c.close_phase(appraised, "tham-dinh-1", by="Sở")
    close = rows(appraised, m.PhaseClose).get(seq=seq)
    assert (close.chain_seq, close.chain_head) == (seq - 1, entries(appraised)[seq - 2].hash)
    report = c.verify(appraised)
    assert report.ok and report.phase_heads == [("tham-dinh-1", seq - 1, close.chain_head)]
    rows(appraised, m.Appraisal).filter(points="1.5").update(points="3")
    _rewrite_chain(appraised, ('"points":"1.5"', '"points":"3"'))
    problems = c.verify(appraised).problems
    assert any(f"khác với mã ghi khi khóa giai đoạn (mục #{seq})" in p for p in problems)


def test_a_malformed_anchor_is_refused(appraised) -> None:
    with pytest.raises(c.CampaignError, match="không đúng dạng SỐ:SHA256"):
        c.verify(appraised, "12:abc")


def test_entries_written_under_a_simulated_clock_say_so(appraised) -> None:
    assert all(e.detail["clock"] == "simulated" for e in entries(appraised))
    report = c.verify(appraised)
    assert report.simulated == len(entries(appraised)) and "ĐỒNG HỒ GIẢ LẬP" in report.notes[0]


def test_an_entry_backdated_or_outside_its_phase_is_caught(appraised) -> None:
    """Rewritten with a valid hash and signature — as the server itself would have, if told to."""
    store = appraised
    last = rows(store, m.AuditEntry).order_by("-seq").first()
    moved = "2026-03-15T08:00:00+07:00"  # round 1 ended on 28/02: an appraisal of round 1 then is not allowed
    previous = rows(store, m.AuditEntry).get(seq=last.seq - 1).hash
    digest = audit.entry_hash(last.seq, moved, last.actor, last.action, last.unit, last.payload, previous)
    rows(store, m.AuditEntry).filter(pk=last.pk).update(at=moved, hash=digest, signature=store.signer.sign(digest))
    m.Campaign.objects.using(store.alias).filter(pk=store.campaign.pk).update(head_hash=digest)
    problems = c.verify(store).problems
    assert problems == [f"mục #{last.seq} (appraise-1, {moved}): giai đoạn thẩm định vòng 1 không mở vào lúc đó "
                        "(đã kết thúc)"]
    rows(store, m.AuditEntry).filter(pk=last.pk).update(at="2026-01-01T08:00:00+07:00")
    assert any("thời điểm đi lùi" in p for p in c.verify(store).problems)
