"""External programs a test needs: skipped where absent, but a failure where CI promised them."""

from __future__ import annotations

import os
import shutil

import pytest

REQUIRE = "PARINDEX_REQUIRE_RENDERING"  # set by .ci/run once LibreOffice and poppler are installed


def programs(*names: str) -> list[str]:
    """Paths of ``names``; skips the test when one is missing, or fails it when ``REQUIRE`` is set."""
    found = [shutil.which(name) for name in names]
    missing = [name for name, path in zip(names, found) if path is None]
    if missing:
        message = f"not installed: {', '.join(missing)}"
        if os.environ.get(REQUIRE):
            pytest.fail(f"{message} ({REQUIRE} is set: this run must render documents)")
        pytest.skip(message)
    return found  # type: ignore[return-value]
