"""The rule kinds, one module each; ``Rule`` is their tagged union (by ``kind``)."""

from typing import Annotated, Union

from pydantic import Field

from .additive import AdditiveRule, Item
from .bands import Band, BandsRule
from .base import MISSING, NOT_APPLICABLE, STATE_NAMES, VALUE, Cell, Column, DueShift, InputSpec, Recovery, RuleKind
from .boolean import BooleanRule
from .choice import ChoiceRule, Option
from .count_ladder import CountLadderRule, Step
from .deadline import DeadlineRule
from .deduction import DeductionRule
from .external import ExternalRule
from .manual import ManualRule
from .proportional import ProportionalRule, ShareFloor
from .reports import ReportsRule

KINDS = (BooleanRule, ChoiceRule, DeadlineRule, BandsRule, ProportionalRule, CountLadderRule, AdditiveRule, DeductionRule, ExternalRule, ManualRule, ReportsRule)  # noqa: E501 - the one list of rule kinds
"""Every rule kind, in the order documentation lists them; ``Rule`` and ``RULE_KINDS`` follow."""

Rule = Annotated[Union[KINDS], Field(discriminator="kind")]  # type: ignore[valid-type]

RULE_KINDS: dict[str, type[RuleKind]] = {
    cls.model_fields["kind"].annotation.__args__[0]: cls  # type: ignore[union-attr]
    for cls in KINDS
}

__all__ = [
    "AdditiveRule", "Band", "BandsRule", "BooleanRule", "Cell", "ChoiceRule", "Column",
    "CountLadderRule", "DeadlineRule", "DeductionRule", "DueShift", "ExternalRule", "InputSpec", "Item", "KINDS", "MISSING",
    "ManualRule", "NOT_APPLICABLE", "Option", "ProportionalRule", "RULE_KINDS", "Recovery", "Rule", "RuleKind",
    "STATE_NAMES", "ShareFloor", "Step", "VALUE",
]
