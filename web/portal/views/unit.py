"""The unit's pages (Đơn vị): dashboard, the self-assessment form with live points, files,
submit/withdraw, the Excel path, the appraisal result with explanations, the Word documents."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from criteria import InputError
from scoring import campaign as c
from web.store import services
from web.store.models import DON_VI, QUAN_TRI, THAM_DINH, XEM

from .. import documents, queries
from ..access import acting, portal_view, unit_for
from ..leaf_inputs import inputs_of, own_cells, survey_leaves, text_of
from ..live import score_draft
from ..nav import nav_for
from ..sheet import leaf_item, leaves_of, size_text, tabs, top_fields
from ..uploads import UploadRefused, check_upload, upload_limit

VIEWERS = (DON_VI, QUAN_TRI, XEM, THAM_DINH)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _context(request: HttpRequest, act, unit, page: str, **more) -> dict:
    return {"act": act, "campaign": act.campaign, "unit": unit, "nav": nav_for(act, page, unit), **more}


@portal_view
def dashboard(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, VIEWERS)
    status = queries.unit_status(act.campaign, unit)
    draft = services.draft_for(request.user, act.campaign, unit)
    live = score_draft(act.rubric, unit.name, draft.cells, draft.explanations, draft.documents)
    result = status.result or live.result
    fields = [result.node(n.code) for n in act.rubric.nodes]
    return render(request, "portal/unit/dashboard.html", _context(
        request, act, unit, "unit", status=status, result=result, draft_result=live.result, fields=fields,
        answered=sum(1 for t in draft.cells.values() if str(t).strip()), leaves=len(act.rubric.leaves())))


def _items(request: HttpRequest, act, unit, draft, live, codes, editable: bool, one: str | None = None):
    """The page's leaves; ``one``: only that leaf is shown, so only its files and requests are read."""
    files = queries.files_of(act.campaign, unit, one)
    requests = queries.requests_of(act.campaign, unit, one)
    survey = survey_leaves(act.rubric)
    items = []
    for leaf in codes:
        item = leaf_item(act.rubric, leaf, live, draft.cells, draft.documents, draft.explanations,
                         act.campaign.slug, unit.pk)
        item.error = live.problems.get(leaf.code, "")
        item.files = [_file_row(f) for f in files.get(leaf.code, [])]
        item.requests = requests.get(leaf.code, [])
        item.editable = item.can_attach = editable and leaf.code not in survey
        if leaf.code in survey:
            item.note = "Điểm điều tra xã hội học do Sở Nội vụ nhập."
        items.append(item)
    return items


def _file_row(f) -> dict:
    return {"original_name": f.original_name, "size_text": size_text(f.size),
            "url": reverse("portal:file", args=[f.pk])}


