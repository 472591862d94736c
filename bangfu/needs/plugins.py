"""What apps above needs add to a need, declared on their AppConfig, since needs may not import them:

    need_panels = (PanelSource("bangfu.deliveries.needlink.need_panel", order=10),)
    need_resolve_checks = ("bangfu.deliveries.needlink.resolve_check",)

A panel function is ``(user, need) -> panel | None`` (an object with a ``template``, included on the
need's page with ``panel`` in its context). A resolve check is ``(need) -> None`` and raises a
ValidationError naming the field when a need may not be resolved by hand now (its delivery is
still under way)."""

from __future__ import annotations

from functools import cache

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared


@cache
def _panels():
    return [import_string(source.function) for source in declared("need_panels")]


@cache
def _resolve_checks():
    return [import_string(path) for path in declared("need_resolve_checks")]


def need_panels(user, need) -> list:
    return [panel for build in _panels() if (panel := build(user, need)) is not None]


def resolve_checks(need) -> None:
    for check in _resolve_checks():
        check(need)
