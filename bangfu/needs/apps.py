from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource
from bangfu.core.nav import NavItem
from bangfu.households.panels import PanelSource


class NeedsConfig(AppConfig):
    name = "bangfu.needs"
    label = "needs"
    verbose_name = _("Needs")
    nav = (
        NavItem(_("Needs"), "needs:board", "need.view", order=35, also_current=("needs:*",)),
    )
    # The household's page shows its open needs (households.panels), before its contacts.
    household_panels = (PanelSource("bangfu.needs.panels.needs_panel", order=5),)
    # The caseworker's day: resolved needs to call back and confirm (casework.worklist).
    worklist_sections = (WorklistSource("bangfu.needs.worklist.to_confirm_section", order=15,
                                        areas="bangfu.needs.worklist.to_confirm_areas"),)
    # A need heard on a call or visit, recorded on the contact form (casework.contactform).
    contact_form_parts = ("bangfu.needs.contactpart.NeedPart",)
    # A household that changes village (bangfu.households.moves): its needs and the numbers follow.
    household_moves = ("bangfu.needs.services.households_moved",)
