"""Template helpers for needs: deadline text, overdue marks, a household's open needs."""

from __future__ import annotations

from django import template
from django.utils import timezone

from bangfu.needs import display, queries

register = template.Library()


@register.filter
def deadline(need) -> str:
    return display.deadline_text(need.deadline_at)


@register.filter
def overdue(need) -> bool:
    return need.is_overdue(timezone.now())


@register.inclusion_tag("needs/_household_needs.html", takes_context=True)
def household_needs(context, household):
    """The open needs of a household, for its page, and the way to record one."""
    user = context["user"]
    return {"user": user, "household": household, "needs": queries.open_needs_of(user, household.pk)}
