"""The demo campaign of ``parindex serve --demo``: the shipped rubric, the example units, one
account per role and per unit with published demo passwords, drafts filled from the examples
(An Phú left empty to try the form), three units already submitted so the appraiser has work.
Idempotent: a second run finds the campaign and only prints the accounts."""

from __future__ import annotations

import datetime as dt

import yaml
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from web.portal.leaf_inputs import own_cells, survey_leaves
from web.portal.paths import shipped
from web.store import services
from web.store.models import DON_VI, QUAN_TRI, THAM_DINH, XEM, Campaign, Profile, Unit
from web.store.services import rubric_of

RUBRIC = "rubrics/demo-xa-2025.yaml"
EXAMPLES = ["xa-an-phu", "xa-binh-minh", "xa-dong-tien", "xa-tan-lap", "phuong-song-cau"]
SLUG = "demo-xa-2025"
ROLE_WORDS = {QUAN_TRI: "Quản trị", THAM_DINH: "Thẩm định", XEM: "Xem", DON_VI: "Đơn vị"}
STAFF = [("quantri", QUAN_TRI), ("thamdinh", THAM_DINH), ("lanhdao", XEM)]
SUBMITTED = ("xa-binh-minh", "xa-dong-tien", "xa-tan-lap")


def demo_password(username: str) -> str:
    return f"{username}-demo-2025"


def _evidence(name: str) -> tuple[str, dict[str, str]]:
    data = yaml.safe_load(shipped(f"examples/{name}.yaml").read_text(encoding="utf-8"))
    return data["unit"], {str(k): str(v) for k, v in (data.get("evidence") or {}).items()}


def _set_password(username: str) -> None:
    user = get_user_model().objects.get(username=username)
    user.set_password(demo_password(username))
    user.save(update_fields=["password"])
    services.password_changed(user)


def ensure_demo() -> list[tuple[str, str, str, str]]:
    """Create the demo campaign if missing; the accounts as (role, username, password, scope)."""
    units = [(name, *_evidence(name)) for name in EXAMPLES]
    if not Campaign.objects.filter(slug=SLUG).exists():
        with transaction.atomic():
            _create(units)
    accounts = [(ROLE_WORDS[role], username, demo_password(username), "mọi đơn vị" if role != QUAN_TRI else "")
                for username, role in STAFF]
    for name, unit_name, _ in units:
        accounts.append((ROLE_WORDS[DON_VI], _unit_username(name), demo_password(_unit_username(name)), unit_name))
    return accounts


def _unit_username(example: str) -> str:
    return example.replace("xa-", "").replace("phuong-", "").replace("-", "")


def _operator() -> object:
    """The demo's system operator (staff: may create campaigns), made here as ``createsuperuser`` would."""
    users = get_user_model().objects
    admin = users.filter(username="quantri").first()
    if admin is None:
        admin = users.create_user(username="quantri", first_name="Sở Nội vụ (minh họa)", is_staff=True)
    Profile.objects.update_or_create(user=admin, defaults={"must_change_password": False})
    return admin


def _create(units: list[tuple[str, str, dict[str, str]]]) -> None:
    admin = _operator()
    campaign = services.create_campaign(admin, SLUG, "Chỉ số CCHC cấp xã năm 2025 (minh họa)", 2025,
                                        shipped(RUBRIC).read_text(encoding="utf-8"), demo=True)
    services.add_units(admin, campaign, [{"name": unit_name, "level": "xã", "group": ""} for _, unit_name, _ in units])
    services.set_deadline(admin, campaign, "tu-danh-gia", (timezone.now() + dt.timedelta(days=30)).isoformat())
    services.create_accounts(admin, campaign, [{"username": u, "role": r, "unit": None, "fields": []}
                                               for u, r in STAFF if u != "quantri"])
    by_name = {u.name: u for u in Unit.objects.filter(campaign=campaign)}
    services.create_accounts(admin, campaign, [
        {"username": _unit_username(name), "role": DON_VI, "unit": by_name[unit_name], "fields": []}
        for name, unit_name, _ in units])
    for username, _ in STAFF:
        _set_password(username)
    users = get_user_model().objects
    survey = survey_leaves(rubric_of(campaign))
    for name, unit_name, cells in units:
        _set_password(_unit_username(name))
        if name == "xa-an-phu":
            continue  # left empty: the demo's unit to try the form with
        clerk = users.get(username=_unit_username(name))
        unit = by_name[unit_name]
        own = own_cells(rubric_of(campaign), cells, survey)
        services.save_cells(clerk, campaign, unit, cells=own, documents={}, explanations={})
        if name in SUBMITTED:
            services.submit(clerk, campaign, unit)
