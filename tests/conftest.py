"""Hypothesis profiles: random search on developers' machines, a fixed seed in CI.

On a developer's machine every run explores new examples (and replays the failures it found
before, from .hypothesis/). CI (CI=true) runs a derandomised search so that a landing is judged
on the same examples every time; a break found locally becomes a test there.
"""

import os

import pytest
from hypothesis import settings

import tests.campaign.keyfile  # noqa: F401  (campaigns sign their log with a key made for the session)

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(autouse=True)
def _campaign_stores_open_their_own_databases(request, django_db_blocker):  # noqa: ANN001, ANN202
    """A campaign (``parindex campaign …``, ``plan --campaign``) opens its own SQLite file or PostgreSQL
    database, never the portal's test database: allowed in every test that does not ask for the latter."""
    if request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames):
        yield
        return
    with django_db_blocker.unblock():
        yield
