from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem


class NeedsConfig(AppConfig):
    name = "bangfu.needs"
    label = "needs"
    verbose_name = _("Needs")
    nav = (
        NavItem(_("Needs"), "needs:board", "need.view", order=30, also_current=("needs:*",)),
    )
