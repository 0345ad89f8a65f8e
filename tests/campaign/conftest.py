"""Shared fixtures: a small rubric campaign with four units and its accounts, a clock tests move
by hand, and the two databases every campaign test runs on.

``location`` is a SQLite file, or a fresh campaign (its own ``#slug``) in a throwaway PostgreSQL
database made for this test session (127.0.0.1:5432, user postgres; ``PARINDEX_TEST_POSTGRES``
names another server). PostgreSQL tests skip when no server answers — except in CI (``CI=true``),
where an unreachable server fails them.
"""

from __future__ import annotations

import os

import uuid
from pathlib import Path

import psycopg
import pytest

from tests.campaign.keyfile import KEY_FILE  # noqa: F401  (the signing key of the test session)

from scoring import campaign as c

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SMALL = HERE / "rubric-nho.yaml"
UNITS = HERE / "don-vi"
SURVEY = HERE / "khao-sat.csv"
DEADLINES = {"tu-danh-gia": "31/01/2026", "tham-dinh-1": "28/02/2026", "giai-trinh": "10/03/2026",
             "tham-dinh-2": "20/03/2026"}
SELF_TIME, ROUND1_TIME, EXPLAIN_TIME, ROUND2_TIME = ("10/01/2026 08:00", "05/02/2026 08:00",
                                                     "02/03/2026 08:00", "12/03/2026 08:00")
FILES = [UNITS / "an-phu.yaml", UNITS / "binh-hoa.yaml", UNITS / "cat-tien.csv"]
POSTGRES = os.environ.get("PARINDEX_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session", autouse=True)
def _fast_passwords() -> None:
    """Accounts are made by the dozen here: a fast hash (the real one is PBKDF2, ~0,3 s each)."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def postgres_url(django_db_blocker):  # noqa: ANN001, ANN201
    """A throwaway PostgreSQL database for this session (dropped at the end)."""
    try:
        admin = psycopg.connect(POSTGRES, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"PostgreSQL không chạy ({POSTGRES}): trong CI các bài kiểm thử PostgreSQL phải chạy ({exc})")
        pytest.skip(f"PostgreSQL không chạy ({POSTGRES})")
    name = f"parindex_test_{uuid.uuid4().hex[:12]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in list(connections.settings):
            if alias.startswith("campaign:") and name in alias:
                connections[alias].close()
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def new_location(backend: str, folder: Path, request: pytest.FixtureRequest, name: str = "nho.db") -> str | Path:
    if backend == "sqlite":
        return folder / name
    return f"{request.getfixturevalue('postgres_url')}#t-{uuid.uuid4().hex[:12]}"


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def location(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str | Path:
    return new_location(backend, tmp_path, request)


@pytest.fixture
def clock() -> c.FixedClock:
    return c.FixedClock(SELF_TIME)


def add_test_accounts(store: c.CampaignStore) -> None:
    """Sở (quản trị), B and Hội đồng (thẩm định), one account per unit, and “xã” for Bình Hòa."""
    c.add_account(store, "Sở", "quan-tri", by="Sở Nội vụ")
    c.add_account(store, "B", "tham-dinh", by="Sở Nội vụ")
    c.add_account(store, "Hội đồng", "tham-dinh", by="Sở Nội vụ")
    c.add_unit_accounts(store, by="Sở Nội vụ")
    c.add_account(store, "xã", "don-vi", unit="UBND xã Bình Hòa", by="Sở Nội vụ")


@pytest.fixture
def small(location, clock: c.FixedClock):  # noqa: ANN001, ANN201 - CampaignStore
    """A campaign of the small rubric: four units added and submitted, self-assessment open."""
    store = c.init(location, SMALL, "Thử nghiệm", by="Sở Nội vụ", deadlines=DEADLINES, clock=clock, demo=True)
    c.add_unit(store, c.unit_names_from_files(store, FILES), by="Sở Nội vụ", level="xã")
    add_test_accounts(store)
    c.submit(store, FILES)
    yield store
    store.close()



