"""The needs' workflow: which action takes a need from which state to which. Who may do each
action is declared on NeedsConfig.permissions (need.<action>)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.needs.models import Status

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
    # The office may hand an assigned need to someone else, or plan a new measure for a reopened one.
    (Status.ASSIGNED, "assign"): Status.ASSIGNED,
    (Status.REOPENED, "assign"): Status.ASSIGNED,
    (Status.ASSIGNED, "resolve"): Status.RESOLVED,
    # The caseworker calls the household back: it confirms, or the need is open again.
    (Status.RESOLVED, "confirm"): Status.CONFIRMED,
    (Status.RESOLVED, "reopen"): Status.REOPENED,
}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def actions_from(state: str) -> list[str]:
    return [action for (source, action) in TRANSITIONS if source == state]