@portal_view
def form(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, VIEWERS)
    status = queries.unit_status(act.campaign, unit)
    draft = services.draft_for(request.user, act.campaign, unit)
    live = score_draft(act.rubric, unit.name, draft.cells, draft.explanations, draft.documents)
    fields = top_fields(act.rubric)
    current = request.GET.get("f") or fields[0].code
    if current not in {f.code for f in fields}:
        current = fields[0].code
    editable = status.editable and request.user.has_perm("store.edit_self_assessment", unit)
    url = reverse("portal:unit_form", args=[slug, unit.pk])
    return render(request, "portal/unit/form.html", _context(
        request, act, unit, "form", status=status, totals=live.totals, editable=editable,
        tabs=tabs(act.rubric, live, current, url),
        field=next(f for f in fields if f.code == current),
        items=_items(request, act, unit, draft, live, leaves_of(act.rubric, current), editable),
        upload_limit_mb=upload_limit() // (1024 * 1024)))


@portal_view
@require_POST
def save_leaf(request: HttpRequest, slug: str, unit_id: int, code: str) -> HttpResponse:
    """One leaf's answer, document and giải trình: saved into the draft, re-scored, returned as
    the leaf's partial plus the totals (out of band) for HTMX; a plain post redirects back."""
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, (DON_VI,))
    spec = inputs_of(act.rubric).get(code)
    if spec is None:
        raise InputError.single("", "", f"không có tiêu chí thành phần “{code}”")
    text = text_of(spec, request.POST, request.POST.getlist("items"))
    document = {k: request.POST.get(f"doc_{k}", "").strip() for k in ("number", "date", "summary")}
    explanation = request.POST.get("explanation", "").strip()
    error = ""
    try:
        draft = services.save_cells(request.user, act.campaign, unit, cells={code: text},
                                    documents={code: [document] if any(document.values()) else []},
                                    explanations={code: explanation})
    except InputError as exc:
        error = "; ".join(p.message for p in exc.problems) or str(exc)
        draft = services.draft_for(request.user, act.campaign, unit)
    live = score_draft(act.rubric, unit.name, draft.cells, draft.explanations, draft.documents)
    if not request.headers.get("HX-Request"):
        if error:
            messages.error(request, f"Tiêu chí {code}: {error}")
        else:
            messages.success(request, f"Đã lưu tiêu chí {code}.")
        field = code.split(".")[0]
        return redirect(reverse("portal:unit_form", args=[slug, unit.pk]) + f"?f={field}#leaf-{code.replace('.', '-')}")
    leaf = act.rubric.by_code[code]
    item = _items(request, act, unit, draft, live, [leaf], True, one=code)[0]
    if error:  # show what was typed, with the reason it was refused
        item = leaf_item(act.rubric, leaf, live, {**draft.cells, code: text}, draft.documents,
                         draft.explanations, slug, unit.pk)
        item.error, item.can_attach, item.editable = error, True, True
    elif code in live.problems:
        item.error = live.problems[code]
    return render(request, "portal/unit/_leaf_swap.html", {
        "item": item, "editable": item.editable, "totals": live.totals,
        "tabs": tabs(act.rubric, live, code.split(".")[0], reverse("portal:unit_form", args=[slug, unit.pk]))})


@portal_view
@require_POST
def upload(request: HttpRequest, slug: str, unit_id: int, code: str) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, (DON_VI,))
    back = reverse("portal:unit_form", args=[slug, unit.pk]) + f"?f={code.split('.')[0]}#leaf-{code.replace('.', '-')}"
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, "Chưa chọn tệp để tải lên.")
        return redirect(back)
    try:
        if uploaded.size > upload_limit():
            check_upload(uploaded.name, uploaded.size, b"")
        data = uploaded.read()
        kind = check_upload(uploaded.name, len(data), data)
        services.upload_file(request.user, act.campaign, unit, code, uploaded.name, data, kind.content_type)
    except UploadRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"Đã tải lên “{Path(uploaded.name).name}” cho tiêu chí {code}.")
    return redirect(back)


@portal_view
@require_POST
def submit(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, (DON_VI,))
    services.submit(request.user, act.campaign, unit)
    messages.success(request, "Đã chốt điểm và gửi bản tự đánh giá. Có thể rút lại trước hạn.")
    return redirect("portal:unit", slug, unit.pk)


@portal_view
@require_POST
def withdraw(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, (DON_VI,))
    reason = request.POST.get("reason", "").strip() or "Đơn vị rút lại để sửa"
    services.withdraw(request.user, act.campaign, unit, reason)
    messages.success(request, "Đã rút bản tự đánh giá; có thể sửa và chốt lại trước hạn.")
    return redirect("portal:unit", slug, unit.pk)


