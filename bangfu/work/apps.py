from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import EDITORS, OFFICE_UP, STAFF, Role
from bangfu.core.plugins import Step


class WorkConfig(AppConfig):
    name = "bangfu.work"
    label = "work"
    verbose_name = _("Work")
    urls = {"work/": "bangfu.work.urls"}
    api_routers = {
        "/labour": "bangfu.work.api.labour",
        "/drives": "bangfu.work.api.drives",
        "/subsidies": "bangfu.work.api.subsidies",
        "/postings": "bangfu.work.posting_api.postings",
        "/welfare-posts": "bangfu.work.welfare_api.posts",
        "/appointments": "bangfu.work.welfare_api.appointments",
        "/attendance": "bangfu.work.welfare_api.attendance",
        "/payrolls": "bangfu.work.welfare_api.payrolls",
    }
    permissions = {
        "labour.view": STAFF,
        # A caseworker records their households' labourers on a call; the village and the office too.
        "labour.record": EDITORS | {Role.CASEWORKER},
        # A village's grid for a month, and a sheet of statuses.
        "labour.bulk": EDITORS,
        "labour.import": OFFICE_UP,
        "drive.view": STAFF,
        "drive.manage": OFFICE_UP,
        "drive.record": EDITORS | {Role.CASEWORKER},
        # The employment subsidy: the township prepares the list, the county sets the amounts and approves.
        "subsidy.view": OFFICE_UP | {Role.COUNTY},
        "subsidy.prepare": OFFICE_UP,
        "subsidy.approve": frozenset({Role.ADMIN, Role.COUNTY}),
        "subsidy.rates": frozenset({Role.ADMIN, Role.COUNTY}),
        # Job postings: the township office enters, imports and publishes them; a caseworker tells
        # a labourer of one and records what came of it.
        "posting.view": STAFF,
        "posting.manage": OFFICE_UP,
        "posting.refer": EDITORS | {Role.CASEWORKER},
        # Public-welfare posts: the township office keeps posts, appointments and the payroll and
        # approves it; the village cadre takes the daily attendance; the county sets the rules.
        "welfare.view": STAFF,
        "welfare.manage": OFFICE_UP,
        "welfare.attend": EDITORS,
        "welfare.assess": OFFICE_UP,
        "welfare.pay": OFFICE_UP,
        "welfare.approve": OFFICE_UP,
        "welfare.rules": frozenset({Role.ADMIN, Role.COUNTY}),
    }
    nav = (
        NavItem(_("Labour"), "work:labour", "labour.view", order=50, also_current=("work:*",), more=True),
        NavItem(_("Job postings"), "work:postings", "posting.view", order=51, also_current=("work:posting*",),
                more=True),
        NavItem(_("Public-welfare posts"), "work:welfare_posts", "welfare.view", order=52, more=True),
    )
    # A monthly status heard on a call or visit, on the contact form.
    contact_form_parts = ("bangfu.work.contactpart.StatusPart",)
    # After the emergency's demo: statuses for the demo labourers, a drive per township, a subsidy list.
    demo_steps = (Step("bangfu.work.demo.work_demo_load", order=50),
                  # Job postings after the statuses and drives they are matched against.
                  Step("bangfu.work.posting_demo.postings_demo_load", order=51),
                  # Then public-welfare posts in each township, last month's attendance and payroll.
                  Step("bangfu.work.welfare_demo.welfare_demo_load", order=52))
