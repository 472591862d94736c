from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem


class EmergencyConfig(AppConfig):
    name = "bangfu.emergency"
    label = "emergency"
    verbose_name = _("Emergency work")
    history_models = {"delivery": "emergency.Delivery"}
    nav = (
        NavItem(_("Deliveries"), "emergency:deliveries", "delivery.view", order=50,
                also_current=("emergency:*",)),
    )
