from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from bangfu.core.nav import NavItem
from bangfu.core.permissions import Role
from bangfu.core.plugins import Step


class AccountsConfig(AppConfig):
    name = "bangfu.accounts"
    label = "accounts"
    verbose_name = _("Accounts")
    # Pages (bangfu.urls) under this prefix, and API routers (bangfu.api.urls).
    urls = {"accounts/": "bangfu.accounts.urls"}
    api_routers = {"/users": "bangfu.accounts.api.router"}
    # An administrator manages everyone, a township office the users of its township (roles at or
    # below its own); a county looks at its users without changing them.
    permissions = {
        "user.view": frozenset({Role.ADMIN, Role.COUNTY, Role.TOWNSHIP_OFFICE}),
        "user.manage": frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE}),
    }
    nav = (
        NavItem(_("Users"), "accounts:users", "user.view", order=95, more=True,
                also_current=("accounts:user_add", "accounts:user_detail", "accounts:user_edit")),
    )
    # `bangfu serve` while no administrator exists: the one-time link that creates one.
    serve_steps = (Step("bangfu.accounts.services.setup_link", order=20),)
