from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import OFFICE_UP, Role


class SuppliesConfig(AppConfig):
    name = "bangfu.supplies"
    label = "supplies"
    verbose_name = _("Supplies")
    # The township office keeps the stock and plans hand-outs; the county and village look.
    permissions = {
        "supplies.view": OFFICE_UP | {Role.COUNTY, Role.VILLAGE},
        "supplies.manage": OFFICE_UP,
        "stock.move": OFFICE_UP,
        "distribution.plan": OFFICE_UP,
    }
    history_models = {"stockmove": "supplies.StockMove"}
    nav = (
        NavItem(_("Supplies"), "supplies:stock", "supplies.view", order=60, also_current=("supplies:*",), more=True),
    )
