"""A gunicorn worker (``web.wsgi``) is ready before its first request: the views imported, the
engine's compiled kernel loaded when numba is installed — then a unit's live score runs on it, with
the same points as numpy — and the start-up heap frozen out of the cycle collector's walks."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import gc, json, sys
import yaml
import web.wsgi
from criteria import load_rubric
from scoring import fused
from scoring.engine import score
from web.portal.live import score_draft
rubric = load_rubric("rubrics/demo-xa-2025.yaml")
data = yaml.safe_load(open("examples/xa-an-phu.yaml", encoding="utf-8"))
cells = {str(k): str(v) for k, v in data["evidence"].items() if str(k) in rubric.by_code}
live = score_draft(rubric, data["unit"], cells)
numpy = score(rubric, live.sheet.evidence, kernel="numpy")
same = all((getattr(live.sheet, name) == getattr(numpy, name)).all()
           for name in ("points", "maximum", "leaf_status", "missing", "applicable", "total", "tree_max"))
print(json.dumps({"views": "web.portal.views.unit" in sys.modules, "loaded": fused.loaded(),
                  "kernel": live.sheet.kernel, "same": bool(same), "frozen": gc.get_freeze_count()}))
"""


def _run(tmp_path: Path, **env: str) -> dict:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "web.settings",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.db'}", "PARINDEX_DATA_DIR": str(tmp_path),
                   "PARINDEX_MEDIA_ROOT": str(tmp_path / "media"), "PARINDEX_SECRET_KEY": "k" * 50,
                   "PARINDEX_ALLOWED_HOSTS": "127.0.0.1", **env}
    done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(importlib.util.find_spec("numba") is None, reason="numba not installed")
def test_a_worker_scores_a_unit_on_the_compiled_kernel_with_numpys_points(tmp_path: Path) -> None:
    ready = _run(tmp_path)
    assert ready == {**ready, "views": True, "loaded": True, "kernel": "compiled", "same": True}
    assert ready["frozen"] > 100_000


def test_without_the_compiled_kernel_a_worker_scores_with_numpy(tmp_path: Path) -> None:
    ready = _run(tmp_path, PARINDEX_NO_COMPILED="1")
    assert ready == {**ready, "views": True, "loaded": False, "kernel": "numpy", "same": True}
    assert ready["frozen"] > 100_000
