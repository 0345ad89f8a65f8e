"""Accounts of a campaign (Django's auth ``User``) and their roles (``Membership``, ``Assignment``).

An account has a user name (ASCII, from the full name: “Trần Thị Thu” → ``tran-thi-thu``) and a
full name (“Trần Thị Thu (Sở Nội vụ)”); the command line's ``--as`` takes either. Creating an
account returns its initial password once (random, 16 characters); the first login on the
portal must replace it. Only a Quản trị account manages accounts, and every change is logged.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import secrets
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from criteria.rules.base import nfc
from criteria.tables.header import fold
from web.store import models as m

from .store import ROLE_VI, AccessDenied, CampaignError, CampaignStore, display_name

ROLES = {m.QUAN_TRI: m.QUAN_TRI, "quản trị": m.QUAN_TRI, "admin": m.QUAN_TRI,
         m.DON_VI: m.DON_VI, "đơn vị": m.DON_VI, "unit": m.DON_VI,
         m.THAM_DINH: m.THAM_DINH, "thẩm định": m.THAM_DINH, "appraiser": m.THAM_DINH,
         m.XEM: m.XEM, "viewer": m.XEM}
HASHES_PER_WORKER = 4  # passwords hashed per task of the pool; fewer than two tasks: hashed here
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class AccountInfo:
    username: str
    name: str
    role: str
    unit: str
    assignments: tuple[str, ...]
    active: bool
    password: str = ""  # only when just created


def username_for(name: str) -> str:
    """“Trần Thị Thu (Sở Nội vụ)” → “tran-thi-thu-so-noi-vu”."""
    return "-".join(re.findall(r"[a-z0-9]+", fold(name)))[:140] or "tai-khoan"


def role_key(text: str) -> str:
    key = ROLES.get(nfc(text).lower())
    if key is None:
        raise CampaignError.single("--role", "", f"không có vai trò “{text}”; cần một trong: quan-tri, don-vi, "
                                                 "tham-dinh, xem")
    return key


def new_password() -> str:
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(16))


def hashed_passwords(count: int) -> list[tuple[str, str]]:
    """``count`` new (password, hash) pairs, hashed with the configured hasher (PBKDF2, ~0,3 s each) on
    every core: the hasher is not weakened, the work is spread over a forked process pool."""
    passwords = [new_password() for _ in range(count)]
    workers = min(len(os.sched_getaffinity(0)), count // HASHES_PER_WORKER)
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [(p, make_password(p)) for p in passwords]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        return list(zip(passwords, pool.map(make_password, passwords, chunksize=HASHES_PER_WORKER)))


def ensure_account(alias: str, name: str, prepared: tuple[str, str] | None = None) -> tuple[User, str]:
    """The account with this full name, created (with a new password) when missing: (user, password or "").
    ``prepared``: a (password, hash) pair from ``hashed_passwords`` to use instead of hashing here."""
    full = nfc(name)
    users = User.objects.using(alias)
    found = users.filter(first_name=full).first() or users.filter(username=full).first()
    if found is not None:
        return found, ""
    base = username_for(full)
    username, n = base, 1
    while users.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    password, hashed = prepared or (new_password(), "")
    user = User(username=username, first_name=full[:150])
    if hashed:
        user.password = hashed
    else:
        user.set_password(password)
    user.save(using=alias)
    m.Profile.objects.using(alias).create(user=user, must_change_password=True)
    return user, password


def add_account(store: CampaignStore, name: str, role: str, *, by: str | User | None = None,
                unit: str | None = None, fields: tuple[str, ...] = (), units: tuple[str, ...] = (),
                prepared: tuple[str, str] | None = None) -> AccountInfo:
    """Give ``name`` a role in the campaign (creating the account when missing).

    Đơn vị: ``unit`` names its unit. Thẩm định: ``units`` and/or ``fields`` (criterion codes such
    as “1” or “4.2”) limit what it appraises; neither means every unit and field.
    """
    actor = store.account(by)
    key = role_key(role)
    if not nfc(name):
        raise CampaignError.single(store.name, "", "cần tên tài khoản")
    if key == m.DON_VI and not unit:
        raise CampaignError.single(store.name, "", "tài khoản đơn vị cần --unit TÊN_ĐƠN_VỊ")
    if key != m.DON_VI and unit:
        raise CampaignError.single(store.name, "", "chỉ tài khoản đơn vị gắn với một đơn vị (--unit)")
    if key != m.THAM_DINH and (fields or units):
        raise CampaignError.single(store.name, "", "chỉ tài khoản thẩm định được phân công đơn vị hay lĩnh vực")
    for code in fields:
        if code not in store.rubric.by_code:
            raise CampaignError.single(store.name, "", f"không có tiêu chí hay lĩnh vực “{code}” trong bộ chỉ số")
    with store.writing():
        store.require(actor, "store.manage_campaign", None, "quản lý tài khoản")
        unit_row = store.unit(unit) if unit else None
        assigned = [store.unit(u) for u in units]
        user, password = ensure_account(store.alias, name, prepared)
        memberships = m.Membership.objects.using(store.alias)
        if memberships.filter(user=user, campaign=store.campaign).exists():
            raise CampaignError.single(store.name, "", f"tài khoản “{display_name(user)}” đã có vai trò trong chiến dịch")
        if not user.is_active:  # e.g. a name imported from an older campaign file: the role brings it to life
            user.is_active = True
            user.save(using=store.alias, update_fields=["is_active"])
        membership = memberships.create(user=user, campaign=store.campaign, role=key, unit=unit_row)
        rows = [m.Assignment(membership=membership, unit=u, field_code="") for u in assigned] if not fields else [
            m.Assignment(membership=membership, unit=u, field_code=f) for f in fields for u in (assigned or [None])]
        if key == m.THAM_DINH and not rows:
            rows = [m.Assignment(membership=membership, unit=None, field_code="")]
        m.Assignment.objects.using(store.alias).bulk_create(rows)
        store.append("add-account", actor, unit_row.name if unit_row else "", {"account": {
            "username": user.username, "name": display_name(user), "role": key,
            "unit": unit_row.seq if unit_row else None,
            "assignments": sorted([a.unit.seq if a.unit else None, a.field_code] for a in rows) if rows else []}})
    return AccountInfo(user.username, display_name(user), key, unit_row.name if unit_row else "",
                       tuple(_assignment_words(a) for a in rows), user.is_active, password)


def add_unit_accounts(store: CampaignStore, *, by: str | User | None = None) -> list[AccountInfo]:
    """One Đơn vị account per unit that has none, named as the unit."""
    actor = store.account(by)
    have = set(store.objects(m.Membership).filter(role=m.DON_VI).values_list("unit__name", flat=True))
    wanted = [name for _, name, _ in store.units() if name not in have]
    store.require(actor, "store.manage_campaign", None, "quản lý tài khoản")  # before any hashing
    prepared = hashed_passwords(len(wanted))
    with store.writing():  # one transaction: every account or none
        return [add_account(store, name, m.DON_VI, by=actor, unit=name, prepared=pair)
                for name, pair in zip(wanted, prepared)]


def set_active(store: CampaignStore, name: str, active: bool, *, by: str | User | None = None) -> AccountInfo:
    """Lock or unlock an account (a locked account can neither log in nor act on the command line)."""
    actor = store.account(by)
    with store.writing():
        store.require(actor, "store.manage_campaign", None, "quản lý tài khoản")
        membership = _membership(store, name)
        if membership.user_id == actor.pk and not active:
            raise AccessDenied.single(store.name, "", "không tự khóa tài khoản của chính mình")
        user = membership.user
        user.is_active = active
        user.save(using=store.alias, update_fields=["is_active"])
        store.append("unlock-account" if active else "lock-account", actor, "",
                     {"account": {"username": user.username}})
    return _info(membership)


def reset_password(store: CampaignStore, name: str, *, by: str | User | None = None) -> AccountInfo:
    """A new initial password (shown once; the next login must replace it)."""
    actor = store.account(by)
    with store.writing():
        store.require(actor, "store.manage_campaign", None, "đặt lại mật khẩu")
        membership = _membership(store, name)
        password = new_password()
        membership.user.set_password(password)
        membership.user.save(using=store.alias, update_fields=["password"])
        m.Profile.objects.using(store.alias).update_or_create(user=membership.user,
                                                              defaults={"must_change_password": True})
        store.append("reset-password", actor, "", {"account": {"username": membership.user.username}})
    info = _info(membership)
    return AccountInfo(**{**info.__dict__, "password": password})


def accounts(store: CampaignStore) -> list[AccountInfo]:
    """Every account of the campaign, Quản trị first."""
    order = {m.QUAN_TRI: 0, m.THAM_DINH: 1, m.XEM: 2, m.DON_VI: 3}
    found = store.objects(m.Membership).select_related("user", "unit").prefetch_related("assignments__unit")
    return sorted((_info(ms) for ms in found), key=lambda a: (order[a.role], a.name))


def _membership(store: CampaignStore, name: str) -> m.Membership:
    full = nfc(name)
    found = (store.objects(m.Membership).select_related("user", "unit").filter(user__first_name=full).first()
             or store.objects(m.Membership).select_related("user", "unit").filter(user__username=full).first())
    if found is None:
        raise CampaignError.single(store.name, "", f"không có tài khoản “{full}” trong chiến dịch")
    return found


def _assignment_words(a: m.Assignment) -> str:
    unit = a.unit.name if a.unit_id else "mọi đơn vị"
    return f"{unit}, lĩnh vực {a.field_code}" if a.field_code else unit


def _info(membership: m.Membership) -> AccountInfo:
    user = membership.user
    return AccountInfo(user.username, display_name(user), membership.role,
                       membership.unit.name if membership.unit_id else "",
                       tuple(_assignment_words(a) for a in membership.assignments.all()), user.is_active)


__all__ = ["ROLE_VI", "AccountInfo", "accounts", "add_account", "add_unit_accounts", "ensure_account",
           "reset_password", "role_key", "set_active", "username_for"]
