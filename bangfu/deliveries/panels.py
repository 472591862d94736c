"""The deliveries' panels on the supplies' stock page (bangfu.supplies.panels): deliveries and
errands outstanding above the stock table, the township's recent distributions below it."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.deliveries import queries
from bangfu.deliveries.models import Distribution


@dataclass
class CountsPanel:
    counts: queries.DeliveryCounts
    template: str = "deliveries/_stock_counts.html"


@dataclass
class DistributionsPanel:
    township: object
    distributions: list[Distribution]
    may_move: bool
    template: str = "deliveries/_stock_distributions.html"


def counts_panel(user, township, may_move: bool) -> CountsPanel:
    """One query: the open deliveries in the user's scope."""
    return CountsPanel(counts=queries.delivery_counts(user))


def distributions_panel(user, township, may_move: bool) -> DistributionsPanel:
    """One query (and the user's townships inside it): the township's latest five distributions."""
    return DistributionsPanel(township=township, may_move=may_move,
                              distributions=list(queries.distributions_for(user, township)[:5]))
