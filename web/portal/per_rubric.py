"""Values computed once per rubric object and found by the object's identity.

A campaign's rubric is parsed once per process (``scoring.campaign.store.frozen_rubric``), so the
same object comes back on every request. Keying a cache on the rubric itself (``lru_cache``,
a weak-key dictionary) hashes it each time, and a frozen pydantic model hashes every node of the
tree: ~5 such look-ups cost a save more than a millisecond. Here the look-up is by ``id`` and the
entry holds a weak reference that proves the object is the same one (and removes the entry when
it is gone, so a new object at a reused address never sees another rubric's values).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from criteria import Rubric

T = TypeVar("T")
_kept: dict[tuple[int, str], tuple[weakref.ref, object]] = {}


def per_rubric(build: Callable[[Rubric], T]) -> Callable[[Rubric], T]:
    """``build(rubric)`` once per rubric object (a decorator)."""
    name = f"{build.__module__}.{build.__qualname__}"

    @wraps(build)
    def cached(rubric: Rubric) -> T:
        key = (id(rubric), name)
        found = _kept.get(key)
        if found is not None and found[0]() is rubric:
            return found[1]  # type: ignore[return-value]
        value = build(rubric)
        _kept[key] = (weakref.ref(rubric, lambda _gone, key=key: _kept.pop(key, None)), value)
        return value

    return cached
