"""Who may do what: the one table of actions per role. Where, is the scope's business (visible_to)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from bangfu.accounts.models import Role

ALL = frozenset(Role.values)
# Everyone who works on casework. A village volunteer is not: they see their village's daily checks
# and record them, nothing of the registry, needs, supplies or deliveries.
STAFF = ALL - {Role.VOLUNTEER}
OFFICE_UP = frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE})
EDITORS = frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE, Role.VILLAGE})

PERMISSIONS: dict[str, frozenset[str]] = {
    "household.view": STAFF,
    "household.create": EDITORS,
    "household.change": EDITORS | {Role.CASEWORKER},
    "household.delete": OFFICE_UP,
    "household.assign": EDITORS,
    # Importing a sheet creates and changes households in bulk: the office and village cadres.
    "household.import": EDITORS,
    "household.history": STAFF,
    # A caseworker calls their households, so may see a phone number in full (and it is recorded).
    "member.reveal_phone": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
    "member.reveal_id": OFFICE_UP,
    "region.add": EDITORS,
    "user.manage": frozenset({Role.ADMIN}),
    # Needs: a caseworker (or village cadre) records, reports and confirms; the township office
    # assigns and resolves, and may record (what it records is reported at once).
    "need.view": STAFF,
    "need.create": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
    "need.report": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
    "need.assign": OFFICE_UP,
    "need.resolve": OFFICE_UP,
    "need.confirm": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
    "need.reopen": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
    "need.settings": OFFICE_UP,
    "notification.view": STAFF,
    # Casework: a contact is logged by whoever made it; campaigns and schedules are the office's.
    "contact.create": EDITORS | {Role.CASEWORKER},
    "contact.view": STAFF,
    "campaign.view": STAFF,
    "campaign.manage": OFFICE_UP,
    "schedule.manage": OFFICE_UP,
    "worklist.view": frozenset({Role.CASEWORKER}),
    "worklist.view_others": EDITORS | {Role.COUNTY},
    "assessment.view": STAFF,
    # Supplies: the township office keeps the stock and plans hand-outs; the county and village look.
    "supplies.view": OFFICE_UP | {Role.COUNTY, Role.VILLAGE},
    "supplies.manage": OFFICE_UP,
    "stock.move": OFFICE_UP,
    "distribution.plan": OFFICE_UP,
    # Deliveries and errands: anyone asks for one for a household they see; the office and village
    # assign them; the caseworker it is assigned to (or the office, village) marks it done.
    "delivery.view": STAFF,
    "delivery.create": EDITORS | {Role.CASEWORKER},
    "delivery.assign": EDITORS,
    "delivery.complete": EDITORS | {Role.CASEWORKER},
    # A failed delivery tried again: by whoever may assign it, or the caseworker it failed with.
    "delivery.reopen": EDITORS | {Role.CASEWORKER},
    # Emergencies: the township office or the county opens, extends and closes one; caseworkers
    # (and village cadres) do the daily checks and register returnees of their households.
    "emergency.view": STAFF,
    "emergency.manage": OFFICE_UP | {Role.COUNTY},
    # The daily-check list and form: a village volunteer's whole job.
    "check.view": ALL,
    # A menu entry of its own only for those whose whole work is the checks; staff reach the board
    # from the emergency and the caseworker's day.
    "check.menu": frozenset({Role.VOLUNTEER}),
    "check.submit": EDITORS | {Role.CASEWORKER, Role.VOLUNTEER},
    "returnee.register": EDITORS | {Role.CASEWORKER},
    "returnee.reveal_id": OFFICE_UP,
}


def home_url_name(user) -> str:
    """Where a user lands after logging in: the registry, or for a volunteer the daily checks."""
    if getattr(user, "role", None) == Role.VOLUNTEER:
        return "emergencies:checks"
    return "households:list"


def can(user, action: str) -> bool:
    """Whether the user's role allows the action at all (scope is checked separately)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    try:
        roles = PERMISSIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}; add it to PERMISSIONS") from None
    return user.role in roles


class PermissionDenied(DjangoPermissionDenied):
    """Raised by a service when the role does not allow an action."""

    def __init__(self, action: str):
        super().__init__(action)
        self.action = action


def require(user, action: str) -> None:
    if not can(user, action):
        raise PermissionDenied(action)
