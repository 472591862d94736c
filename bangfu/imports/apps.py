from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem


class ImportsConfig(AppConfig):
    name = "bangfu.imports"
    label = "imports"
    verbose_name = _("Import and export")
    # Pages (bangfu.urls) under this prefix.
    urls = {"imports/": "bangfu.imports.urls", "users/sheet/": "bangfu.imports.cadre_urls"}
    nav = (NavItem(_("Import"), "imports:upload", "household.import", order=90, also_current=("imports:*",), more=True),)
