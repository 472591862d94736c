"""Template filters: permission checks, masking and money formatting (no logic in templates)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from bangfu.accounts.permissions import can as _can
from bangfu.households import identity

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """{% if user|can:"household.create" %}"""
    return _can(user, action)


@register.filter
def mask_id(value: str) -> str:
    return identity.mask_id(value or "")


@register.filter
def mask_phone(value: str) -> str:
    return identity.mask_phone(value or "")


@register.filter
def yuan(fen) -> str:
    """12345 fen -> "123.45"."""
    if fen is None or fen == "":
        return ""
    return f"{(Decimal(int(fen)) / 100).quantize(Decimal('0.01')):,}"
