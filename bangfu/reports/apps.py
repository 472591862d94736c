from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import STAFF, Role
from bangfu.core.plugins import Step

# The dashboards: the township office, the county, the province and the administrator.
DASHBOARD_ROLES = frozenset({Role.ADMIN, Role.PROVINCE, Role.COUNTY, Role.TOWNSHIP_OFFICE})


class ReportsConfig(AppConfig):
    name = "bangfu.reports"
    label = "reports"
    verbose_name = _("Reports")
    api_routers = {"/figures": "bangfu.reports.api.router"}
    # The summary figures of an area: staff who see an area (each within it); not the volunteer.
    permissions = {"figure.view": STAFF, "dashboard.view": DASHBOARD_ROLES}
    # The dashboards (驾驶舱): pages, menu entry, the county's and the province's first page.
    urls = {"reports/": "bangfu.reports.urls"}
    nav = (NavItem(_("Dashboard"), "reports:dashboard", "dashboard.view", order=6),)
    home_pages = {Role.PROVINCE: "reports:dashboard", Role.COUNTY: "reports:dashboard"}
    # The figures of the demo's data, once every app's demo data is in.
    demo_steps = (Step("bangfu.reports.demo.figures_demo_build", order=900),)

    def ready(self) -> None:
        from bangfu.reports import registry

        registry.registry_check()
