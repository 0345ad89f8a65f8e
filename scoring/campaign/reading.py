"""Who may read what on the command line: the same ``rules`` permissions as the portal.

Every read command names its account (``--as``/``PARINDEX_USER``) and is checked before anything
is printed: the whole campaign (status, rank, verify, the account list) is for Quản trị, Thẩm
định and Xem (``store.view_all_units``); the whole log for Quản trị and Thẩm định
(``store.view_audit``); one unit's data (diff, its log, its plan) for whoever may see that unit
(``store.view_unit``: Quản trị, Xem, its own Đơn vị account, an appraiser assigned to it).
A refusal names no other unit — not even the list of units an unknown name did not match.
"""

from __future__ import annotations

from django.contrib.auth.models import User

from criteria.rules.base import nfc
from web.store import models as m

from .store import AccessDenied, CampaignStore


def reader(store: CampaignStore, by: str | User | None, doing: str) -> User:
    """The acting account, allowed to read every unit of the campaign (for ``doing``)."""
    user = store.account(by)
    store.require(user, "store.view_all_units", None, doing)
    return user


def log_reader(store: CampaignStore, by: str | User | None) -> User:
    """The acting account, allowed to read the whole log."""
    user = store.account(by)
    store.require(user, "store.view_audit", None, "xem toàn bộ nhật ký chiến dịch")
    return user


def unit_reader(store: CampaignStore, by: str | User | None, unit: str, doing: str) -> m.Unit:
    """The unit named ``unit``, once the acting account may read it; ``doing`` is said in the refusal."""
    user = store.account(by)
    found = store.objects(m.Unit).filter(name=nfc(unit)).first()
    if found is None:
        if store.role(user) in (m.DON_VI, m.THAM_DINH):  # no list of the units it may not see
            raise AccessDenied.single(store.name, "", f"không có đơn vị “{nfc(unit)}” trong phạm vi tài khoản "
                                                      f"“{user.first_name or user.username}” được xem")
        found = store.unit(unit)  # refuses with the units that exist
    store.require(user, "store.view_unit", found, f"{doing} của {found.name}")
    return found


__all__ = ["log_reader", "reader", "unit_reader"]
