from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource
from bangfu.core.figures import FLOW, STOCK, Indicator
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step

COUNTY_UP = frozenset({Role.ADMIN, Role.COUNTY})


class AssetsConfig(AppConfig):
    name = "bangfu.assets"
    label = "assets"
    verbose_name = _("Project assets")
    urls = {"assets/": "bangfu.assets.urls"}
    api_routers = {"/assets": "bangfu.assets.api.router"}
    # The register is read by everyone on casework in the area; the village cadres and the township
    # office keep it; a keeper (a village cadre or a caseworker) inspects; income is recorded by the
    # village or the office; a plan is drafted by them and approved by the township office.
    permissions = {
        "asset.view": STAFF,
        "asset.manage": EDITORS | COUNTY_UP,
        "asset.inspect": EDITORS | frozenset({Role.CASEWORKER}),
        "asset.fix": EDITORS | frozenset({Role.CASEWORKER}),
        "asset.income": EDITORS,
        "asset.plan": EDITORS,
        "asset.approve": OFFICE_UP,
        "asset.settings": COUNTY_UP,
    }
    nav = (NavItem(_("Assets"), "assets:list", "asset.view", order=62, more=True, also_current=("assets:*",)),)
    # A project's handover registers its items as assets (called by projects through core.plugins).
    project_handover_steps = (Step("bangfu.assets.services.assets_from_handover"),)
    # The inspections due in the keeper's or caseworker's day, after the follow-ups.
    worklist_sections = (WorklistSource("bangfu.assets.worklist.inspections_section", order=45),)
    # After projects (50): 蓝村街道's PV stations, 送庄镇's greenhouses.
    demo_steps = (Step("bangfu.assets.demo.assets_demo_load", order=52),)
    figure_indicators = (
        Indicator("assets.count", _("project assets"), "bangfu.assets.figures.assets_count", unit=_("件"),
                  kind=STOCK, order=600, list_url="assets:list"),
        Indicator("assets.value", _("project assets' value"), "bangfu.assets.figures.assets_value", unit=_("元"),
                  kind=STOCK, money=True, order=601, list_url="assets:list"),
        Indicator("assets.operating", _("operating assets"), "bangfu.assets.figures.assets_operating",
                  unit=_("件"), kind=STOCK, order=602),
        Indicator("assets.public", _("public-welfare assets"), "bangfu.assets.figures.assets_public",
                  unit=_("件"), kind=STOCK, order=603),
        Indicator("assets.household", _("assets given to households"), "bangfu.assets.figures.assets_household",
                  unit=_("件"), kind=STOCK, order=604),
        Indicator("assets.inspections", _("asset inspections"), "bangfu.assets.figures.inspections_done",
                  unit=_("次"), kind=FLOW, order=610),
        Indicator("assets.inspections_overdue", _("asset inspections overdue"),
                  "bangfu.assets.figures.inspections_overdue", unit=_("件"), kind=STOCK, order=611),
        Indicator("assets.fixes_open", _("asset fixes open"), "bangfu.assets.figures.fixes_open", unit=_("件"),
                  kind=STOCK, order=612),
        Indicator("assets.fixes_overdue", _("asset fixes overdue"), "bangfu.assets.figures.fixes_overdue",
                  unit=_("件"), kind=STOCK, order=613),
        Indicator("assets.income", _("asset income"), "bangfu.assets.figures.income", unit=_("元"), kind=FLOW,
                  money=True, order=620),
        Indicator("assets.distributed", _("asset income distributed"), "bangfu.assets.figures.distributed",
                  unit=_("元"), kind=FLOW, money=True, order=621),
    )
