"""Who is acting on what: the campaign and unit named in the address, checked against the
signed-in account's membership before any view reads or writes. A unit id never comes from a
form field; it comes from the address and is checked here (and again by the store's service)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from criteria import InputError, Rubric
from web.store import services
from web.store.models import (
    DON_VI,
    QUAN_TRI,
    THAM_DINH,
    XEM,
    Campaign,
    Membership,
    Unit,
)

ROLE_HOME = {DON_VI: "unit", THAM_DINH: "appraiser", QUAN_TRI: "admin", XEM: "admin_ranking"}


@dataclass(frozen=True)
class Acting:
    """The signed-in account in one campaign."""

    campaign: Campaign
    membership: Membership
    rubric: Rubric

    @property
    def role(self) -> str:
        return self.membership.role


def acting(request: HttpRequest, slug: str) -> Acting:
    """The account's membership in campaign ``slug``; 404 when it has none (no hint it exists)."""
    membership = (Membership.objects.select_related("campaign", "unit__group")
                  .filter(user=request.user, campaign__slug=slug).first())
    if membership is None:
        raise Http404("Không tìm thấy đợt đánh giá.")
    if membership.role == THAM_DINH:  # only an appraiser's checks read its assignments: one query, not one per check
        prefetch_related_objects([membership], "assignments")
    _remember(request.user, membership)
    return Acting(membership.campaign, membership, services.rubric_of(membership.campaign))


def _remember(user: object, found: Membership) -> None:
    """Hand the membership just read to the permission checks of this request
    (``web.store.permissions.membership`` keeps one per account and campaign), so the rules that
    run after it read no row again — on the request's lazy account and on the account it wraps."""
    key = (found.campaign._state.db, found.campaign_id)
    for account in (user, getattr(user, "_wrapped", None)):
        if account is not None and hasattr(account, "__dict__"):
            account.__dict__.setdefault("_parindex_memberships", {})[key] = found


def unit_for(request: HttpRequest, act: Acting, unit_id: int, roles: tuple[str, ...]) -> Unit:
    """Unit ``unit_id`` of the campaign if the account's role is in ``roles`` and may see it."""
    if act.role not in roles:
        raise PermissionDenied("Tài khoản này không có quyền xem trang này.")
    own = act.membership.unit if act.role == DON_VI else None  # read with the membership: no second read
    if own is not None and own.pk == unit_id and own.campaign_id == act.campaign.pk:
        unit = own
    else:
        unit = Unit.objects.filter(campaign=act.campaign, pk=unit_id).select_related("group").first()
    if unit is None:
        raise Http404("Không tìm thấy đơn vị.")
    unit.campaign = act.campaign  # the row already read: the checks below ask for it
    if not request.user.has_perm("store.view_unit", unit):
        raise PermissionDenied("Tài khoản này chỉ được xem đơn vị của mình."
                               if act.role == DON_VI else "Đơn vị này không được phân công cho tài khoản này.")
    return unit


def require_role(act: Acting, *roles: str) -> None:
    if act.role not in roles:
        raise PermissionDenied("Tài khoản này không có quyền xem trang này.")


def portal_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in; refusals from the store (PermissionDenied, InputError) become Vietnamese pages."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (PermissionDenied, services.AccessDenied) as error:
            return render(request, "portal/error.html",
                          {"title": "Không có quyền", "message": _plain(error) or "Tài khoản này không có quyền làm việc này."},
                          status=403)
        except InputError as error:
            return render(request, "portal/error.html", {"title": "Không thực hiện được", "message": _plain(error)},
                          status=400)

    return wrapper


def _plain(error: Exception) -> str:
    """A refusal as one readable line: the store's problems without their “file: place:” prefix."""
    if isinstance(error, InputError):
        return "; ".join(p.message for p in error.problems)
    return str(error)
