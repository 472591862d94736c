from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import OFFICE_UP, Role
from bangfu.core.plugins import Step


class SuppliesConfig(AppConfig):
    name = "bangfu.supplies"
    label = "supplies"
    verbose_name = _("Supplies")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"supplies/": "bangfu.supplies.urls"}
    api_routers = {"/stock": "bangfu.supplies.api.stock_router"}
    # The township office keeps the stock and plans hand-outs; the county and village look.
    permissions = {
        "supplies.view": OFFICE_UP | {Role.COUNTY, Role.VILLAGE},
        "supplies.manage": OFFICE_UP,
        "stock.move": OFFICE_UP,
        "distribution.plan": OFFICE_UP,
    }
    # The demo (bangfu.ops.demo): 蓝村's stock, a rice hand-out, deliveries and errands.
    demo_steps = (Step("bangfu.supplies.demo.supplies_demo_load", order=20),)
    nav = (
        # Distributions are the deliveries' pages, under the supplies' ones (/supplies/distributions/).
        NavItem(_("Supplies"), "supplies:stock", "supplies.view", order=60, more=True, also_current=(
            "supplies:*", "deliveries:distributions", "deliveries:distribution_plan", "deliveries:distribution")),
    )
