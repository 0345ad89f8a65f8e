"""Tests that try to get in: every action by the wrong account, in the wrong phase, or replayed is
refused with a clear Vietnamese message, writes nothing and leaves the chain intact — on SQLite
and on PostgreSQL."""

from __future__ import annotations

from typing import Callable

import pytest

from scoring import campaign as c
from web.store import models as m

from .conftest import EXPLAIN_TIME, ROUND1_TIME, SMALL, SURVEY, UNITS, new_location

AN_PHU, BINH_HOA = "UBND xã An Phú", "UBND xã Bình Hòa"


def refused(store: c.CampaignStore, action: Callable[[], object], *words: str) -> str:
    """The action is refused with every word in its message; nothing is written; the log verifies."""
    before = (store.head(), store.objects(m.AuditEntry).count(), store.objects(m.Appraisal).count(),
              store.objects(m.Submission).count(), store.objects(m.Explanation).count())
    with pytest.raises(c.CampaignError) as caught:
        action()
    message = " ".join(p.message for p in caught.value.problems)
    for word in words:
        assert word in message, message
    after = (store.head(), store.objects(m.AuditEntry).count(), store.objects(m.Appraisal).count(),
             store.objects(m.Submission).count(), store.objects(m.Explanation).count())
    assert after == before
    assert c.verify(store).ok
    return message


SELF_PHASE = [
    ("a unit adds a unit", lambda s: c.add_unit(s, ["UBND xã Mới"], by=AN_PHU), "không được thêm đơn vị"),
    ("an appraiser adds a unit", lambda s: c.add_unit(s, ["UBND xã Mới"], by="B"), "(vai trò thẩm định)"),
    ("a unit submits for another", lambda s: c.submit(s, [UNITS / "binh-hoa.yaml"], by=AN_PHU),
     "không được nộp bản tự đánh giá của “UBND xã Bình Hòa”"),
    ("an appraiser changes a self-assessment", lambda s: c.submit(s, [UNITS / "an-phu.yaml"], by="B"),
     "(vai trò thẩm định) không được nộp bản tự đánh giá"),
    ("a unit withdraws another's", lambda s: c.withdraw(s, BINH_HOA, reason="x", by=AN_PHU),
     "không được rút bản tự đánh giá của “UBND xã Bình Hòa”"),
    ("a unit imports survey points", lambda s: c.import_survey(s, SURVEY, by=AN_PHU),
     "không được nhập điểm điều tra xã hội học"),
    ("a unit closes a phase", lambda s: c.close_phase(s, "tu-danh-gia", by=AN_PHU), "không được khóa giai đoạn"),
    ("a unit adds an account", lambda s: c.add_account(s, "Kẻ lạ", "quan-tri", by=AN_PHU),
     "không được quản lý tài khoản"),
    ("a typed name that is no account", lambda s: c.add_unit(s, ["UBND xã Mới"], by="Ai đó"),
     "không có tài khoản “Ai đó”"),
    ("an appraisal before round 1", lambda s: c.appraise(s, AN_PHU, "1.2", points="0", reason="x", by="B"),
     "Giai đoạn thẩm định vòng 1 chưa mở"),
]


@pytest.mark.parametrize("case", SELF_PHASE, ids=[case[0] for case in SELF_PHASE])
def test_self_assessment_phase_refusals(small, case) -> None:
    _, action, words = case
    refused(small, lambda: action(small), words)


def test_round1_refusals(small, clock) -> None:
    c.add_account(small, "Tổ lĩnh vực 2", "tham-dinh", fields=("2",), by="Sở Nội vụ")
    c.add_account(small, "Tổ An Phú", "tham-dinh", units=(AN_PHU,), by="Sở Nội vụ")
    clock.set(ROUND1_TIME)
    refused(small, lambda: c.appraise(small, AN_PHU, "1.2", points="0", reason="x", by=AN_PHU),
            "(vai trò đơn vị của UBND xã An Phú) không được ghi kết quả thẩm định")
    refused(small, lambda: c.appraise(small, AN_PHU, "1.2", points="0", reason="x", by="Sở"),
            "(vai trò quản trị) không được ghi kết quả thẩm định")
    refused(small, lambda: c.appraise(small, AN_PHU, "1.2", points="0", reason="x", by="Tổ lĩnh vực 2"),
            "không được phân công thẩm định đơn vị này")
    refused(small, lambda: c.appraise(small, BINH_HOA, "1.2", points="0", reason="x", by="Tổ An Phú"),
            "không được phân công thẩm định đơn vị này")
    refused(small, lambda: c.appraise_many(small, [c.Decision(AN_PHU, "2.1", "Sổ", evidence="140/200"),
                                                   c.Decision(AN_PHU, "1.2", "ngoài lĩnh vực", points="0")],
                                           by="Tổ lĩnh vực 2"), "không được phân công thẩm định đơn vị này (tiêu chí 1.2)")
    assert c.appraise(small, AN_PHU, "2.1", evidence="140/200", reason="Sổ", by="Tổ lĩnh vực 2") > 0
    assert c.appraise(small, AN_PHU, "1.2", points="1", reason="Trễ", by="Tổ An Phú") > 0
    refused(small, lambda: c.submit(small, [UNITS / "an-phu.yaml"], by=AN_PHU), "Giai đoạn tự đánh giá đã hết hạn")
    refused(small, lambda: c.explain(small, AN_PHU, "2.1", "sớm", by=AN_PHU), "Giai đoạn giải trình chưa mở")


