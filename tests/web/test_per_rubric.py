"""Values kept per rubric object: the same object gets the kept value, another object (even an
equal one) its own, and a collected rubric leaves nothing behind."""

from __future__ import annotations

import gc
from pathlib import Path

from criteria import load_rubric_text
from web.portal import per_rubric as module
from web.portal.per_rubric import per_rubric

TEXT = (Path(__file__).resolve().parents[2] / "rubrics" / "demo-xa-2025.yaml").read_text(encoding="utf-8")


def test_a_value_is_built_once_per_rubric_object() -> None:
    built: list[int] = []

    @per_rubric
    def leaves(rubric) -> int:  # noqa: ANN001
        built.append(id(rubric))
        return len(rubric.leaves())

    first, second = load_rubric_text(TEXT, "a"), load_rubric_text(TEXT, "b")
    assert leaves(first) == leaves(first) == len(first.leaves())
    assert leaves(second) == len(second.leaves())
    assert built == [id(first), id(second)]
    name = f"{__name__}.{leaves.__wrapped__.__qualname__}"  # type: ignore[attr-defined]
    assert len({key for key in module._kept if key[1] == name}) == 2
    del first, second
    gc.collect()
    assert not {key for key in module._kept if key[1] == name}, "a collected rubric's values are dropped"
