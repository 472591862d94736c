from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, Indicator
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, STAFF
from bangfu.core.plugins import Step

_FIGURES = "bangfu.sales.figures."


class SalesConfig(AppConfig):
    name = "bangfu.sales"
    label = "sales"
    verbose_name = _("Produce and sales")
    urls = {"sales/": "bangfu.sales.urls"}
    api_routers = {"/sales": "bangfu.sales.api.router"}
    # The township office and the village cadres record sales and keep the products and buyers;
    # caseworkers (and the county) read them.
    permissions = {
        "sale.view": STAFF,
        "sale.record": EDITORS,
        "product.manage": EDITORS,
    }
    nav = (NavItem(_("Produce and sales"), "sales:list", "sale.view", order=75, more=True,
                   also_current=("sales:*",)),)
    # The demo: 送庄镇's morels and greenhouse vegetables, 蓝村街道's some, after the assets (52): the
    # greenhouse products name the assets demo's greenhouses as their producers.
    demo_steps = (Step("bangfu.sales.demo.sales_demo_load", order=53),)
    figure_indicators = (
        Indicator("sales.amount", _("sales of produce"), _FIGURES + "sales_amount", unit=_("元"), kind=FLOW,
                  money=True, order=700, list_url="sales:list"),
        Indicator("sales.quantity", _("produce sold by weight"), _FIGURES + "sales_quantity", unit=_("斤"), kind=FLOW,
                  order=701, list_url="sales:list"),
        Indicator("sales.count", _("sales recorded"), _FIGURES + "sales_count", unit=_("笔"), kind=FLOW,
                  order=702, list_url="sales:list"),
        Indicator("sales.households", _("households benefiting from sales"), _FIGURES + "sales_households",
                  unit=_("户"), kind=FLOW, order=703, list_url="sales:list"),
        Indicator("sales.amount_budget_unit", _("sales to budget units"), _FIGURES + "amount_budget_unit",
                  unit=_("元"), kind=FLOW, money=True, order=710, list_url="sales:list"),
        Indicator("sales.amount_832", _("sales on the 832 platform"), _FIGURES + "amount_832", unit=_("元"),
                  kind=FLOW, money=True, order=711, list_url="sales:list"),
        Indicator("sales.amount_canteen", _("sales direct to canteens"), _FIGURES + "amount_canteen", unit=_("元"),
                  kind=FLOW, money=True, order=712, list_url="sales:list"),
        Indicator("sales.amount_livestream", _("sales by livestream"), _FIGURES + "amount_livestream",
                  unit=_("元"), kind=FLOW, money=True, order=713, list_url="sales:list"),
        Indicator("sales.amount_other_channels", _("sales through other channels"),
                  _FIGURES + "amount_other_channels", unit=_("元"), kind=FLOW, money=True, order=714,
                  list_url="sales:list"),
    )
