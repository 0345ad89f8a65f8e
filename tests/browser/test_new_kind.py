"""A rule kind the portal was never told about (``reports``: one date per report, widget ``dates``)
is answered in the browser from its ``input_spec()`` alone: a date or “không gửi” per report."""

from __future__ import annotations

import time

from scoring import campaign as c
from tests.web.test_leaf_inputs import REPORTS_TEXT
from web.portal.demo import _operator
from web.store import services
from web.store.models import Draft, Profile, Unit

SLUG = "bao-cao-2025"
UNIT = "UBND xã Tân Lập"


def test_a_dates_input_is_filled_in_the_browser(browser, live_server, portal_settings, shots) -> None:  # type: ignore[no-untyped-def]
    operator = _operator()
    campaign = services.create_campaign(operator, SLUG, "Thử loại quy tắc báo cáo", 2025, REPORTS_TEXT)
    c.add_unit(services.store_for(campaign), [UNIT], by=operator)
    unit = Unit.objects.get(campaign=campaign, name=UNIT)
    (username, password), = services.create_accounts(operator, campaign, [{"username": "Tân Lập", "role": "don-vi", "unit": unit}])
    Profile.objects.filter(user__username=username).update(must_change_password=False)

    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/c/{SLUG}/don-vi/{unit.pk}/tu-danh-gia/")
    leaf = page.locator("#leaf-1-1-1")
    assert leaf.get_by_label("Báo cáo quý I", exact=True).count() == 1 and leaf.get_by_label("Báo cáo năm", exact=True).count() == 1
    for i, day in ((0, "2025-03-15"), (2, "2025-09-20"), (3, "2025-12-10")):
        leaf.locator(f"input[name=date_{i}]").fill(day)
    leaf.locator("input[name=word_1]").check()  # báo cáo 6 tháng: không gửi
    leaf.locator("button", has_text="Lưu").click()
    end = time.monotonic() + 15
    while time.monotonic() < end and not Draft.objects.filter(unit=unit).exclude(cells={}).exists():
        time.sleep(0.1)
    page.wait_for_load_state("networkidle")
    assert Draft.objects.get(unit=unit).cells["1.1.1"] == "15/03/2025; không gửi; 20/09/2025; 10/12/2025"
    assert "gửi 3/4 báo cáo, không gửi: báo cáo 6 tháng" in page.locator("#leaf-1-1-1").inner_text()
    shots.take(page, "don-vi-tu-danh-gia-ngay-tung-bao-cao")
