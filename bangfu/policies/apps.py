from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import STOCK, Indicator
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step
from bangfu.households.panels import PanelSource


class PoliciesConfig(AppConfig):
    name = "bangfu.policies"
    label = "policies"
    verbose_name = _("Policies as delivered")
    urls = {"policies/": "bangfu.policies.urls"}
    api_routers = {"/policies": "bangfu.policies.api.policies", "/policy-receipts": "bangfu.policies.api.receipts"}
    permissions = {
        "policy.view": STAFF,
        # The county sets its policies; the administrator sets the defaults every county starts from.
        "policy.manage": frozenset({Role.ADMIN, Role.COUNTY}),
        # A receipt shown by the household (a bank book, a payment slip) is written down by whoever
        # works in the village; a department's payment sheet is imported by the township or the county.
        "policy.receipt": EDITORS,
        "policy.import": OFFICE_UP | {Role.COUNTY},
        # "Did it arrive?" asked on a call or a visit.
        "policy.check": EDITORS | {Role.CASEWORKER},
    }
    # The summary tables' figures (bangfu.core.figures; computed in policies/figures.py).
    figure_indicators = (
        Indicator("policies.gaps", _("policy gaps: entitled, nothing received"), "bangfu.policies.figures.gaps_missing",
                  unit=_("项"), kind=STOCK, order=480, list_url="policies:gaps"),
        Indicator("policies.unexpected", _("policy gaps: received, not entitled"),
                  "bangfu.policies.figures.gaps_unexpected", unit=_("项"), kind=STOCK, order=481,
                  list_url="policies:gaps"),
    )
    figure_ratios = ()
    demo_steps = (Step("bangfu.policies.demo.demo_policies", order=35),)
    nav = (NavItem(_("Policy gaps"), "policies:gaps", "policy.view", order=38, also_current=("policies:*",),
                   more=True),)
    # The household's page: what it is entitled to, what arrived, and what is missing.
    household_panels = (PanelSource("bangfu.policies.panels.policies_panel", order=7),)
    # "Did it arrive?" on the contact form (casework.contactform).
    contact_form_parts = ("bangfu.policies.contactpart.PolicyCheckPart",)
