"""Who may do what: ``rules`` predicates over (account, object) and the permissions built on them.

Objects are a ``Campaign`` (campaign-wide actions) or a ``Unit`` (that unit's data; an
appraiser may be limited further to fields, see ``may_appraise_code``). Roles come from the
account's ``Membership`` in the campaign:

- Quản trị: the campaign, units, accounts, deadlines, survey, publication; reads everything.
- Đơn vị: only its own unit: submission, evidence, explanations, results and plan.
- Thẩm định: reads the self-assessment of its assigned units (or of every unit when assigned
  fields only); writes appraisals on them.
- Xem: reads dashboards and results, writes nothing.
"""

from __future__ import annotations

import rules
from django.contrib.auth.models import AbstractBaseUser

from .models import DON_VI, QUAN_TRI, THAM_DINH, XEM, Campaign, Membership, Unit


def _campaign_of(obj: Campaign | Unit | None) -> Campaign | None:
    if isinstance(obj, Unit):
        return obj.campaign
    return obj if isinstance(obj, Campaign) else None


def membership(user: AbstractBaseUser, obj: Campaign | Unit | None) -> Membership | None:
    """The account's membership in the campaign of ``obj`` (cached on the account per campaign)."""
    campaign = _campaign_of(obj)
    if campaign is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache = user.__dict__.setdefault("_parindex_memberships", {})
    key = (campaign._state.db, campaign.pk)
    if key not in cache:
        cache[key] = (Membership.objects.using(campaign._state.db).select_related("unit")
                      .prefetch_related("assignments").filter(user_id=user.pk, campaign_id=campaign.pk).first())
    return cache[key]


def _role(*roles: str):  # noqa: ANN202 - a rules predicate
    @rules.predicate(name="role in " + ",".join(roles))
    def check(user: AbstractBaseUser, obj: Campaign | Unit | None) -> bool:
        found = membership(user, obj)
        return found is not None and found.role in roles
    return check


is_quan_tri = _role(QUAN_TRI)
is_member = _role(QUAN_TRI, DON_VI, THAM_DINH, XEM)
is_reader = _role(QUAN_TRI, THAM_DINH, XEM)


@rules.predicate
def is_own_unit(user: AbstractBaseUser, unit: Unit | None) -> bool:
    found = membership(user, unit)
    return isinstance(unit, Unit) and found is not None and found.role == DON_VI and found.unit_id == unit.pk


@rules.predicate
def is_assigned_appraiser(user: AbstractBaseUser, unit: Unit | None) -> bool:
    """An appraiser assigned this unit, or assigned fields only (those cut across every unit)."""
    found = membership(user, unit)
    if not isinstance(unit, Unit) or found is None or found.role != THAM_DINH:
        return False
    assignments = list(found.assignments.all())
    return any(a.unit_id == unit.pk or a.unit_id is None for a in assignments)


def may_appraise_code(user: AbstractBaseUser, unit: Unit, code: str) -> bool:
    """An assigned appraiser limited to fields may appraise only leaves under them."""
    if not is_assigned_appraiser(user, unit):
        return False
    found = membership(user, unit)
    for a in found.assignments.all():
        if a.unit_id not in (None, unit.pk):
            continue
        prefix = a.field_code.strip()
        if not prefix or code == prefix or code.startswith(prefix + "."):
            return True
    return False


is_xem = _role(XEM)

# campaign-wide
rules.add_perm("store.view_campaign", is_member)
rules.add_perm("store.manage_campaign", is_quan_tri)  # units, accounts, deadlines, phases, survey
rules.add_perm("store.publish", is_quan_tri)
rules.add_perm("store.view_all_units", is_reader)
rules.add_perm("store.view_audit", is_quan_tri | _role(THAM_DINH))
# one unit
rules.add_perm("store.view_unit", is_quan_tri | is_own_unit | is_assigned_appraiser | is_xem)
rules.add_perm("store.edit_self_assessment", is_own_unit)
rules.add_perm("store.explain", is_own_unit)
rules.add_perm("store.upload_evidence", is_own_unit)
rules.add_perm("store.appraise", is_assigned_appraiser)
rules.add_perm("store.request_explanation", is_assigned_appraiser)
rules.add_perm("store.withdraw", is_own_unit | is_quan_tri)
rules.add_perm("store.submit", is_own_unit | is_quan_tri)
