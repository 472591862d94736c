"""Who may do what: the roles, and the one table of actions per role, which each app declares for
its own actions on its AppConfig (`permissions = {"need.view": STAFF, ...}`). Where, is the scope's
business (visible_to)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core.codes import prefix_q
from bangfu.core.plugins import declared_table


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    # Sees a province (a 2-digit region code), as a county sees its county: figures and records, no writes.
    PROVINCE = "province", pgettext_lazy("role", "Province")
    COUNTY = "county", _("County")
    TOWNSHIP_OFFICE = "township_office", _("Township office")
    VILLAGE = "village", _("Village cadre")
    CASEWORKER = "caseworker", _("Caseworker")
    # Helps with the daily checks of an emergency in their village, and with nothing else.
    VOLUNTEER = "volunteer", _("Village volunteer")


ALL = frozenset(Role.values)
# Everyone who works on casework. A village volunteer is not: they see their village's daily checks
# and record them, nothing of the registry, needs, supplies or deliveries.
STAFF = ALL - {Role.VOLUNTEER}
OFFICE_UP = frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE})
EDITORS = frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE, Role.VILLAGE})


def permission_table() -> dict[str, frozenset[str]]:
    """Every action the apps declare (AppConfig.permissions) with the roles allowed to do it; an
    action declared by two apps is an error at start (CoreConfig.ready)."""
    return declared_table("permissions")


DEFAULT_HOME = "households:list"


def home_url_name(user) -> str:
    """Where a user lands after logging in (or on "/"): their role's first page, which the app that
    owns it declares (`home_pages = {Role.CASEWORKER: "casework:worklist"}` on its AppConfig), or
    the registry."""
    return declared_table("home_pages").get(getattr(user, "role", None), DEFAULT_HOME)


def can(user, action: str) -> bool:
    """Whether the user's role allows the action at all (scope is checked separately)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        roles = permission_table()[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}; declare it in its app's AppConfig.permissions") from None
    return user.role in roles


class PermissionDenied(DjangoPermissionDenied):
    """Raised by a service when the role does not allow an action."""

    def __init__(self, action: str):
        super().__init__(action)
        self.action = action


def require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)


def area_q(user, field: str = "region_code") -> Q | None:
    """The rows of the user's area by their region code `field`: a township office its township, a
    county its county, a village cadre or caseworker their village; every row for an administrator;
    None (nothing) for a user who is not logged in, inactive, or of no area."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN:
        return Q()
    if not user.region_id:
        return None
    return prefix_q(field, user.region_id)
