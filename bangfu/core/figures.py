"""Indicators: the figures each app declares for the summary tables (reports reads them all).

An app declares its indicators on its AppConfig and computes them in its own `figures.py`:

    figure_indicators = (
        Indicator("needs.open", _("open needs"), "bangfu.needs.figures.open_needs", unit=_("件"),
                  kind=STOCK, order=300, list_url="needs:list"),
    )

The compute function is keyword-only and reads the app's own tables directly (not through a user's
scope: the summary tables are built for every area, and scope is applied when they are read):

    def open_needs(*, villages: Sequence[str] | None, start: date, end: date) -> dict[str, int]

It returns {village code: value} for the villages (12-digit codes, local villages included) with a
value other than 0, restricted to `villages` when that is given (None: every village). `start` and
`end` are Shanghai calendar days, both included. A FLOW figure counts what happened in those days
(contacts made, needs resolved); a STOCK figure is the state now (households monitored, stock on
hand): for a period that has ended it keeps the value it had when the period was last computed.
Values are integers (money in fen, with money=True). Every figure is a sum over villages, so a
township's, county's or province's figure is the sum of its villages'. A rate is declared as a
Ratio of two indicators and computed when it is read, never summed.

A FLOW figure that is a sum over days (a count of things that happened, an amount; not a count of
distinct households) may also have a by-day variant beside its compute function, named
`<compute function>_by_day`, with the same arguments, returning {(village code, day): value} for
the days `start` to `end`: the incremental refresh then reads it once over the days of all the
periods it recomputes and sums the days of each period, instead of one read per period (a flow
without one is computed per period, as before). bangfu.core.villagecounts.village_day_counts
helps write one.

The keys are stored with every figure: never rename one (add a new key instead).
"""

from __future__ import annotations

from dataclasses import dataclass

FLOW = "flow"
STOCK = "stock"


@dataclass(frozen=True)
class Indicator:
    key: str  # "<app>.<name>", unique across apps
    label: str  # shown on dashboards and in the briefing (lazy Chinese through gettext_lazy)
    compute: str  # dotted path to the compute function (see the module's docstring)
    unit: str = ""  # 户, 人, 件, 元 (money: fen stored, yuan shown)
    kind: str = FLOW
    money: bool = False
    order: int = 100  # place on the dashboard and in the briefing, lower first
    list_url: str = ""  # URL name of the list behind the number; it takes ?region=CODE (and the period's from/to)


@dataclass(frozen=True)
class Ratio:
    """A rate read from two indicators of the same region and period: numerator / denominator, shown
    as a percentage; no figure when the denominator is 0."""

    key: str
    label: str
    numerator: str
    denominator: str
    order: int = 100
