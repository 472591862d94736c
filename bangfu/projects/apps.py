from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, STOCK, Indicator, Ratio
from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step

COUNTY_UP = frozenset({Role.ADMIN, Role.COUNTY})
_FIGURES = "bangfu.projects.figures."


def _stock(key: str, label, function: str, order: int, **kwargs) -> Indicator:
    return Indicator(key, label, _FIGURES + function, unit=kwargs.pop("unit", _("个")), kind=STOCK, order=order,
                     list_url="projects:list", **kwargs)


class ProjectsConfig(AppConfig):
    name = "bangfu.projects"
    label = "projects"
    verbose_name = _("Projects")
    urls = {"projects/": "bangfu.projects.urls"}
    api_routers = {"/projects": "bangfu.projects.api.router"}
    # The village applies, posts its notices and self-checks; the township office reviews, accepts
    # and pays; the county approves, issues the funds and spot-checks. Building is recorded by the
    # village or the office; the handover by the office or the county.
    permissions = {
        "project.view": STAFF,
        "project.create": EDITORS | COUNTY_UP,
        "project.publish": EDITORS,
        "project.review": OFFICE_UP,
        "project.approve": COUNTY_UP,
        "project.issue": COUNTY_UP,
        "project.build": EDITORS,
        "project.self_check": EDITORS,
        "project.accept": OFFICE_UP,
        "project.spot_check": COUNTY_UP,
        "project.hand_over": OFFICE_UP | COUNTY_UP,
        "project.pay": OFFICE_UP | COUNTY_UP,
        "project.settings": COUNTY_UP,
    }
    # After emergency (40): 蓝村街道's four projects at their stages, with payments.
    demo_steps = (Step("bangfu.projects.demo.demo_projects", order=50),)
    nav = (NavItem(_("Projects"), "projects:list", "project.view", order=60, more=True, also_current=("projects:*",)),)
    # The summary tables: projects by stage and overdue, the money against the budget, 支出率.
    figure_indicators = (
        _stock("projects.total", _("projects in the library"), "projects_total", 600),
        _stock("projects.applying", _("projects being applied for"), "projects_applying", 601),
        _stock("projects.approved", _("projects approved and issued"), "projects_approved", 602),
        _stock("projects.building", _("projects being built"), "projects_building", 603),
        _stock("projects.checking", _("projects being checked and accepted"), "projects_checking", 604),
        _stock("projects.handed_over", _("projects handed over"), "projects_handed_over", 605),
        _stock("projects.overdue", _("projects overdue"), "projects_overdue", 606),
        _stock("projects.budget", _("project budget"), "projects_budget", 610, unit=_("元"), money=True),
        _stock("projects.allocated", _("project funds allocated"), "projects_allocated", 611, unit=_("元"),
               money=True),
        _stock("projects.paid", _("project funds paid"), "projects_paid", 612, unit=_("元"), money=True),
        Indicator("projects.paid_in_period", _("project funds paid in the period"),
                  _FIGURES + "projects_paid_in_period", unit=_("元"), kind=FLOW, money=True, order=613,
                  list_url="projects:list"),
    )
    figure_ratios = (
        Ratio("projects.spending_rate", _("spending rate (paid / budget)"), numerator="projects.paid",
              denominator="projects.budget", order=614),
    )
