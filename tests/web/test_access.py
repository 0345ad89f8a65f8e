"""Who may do what in the portal, through the pages (Django test client): another unit's account
is refused everywhere, an appraiser cannot change a self-assessment, a unit cannot change an
appraisal, a closed phase refuses a save, and evidence files are judged by content and size."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scoring.campaign.submissions import active_submission
from web.portal.demo import SLUG
from web.store import services
from web.store.models import (
    Appraisal,
    Draft,
    EvidenceFile,
    Explanation,
    ExplanationRequest,
)

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


def _cells(unit) -> dict:
    draft = Draft.objects.filter(unit=unit).first()
    return dict(draft.cells) if draft else {}


def _unit_urls(unit_id: int) -> list[tuple[str, str]]:
    get = [(name, reverse(f"portal:{name}", args=[SLUG, unit_id]))
           for name in ("unit", "unit_form", "unit_appraisal", "unit_excel", "unit_report", "unit_plan")]
    post = [(name, reverse(f"portal:{name}", args=[SLUG, unit_id]))
            for name in ("unit_submit", "unit_withdraw", "unit_excel")]
    post += [(name, reverse(f"portal:{name}", args=[SLUG, unit_id, "1.1.1"]))
             for name in ("unit_leaf", "unit_upload", "unit_explain")]
    return [("GET", url) for _, url in get] + [("POST", url) for _, url in post]


def test_every_unit_page_refuses_another_units_account(demo) -> None:
    other = demo.client("binhminh")
    for method, url in _unit_urls(demo.anphu.pk):
        response = other.get(url) if method == "GET" else other.post(url, {"value": "Ban hành kịp thời"})
        assert response.status_code == 403, (method, url, response.status_code)
        assert "Không có quyền" in response.content.decode()
    assert _cells(demo.anphu) == {}


def test_own_pages_open_for_the_unit(demo) -> None:
    mine = demo.client("anphu")
    for method, url in _unit_urls(demo.anphu.pk):
        if method == "GET":
            assert mine.get(url).status_code == 200, url


def test_staff_pages_refuse_a_unit_account(demo) -> None:
    unit = demo.client("anphu")
    for name in ("admin", "admin_units", "admin_accounts", "admin_survey", "admin_publish", "admin_audit",
                 "appraiser"):
        assert unit.get(reverse(f"portal:{name}", args=[SLUG])).status_code == 403, name
    assert unit.get(reverse("portal:appraise_unit", args=[SLUG, demo.anphu.pk])).status_code == 403
    assert unit.get(reverse("portal:admin_ranking", args=[SLUG])).status_code == 403


def test_a_campaign_the_account_is_not_in_is_not_found(demo) -> None:
    assert demo.client("anphu").get(reverse("portal:unit", args=["khong-co", demo.anphu.pk])).status_code == 404


def test_the_unit_id_comes_from_the_address_not_the_form(demo) -> None:
    mine = demo.client("anphu")
    before = _cells(demo.binhminh)
    url = reverse("portal:unit_leaf", args=[SLUG, demo.anphu.pk, "1.1.1"])
    mine.post(url, {"value": "Không ban hành", "unit": demo.binhminh.pk, "unit_id": demo.binhminh.pk})
    assert _cells(demo.anphu)["1.1.1"] == "Không ban hành"
    assert _cells(demo.binhminh) == before


def test_a_leaf_edit_is_saved_and_rescored_as_a_partial(demo) -> None:
    mine = demo.client("anphu")
    url = reverse("portal:unit_leaf", args=[SLUG, demo.anphu.pk, "1.1.4"])
    response = mine.post(url, {"num": "45", "den": "50"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="leaf-1-1-4"' in html and 'hx-swap-oob="true"' in html and "Vì sao" in html
    assert _cells(demo.anphu)["1.1.4"] == "45/50"
    refused = mine.post(url, {"num": "60", "den": "50"}, HTTP_HX_REQUEST="true").content.decode()
    assert "field-error" in refused and _cells(demo.anphu)["1.1.4"] == "45/50"


def test_an_appraiser_cannot_change_a_self_assessment(demo) -> None:
    appraiser = demo.client("thamdinh")
    before = _cells(demo.binhminh)
    for unit in (demo.anphu, demo.binhminh):
        url = reverse("portal:unit_leaf", args=[SLUG, unit.pk, "1.1.1"])
        assert appraiser.post(url, {"value": "Không ban hành"}).status_code == 403
        upload = reverse("portal:unit_upload", args=[SLUG, unit.pk, "1.1.1"])
        assert appraiser.post(upload, {"file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
        assert appraiser.post(reverse("portal:unit_submit", args=[SLUG, unit.pk])).status_code == 403
    assert _cells(demo.binhminh) == before
    assert not EvidenceFile.objects.exists()


def test_a_unit_cannot_change_an_appraisal(demo) -> None:
    services.close_phase(services.store_for(demo.campaign).account("quantri"), demo.campaign, "tu-danh-gia")
    unit = demo.client("binhminh")
    url = reverse("portal:appraise_leaf", args=[SLUG, demo.binhminh.pk, "1.1.1"])
    assert unit.post(url, {"points": "1", "reason": "tự nâng điểm", "round": "1"}).status_code == 403
    ask = reverse("portal:appraise_request", args=[SLUG, demo.binhminh.pk, "1.1.1"])
    assert unit.post(ask, {"note": "x", "round": "1"}).status_code == 403
    assert not Appraisal.objects.exists() and not ExplanationRequest.objects.exists()
    appraiser = demo.client("thamdinh")
    response = appraiser.post(url, {"points": "0", "reason": "Kế hoạch ban hành ngày 20/02/2025, quá hạn", "round": "1"})
    assert response.status_code == 302
    assert Appraisal.objects.get().reason == "Kế hoạch ban hành ngày 20/02/2025, quá hạn"


def test_a_closed_phase_refuses_a_save(demo) -> None:
    services.close_phase(services.store_for(demo.campaign).account("quantri"), demo.campaign, "tu-danh-gia")
    mine = demo.client("anphu")
    url = reverse("portal:unit_leaf", args=[SLUG, demo.anphu.pk, "1.1.1"])
    html = mine.post(url, {"value": "Ban hành kịp thời"}, HTTP_HX_REQUEST="true").content.decode()
    assert "field-error" in html and "tự đánh giá" in html
    assert _cells(demo.anphu) == {}
    form = mine.get(reverse("portal:unit_form", args=[SLUG, demo.anphu.pk])).content.decode()
    assert "disabled" in form and "Giai đoạn tự đánh giá đã kết thúc" in form


def test_an_exe_renamed_pdf_is_refused(demo) -> None:
    mine = demo.client("anphu")
    url = reverse("portal:unit_upload", args=[SLUG, demo.anphu.pk, "1.1.1"])
    response = mine.post(url, {"file": SimpleUploadedFile("ke-hoach.pdf", EXE, "application/pdf")}, follow=True)
    assert "nội dung không phải là một trong các loại được phép" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_a_25_mb_file_is_refused(demo) -> None:
    mine = demo.client("anphu")
    url = reverse("portal:unit_upload", args=[SLUG, demo.anphu.pk, "1.1.1"])
    big = PDF + b"0" * (25 * 1024 * 1024)
    response = mine.post(url, {"file": SimpleUploadedFile("lon.pdf", big, "application/pdf")}, follow=True)
    assert "vượt giới hạn 20 MB" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_a_file_is_served_only_to_who_may_see_it(demo) -> None:
    mine = demo.client("anphu")
    mine.post(reverse("portal:unit_upload", args=[SLUG, demo.anphu.pk, "1.1.1"]),
              {"file": SimpleUploadedFile("Kế hoạch 12.pdf", PDF, "application/pdf")})
    stored = EvidenceFile.objects.get()
    assert stored.stored_name != "Kế hoạch 12.pdf" and stored.original_name == "Kế hoạch 12.pdf"
    url = reverse("portal:file", args=[stored.pk])
    response = mine.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert demo.client("binhminh").get(url).status_code == 403
    assert demo.client("thamdinh").get(url).status_code == 200  # appraisers see every unit here
    audit = services.audit_log(services.store_for(demo.campaign).account("quantri"), demo.campaign)
    assert any(stored.sha256 in e.text for e in audit)


def test_submit_then_withdraw(demo) -> None:
    mine = demo.client("anphu")
    mine.post(reverse("portal:unit_leaf", args=[SLUG, demo.anphu.pk, "1.1.1"]), {"value": "Ban hành kịp thời"})
    mine.post(reverse("portal:unit_submit", args=[SLUG, demo.anphu.pk]))
    store = services.store_for(demo.campaign)
    assert active_submission(store, demo.anphu.seq) is not None
    mine.post(reverse("portal:unit_withdraw", args=[SLUG, demo.anphu.pk]), {"reason": "Sửa số liệu 1.1.4"})
    assert active_submission(store, demo.anphu.seq) is None


def test_explanations_need_the_explanation_phase(demo) -> None:
    unit = demo.client("binhminh")
    url = reverse("portal:unit_explain", args=[SLUG, demo.binhminh.pk, "1.1.1"])
    assert unit.post(url, {"text": "Đã ban hành đúng hạn"}).status_code == 400
    assert not Explanation.objects.exists()


def test_runs_on_the_configured_database(db) -> None:
    """test_on_postgresql.py reruns this file with DATABASE_URL=postgresql://…: it must really be there."""
    import os

    from django.db import connection

    wanted = "postgresql" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    assert connection.vendor == wanted


def test_the_kept_ranking_is_refused_to_a_unit_account_after_staff_have_seen_it(demo) -> None:
    """The ranking is kept per log head (this process and the database cache); who may read it is
    checked on every call, so a unit account gets no ranking by arriving after Nội vụ's view."""
    import pytest as _pytest

    from criteria import InputError
    from django.contrib.auth.models import User

    from web.portal import queries

    staff_rows = queries.ranking(User.objects.get(username="quantri"), demo.campaign)
    assert staff_rows  # kept now, in both copies
    with _pytest.raises(InputError) as refused:
        queries.ranking(User.objects.get(username="anphu"), demo.campaign)
    assert "không được xem kết quả xếp hạng" in str(refused.value.problems[0])
    with _pytest.raises(InputError):
        services.verify(User.objects.get(username="anphu"), demo.campaign)
