"""Nội vụ's pages (Quản trị): campaigns, units and groups, accounts, deadlines and phases, the
survey, ranking with charts, publication in the background with progress, the audit log."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from criteria import InputError
from web.store import services
from web.store.models import QUAN_TRI, XEM

from .. import admin_forms, publishing, queries
from ..access import acting, portal_view, require_role
from ..nav import nav_for
from ..uploads import UploadRefused, check_upload

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TYPES = {".xlsx": XLSX, ".docx": DOCX, ".png": "image/png", ".csv": "text/csv", ".json": "application/json"}


def _admin(request: HttpRequest, slug: str, *roles: str):
    act = acting(request, slug)
    require_role(act, *(roles or (QUAN_TRI,)))
    return act


def _page(request: HttpRequest, act, nav_key: str, template: str, **more) -> HttpResponse:
    return render(request, f"portal/admin/{template}.html",
                  {"act": act, "campaign": act.campaign, "nav": nav_for(act, nav_key), **more})


def _upload(request: HttpRequest, field: str = "file") -> tuple[str, bytes] | None:
    uploaded = request.FILES.get(field)
    if uploaded is None:
        return None
    data = uploaded.read()
    return Path(uploaded.name).name, data


@portal_view
def campaigns(request: HttpRequest) -> HttpResponse:
    """The operator's campaigns, and a new one from a shipped rubric, an uploaded one or a criteria table."""
    may_create = request.user.is_staff or request.user.is_superuser
    if request.method == "POST":
        try:
            rubric_text, report = admin_forms.rubric_from_form(request.POST.get("rubric", ""), _upload(request, "rubric_file"))
            campaign = services.create_campaign(
                request.user, request.POST.get("slug", "").strip(), request.POST.get("title", "").strip(),
                admin_forms.year_of(request.POST.get("year", "")), rubric_text)
        except InputError as exc:
            for problem in exc.problems[:20]:
                messages.error(request, str(problem))
        else:
            messages.success(request, f"Đã tạo đợt đánh giá “{campaign.title}”.")
            for line in report[:40]:
                messages.warning(request, line)
            return redirect("portal:admin", campaign.slug)
    return render(request, "portal/admin/campaigns.html", {
        "nav": [], "campaigns": services.campaigns_for(request.user), "rubrics": admin_forms.shipped_rubrics(),
        "may_create": may_create})


@portal_view
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    return _page(request, act, "admin", "overview", overview=queries.overview(act.campaign))


@portal_view
@require_POST
def deadlines(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    phase = request.POST.get("phase", "")
    if request.POST.get("action") == "close":
        services.close_phase(request.user, act.campaign, phase)
        messages.success(request, "Đã đóng giai đoạn.")
    else:
        services.set_deadline(request.user, act.campaign, phase, request.POST.get("deadline", ""))
        messages.success(request, "Đã đặt thời hạn.")
    return redirect("portal:admin", slug)


@portal_view
def units(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    if request.method == "POST":
        upload = _upload(request)
        if upload is not None:
            name, data = upload
            try:
                check_upload(name, len(data), data)
            except UploadRefused as exc:
                messages.error(request, str(exc))
                return redirect("portal:admin_units", slug)
            added = services.import_units_xlsx(request.user, act.campaign, name, data)
        else:
            added = services.add_units(request.user, act.campaign, [{
                "name": request.POST.get("name", "").strip(), "level": request.POST.get("level", "").strip(),
                "group": request.POST.get("group", "").strip()}])
        messages.success(request, f"Đã thêm {added} đơn vị.")
        return redirect("portal:admin_units", slug)
    return _page(request, act, "units", "units", units=services.units_for(request.user, act.campaign))


@portal_view
def accounts(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    issued = None
    if request.method == "POST":
        wanted = admin_forms.accounts_from_form(request.POST, services.units_for(request.user, act.campaign))
        issued = services.create_accounts(request.user, act.campaign, wanted)
        messages.warning(request, "Mật khẩu ban đầu chỉ hiện MỘT lần dưới đây: hãy chép và trao cho từng người; "
                                  "họ phải đổi mật khẩu ở lần đăng nhập đầu.")
    return _page(request, act, "accounts", "accounts", issued=issued,
                 members=queries.members_of(act.campaign),
                 units=services.units_for(request.user, act.campaign), fields=act.rubric.nodes)


@portal_view
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    if request.method == "POST":
        upload = _upload(request)
        if upload is None:
            messages.error(request, "Chưa chọn tệp kết quả điều tra.")
        else:
            name, data = upload
            count = services.import_survey(request.user, act.campaign, name, data)
            messages.success(request, f"Đã nhập kết quả điều tra xã hội học của {count} đơn vị từ “{name}”.")
        return redirect("portal:admin_survey", slug)
    return _page(request, act, "survey", "survey", imports=queries.survey_imports(act.campaign))


@portal_view
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug, QUAN_TRI, XEM)
    rows = queries.ranking(request.user, act.campaign)
    page = Paginator(rows, 200).get_page(request.GET.get("trang"))
    fields = [n for n in act.rubric.nodes]
    return _page(request, act, "ranking", "ranking", page=page, rows=page.object_list, fields=fields,
                 count=len(rows), show_charts=len(rows) <= 400)


@portal_view
def chart(request: HttpRequest, slug: str, kind: str) -> HttpResponse:
    act = _admin(request, slug, QUAN_TRI, XEM)
    if kind not in ("cot", "nhiet"):
        raise Http404("Không có biểu đồ này.")
    data = admin_forms.chart_png(act.campaign, act.rubric, queries.ranking(request.user, act.campaign), kind)
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "private, max-age=60"
    return response


@portal_view
def publish(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    if request.method == "POST":
        publishing.start(request.user, act.campaign, number=request.POST.get("number", "").strip(),
                         date=request.POST.get("date", "").strip())
        messages.info(request, "Đang công bố trong nền; trang hiển thị tiến độ.")
        return redirect("portal:admin_publish", slug)
    return _page(request, act, "publish", "publish", job=publishing.job_of(act.campaign),
                 publications=queries.publications(act.campaign))


@portal_view
def publish_progress(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    return render(request, "portal/admin/_progress.html",
                  {"campaign": act.campaign, "job": publishing.job_of(act.campaign)})


@portal_view
def publication_file(request: HttpRequest, slug: str, name: str) -> HttpResponse:
    act = _admin(request, slug, QUAN_TRI, XEM)
    data = queries.publication_file(act.campaign, name)
    response = HttpResponse(data, content_type=TYPES.get(Path(name).suffix.lower(), "application/octet-stream"))
    response["Content-Disposition"] = f'attachment; filename="{Path(name).name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@portal_view
def audit(request: HttpRequest, slug: str) -> HttpResponse:
    act = _admin(request, slug)
    verification = services.verify(request.user, act.campaign) if request.GET.get("kiem_tra") else None
    entries = [queries.entry_row(e) for e in services.audit_log(request.user, act.campaign)]
    entries.reverse()  # newest first
    page = Paginator(entries, 100).get_page(request.GET.get("trang"))
    return _page(request, act, "audit", "audit", page=page, verification=verification)
