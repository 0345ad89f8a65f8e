"""The audit-signing key of a test session: a file in a temporary folder, never the user's own key."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

KEY_FILE = Path(os.environ.setdefault(
    "PARINDEX_SIGNING_KEY", str(Path(tempfile.mkdtemp(prefix="parindex-test-key-")) / "ky-nhat-ky.pem")))
