"""How needs read on the pages: the steps of a timeline, the actions a user can take now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from bangfu.history.models import Action, Change
from bangfu.needs import workflow
from bangfu.needs.models import Category, Need, Status, Urgency


@dataclass
class Step:
    change: Change
    title: str
    status: str = ""
    status_label: str = ""
    note: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)


def _local(value: str) -> str:
    return timezone.localtime(dt.datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")


def deadline_text(deadline_at: dt.datetime) -> str:
    """A deadline at local midnight reads as 24:00 of the day before (the last day counts)."""
    local = timezone.localtime(deadline_at)
    if local.hour == 0 and local.minute == 0:
        return f"{(local - dt.timedelta(days=1)).strftime('%Y-%m-%d')} 24:00"
    return local.strftime("%Y-%m-%d %H:%M")


def timeline_entries(changes: list[Change]) -> list[Step]:
    steps = []
    for change in changes:
        after = change.after or {}
        if change.action == Action.CREATE:
            # A need that went to the office as it was recorded says so on its first step.
            step = Step(change, _("Recorded and reported") if after.get("status") == Status.REPORTED
                        else _("Recorded"), status=after.get("status", ""))
            step.facts = [
                (pgettext("need", "category"), str(Category(after["category"]).label)) if after.get("category") else None,
                (_("urgency"), str(Urgency(after["urgency"]).label)) if after.get("urgency") else None,
                (_("deadline"), deadline_text(dt.datetime.fromisoformat(after["deadline_at"])))
                if after.get("deadline_at") else None,
            ]
            step.note = after.get("description", "")
        elif "action" in after:
            step = Step(change, str(workflow.ACTIONS.get(after["action"], after["action"])), status=after.get("status", ""),
                        note=change.message)
            if after.get("owner"):
                step.facts.append((_("owner"), after["owner"]))
            if after.get("due_on"):
                step.facts.append((_("due date"), after["due_on"]))
            if after.get("deadline_at"):
                step.facts.append((_("new deadline"), deadline_text(dt.datetime.fromisoformat(after["deadline_at"]))))
        elif "escalated_at" in after:
            step = Step(change, _("Overdue: escalated to the township office"))
        else:
            step = Step(change, change.get_action_display(), note=change.message)
        step.facts = [f for f in step.facts if f]
        if step.status and change.action != Action.CREATE:
            step.status_label = str(Status(step.status).label)
        steps.append(step)
    return steps


@dataclass
class Act:
    action: str
    label: str
    primary: bool


def actions_for(user, need: Need) -> list[Act]:
    """The transitions this user may take on this need now (the form pages re-check both)."""
    return [
        Act(action, str(workflow.ACTIONS[action]), primary=action != "reopen")
        for action in workflow.actions_for(user, need)
    ]
