from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.permissions import STAFF
from bangfu.core.plugins import Step


class ReportsConfig(AppConfig):
    name = "bangfu.reports"
    label = "reports"
    verbose_name = _("Reports")
    api_routers = {"/figures": "bangfu.reports.api.router"}
    # The summary figures of an area: staff who see an area (each within it); not the volunteer.
    permissions = {"figure.view": STAFF}
    # The figures of the demo's data, once every app's demo data is in.
    demo_steps = (Step("bangfu.reports.demo.figures_demo_build", order=900),)

    def ready(self) -> None:
        from bangfu.reports import registry

        registry.registry_check()
