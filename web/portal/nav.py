"""The header's links for the account's role in a campaign."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from web.store.models import DON_VI, QUAN_TRI, THAM_DINH, XEM, Unit


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    on: bool


def nav_for(act, page: str, unit: Unit | None = None) -> list[Link]:
    slug = act.campaign.slug
    links: list[tuple[str, str, str]] = []
    if act.role == DON_VI and act.membership.unit_id:
        u = act.membership.unit_id
        links = [("unit", "Tổng quan", reverse("portal:unit", args=[slug, u])),
                 ("form", "Tự đánh giá", reverse("portal:unit_form", args=[slug, u])),
                 ("appraisal", "Kết quả thẩm định", reverse("portal:unit_appraisal", args=[slug, u]))]
    elif act.role == THAM_DINH:
        links = [("appraiser", "Đơn vị được giao", reverse("portal:appraiser", args=[slug]))]
    elif act.role in (QUAN_TRI, XEM):
        if act.role == QUAN_TRI:
            links = [("admin", "Điều hành", reverse("portal:admin", args=[slug])),
                     ("units", "Đơn vị", reverse("portal:admin_units", args=[slug])),
                     ("accounts", "Tài khoản", reverse("portal:admin_accounts", args=[slug])),
                     ("survey", "Điều tra XHH", reverse("portal:admin_survey", args=[slug]))]
        links += [("ranking", "Xếp hạng", reverse("portal:admin_ranking", args=[slug]))]
        if act.role == QUAN_TRI:
            links += [("publish", "Công bố", reverse("portal:admin_publish", args=[slug])),
                      ("audit", "Nhật ký", reverse("portal:admin_audit", args=[slug]))]
    return [Link(label, url, key == page) for key, label, url in links]
