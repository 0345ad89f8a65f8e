"""The access and upload tests again on PostgreSQL: a second pytest run whose ``DATABASE_URL``
points at the local server (pytest-django makes and drops its own test database there).
Skips when no PostgreSQL answers — except in CI (``CI=true``), where that fails."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("PARINDEX_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_access_and_uploads_on_postgresql() -> None:
    try:
        psycopg.connect(POSTGRES, connect_timeout=3).close()
    except psycopg.OperationalError as exc:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"PostgreSQL không chạy ({POSTGRES}): trong CI phải chạy ({exc})")
        pytest.skip(f"PostgreSQL không chạy ({POSTGRES})")
    url = f"{POSTGRES.rsplit('/', 1)[0]}/parindex_web_{uuid.uuid4().hex[:10]}"
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    env.pop("PYTEST_XDIST_WORKER", None)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
         "tests/web/test_access.py", "tests/web/test_uploads.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    summary = done.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "skipped" not in summary and "deselected" not in summary
