from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.casework.worklist import WorklistSource


class CaseworkConfig(AppConfig):
    name = "bangfu.casework"
    label = "casework"
    verbose_name = _("Casework")
    # The caseworker's day: see bangfu.casework.worklist for the protocol.
    worklist_sections = (
        WorklistSource("bangfu.casework.worklist.overdue_section", order=20),
        WorklistSource("bangfu.casework.worklist.campaign_section", order=30),
        WorklistSource("bangfu.casework.worklist.due_section", order=40),
    )
    # Other apps' household pages: see bangfu.households.panels.
    household_panels = ()
