"""The base of every frozen pydantic model of the project: immutable, unknown keys refused."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Frozen data: a rubric's nodes, a rule, a unit's result, a plan's profile."""

    model_config = ConfigDict(frozen=True, extra="forbid")
