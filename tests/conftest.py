"""Hypothesis profiles: random search on developers' machines, a fixed seed in CI.

On a developer's machine every run explores new examples (and replays the failures it found
before, from .hypothesis/). CI (CI=true) runs a derandomised search so that a landing is judged
on the same examples every time; a break found locally becomes a test there.
"""

import os

import tests.campaign.keyfile  # noqa: F401  (campaigns sign their log with a key made for the session)

from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
