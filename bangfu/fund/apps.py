from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource


class FundConfig(AppConfig):
    name = "bangfu.fund"
    label = "fund"
    verbose_name = _("Filial-piety fund")
    urls = {"fund/": "bangfu.fund.urls"}
    api_routers = {"/fund": "bangfu.fund.api.router"}
    permissions = {
        # The ledger, the arrears and the public notice: anyone who works on casework in the area.
        "fund.view": STAFF,
        # Councils and agreements, contributions and payouts: the township office and the village cadres.
        "fund.manage": EDITORS,
        "fund.record": EDITORS,
        # The county's match.
        "fund.configure": frozenset({Role.ADMIN, Role.COUNTY}),
    }
    nav = (NavItem(_("Filial-piety fund"), "fund:councils", "fund.view", order=70, more=True,
                   also_current=("fund:*",)),)
    # An elder's agreements on their household's page.
    household_panels = (PanelSource("bangfu.fund.panels.agreements_panel", order=60),)
    # The demo: 送庄镇's councils, agreements and ledger, after the emergency work.
    demo_steps = (Step("bangfu.fund.demo.fund_demo_load", order=45),)
