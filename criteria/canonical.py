"""A rubric's identity: the SHA-256 of its canonical form, and the engine that scored with it.

Canonical form: the validated model (``Rubric.model_dump``: defaults filled in, every rule in
its typed form) as JSON with keys sorted, no spaces, UTF-8 (NFC text as the loader stores it),
tuples as lists, dates as ISO text, and every decimal as its shortest plain text (``1``, ``0.5``,
never ``1.0`` or ``5E-1``). Two files that differ only in layout, comments, key order, aliases,
``1.0`` versus ``1`` or a default written out have the same hash; any change that can change a
score (a point, a bound, a code, a rule) changes it. Names and texts count too: a result names
the rubric as it was printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from functools import lru_cache
from importlib import metadata
from typing import Any

from .model import Rubric


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value == 0:
            return "0"
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def canonical_text(rubric: Rubric) -> str:
    """The canonical form of ``rubric`` (see the module's docstring)."""
    return json.dumps(_plain(rubric.model_dump()), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=32)
def rubric_sha256(rubric: Rubric) -> str:
    return hashlib.sha256(canonical_text(rubric).encode("utf-8")).hexdigest()


@lru_cache(maxsize=1)
def engine_version() -> str:
    """“parindex 0.1.0”: the installed package's version (the scoring engine is part of it)."""
    try:
        return f"parindex {metadata.version('parindex')}"
    except metadata.PackageNotFoundError:  # run from a source tree without installing
        return "parindex (chưa cài đặt)"


def provenance(rubric: Rubric) -> dict[str, Any]:
    """What every result names: the rubric's id, year and content hash, and the engine version."""
    return {"rubric": rubric.id, "year": rubric.year, "rubric_sha256": rubric_sha256(rubric),
            "engine": engine_version()}


def provenance_line(rubric: Rubric) -> str:
    """The provenance as one line for a footer: “Bộ chỉ số demo-xa-2025 năm 2025, SHA-256 …, parindex 0.1.0”."""
    made = provenance(rubric)
    return f"Bộ chỉ số {made['rubric']} năm {made['year']}, SHA-256 {made['rubric_sha256']}, {made['engine']}"
