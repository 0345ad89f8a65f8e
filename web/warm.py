"""A portal process made ready before its first request (gunicorn imports ``web.wsgi`` once per worker).

- The URL conf, hence every view module, is imported now rather than by the first request.
- The engine's compiled kernel (``scoring/fused.py``, when numba is installed and not disabled by
  ``PARINDEX_NO_COMPILED``) is loaded and run once: once loaded, the engine uses it for every table,
  and a leaf's save scores its unit in ≈ 0.3 ms instead of ≈ 2.3 ms with numpy (100 leaves; the
  same points, ``tests/test_fused_kernel.py``). Loading costs ≈ 0.5–4 s of CPU once per worker.
- ``gc.freeze()`` then moves everything loaded so far out of the cycle collector's walks: a worker
  holds ~500,000 such objects (Django, numpy, pandas, numba), alive as long as the process.
"""

from __future__ import annotations

import gc
from importlib import import_module
from pathlib import Path

from django.conf import settings

from criteria import load_rubric
from scoring import fused
from web.portal.live import score_draft

RUBRIC = Path(__file__).resolve().parents[1] / "rubrics" / "demo-xa-2025.yaml"


def warm() -> None:
    import_module(settings.ROOT_URLCONF)
    if fused.load() is not None and RUBRIC.is_file():
        score_draft(load_rubric(RUBRIC), "khởi động", {})  # the kernel's first call reads or compiles its code
    gc.freeze()
