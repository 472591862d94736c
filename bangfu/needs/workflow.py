"""The needs' workflow: which action takes a need from which state to which. Who may do each
action is declared on NeedsConfig.permissions (need.<action>)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.core.permissions import OFFICE_UP, can
from bangfu.needs.models import Status
from bangfu.needs.plugins import resolve_checks

ACTIONS = {
    "report": _("Report"),
    "assign": _("Assign"),
    "resolve": _("Resolve"),
    "confirm": _("Confirm"),
    "reopen": _("Reopen"),
}

# (state, action) -> next state. Anything not here is refused (409 in the API).
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.RECORDED, "report"): Status.REPORTED,
    (Status.REPORTED, "assign"): Status.ASSIGNED,
    # An assigned need is resolved next (first, so its page offers that first); the office may also
    # hand it to someone else, or plan a new measure for a reopened one.
    (Status.ASSIGNED, "resolve"): Status.RESOLVED,
    (Status.ASSIGNED, "assign"): Status.ASSIGNED,
    (Status.REOPENED, "assign"): Status.ASSIGNED,
    # A need the caseworker kept to solve themselves (never reported) is resolved by them.
    (Status.RECORDED, "resolve"): Status.RESOLVED,
    # The caseworker calls the household back: it confirms, or the need is open again.
    (Status.RESOLVED, "confirm"): Status.CONFIRMED,
    (Status.RESOLVED, "reopen"): Status.REOPENED,
}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == state]


def may(user, need, action: str) -> bool:
    """Whether this user, by role and by their part in this need, may take the action now (the
    state aside). The office resolves any need it assigned; anyone else resolves only the measure
    assigned to them, or the need they recorded and kept to solve themselves."""
    if not can(user, f"need.{action}"):
        return False
    if action == "resolve" and user.role not in OFFICE_UP:
        if need.status == Status.RECORDED:
            return user.pk in (need.recorded_by_id, need.household.caseworker_id)
        return need.owner_id == user.pk
    if action == "resolve" and need.status == Status.RECORDED:
        return False  # the office resolves what was reported to it and assigned
    return True


def actions_for(user, need) -> list[str]:
    """The actions this user may take on this need in its current state. Resolving by hand is not
    offered while another app holds it (a delivery for the need under way: needs.plugins)."""
    found = [action for action in actions_from(need.status) if may(user, need, action)]
    if "resolve" in found:
        try:
            resolve_checks(need)
        except ValidationError:
            found.remove("resolve")
    return found
