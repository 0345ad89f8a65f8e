"""The portal's unit creation goes through the campaign's one rule for unit identity: a name that is an
existing unit written another way (“Hòa”/“Hoà”, case, inner spaces) is refused naming that unit."""

from __future__ import annotations

from django.urls import reverse

from web.portal.demo import SLUG
from web.store.models import Unit


def test_the_portal_refuses_a_near_duplicate_unit_naming_the_one_that_exists(demo) -> None:
    before = Unit.objects.filter(campaign=demo.campaign).count()
    page = demo.client("quantri").post(reverse("portal:admin_units", args=[SLUG]),
                                       {"name": "ubnd xã  an phú", "level": "xã"})
    assert page.status_code == 400
    assert "trùng với đơn vị “UBND xã An Phú” đã có trong chiến dịch" in page.content.decode()
    assert Unit.objects.filter(campaign=demo.campaign).count() == before
