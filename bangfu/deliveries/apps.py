from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.printcolumns import PrintColumn
from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.deliveries import indicators
from bangfu.households.panels import PanelSource
from bangfu.supplies.panels import ABOVE, BELOW, StockPanelSource


class DeliveriesConfig(AppConfig):
    name = "bangfu.deliveries"
    label = "deliveries"
    verbose_name = _("Deliveries")
    # Pages (bangfu.urls): /deliveries/ and, beside the supplies' pages, /supplies/distributions/.
    urls = {"": "bangfu.deliveries.urls"}
    # API routers (bangfu.api.urls).
    api_routers = {
        "/deliveries": "bangfu.deliveries.api.router",
        "/distributions": "bangfu.deliveries.api.distributions_router",
    }
    permissions = {
        # Deliveries and errands: anyone asks for one for a household they see; the office and village
        # assign them; the caseworker it is assigned to (or the office, village) marks it done.
        "delivery.view": STAFF,
        "delivery.create": EDITORS | {Role.CASEWORKER},
        "delivery.assign": EDITORS,
        "delivery.complete": EDITORS | {Role.CASEWORKER},
        # A failed delivery tried again: by whoever may assign it, or the caseworker it failed with.
        "delivery.reopen": EDITORS | {Role.CASEWORKER},
    }
    # The demo (bangfu.ops.demo): a distribution with its deliveries, and errands, once the stock is
    # there and before the needs.
    demo_steps = (Step("bangfu.deliveries.demo.deliveries_demo_load", order=25),)
    nav = (
        # The delivery pages; distributions (under the supplies' pages) count as the supplies' entry.
        NavItem(_("Deliveries"), "deliveries:deliveries", "delivery.view", order=50,
                also_current=tuple(f"deliveries:{name}" for name in (
                    "create", "detail", "complete", "fail", "assign", "reopen"))),
    )
    # The caseworker's day (casework.worklist): their open deliveries and errands, after the checks.
    worklist_sections = (
        WorklistSource("bangfu.deliveries.worklist.deliveries_section", order=50,
                       areas="bangfu.deliveries.worklist.deliveries_areas"),
    )
    # The village's printed daily list (casework.printcolumns): deliveries to do and done today.
    village_print_columns = (PrintColumn(_("Deliveries"), "bangfu.deliveries.queries.print_deliveries", order=20),)
    # A household that changes village or caseworker (bangfu.households.moves): its open deliveries
    # follow it.
    household_moves = ("bangfu.deliveries.moves.households_moved",)
    # A need's page (bangfu.needs.plugins): its deliveries, making or linking one; a need whose
    # delivery is under way is resolved by it, not by hand.
    need_panels = (PanelSource("bangfu.deliveries.needlink.need_panel", order=10),)
    need_resolve_checks = ("bangfu.deliveries.needlink.resolve_check",)
    # The supplies' stock page: what open deliveries will take from stock, the deliveries outstanding
    # and the township's recent distributions.
    stock_promised = ("bangfu.deliveries.queries.stock_promised",)
    stock_panels = (
        StockPanelSource("bangfu.deliveries.panels.counts_panel", place=ABOVE),
        StockPanelSource("bangfu.deliveries.panels.distributions_panel", place=BELOW),
    )
    # Figures for the summary tables (core.figures): declared in indicators.py, computed in figures.py.
    figure_indicators = indicators.INDICATORS
