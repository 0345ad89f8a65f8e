"""Accounts signed in with a handed-out password go to the password change page first."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from web.store import services

_ALLOWED = ("portal:password_change", "portal:logout", "portal:login")


class ForcePasswordChange:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not request.path.startswith("/static/")
                and request.path not in {reverse(name) for name in _ALLOWED} and services.must_change_password(user)):
            return redirect("portal:password_change")
        return self.get_response(request)
