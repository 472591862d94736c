"""Plug-in discovery: what each app declares on its AppConfig (menu entries, worklist sections,
household panels, permissions, demo steps...), collected in one place for every consumer."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Step:
    """An app's part in work that runs across apps (the demo's data, `bangfu synth`): a function by
    dotted path, and its place among every app's steps (lower first)."""

    function: str
    order: int = 100


@cache
def declared(attribute: str) -> tuple[Any, ...]:
    """Every app's items under `attribute` (a sequence on its AppConfig), by their `order` where they
    have one (100 where not); equals, and items without an order, keep the order of INSTALLED_APPS."""
    items = [item for config in apps.get_app_configs() for item in getattr(config, attribute, ())]
    return tuple(sorted(items, key=lambda item: getattr(item, "order", 100)))


@cache
def declared_table(attribute: str) -> dict[str, Any]:
    """Every app's mapping under `attribute` merged into one table; a key declared by two apps is an
    error (ImproperlyConfigured), not a silent override."""
    return merged(attribute, apps.get_app_configs())


def merged(attribute: str, configs: Iterable[Any]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    owners: dict[str, str] = {}
    for config in configs:
        for key, value in getattr(config, attribute, {}).items():
            if key in table:
                raise ImproperlyConfigured(
                    f"{attribute} {key!r} is declared by both {owners[key]} and {config.label}")
            table[key] = value
            owners[key] = config.label
    return table
