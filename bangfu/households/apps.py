from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem


class HouseholdsConfig(AppConfig):
    name = "bangfu.households"
    label = "households"
    verbose_name = _("Households")
    nav = (
        NavItem(_("Households"), "households:list", "household.view", order=10,
                also_current=("households:*",)),
        NavItem(_("Register"), "households:create", "household.create", order=20, more=True),
    )
