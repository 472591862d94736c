"""What other apps add to the stock page, declared on their AppConfig the way the menu is::

    stock_promised = ("bangfu.deliveries.queries.stock_promised",)
    stock_panels = (StockPanelSource("bangfu.deliveries.panels.counts_panel", place="above"),)

`stock_promised` names functions ``(township) -> {item id: units}``: what open claims on the
township's stock will still take (the stock lines' "promised", and the shortfall beyond the
balance). `stock_panels` names functions ``(user, township, may_move) -> panel | None``, the panel
being any object with a ``template`` attribute (an include rendered with ``panel`` in its context),
shown above or below the stock table. Each function runs a fixed number of queries (the page's
count is asserted)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.module_loading import import_string

from bangfu.core.plugins import declared

ABOVE, BELOW = "above", "below"


@dataclass(frozen=True)
class StockPanelSource:
    function: str
    place: str = BELOW
    order: int = 100


@cache
def promised_sources() -> tuple:
    return tuple(import_string(path) for path in declared("stock_promised"))


@cache
def _panel_sources() -> tuple[tuple[str, object], ...]:
    return tuple((s.place, import_string(s.function)) for s in declared("stock_panels"))


def stock_panels(user, township, *, may_move: bool) -> dict[str, list]:
    """The panels of the stock page by place: {"above": [...], "below": [...]}."""
    panels: dict[str, list] = {ABOVE: [], BELOW: []}
    for place, build in _panel_sources():
        if (panel := build(user, township, may_move)) is not None:
            panels[place].append(panel)
    return panels
