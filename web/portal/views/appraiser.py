"""The appraiser's pages (Thẩm định): assigned units with their status; a unit leaf by leaf with
the unit's value, files, giải trình and points, the appraised points with a mandatory reason,
a request for explanation, rounds 1 and 2."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from web.store import services
from web.store.models import QUAN_TRI, THAM_DINH
from web.store.permissions import may_appraise_code

from .. import queries
from ..access import acting, portal_view, require_role, unit_for
from ..nav import nav_for
from ..sheet import leaves_of, size_text, tabs, top_fields
from ..uploads import sniff_inline

ROLES = (THAM_DINH, QUAN_TRI)


@portal_view
def units(request: HttpRequest, slug: str) -> HttpResponse:
    act = acting(request, slug)
    require_role(act, *ROLES)
    rows = queries.unit_rows(act.campaign, services.units_for(request.user, act.campaign))
    return render(request, "portal/appraiser/units.html",
                  {"act": act, "campaign": act.campaign, "rows": rows, "nav": nav_for(act, "appraiser")})


def _round(request: HttpRequest) -> int:
    return 2 if request.GET.get("vong") == "2" or request.POST.get("round") == "2" else 1


@portal_view
def unit(request: HttpRequest, slug: str, unit_id: int) -> HttpResponse:
    act = acting(request, slug)
    target = unit_for(request, act, unit_id, ROLES)
    round_ = _round(request)
    view = queries.appraisal_view(act.campaign, target)
    fields = top_fields(act.rubric)
    current = request.GET.get("f") or fields[0].code
    if current not in {f.code for f in fields}:
        current = fields[0].code
    files = queries.files_of(act.campaign, target)
    typed = services.draft_for(request.user, act.campaign, target).cells  # frozen while a submission is live
    rows = []
    for leaf in leaves_of(act.rubric, current):
        node = view.self_result.node(leaf.code) if view.self_result else None
        final = view.final_result.node(leaf.code) if view.final_result else None
        rows.append({
            "leaf": leaf, "self": node, "final": final, "css": _css(node, final),
            "value": typed.get(leaf.code) or (node.trace.evidence if node and node.trace else ""),
            "explanation": view.explanations.get(leaf.code, ""), "documents": view.documents.get(leaf.code, []),
            "appraisals": view.appraisals.get(leaf.code, []), "requests": view.requests.get(leaf.code, []),
            "answers": view.answers.get(leaf.code, []),
            "files": [{"name": f.original_name, "size": size_text(f.size), "url": reverse("portal:file", args=[f.pk]),
                       "inline": sniff_inline(f.content_type)} for f in files.get(leaf.code, [])],
            "may": view.open_round == round_ and may_appraise_code(request.user, target, leaf.code),
        })
    url = reverse("portal:appraise_unit", args=[slug, target.pk])
    return render(request, "portal/appraiser/unit.html", {
        "act": act, "campaign": act.campaign, "unit": target, "nav": nav_for(act, "appraiser"), "view": view,
        "round": round_, "rows": rows, "field": next(f for f in fields if f.code == current),
        "tabs": tabs(act.rubric, view.final_result or view.self_result, current, f"{url}?vong={round_}"),
    })


@portal_view
@require_POST
def appraise_leaf(request: HttpRequest, slug: str, unit_id: int, code: str) -> HttpResponse:
    act = acting(request, slug)
    target = unit_for(request, act, unit_id, (THAM_DINH,))
    round_ = _round(request)
    points = request.POST.get("points", "").strip()
    reason = request.POST.get("reason", "").strip()
    services.appraise(request.user, act.campaign, target, round_, code, points, reason)
    messages.success(request, f"Đã ghi kết quả thẩm định tiêu chí {code} (vòng {round_}).")
    return redirect(reverse("portal:appraise_unit", args=[slug, target.pk])
                    + f"?vong={round_}&f={code.split('.')[0]}#leaf-{code.replace('.', '-')}")


@portal_view
@require_POST
def ask(request: HttpRequest, slug: str, unit_id: int, code: str) -> HttpResponse:
    act = acting(request, slug)
    target = unit_for(request, act, unit_id, (THAM_DINH,))
    round_ = _round(request)
    note = request.POST.get("note", "").strip()
    services.request_explanation(request.user, act.campaign, target, round_, code, note)
    messages.success(request, f"Đã gửi yêu cầu giải trình, bổ sung tiêu chí {code}.")
    return redirect(reverse("portal:appraise_unit", args=[slug, target.pk])
                    + f"?vong={round_}&f={code.split('.')[0]}#leaf-{code.replace('.', '-')}")



def _css(mine, final) -> str:
    """The leaf's colour: lowered by the appraisal, full, nothing, or part of its points."""
    if mine is None or final is None:
        return ""
    if final.points < mine.points:
        return "zero"
    if final.status == "not_applicable":
        return "na"
    if final.points >= final.max:
        return "full"
    return "zero" if final.points <= 0 else "part"
