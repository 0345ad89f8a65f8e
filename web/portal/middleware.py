"""Accounts signed in with a handed-out password go to the password change page first; a signed-in
session is kept alive by at most one session write every few minutes, not one per request."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from web.store import services

_ALLOWED = ("portal:password_change", "portal:logout", "portal:login")
PASSWORD_OK = "parindex_password_ok"  # this session's account has changed its handed-out password
SEEN = "parindex_seen"  # when the session was last written (seconds since the epoch)
REFRESH_SECONDS = 10 * 60  # the idle timeout (SESSION_COOKIE_AGE) runs from the last write, so ±10 min


class ForcePasswordChange:
    """Once the account's password is its own, the session remembers it: no Profile read per request.
    (A reset by Quản trị sets a new password, which ends the account's sessions.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith("/static/")
                and not request.session.get(PASSWORD_OK)
                and request.path not in {reverse(name) for name in _ALLOWED}):
            if services.must_change_password(user):
                return redirect("portal:password_change")
            request.session[PASSWORD_OK] = True
        return self.get_response(request)


class KeepSessionAlive:
    """With ``SESSION_SAVE_EVERY_REQUEST = False``, a session would expire 8 hours after sign-in
    however busy its account; this writes it again when the last write is ``REFRESH_SECONDS`` old,
    so the 8 hours run from the last activity without a database write on every save."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            now = int(time.time())
            if now - int(session.get(SEEN, 0)) >= REFRESH_SECONDS:
                session[SEEN] = now
        return response
