from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.permissions import Role


class AccountsConfig(AppConfig):
    name = "bangfu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # Pages (bangfu.urls) under this prefix.
    urls = {"accounts/": "bangfu.accounts.urls"}
    permissions = {"user.manage": frozenset({Role.ADMIN})}
