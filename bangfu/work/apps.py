from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.figures import FLOW, STOCK, Indicator, Ratio
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
    # The summary tables' figures (work.figures): the labour force by status and 地域, the drives, the
    # postings, the public-welfare posts.
    figure_indicators = (
        Indicator("work.migrant", _("labourers working away (外出务工)"), "bangfu.work.figures.labour_migrant",
                  unit=_("人"), kind=STOCK, order=500, list_url="work:labour"),
        Indicator("work.nearby", _("labourers working nearby (就近就业)"), "bangfu.work.figures.labour_nearby",
                  unit=_("人"), kind=STOCK, order=501, list_url="work:labour"),
        Indicator("work.self_employed", _("labourers self-employed (自主创业)"),
                  "bangfu.work.figures.labour_self_employed", unit=_("人"), kind=STOCK, order=502,
                  list_url="work:labour"),
        Indicator("work.welfare_post", _("labourers on public-welfare posts (公益岗位)"),
                  "bangfu.work.figures.labour_welfare_post", unit=_("人"), kind=STOCK, order=503,
                  list_url="work:labour"),
        Indicator("work.unemployed", _("labourers not working (未就业)"), "bangfu.work.figures.labour_unemployed",
                  unit=_("人"), kind=STOCK, order=504, list_url="work:labour"),
        Indicator("work.outside_province", _("labourers working outside the province (省外)"),
                  "bangfu.work.figures.labour_outside_province", unit=_("人"), kind=STOCK, order=505),
        Indicator("work.outside_county", _("labourers working in the province, outside the county (省内县外)"),
                  "bangfu.work.figures.labour_outside_county", unit=_("人"), kind=STOCK, order=506),
        Indicator("work.in_county", _("labourers working in the county (县内)"), "bangfu.work.figures.labour_in_county",
                  unit=_("人"), kind=STOCK, order=507),
        Indicator("work.returned", _("back at work in drives (返岗)"), "bangfu.work.figures.drive_returned",
                  unit=_("人"), kind=FLOW, order=510, list_url="work:drives"),
        Indicator("work.postings_published", _("job postings published"), "bangfu.work.figures.postings_published",
                  unit=_("条"), kind=FLOW, order=511, list_url="work:postings"),
        Indicator("work.referrals", _("labourers told of a posting"), "bangfu.work.figures.referrals_told",
                  unit=_("人次"), kind=FLOW, order=512),
        Indicator("work.hired", _("labourers hired through postings"), "bangfu.work.figures.referrals_hired",
                  unit=_("人"), kind=FLOW, order=513),
        Indicator("work.welfare_places", _("public-welfare post places"), "bangfu.work.figures.welfare_places",
                  unit=_("个"), kind=STOCK, order=520, list_url="work:welfare_posts"),
        Indicator("work.welfare_filled", _("public-welfare post places filled"), "bangfu.work.figures.welfare_filled",
                  unit=_("个"), kind=STOCK, order=521, list_url="work:welfare_posts"),
        Indicator("work.attendance_present", _("public-welfare days present"),
                  "bangfu.work.figures.attendance_present", unit=_("天"), kind=FLOW, order=522),
        Indicator("work.attendance_expected", _("public-welfare days expected"),
                  "bangfu.work.figures.attendance_expected", unit=_("天"), kind=FLOW, order=523),
        Indicator("work.pay_issued", _("public-welfare pay issued"), "bangfu.work.figures.pay_issued",
                  unit=_("元"), kind=FLOW, money=True, order=524, list_url="work:welfare_payrolls"),
    )
    figure_ratios = (
        Ratio("work.attendance_rate", _("public-welfare attendance rate"), "work.attendance_present",
              "work.attendance_expected", order=525),
        Ratio("work.welfare_fill_rate", _("public-welfare places filled"), "work.welfare_filled",
              "work.welfare_places", order=526),
    )
