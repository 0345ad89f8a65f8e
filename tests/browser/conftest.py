"""Browser tests: Debian's Chromium driven by Playwright for Python against a live server.

Playwright's own browser download does not work here; ``/usr/bin/chromium`` is Debian's package
(``.ci/run`` installs it). Without it these tests skip on a developer's machine and FAIL in CI
(``PARINDEX_REQUIRE_BROWSER=1`` or ``CI=true``). Every page visited is photographed at desktop and
phone widths into ``out/screenshots/`` (not tracked) to be looked at.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

from tests.campaign.keyfile import KEY_FILE  # noqa: F401  (the signing key of the test session)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop in this thread

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
DESKTOP, PHONE = {"width": 1280, "height": 900}, {"width": 375, "height": 812}


def _required() -> bool:
    return any(os.environ.get(name, "").lower() in {"1", "true", "yes"} for name in ("PARINDEX_REQUIRE_BROWSER", "CI"))


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"không có {CHROMIUM} (apt-get install chromium)"
        if _required():
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Shots:
    """Screenshots of each page at desktop and phone widths, numbered in the order taken."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.count = 0
        folder.mkdir(parents=True, exist_ok=True)

    def take(self, page, name: str) -> None:
        self.count += 1
        plain = unicodedata.normalize("NFKD", name.lower().replace("đ", "d"))
        stem = f"{self.count:02d}-{re.sub(r'[^a-z0-9-]+', '-', ''.join(c for c in plain if not unicodedata.combining(c)))}"
        size = page.viewport_size
        for label, viewport in (("may-tinh", DESKTOP), ("dien-thoai", PHONE)):
            page.set_viewport_size(viewport)
            page.evaluate("window.scrollTo(0, 0)")  # a sticky bar photographed mid-page otherwise
            page.screenshot(path=str(self.folder / f"{stem}-{label}.png"), full_page=True)
        page.set_viewport_size(size)


@pytest.fixture
def shots() -> Shots:
    return Shots(SHOTS)


@pytest.fixture
def portal_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "evidence": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "minh-chung")}}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    return settings
