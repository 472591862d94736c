"""Template filters of households: masked ID numbers and phones, a household's category badges."""

from __future__ import annotations

from django import template

from bangfu.households import choices, identity

register = template.Library()


@register.filter
def mask_id(value: str) -> str:
    return identity.mask_id(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return identity.mask_phone(value or "")


@register.filter
def category_badges(household) -> list[tuple[str, str]]:
    """(value, label) of a household's categories, in their declared order (uses the prefetch)."""
    labels = dict(choices.Category.choices)
    return [(value, labels[value]) for value in household.category_values()]
