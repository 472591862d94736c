from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.households import indicators


class HouseholdsConfig(AppConfig):
    name = "bangfu.households"
    label = "households"
    verbose_name = _("Households")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"households/": "bangfu.households.urls"}
    api_routers = {
        "/households": "bangfu.households.api.router",
        "/members": "bangfu.households.api.members_router",
    }
    permissions = {
        "household.view": STAFF,
        "household.create": EDITORS,
        "household.change": EDITORS | {Role.CASEWORKER},
        "household.delete": OFFICE_UP,
        "household.assign": EDITORS,
        # Importing a sheet creates and changes households in bulk: the office and village cadres.
        "household.import": EDITORS,
        "household.history": STAFF,
        # A caseworker calls their households, so may see a phone number in full (and it is recorded).
        "member.reveal_phone": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
        "member.reveal_id": OFFICE_UP,
        # Edits held because someone changed the same fields first: the township office (its
        # township) and the household's caseworker (their households) apply them or keep the record.
        "household.conflict_review": OFFICE_UP | {Role.CASEWORKER},
    }
    # An administrator lands on the registry (also where a role no app claims lands).
    home_pages = {Role.ADMIN: "households:list"}
    nav = (
        NavItem(_("Households"), "households:list", "household.view", order=10,
                also_current=("households:*",)),
        NavItem(_("Register"), "households:create", "household.create", order=20, more=True),
        NavItem(_("Held edits"), "households:conflicts", "household.conflict_review", order=22, more=True),
    )
    # Figures for the summary tables (core.figures): declared in indicators.py, computed in figures.py.
    figure_indicators = indicators.INDICATORS
