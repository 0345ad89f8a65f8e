"""The first page after sign-in: the account's campaigns, or straight to its page when it has one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from web.store.models import DON_VI, QUAN_TRI, THAM_DINH, Membership

from ..access import acting, portal_view


def _target(membership: Membership) -> tuple[str, tuple]:
    slug = membership.campaign.slug
    if membership.role == DON_VI:
        return "portal:unit", (slug, membership.unit_id)
    if membership.role == THAM_DINH:
        return "portal:appraiser", (slug,)
    if membership.role == QUAN_TRI:
        return "portal:admin", (slug,)
    return "portal:admin_ranking", (slug,)


@portal_view
def home(request: HttpRequest) -> HttpResponse:
    memberships = list(Membership.objects.filter(user=request.user).select_related("campaign", "unit")
                       .order_by("-campaign__year", "campaign__title"))
    if len(memberships) == 1 and not request.user.is_superuser:
        name, args = _target(memberships[0])
        return redirect(name, *args)
    rows = [{"m": m, "url": reverse(_target(m)[0], args=_target(m)[1])} for m in memberships]
    return render(request, "portal/home.html", {"rows": rows, "nav": []})


@portal_view
def campaign_home(request: HttpRequest, slug: str) -> HttpResponse:
    act = acting(request, slug)
    name, args = _target(act.membership)
    return redirect(name, *args)
