"""Evidence storage is a settings switch: the file system by default (every other portal test
stores and serves files through it), S3-compatible object storage with ``PARINDEX_STORAGE=s3``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = ("import json, django; django.setup(); from django.conf import settings; "
         "print(json.dumps(settings.STORAGES['evidence']))")


def _evidence_storage(**env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PARINDEX_S")}
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, check=True,
                          env={**clean, "DJANGO_SETTINGS_MODULE": "web.settings", "PYTHONPATH": str(ROOT), **env})
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_file_system_by_default(tmp_path: Path) -> None:
    found = _evidence_storage(PARINDEX_MEDIA_ROOT=str(tmp_path))
    assert found["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["OPTIONS"]["location"] == str(tmp_path / "minh-chung")


def test_s3_when_switched_on() -> None:
    found = _evidence_storage(PARINDEX_STORAGE="s3", PARINDEX_S3_BUCKET="minh-chung-tinh",
                              PARINDEX_S3_ENDPOINT="https://s3.example.vn")
    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["OPTIONS"] == {"bucket_name": "minh-chung-tinh", "endpoint_url": "https://s3.example.vn"}
