from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import STAFF, Role
from bangfu.households.panels import PanelSource

# The township office and the county: they issue briefings and keep the templates.
OFFICE_AND_COUNTY = frozenset({Role.ADMIN, Role.COUNTY, Role.TOWNSHIP_OFFICE})


class BriefingsConfig(AppConfig):
    name = "bangfu.briefings"
    label = "briefings"
    verbose_name = _("Briefings and prints")
    urls = {"briefings/": "bangfu.briefings.urls"}
    permissions = {
        # One household's file (一户一档): whoever may see the household.
        "print.household": STAFF,
        # A village's files and its prints (the PDF of every household): the office, the county, the village cadres.
        "print.village": frozenset({Role.ADMIN, Role.COUNTY, Role.TOWNSHIP_OFFICE, Role.VILLAGE}),
        # The village's 公示 list as PDF: whoever may read the notice (monitoring's lead.view).
        "print.notice": STAFF,
        "briefing.generate": OFFICE_AND_COUNTY,
        "briefing.template_edit": frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE}),
    }
    nav = (NavItem(_("Briefings"), "briefings:briefings", "briefing.generate", order=91, more=True,
                   also_current=("briefings:briefing", "briefings:template")),
           NavItem(_("Prints"), "briefings:prints", "print.village", order=92, more=True,
                   also_current=("briefings:job",)))
    # A link to the household's file (PDF) on its page.
    household_panels = (PanelSource("bangfu.briefings.panels.print_panel", order=95),)
