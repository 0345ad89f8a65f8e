"""Numbers as Vietnamese documents print them: decimal commas, no trailing zeros."""

from __future__ import annotations

from decimal import Decimal

from django import template

from criteria.numbers import format_points, format_vn

register = template.Library()


@register.filter
def pts(value: Decimal | int | None) -> str:
    """Points: ``0,5``; nothing → “—”."""
    return "—" if value is None or value == "" else format_points(value)


@register.filter
def pct(value: Decimal | None) -> str:
    """An index (%) with two decimals: ``87,25``; none → “—”."""
    return "—" if value is None or value == "" else format_vn(value, 2, trim=False)


@register.filter
def anchor(code: str) -> str:
    """A criterion code as an HTML id part (“1.1.2” → “1-1-2”)."""
    return "".join(c if c.isalnum() else "-" for c in str(code))


@register.filter
def get(mapping: dict, key: str):
    return mapping.get(key, "") if mapping else ""


@register.filter
def share(part: Decimal | None, whole: Decimal | None) -> int:
    """0–100 for a bar's width."""
    if not part or not whole:
        return 0
    return max(0, min(100, int(Decimal(part) * 100 / Decimal(whole))))