@portal_view
def excel(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    """GET: the unit's Excel sheet (pre-filled with its name); POST: a filled sheet into the draft."""
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, VIEWERS if request.method == "GET" else (DON_VI,))
    if request.method == "GET":
        return _download(documents.workbook_for(act.rubric, unit.name), f"tu-danh-gia-{unit.pk}.xlsx", XLSX)
    uploaded = request.FILES.get("file")
    back = redirect("portal:unit_form", slug, unit.pk)
    if uploaded is None:
        messages.error(request, "Chưa chọn tệp Excel để tải lên.")
        return back
    try:
        data = uploaded.read()
        check_upload(uploaded.name, len(data), data)
        cells, explanations, docs = documents.read_workbook(act.rubric, uploaded.name, data)
        cells = own_cells(act.rubric, cells, survey_leaves(act.rubric))
        services.save_cells(request.user, act.campaign, unit, cells=cells, documents=docs,
                            explanations={k: v for k, v in explanations.items() if k in act.rubric.by_code})
        count = len(cells)
    except UploadRefused as exc:
        messages.error(request, str(exc))
        return back
    except InputError as exc:
        for problem in exc.problems[:30]:
            messages.error(request, str(problem))
        return back
    messages.success(request, f"Đã nhập {count} tiêu chí từ “{Path(uploaded.name).name}” vào bản nháp.")
    return back


@portal_view
def appraisal_result(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, VIEWERS)
    status = queries.unit_status(act.campaign, unit)
    view = queries.appraisal_view(act.campaign, unit)
    leaves = [row for row in view.rows.values() if row.is_leaf and row.self_points is not None]
    changed = [row for row in leaves if row.steps or row.appraised != row.self_points]
    return render(request, "portal/unit/appraisal.html", _context(
        request, act, unit, "appraisal", status=status, view=view, rows=changed,
        files={code: [_file_row(f) for f in found] for code, found in queries.files_of(act.campaign, unit).items()},
        can_explain=status.can_explain and request.user.has_perm("store.explain", unit)))


@portal_view
@require_POST
def explain(request: HttpRequest, slug: str, unit_id: int, code: str) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, (DON_VI,))
    text = request.POST.get("text", "").strip()
    services.explain(request.user, act.campaign, unit, code, text)
    uploaded = request.FILES.get("file")
    if uploaded is not None:
        try:
            data = uploaded.read()
            kind = check_upload(uploaded.name, len(data), data)
            services.upload_file(request.user, act.campaign, unit, code, uploaded.name, data, kind.content_type)
        except UploadRefused as exc:
            messages.error(request, f"Đã gửi giải trình, nhưng tệp bị từ chối: {exc}")
            return redirect("portal:unit_appraisal", slug, unit.pk)
        except InputError as exc:
            messages.error(request, "Đã gửi giải trình, nhưng tệp chưa được nhận: "
                           + "; ".join(p.message for p in exc.problems))
            return redirect("portal:unit_appraisal", slug, unit.pk)
    messages.success(request, f"Đã gửi giải trình cho tiêu chí {code}.")
    return redirect("portal:unit_appraisal", slug, unit.pk)


@portal_view
def report_docx(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, VIEWERS)
    data = documents.report_docx(_sheet(request, act, unit, appraised=False))
    return _download(data, f"bao-cao-tu-danh-gia-{unit.pk}.docx", DOCX)


@portal_view
def plan_docx(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    unit = unit_for(request, act, unit_id, VIEWERS)
    target = request.GET.get("muc_tieu", "").strip() or None
    data = documents.plan_docx(act.rubric, _sheet(request, act, unit, appraised=True), target)
    return _download(data, f"ke-hoach-khac-phuc-{unit.pk}.docx", DOCX)


def _sheet(request: HttpRequest, act, unit, appraised: bool):
    """The unit's sheet: appraised (or as submitted) once it has a submission, else its draft."""
    store = services.store_for(act.campaign)
    if queries.active_submission(store, unit.seq) is not None:
        return (c.appraised_sheet if appraised else c.self_sheet)(store, unit.name)
    draft = services.draft_for(request.user, act.campaign, unit)
    return score_draft(act.rubric, unit.name, draft.cells, draft.explanations, draft.documents).sheet


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response

