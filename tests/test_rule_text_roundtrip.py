"""Every rule's own text (``describe``) reads back to the same rule: the export is lossless."""

from hypothesis import given, settings

from criteria.rule_text import parse_rule_text

from .rubric_strategies import rule_and_max


@settings(max_examples=400, deadline=None)
@given(rule_and_max())
def test_describe_reads_back_to_the_same_rule(case):
    rule, max_points = case
    text = rule.describe(max_points)
    parsed = parse_rule_text(text, max_points)
    assert parsed.findings == ()
    assert parsed.rule == rule, f"{text!r} → {parsed.reason}"
