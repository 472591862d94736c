from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem


class SuppliesConfig(AppConfig):
    name = "bangfu.supplies"
    label = "supplies"
    verbose_name = _("Supplies")
    history_models = {"stockmove": "supplies.StockMove"}
    nav = (
        # Distributions are the deliveries' pages, under the supplies' ones (/supplies/distributions/).
        NavItem(_("Supplies"), "supplies:stock", "supplies.view", order=60, more=True, also_current=(
            "supplies:*", "deliveries:distributions", "deliveries:distribution_plan", "deliveries:distribution")),
    )
