"""The demo campaign of ``parindex serve --demo`` in the test database, and signed-in clients.

The same tests run on PostgreSQL through ``test_on_postgresql.py`` (a second pytest run with
``DATABASE_URL`` pointing at a throwaway PostgreSQL database)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.campaign.keyfile import KEY_FILE  # noqa: F401  (the signing key of the test session)
from web.portal.demo import SLUG, ensure_demo
from web.store.models import Campaign, Unit

BACKEND = "django.contrib.auth.backends.ModelBackend"


@dataclass
class Demo:
    campaign: Campaign
    anphu: Unit  # empty draft, self-assessment open
    binhminh: Unit  # submitted

    def client(self, username: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(username=username), backend=BACKEND)
        return client


@pytest.fixture
def demo(db, settings, tmp_path) -> Demo:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "minh-chung")}}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    campaign = Campaign.objects.get(slug=SLUG)
    units = {u.name: u for u in Unit.objects.filter(campaign=campaign)}
    return Demo(campaign, units["UBND xã An Phú"], units["UBND xã Bình Minh"])
