"""Who may do what: the one table of actions per role. Where, is the scope's business (visible_to)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

from bangfu.accounts.models import Role

ALL = frozenset(Role.values)
OFFICE_UP = frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE})
EDITORS = frozenset({Role.ADMIN, Role.TOWNSHIP_OFFICE, Role.VILLAGE})

PERMISSIONS: dict[str, frozenset[str]] = {
    "household.view": ALL,
    "household.create": EDITORS,
    "household.change": EDITORS | {Role.CASEWORKER},
    "household.delete": OFFICE_UP,
    "household.assign": EDITORS,
    # Importing a sheet creates and changes households in bulk: the office and village cadres.
    "household.import": EDITORS,
    "household.history": ALL,
    # A caseworker calls their households, so may see a phone number in full (and it is recorded).
    "member.reveal_phone": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
    "member.reveal_id": OFFICE_UP,
    "region.add": EDITORS,
    "user.manage": frozenset({Role.ADMIN}),
    # Needs: a caseworker (or village cadre) records, reports and confirms; the township office
    # assigns and resolves, and may record (what it records is reported at once).
    "need.view": ALL,
    "need.create": OFFICE_UP | {Role.VILLAGE, Role.CASEWORKER},
    "need.report": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
    "need.assign": OFFICE_UP,
    "need.resolve": OFFICE_UP,
    "need.confirm": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
    "need.reopen": frozenset({Role.ADMIN, Role.VILLAGE, Role.CASEWORKER}),
    "need.settings": OFFICE_UP,
    "notification.view": ALL,
    # Casework: a contact is logged by whoever made it; campaigns and schedules are the office's.
    "contact.create": EDITORS | {Role.CASEWORKER},
    "contact.view": ALL,
    "campaign.view": ALL,
    "campaign.manage": OFFICE_UP,
    "schedule.manage": OFFICE_UP,
    "worklist.view": frozenset({Role.CASEWORKER}),
    "worklist.view_others": EDITORS | {Role.COUNTY},
    "assessment.view": ALL,
    # Supplies: the township office keeps the stock and plans hand-outs; the county and village look.
    "supplies.view": OFFICE_UP | {Role.COUNTY, Role.VILLAGE},
    "supplies.manage": OFFICE_UP,
    "stock.move": OFFICE_UP,
    "distribution.plan": OFFICE_UP,
    # Deliveries and errands: anyone asks for one for a household they see; the office and village
    # assign them; the caseworker it is assigned to (or the office, village) marks it done.
    "delivery.view": ALL,
    "delivery.create": EDITORS | {Role.CASEWORKER},
    "delivery.assign": EDITORS,
    "delivery.complete": EDITORS | {Role.CASEWORKER},
    # Emergencies: the township office or the county opens, extends and closes one; caseworkers
    # (and village cadres) do the daily checks and register returnees of their households.
    "emergency.view": ALL,
    "emergency.manage": OFFICE_UP | {Role.COUNTY},
    "check.submit": EDITORS | {Role.CASEWORKER},
    "returnee.register": EDITORS | {Role.CASEWORKER},
    "returnee.reveal_id": OFFICE_UP,
}


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
