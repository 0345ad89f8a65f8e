"""Phases: deadlines lock what they close, with a clear Vietnamese message; manual closing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from scoring import campaign as c
from scoring.campaign.appraisal import records

from .conftest import EXPLAIN_TIME, ROUND1_TIME, ROUND2_TIME, UNITS


def test_self_assessment_is_refused_after_its_deadline(small, clock) -> None:
    clock.set("31/01/2026 23:59")
    c.submit(small, [UNITS / "binh-hoa.yaml"])  # still the last minute of the day
    clock.set("01/02/2026 00:00")
    with pytest.raises(c.PhaseLocked) as caught:
        c.submit(small, [UNITS / "binh-hoa.yaml"])
    assert str(caught.value).endswith("Giai đoạn tự đánh giá đã hết hạn lúc 23:59 ngày 31/01/2026: "
                                      "không thể nộp bản tự đánh giá của “UBND xã Bình Hòa”.")
    with pytest.raises(c.PhaseLocked, match="không thể rút bản tự đánh giá"):
        c.withdraw(small, "UBND xã Bình Hòa", reason="sửa", by="xã")
    with pytest.raises(c.PhaseLocked, match="không thể thêm đơn vị"):
        c.add_unit(small, ["UBND xã Mới"], by="Sở")


def test_round1_is_refused_after_it_is_closed_by_hand(small, clock) -> None:
    clock.set(ROUND1_TIME)
    c.appraise(small, "UBND xã An Phú", "1.2", points="1,5", reason="Báo cáo trễ", by="B")
    clock.advance(hours=1)
    c.close_phase(small, "tham-dinh-1", by="Sở Nội vụ")
    with pytest.raises(c.PhaseLocked) as caught:
        c.appraise(small, "UBND xã An Phú", "1.2", points="3", reason="đổi ý", by="B")
    assert str(caught.value).endswith(
        "Đang trong giai đoạn giải trình: vòng 1 đã khóa lúc 09:00 ngày 05/02/2026 (Sở Nội vụ), vòng 2 chưa mở, "
        "nên chưa thể ghi kết quả thẩm định.")
    assert [r.points for r in records(small)] == [Decimal("1.5")]


def test_a_phase_cannot_open_before_the_previous_ends(small, clock, tmp_path) -> None:
    with pytest.raises(c.PhaseLocked) as caught:
        c.appraise(small, "UBND xã An Phú", "1.2", points="1", reason="x", by="B")
    assert "Giai đoạn thẩm định vòng 1 chưa mở: giai đoạn tự đánh giá chưa kết thúc (hạn 23:59 ngày 31/01/2026)" \
        in str(caught.value)
    with pytest.raises(c.PhaseLocked, match="chưa mở"):
        c.close_phase(small, "giai-trinh", by="Sở")
    with pytest.raises(c.PhaseLocked, match="Chưa thể công bố"):
        c.publish(small, tmp_path / "out", c.PublishOptions("Ủy ban nhân dân tỉnh X", "X"), by="Sở")


def test_phases_follow_the_clock(small, clock) -> None:
    states = lambda: [s.state for s in c.phase_states(small)]  # noqa: E731
    assert states() == ["đang mở", "chưa mở", "chưa mở", "chưa mở"]
    for moment, expected in ((ROUND1_TIME, ["đã kết thúc", "đang mở", "chưa mở", "chưa mở"]),
                             (EXPLAIN_TIME, ["đã kết thúc", "đã kết thúc", "đang mở", "chưa mở"]),
                             (ROUND2_TIME, ["đã kết thúc", "đã kết thúc", "đã kết thúc", "đang mở"]),
                             ("21/03/2026 00:00", ["đã kết thúc"] * 4)):
        clock.set(moment)
        assert states() == expected


def test_deadlines_must_follow_the_phase_order(tmp_path) -> None:
    from .conftest import SMALL

    with pytest.raises(c.CampaignError, match="hạn thẩm định vòng 1 .* phải sau hạn tự đánh giá"):
        c.init(tmp_path / "x.db", SMALL, "X", by="Sở", deadlines={"tu-danh-gia": "10/02/2026", "round1": "01/02/2026"})
    assert not (tmp_path / "x.db").exists()
    with pytest.raises(c.CampaignError, match="không có giai đoạn “vòng ba”"):
        c.init(tmp_path / "x.db", SMALL, "X", by="Sở", deadlines={"vòng ba": "10/02/2026"})
