"""Template helpers for needs: deadline text, overdue marks."""

from __future__ import annotations

from django import template
from django.utils import timezone

from bangfu.needs import display, workflow

register = template.Library()


@register.filter
def deadline(need) -> str:
    return display.deadline_text(need.deadline_at)


@register.filter
def overdue(need) -> bool:
    return need.is_overdue(timezone.now())


@register.filter
def assignable(need) -> bool:
    """Whether the need's state lets the office assign it (the board offers only those)."""
    return workflow.next_state(need.status, "assign") is not None
