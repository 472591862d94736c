import importlib

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import OFFICE_UP, STAFF
from bangfu.core.plugins import Step


class NotifyConfig(AppConfig):
    name = "bangfu.notify"
    label = "notify"
    verbose_name = _("Notifications")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"notifications/": "bangfu.notify.urls"}
    api_routers = {"/notifications": "bangfu.notify.api.router"}
    permissions = {"notification.view": STAFF, "channel.manage": OFFICE_UP}
    demo_steps = (Step("bangfu.notify.demo.notify_demo_load", order=90),)
    nav = (
        NavItem(_("Notifications"), "notify:inbox", "notification.view", order=90,
                badge="bangfu.notify.queries.unread_count"),
        NavItem(_("Work groups"), "notify:channels", "channel.manage", order=92, more=True,
                also_current=("notify:channel_add", "notify:channel_edit", "notify:digests")),
    )

    def ready(self) -> None:
        # Registers the work groups' outbox channel ("robot").
        importlib.import_module("bangfu.notify.robots")
