"""Template tags every page may use (a builtin library): permission checks, the menu, languages, money and
form fields (no logic in templates)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from django import template
from django.conf import settings
from django.utils.translation import get_language, get_language_info

from bangfu.core.nav import NavLink, NavMenu, nav_links, nav_menu, nav_menu_html
from bangfu.core.permissions import can as _can

register = template.Library()


@register.filter
def can(user, action: str) -> bool:
    """{% if user|can:"household.create" %}"""
    return _can(user, action)


@register.simple_tag(takes_context=True)
def main_nav(context) -> list[NavLink]:
    """{% main_nav as links %}: the menu entries the user may follow (see core/nav.py)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return nav_links(context.get("user"), match.view_name if match else None)


@register.simple_tag(takes_context=True)
def main_menu(context) -> NavMenu:
    """{% main_menu as menu %}: the entries the user may follow, the daily ones in `menu.main`, the
    others in `menu.more` (see core/nav.py)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return nav_menu(context.get("user"), match.view_name if match else None)


@register.simple_tag(takes_context=True)
def main_menu_html(context) -> str:
    """{% main_menu_html %}: the menu of main_menu rendered by core/_nav.html (see core/nav.py)."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    return nav_menu_html(context.get("user"), match.view_name if match else None)


@register.simple_tag
def other_languages() -> list[dict[str, str]]:
    """{% other_languages as languages %}: the languages to switch to (code, name_local), all but the
    current one (the list is the same on every page in a language, so made once)."""
    return _other_languages(get_language())


@lru_cache(maxsize=16)
def _other_languages(current: str | None) -> list[dict[str, str]]:
    return [{"code": code, "name_local": get_language_info(code)["name_local"]}
            for code, _name in settings.LANGUAGES if code != current]


@register.filter
def yuan(fen) -> str:
    """12345 fen -> "123.45"."""
    if fen is None or fen == "":
        return ""
    return f"{(Decimal(int(fen)) / 100).quantize(Decimal('0.01')):,}"


@register.filter
def is_checkbox(bound_field) -> bool:
    """A single checkbox: its label goes after the box, not above it."""
    return bound_field.widget_type == "checkbox"


@register.filter
def is_choice_list(bound_field) -> bool:
    """Several checkboxes or radios: a fieldset with a legend."""
    return bound_field.widget_type in {"checkboxselectmultiple", "radioselect"}
