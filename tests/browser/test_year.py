"""The whole year in a real Chromium: Quản trị creates the campaign, a unit fills every kind of
input, uploads a file, sees its score change and submits; an appraiser lowers a leaf with a
reason; the unit explains with a file; round 2; Nội vụ imports the survey, ranks and publishes;
the unit downloads its plan. Plus the refusals a browser sees (another unit's page, a renamed
.exe). A screenshot of every page at desktop and phone widths goes to ``out/screenshots/``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from web.portal.demo import _operator
from web.store.models import Appraisal, Draft, EvidenceFile, Explanation, Publication

pytestmark = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
UNIT = "UBND xã An Phú"
OTHER = "UBND xã Bình Minh"
SLUG = "xa-2025"


def wait_until(check, what: str, seconds: float = 15) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"hết giờ chờ: {what}")


def cells() -> dict:
    draft = Draft.objects.filter(unit__name=UNIT).first()
    return dict(draft.cells) if draft else {}


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def first_password_change(page, old: str, new: str) -> None:
    assert "/doi-mat-khau/" in page.url and "lần đăng nhập đầu tiên" in page.content()
    page.fill("#id_old_password", old)
    page.fill("#id_new_password1", new)
    page.fill("#id_new_password2", new)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def issued(page) -> list[tuple[str, str]]:
    rows = page.locator("table").first.locator("tbody tr")
    return [(rows.nth(i).locator("td").nth(0).inner_text().strip(), rows.nth(i).locator("td code").inner_text().strip())
            for i in range(rows.count())]


def close_phase(page, base: str, label: str, shots) -> None:
    page.goto(f"{base}/c/{SLUG}/quan-tri/")
    row = page.locator("tbody tr", has_text=label).first
    row.locator("button", has_text="Đóng").click()
    page.wait_for_load_state()
    assert "Đã đóng giai đoạn" in page.content()
    shots.take(page, f"quan-tri-dong-{label}")


def save_leaf(page, code: str) -> None:
    page.locator(f"#leaf-{code.replace('.', '-')} button", has_text="Lưu").click()
    page.wait_for_load_state()


def open_appraisal(page, code: str) -> None:
    page.eval_on_selector(f"#leaf-{code.replace('.', '-')} details.appraise", "d => { d.open = true; }")


def open_tab(page, field: str) -> None:
    page.locator("#tabs a").nth(int(field) - 1).click()
    page.wait_for_load_state()


def test_the_whole_year(browser, live_server, portal_settings, shots, tmp_path: Path) -> None:
    base = live_server.url
    operator = _operator()
    operator.set_password("quantri-demo-2025")
    operator.save()
    scan = tmp_path / "Kế hoạch 12-KH-UBND.pdf"
    scan.write_bytes(PDF)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())

    # ---- Quản trị creates the campaign, its units and accounts
    sign_in(page, base, "quantri", "quantri-demo-2025")
    page.goto(f"{base}/quan-tri/")
    shots.take(page, "quan-tri-tao-dot")
    page.fill("#title", "Chỉ số CCHC cấp xã năm 2025")
    page.fill("#slug", SLUG)
    page.fill("#year", "2025")
    page.select_option("#rubric", "demo-xa-2025")
    page.click("button:has-text('Tạo đợt đánh giá')")
    page.wait_for_load_state()
    assert f"/c/{SLUG}/quan-tri/" in page.url
    shots.take(page, "quan-tri-dieu-hanh")
    page.click("nav >> text=Đơn vị")
    for name in (UNIT, OTHER):
        page.fill("#name", name)
        page.fill("#level", "xã")
        page.click("button:has-text('Thêm')")
        page.wait_for_load_state()
    assert UNIT in page.content() and OTHER in page.content()
    shots.take(page, "quan-tri-don-vi")
    page.click("nav >> text=Tài khoản")
    page.select_option("#role", "don-vi")
    page.check(f"label:has-text('{UNIT}') input")
    page.check(f"label:has-text('{OTHER}') input")
    page.click("button:has-text('Cấp tài khoản')")
    page.wait_for_load_state()
    units = issued(page)
    shots.take(page, "quan-tri-tai-khoan")
    page.select_option("#role", "tham-dinh")
    page.fill("#username", "Trần Thị Thẩm Định")
    page.click("button:has-text('Cấp tài khoản')")
    page.wait_for_load_state()
    (appraiser, appraiser_password), = issued(page)
    (clerk, clerk_password), (other_clerk, other_password) = sorted(units, key=lambda r: "binh" in r[0])
    assert len(clerk_password) >= 12 and clerk_password not in page.content()  # handed out once only

    # ---- the unit: first sign-in, every kind of input, a file, live points, submit
    unit_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN",
                                    accept_downloads=True).new_page()
    unit_page.on("dialog", lambda dialog: dialog.accept())
    sign_in(unit_page, base, clerk, clerk_password)
    shots.take(unit_page, "don-vi-doi-mat-khau-lan-dau")
    first_password_change(unit_page, clerk_password, "AnPhu-moi-2025!")
    shots.take(unit_page, "don-vi-tong-quan")
    unit_page.click("nav >> text=Tự đánh giá")
    unit_page.wait_for_load_state()
    shots.take(unit_page, "don-vi-tu-danh-gia")
    before = unit_page.locator("#total-points").inner_text()
    unit_page.select_option("#v-1-1-1", "Ban hành kịp thời")  # a choice: saved and re-scored live (HTMX)
    wait_until(lambda: cells().get("1.1.1") == "Ban hành kịp thời", "lưu 1.1.1")
    unit_page.wait_for_function("t => document.querySelector('#total-points').textContent.trim() !== t", arg=before)
    assert "Vì sao" in unit_page.locator("#leaf-1-1-1").inner_text()
    leaf = unit_page.locator("#leaf-1-1-4")  # a ratio: numerator / denominator
    leaf.locator("input[name=num]").fill("45")
    leaf.locator("input[name=den]").fill("50")
    save_leaf(unit_page, "1.1.4")
    unit_page.locator("#leaf-1-3-1 input[name=value]").fill("4")  # a count
    save_leaf(unit_page, "1.3.1")
    checklist = unit_page.locator("#leaf-1-4-2")  # a checklist
    checklist.locator("input[name=items]").nth(0).check()
    checklist.locator("input[name=items]").nth(2).check()
    save_leaf(unit_page, "1.4.2")
    unit_page.locator("#leaf-1-1-1 input[type=file]").set_input_files(str(scan))
    unit_page.click("#leaf-1-1-1 button:has-text('Tải tệp lên')")
    unit_page.wait_for_load_state()
    assert "Đã tải lên" in unit_page.content() and scan.name in unit_page.content()
    shots.take(unit_page, "don-vi-tu-danh-gia-linh-vuc-1")
    open_tab(unit_page, "2")
    unit_page.fill("#v-2-2-1", "2025-01-10")  # a date
    save_leaf(unit_page, "2.2.1")
    open_tab(unit_page, "3")
    unit_page.locator("#leaf-3-1-1 input[name=percent]").fill("100")  # a share as a percentage
    save_leaf(unit_page, "3.1.1")
    unit_page.locator("#leaf-3-3-1 input[name=na]").check()  # không phát sinh
    save_leaf(unit_page, "3.3.1")
    manual = unit_page.locator("#leaf-3-4-2")  # points given by hand, with a reason
    manual.locator("input[name=points]").fill("1")
    manual.locator("input[name=reason]").fill("Biên bản kiểm tra ngày 14/11/2025")
    save_leaf(unit_page, "3.4.2")
    shots.take(unit_page, "don-vi-tu-danh-gia-linh-vuc-3")
    open_tab(unit_page, "6")
    unit_page.locator("#leaf-6-2-2 input[name=value]").fill("88,5")  # a number in bands
    save_leaf(unit_page, "6.2.2")
    saved = cells()
    assert saved["1.1.4"] == "45/50" and saved["1.3.1"] == "4" and saved["1.4.2"] == "1; 3"
    assert saved["2.2.1"] == "10/01/2025" and saved["3.1.1"] == "100%" and saved["3.3.1"] == "Không phát sinh"
    assert saved["3.4.2"] == "1 | Biên bản kiểm tra ngày 14/11/2025" and saved["6.2.2"] == "88,5"
    assert EvidenceFile.objects.get().original_name == scan.name
    unit_page.click("nav >> text=Tổng quan")
    unit_page.click("button:has-text('Chốt điểm và gửi')")
    unit_page.wait_for_load_state()
    assert "Đã chốt điểm" in unit_page.content()
    shots.take(unit_page, "don-vi-da-chot")

    # ---- another unit's account is refused on this unit's pages
    other_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    sign_in(other_page, base, other_clerk, other_password)
    first_password_change(other_page, other_password, "BinhMinh-moi-2025!")
    unit_url = unit_page.url
    response = other_page.goto(unit_url)
    assert response.status == 403 and "Không có quyền" in other_page.content()
    shots.take(other_page, "don-vi-khac-bi-tu-choi")

    # ---- round 1: the appraiser lowers a leaf with a reason and asks for an explanation
    close_phase(page, base, "Tự đánh giá", shots)
    appraiser_page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN").new_page()
    sign_in(appraiser_page, base, appraiser, appraiser_password)
    first_password_change(appraiser_page, appraiser_password, "ThamDinh-moi-2025!")
    shots.take(appraiser_page, "tham-dinh-don-vi-duoc-giao")
    appraiser_page.click(f"text={UNIT}")
    appraiser_page.wait_for_load_state()
    shots.take(appraiser_page, "tham-dinh-don-vi")
    open_appraisal(appraiser_page, "1.1.1")
    appraiser_page.fill("#p-1-1-1", "0,5")
    appraiser_page.fill("#rs-1-1-1", "Kế hoạch ban hành ngày 20/02/2025, quá hạn 31/01")
    appraiser_page.click("#leaf-1-1-1 button:has-text('Ghi điểm thẩm định')")
    appraiser_page.wait_for_load_state()
    appraiser_page.fill("#rq-1-1-1", "Đề nghị gửi bản ký của Kế hoạch kèm sổ văn bản đi")
    appraiser_page.click("#leaf-1-1-1 button:has-text('Gửi yêu cầu')")
    appraiser_page.wait_for_load_state()
    shots.take(appraiser_page, "tham-dinh-vong-1")
    assert Appraisal.objects.get(round=1).reason.startswith("Kế hoạch ban hành")

    # ---- explanation phase: the unit sees the change with its reason and explains with a file
    close_phase(page, base, "Thẩm định vòng 1", shots)
    unit_page.click("nav >> text=Kết quả thẩm định")
    unit_page.wait_for_load_state()
    content = unit_page.content()
    assert "quá hạn 31/01" in content and "Đề nghị gửi bản ký" in content
    unit_page.fill("#ex-1-1-1", "Kế hoạch ký ngày 10/01/2025, vào sổ văn bản đi số 12; gửi kèm bản chụp")
    unit_page.locator("#leaf-1-1-1 input[type=file]").set_input_files(str(scan))
    unit_page.click("#leaf-1-1-1 button:has-text('Gửi giải trình')")
    unit_page.wait_for_load_state()
    shots.take(unit_page, "don-vi-giai-trinh")
    assert Explanation.objects.get().text.startswith("Kế hoạch ký ngày")
    assert "tệp chưa được nhận" not in unit_page.content()
    assert EvidenceFile.objects.count() == 2  # the extra file sent with the explanation

    # ---- round 2: the appraiser accepts the explanation
    close_phase(page, base, "Giải trình", shots)
    appraiser_page.goto(appraiser_page.url.split("?")[0] + "?vong=2")
    assert "Kế hoạch ký ngày 10/01/2025" in appraiser_page.content()
    open_appraisal(appraiser_page, "1.1.1")
    appraiser_page.fill("#p-1-1-1", "1")
    appraiser_page.fill("#rs-1-1-1", "Chấp nhận giải trình: có bản ký ngày 10/01/2025")
    appraiser_page.click("#leaf-1-1-1 button:has-text('Ghi điểm thẩm định')")
    appraiser_page.wait_for_load_state()
    shots.take(appraiser_page, "tham-dinh-vong-2")
    assert Appraisal.objects.filter(round=2).count() == 1
    close_phase(page, base, "Thẩm định vòng 2", shots)

    # ---- Nội vụ: survey, ranking, publication
    survey = tmp_path / "khao-sat.csv"
    survey.write_text(f'Đơn vị,8.1,8.2,8.3\n{UNIT},"92,4%","8,75","4,3"\n', encoding="utf-8")
    page.click("nav >> text=Điều tra XHH")
    page.locator("input[type=file]").set_input_files(str(survey))
    page.click("button:has-text('Nhập kết quả')")
    page.wait_for_load_state()
    assert "Đã nhập kết quả điều tra" in page.content()
    shots.take(page, "quan-tri-dieu-tra")
    page.click("nav >> text=Xếp hạng")
    page.wait_for_load_state("networkidle")
    assert UNIT in page.locator("table").inner_text()
    shots.take(page, "quan-tri-xep-hang")
    page.click("nav >> text=Công bố")
    page.fill("#number", "123/QĐ-UBND")
    page.click("button:has-text('Công bố')")
    page.wait_for_load_state()
    page.wait_for_selector("text=Đã công bố", timeout=60_000)
    shots.take(page, "quan-tri-cong-bo")
    assert Publication.objects.count() == 1
    with page.expect_download() as download:
        page.locator("a", has_text=".xlsx").first.click()
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    page.click("nav >> text=Nhật ký")
    page.click("text=Kiểm tra tính toàn vẹn")
    page.wait_for_load_state()
    assert "msg success" in page.content()
    shots.take(page, "quan-tri-nhat-ky")

    # ---- the unit downloads its plan with a chosen target
    unit_page.click("nav >> text=Tổng quan")
    unit_page.select_option("#muc-tieu", index=1)
    with unit_page.expect_download() as download:
        unit_page.click("button:has-text('Tải kế hoạch')")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    shots.take(unit_page, "don-vi-cuoi-nam")
    assert User.objects.filter(username=clerk).exists()


def test_a_renamed_exe_is_refused_in_the_browser(browser, live_server, portal_settings, shots, tmp_path) -> None:
    from web.portal.demo import ensure_demo

    ensure_demo()
    fake = tmp_path / "ke-hoach.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 512)
    page = browser.new_context(viewport={"width": 375, "height": 812}, locale="vi-VN").new_page()
    sign_in(page, live_server.url, "anphu", "anphu-demo-2025")
    page.click("nav >> text=Tự đánh giá")
    page.locator("#leaf-1-1-1 input[type=file]").set_input_files(str(fake))
    page.click("#leaf-1-1-1 button:has-text('Tải tệp lên')")
    page.wait_for_load_state()
    assert "nội dung không phải là một trong các loại được phép" in page.content()
    shots.take(page, "tep-exe-bi-tu-choi")
    assert not EvidenceFile.objects.exists()
