"""The rule kinds, one module each; ``Rule`` is their tagged union (by ``kind``)."""

from typing import Annotated, Union

from pydantic import Field

from .additive import AdditiveRule, Item
from .bands import Band, BandsRule
from .base import MISSING, NOT_APPLICABLE, STATE_NAMES, VALUE, Cell, Column
from .boolean import BooleanRule
from .choice import ChoiceRule, Option
from .count_ladder import CountLadderRule, Step
from .deadline import DeadlineRule
from .deduction import DeductionRule
from .external import ExternalRule
from .manual import ManualRule
from .proportional import ProportionalRule, ShareFloor

Rule = Annotated[
    Union[
        BooleanRule,
        ChoiceRule,
        DeadlineRule,
        BandsRule,
        ProportionalRule,
        CountLadderRule,
        AdditiveRule,
        DeductionRule,
        ExternalRule,
        ManualRule,
    ],
    Field(discriminator="kind"),
]

RULE_KINDS = {
    cls.model_fields["kind"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in (
        BooleanRule, ChoiceRule, DeadlineRule, BandsRule, ProportionalRule,
        CountLadderRule, AdditiveRule, DeductionRule, ExternalRule, ManualRule,
    )
}

__all__ = [
    "AdditiveRule", "Band", "BandsRule", "BooleanRule", "Cell", "ChoiceRule", "Column",
    "CountLadderRule", "DeadlineRule", "DeductionRule", "ExternalRule", "Item", "MISSING",
    "ManualRule", "NOT_APPLICABLE", "Option", "ProportionalRule", "RULE_KINDS", "Rule",
    "STATE_NAMES", "ShareFloor", "Step", "VALUE",
]
