from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step

COUNTY_UP = frozenset({Role.ADMIN, Role.COUNTY})


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
