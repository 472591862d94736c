"""Other apps' sections on a household's page (contacts, needs, ...), declared the way the menu is.

An app lists its panels on its AppConfig::

    household_panels = (PanelSource("bangfu.casework.panels.contacts_panel", order=10),)

The dotted path names a function ``(user, household) -> panel | None``; the panel is any object
with a ``template`` attribute (an include rendered with ``panel`` in its context). Each function
runs a fixed number of queries (the page's count is asserted), reading only this household, which
the user may already see.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared


@dataclass(frozen=True)
class PanelSource:
    function: str
    order: int = 100


@cache
def _sources():
    return [import_string(source.function) for source in declared("household_panels")]


def household_panels(user, household) -> list:
    return [panel for build in _sources() if (panel := build(user, household)) is not None]
