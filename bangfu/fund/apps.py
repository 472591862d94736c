from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, STOCK, Indicator
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource

_FIGURES = "bangfu.fund.figures."


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
    # The summary tables: councils, agreements, the ledger of the period, arrears.
    figure_indicators = (
        Indicator("fund.councils", _("filial-piety fund councils"), _FIGURES + "fund_councils", unit=_("个"),
                  kind=STOCK, order=650, list_url="fund:councils"),
        Indicator("fund.agreements", _("support agreements in force"), _FIGURES + "fund_agreements", unit=_("份"),
                  kind=STOCK, order=651, list_url="fund:councils"),
        Indicator("fund.contributions", _("support money received"), _FIGURES + "fund_contributions",
                  unit=_("元"), kind=FLOW, money=True, order=652, list_url="fund:councils"),
        Indicator("fund.match", _("match added"), _FIGURES + "fund_match", unit=_("元"), kind=FLOW, money=True,
                  order=653, list_url="fund:councils"),
        Indicator("fund.payouts", _("paid out to elders"), _FIGURES + "fund_payouts", unit=_("元"), kind=FLOW,
                  money=True, order=654, list_url="fund:councils"),
        Indicator("fund.arrears", _("agreements in arrears"), _FIGURES + "fund_arrears", unit=_("份"), kind=STOCK,
                  order=655, list_url="fund:arrears"),
        Indicator("fund.arrears_amount", _("support money owed"), _FIGURES + "fund_arrears_amount", unit=_("元"),
                  kind=STOCK, money=True, order=656, list_url="fund:arrears"),
    )
