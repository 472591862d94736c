from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "bangfu.core"
    label = "core"
    verbose_name = "bangfu"
    # The phone's outbox page, and the service worker (/outbox/sw.js, allowed the scope /).
    urls = {"outbox/": "bangfu.core.urls"}

    def ready(self) -> None:
        from bangfu.core.permissions import permission_table

        # The apps' permission declarations merged now, so that an action two apps declare stops the start.
        permission_table()
