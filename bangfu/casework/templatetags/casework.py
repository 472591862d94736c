"""Template filters of casework pages (formatting only)."""

from __future__ import annotations

from django import template

from bangfu.casework.forms import CONDITION_LABELS
from bangfu.casework.models import CONDITIONS

register = template.Library()


@register.filter
def conditions(assessment) -> list[tuple[str, bool, str]]:
    """(label, met, note) of an assessment's four conditions."""
    notes = assessment.notes or {}
    return [(str(CONDITION_LABELS[name]), getattr(assessment, name), notes.get(name, "")) for name in CONDITIONS]


@register.filter
def condition_label(name: str) -> str:
    return str(CONDITION_LABELS.get(name, name))


@register.filter
def percent(part, whole) -> int:
    return round(100 * (part or 0) / whole) if whole else 0


@register.filter
def with_id(pattern: str, pk) -> str:
    """The URL of object `pk` from the one reversed for id 0: {% url 'households:detail' 0 as u %}
    once, then {{ u|with_id:row.household_id }} a row (reversing costs as much as a row's text)."""
    head, _sep, tail = pattern.rpartition("/0/")
    return f"{head}/{pk}/{tail}"