def test_explanation_refusals(small, clock) -> None:
    clock.set(ROUND1_TIME)
    c.appraise(small, BINH_HOA, "2.1", evidence="140/200", reason="Sổ theo dõi", by="B")
    clock.set(EXPLAIN_TIME)
    refused(small, lambda: c.explain(small, BINH_HOA, "2.1", "hộ", by=AN_PHU),
            "Tài khoản “UBND xã An Phú” (vai trò đơn vị của UBND xã An Phú) không được gửi giải trình cho "
            "“UBND xã Bình Hòa”.")
    refused(small, lambda: c.explain(small, BINH_HOA, "2.1", "thẩm định viên giải trình", by="B"),
            "không được gửi giải trình")
    refused(small, lambda: c.appraise(small, BINH_HOA, "2.1", points="1", reason="x", by="B"),
            "Đang trong giai đoạn giải trình")
    assert c.explain(small, BINH_HOA, "2.1", "150 hồ sơ đúng hạn", by="xã") > 0


def test_a_locked_account_and_a_replayed_submission(small) -> None:
    c.set_active(small, "xã", False, by="Sở Nội vụ")
    refused(small, lambda: c.withdraw(small, BINH_HOA, reason="x", by="xã"), "tài khoản “xã” đã bị khóa")
    before = small.head()
    (replayed,) = c.submit(small, [UNITS / "an-phu.yaml"], by=AN_PHU)  # the same content again: nothing new
    assert replayed.status == "không đổi" and small.head() == before


def test_an_account_of_another_campaign_is_refused(small, clock, tmp_path, request, backend) -> None:
    other = c.init(new_location(backend, tmp_path, request, "khac.db"), SMALL, "Chiến dịch khác", by="Quản trị khác",
                   clock=clock, demo=True)
    if backend == "postgresql":  # one database, two campaigns: the account exists but is no member here
        refused(small, lambda: c.add_unit(small, ["UBND xã Mới"], by="Quản trị khác"),
                "tài khoản “Quản trị khác” không thuộc chiến dịch này")
    else:
        refused(small, lambda: c.add_unit(small, ["UBND xã Mới"], by="Quản trị khác"), "không có tài khoản")
    other.close()


def test_after_publication_everything_is_refused(small, clock, tmp_path) -> None:
    clock.set("21/03/2026 00:00")
    c.publish(small, tmp_path / "cong-bo", c.PublishOptions("Ủy ban nhân dân tỉnh X", "X"), by="Sở")
    refused(small, lambda: c.import_survey(small, SURVEY, by="Sở"), "Chiến dịch đã công bố kết quả")
    refused(small, lambda: c.add_unit(small, ["UBND xã Mới"], by="Sở"), "Chiến dịch đã công bố kết quả")
    refused(small, lambda: c.publish(small, tmp_path / "lai", c.PublishOptions("X", "X"), by=AN_PHU),
            "không được công bố kết quả")
    published = c.rank(small)
    assert [r.unit for r in published] == [r.unit for r in c.rank(small)]
    # an appraisal slipped in behind the log's back after publication: rank refuses, naming it
    unit = small.objects(m.Unit).get(name=AN_PHU)
    m.Appraisal.objects.using(small.alias).create(
        campaign=small.campaign, seq=small.head()[0] + 1, unit=unit,
        submission=small.objects(m.Submission).filter(unit=unit).order_by("-seq").first(),
        round=2, code="1.2", action="points", points="0", reason="sửa lén")
    with pytest.raises(c.CampaignError, match="không còn tin cậy được: bảng appraisal"):
        c.rank(small)
    with pytest.raises(c.CampaignError, match="không còn tin cậy được"):
        c.appraised_sheet(small)


def test_a_deadline_moved_through_the_portal_service_still_verifies(small, clock, monkeypatch) -> None:
    """``set_deadline`` is logged; verify replays it (the campaign row and the phases follow the log)."""
    from web.store import services

    monkeypatch.setenv("PARINDEX_NOW", "10/01/2026 08:00")  # a demo campaign: the services take the demo clock
    admin = small.account("Sở Nội vụ")
    services.set_deadline(admin, small.campaign, "tu-danh-gia", "05/02/2026")
    clock.set("01/02/2026 08:00")
    assert c.submit(small, [UNITS / "an-phu.yaml"], by=AN_PHU)[0].status == "không đổi"  # still open
    report = c.verify(small)
    assert report.ok, report.problems
    m.Campaign.objects.using(small.alias).filter(pk=small.campaign.pk).update(deadlines="{}")
    assert any("bảng campaign" in p and "deadlines" in p for p in c.verify(small).problems)
    with pytest.raises(c.CampaignError, match="không được đặt hạn"):
        services.set_deadline(small.account(AN_PHU), small.campaign, "tu-danh-gia", "06/02/2026")
