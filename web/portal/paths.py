"""The shipped rubrics and examples: beside the checkout (editable install, tests) or in the
current folder (``pip install .`` then ``parindex serve --demo`` from the clone's root)."""

from __future__ import annotations

from pathlib import Path

SOURCE_ROOT = Path(__file__).resolve().parents[2]


def shipped(relative: str) -> Path:
    """``rubrics/…`` or ``examples/…``: the current folder's copy first, else the source tree's."""
    here = Path.cwd() / relative
    return here if here.exists() else SOURCE_ROOT / relative
