"""Every write to needs: record, the five transitions, deadlines and their settings, escalation of
overdue needs, and the summary rows. Each checks the role, the scope and the state, writes in one
transaction, and records history."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core.codes import township_of
from bangfu.core.dates import SHANGHAI, local_today
from bangfu.core.idempotency import create_once, replayed
from bangfu.core.permissions import PermissionDenied, Role, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households.models import Household
from bangfu.needs import workflow
from bangfu.needs.models import OPEN, Category, DeadlineSettings, Measure, MeasureType, Need, Status, Summary, Urgency
from bangfu.needs.plugins import resolve_checks
from bangfu.notify.models import Event
from bangfu.notify.services import channel_event_publish, message_enqueue
from bangfu.regions.models import Region

DEFAULT_URGENT_HOURS = 24
DEFAULT_NORMAL_DAYS = 7


class TransitionNotAllowed(Exception):
    """An action the need's current state does not allow (or another user moved it first)."""

    def __init__(self, *, action: str, status: str):
        super().__init__(action, status)
        self.action = action
        self.status = status
        self.message = _("This need is “%(status)s” now: it cannot be given “%(action)s”.") % {
            "status": Status(status).label, "action": workflow.ACTIONS[action],
        }


# --- deadlines ---------------------------------------------------------------------------------

def deadline_settings(township_code: str) -> tuple[int, int]:
    """(urgent hours, normal days) of a township."""
    row = DeadlineSettings.objects.filter(township_id=township_of(township_code)).first()
    if row is None:
        return DEFAULT_URGENT_HOURS, DEFAULT_NORMAL_DAYS
    return row.urgent_hours, row.normal_days


def deadline_compute(*, urgency: str, start: dt.datetime, urgent_hours: int, normal_days: int) -> dt.datetime:
    """When a need becomes overdue. Urgent: `urgent_hours` after it was recorded. Normal: at the end
    of the `normal_days`-th Shanghai calendar day after the day it was recorded (recorded on Monday
    with 7 days: due by the end of next Monday, 24:00 Beijing time)."""
    if urgency == Urgency.URGENT:
        return (start + dt.timedelta(hours=urgent_hours)).astimezone(dt.UTC)
    day = local_today(start) + dt.timedelta(days=normal_days + 1)
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=SHANGHAI).astimezone(dt.UTC)


def _deadline_for(need_region: str, urgency: str, start: dt.datetime) -> dt.datetime:
    hours, days = deadline_settings(need_region)
    return deadline_compute(urgency=urgency, start=start, urgent_hours=hours, normal_days=days)


@transaction.atomic
def deadline_settings_set(*, township: Region, urgent_hours: int, normal_days: int, actor: User) -> DeadlineSettings:
    """A township's deadlines for needs recorded from now on (needs already recorded keep theirs)."""
    require(actor, "need.settings")
    if actor.role != Role.ADMIN and actor.scope != township.code:
        raise Http404("no such township")
    if not 1 <= urgent_hours <= 720:
        raise ValidationError({"urgent_hours": _("Between 1 and 720 hours.")})
    if not 1 <= normal_days <= 90:
        raise ValidationError({"normal_days": _("Between 1 and 90 days.")})
    before = dict(zip(("urgent_hours", "normal_days"), deadline_settings(township.code), strict=True))
    row, _created = DeadlineSettings.objects.update_or_create(
        township=township,
        defaults={"urgent_hours": urgent_hours, "normal_days": normal_days, "updated_by": actor,
                  "updated_at": timezone.now()},
    )
    after = {"urgent_hours": urgent_hours, "normal_days": normal_days}
    if before != after:
        row.township = township  # names the row in history without reading it again
        record(actor, Action.UPDATE, row, before=before, after=after)
    return row


# --- history -----------------------------------------------------------------------------------

def need_snapshot(need: Need) -> dict[str, Any]:
    return {
        "status": need.status, "category": need.category, "urgency": need.urgency,
        "description": need.description, "deadline_at": need.deadline_at.isoformat(),
        # The owner's name: history is read long after, and without a lookup.
        "owner": str(need.owner) if need.owner_id else None, "due_on": need.due_on.isoformat() if need.due_on else None,
    }


def _summary_after_commit(need: Need) -> None:
    region_code, category = need.region_code, need.category
    transaction.on_commit(lambda: summary_refresh(region_code=region_code, category=category))


# --- record ------------------------------------------------------------------------------------

def _in_scope(actor: User, household: Household) -> bool:
    return Household.objects.visible_to(actor).filter(pk=household.pk).exists()


@transaction.atomic
def need_create(
    *,
    household: Household,
    category: str,
    description: str,
    urgency: str = Urgency.NORMAL,
    client_id: uuid.UUID | str,
    actor: User,
    contact=None,
    recorded_at: dt.datetime | None = None,
    permission: str = "need.create",
    report: bool | None = None,
    replay_checked: bool = True,
) -> tuple[Need, bool]:
    """Record a need, once per client id: (need, created).

    Where it goes: a need recorded by anyone but the household's caseworker (the office, a village
    cadre, a volunteer at a daily check) goes to the office at once (reported), and the caseworker
    is told. The caseworker's own need is reported at once when `report` is true (a need heard on
    their call, saved with the call), and otherwise waits with them (`report` false: they solve it
    themselves, or report it later). `report` true also sends another recorder's need up at once,
    whoever they are (a need raised by a daily check); the office's is always reported.

    `recorded_at`: when the need was heard, if earlier than now (written on paper during a visit,
    typed in later); its deadline counts from then.

    `replay_checked`: the client id came with a submission, and a retry of it with another body is
    refused (`ReplayMismatch`). False for an id derived from another piece of work to make it happen
    once (a fever's need, once per person per day), whose later description may differ.

    `permission`: the action that allows this need; a need raised by another piece of work (a fever
    at a daily check, which a village volunteer may record) names that work's permission."""
    require(actor, permission)
    if not _in_scope(actor, household):
        raise Http404("no such household")
    payload = {"household": household, "category": category, "description": description, "urgency": urgency,
               "contact": contact, "recorded_at": recorded_at, "report": report} if replay_checked else None
    earlier = replayed(Need, client_id=client_id, payload=payload) if payload is not None else None
    if earlier is not None:  # a retry: answered before its fields are checked again
        return earlier, False
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Say what the household needs.")})

    now = timezone.now()
    if recorded_at is not None and recorded_at > now:
        raise ValidationError({"recorded_at": _("A need cannot be recorded in the future.")})

    by_caseworker = household.caseworker_id == actor.pk
    if actor.role in (Role.TOWNSHIP_OFFICE, Role.ADMIN):
        reported = True
    elif report is None:
        reported = not by_caseworker
    else:
        reported = report

    def create() -> Need:
        heard = recorded_at or now
        need = Need.objects.create(
            client_id=client_id, household=household, region_code=household.region_code,
            category=category, description=description, urgency=urgency,
            status=Status.REPORTED if reported else Status.RECORDED,
            deadline_at=_deadline_for(household.region_code, urgency, heard),
            recorded_by=actor, recorded_at=heard, reported_at=now if reported else None,
            **({"contact": contact} if contact is not None else {}),
        )
        record(actor, Action.CREATE, need)
        _summary_after_commit(need)
        if reported:
            _tell_office(need, event="reported")
        if household.caseworker_id and not by_caseworker:
            with translation.override(settings.LANGUAGE_CODE):
                _tell(need, user=household.caseworker, kind="need.raised", event="raised",
                      subject=_("A need was raised for your household: %(household)s, %(category)s"),
                      body=_("Recorded by %(actor)s and reported to the township office: %(description)s") % {
                          "actor": actor, "description": need.description[:200]})
        return need

    return create_once(Need, client_id=client_id, create=create, payload=payload)


# --- who is told -------------------------------------------------------------------------------

def _names(need: Need) -> dict[str, str]:
    return {"household": need.household.head_name or need.household.number,
            "category": need.get_category_display()}


def _tell(need: Need, *, user: User, kind: str, event: str, subject: str, body: str) -> None:
    """One message to one person about a step of a need, once per step (its version)."""
    message_enqueue(
        kind=kind, dedupe_key=f"need-{event}:{need.pk}:{need.version}:{user.pk}",
        subject=subject % _names(need), body=body, link=reverse("needs:detail", args=[need.pk]), user=user,
    )


def _tell_office(need: Need, *, event: str) -> None:
    """The township office acts next (a need reported to it, or open again): its message, once
    per step, in the deployment's language whatever the language of whoever took the step."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = (_("Need to assign: %(household)s, %(category)s") if event == "reported"
                   else _("Open again, to assign: %(household)s, %(category)s")) % _names(need)
        if need.urgency == Urgency.URGENT:
            subject = _("Urgent: %(subject)s") % {"subject": subject}
    message_enqueue(
        kind=f"need.{event}", dedupe_key=f"need-{event}:{need.pk}:{need.version}",
        subject=subject, body=need.description[:200], link=reverse("needs:detail", args=[need.pk]),
        role=Role.TOWNSHIP_OFFICE, region_code=need.region_code,
    )


# --- transitions -------------------------------------------------------------------------------

def _transition(*, need: Need, actor: User, action: str, changes: dict[str, Any], message: str = "",
                check=None) -> Need:
    """The one way a need changes state: role (403), scope (404), state (409), then a
    compare-and-set update on (status, version), so two concurrent transitions cannot both apply."""
    require(actor, f"need.{action}")
    current = Need.objects.visible_to(actor).select_for_update().filter(pk=need.pk).first()
    if current is None:
        raise Http404("no such need")
    target = workflow.next_state(current.status, action)
    if target is None:
        raise TransitionNotAllowed(action=action, status=current.status)
    if check is not None:
        check(current)
    updated = Need.objects.filter(pk=current.pk, status=current.status, version=current.version).update(
        status=target, version=F("version") + 1, **changes,
    )
    if not updated:  # moved by someone else between our read and our write
        fresh = Need.objects.get(pk=current.pk)
        raise TransitionNotAllowed(action=action, status=fresh.status)
    before = need_snapshot(current)
    current.refresh_from_db()
    record(actor, Action.UPDATE, current, before=before, after=need_snapshot(current) | {"action": action},
           message=message)
    _summary_after_commit(current)
    return current


@transaction.atomic
def need_report(*, need: Need, actor: User, note: str = "") -> Need:
    """The caseworker passes the need to the township office, which is told."""
    current = _transition(need=need, actor=actor, action="report", changes={"reported_at": timezone.now()},
                          message=note.strip())
    _tell_office(current, event="reported")
    return current


def _check_owner(owner: User, need: Need) -> None:
    township = township_of(need.region_code)
    in_township = bool(owner.region_id) and (
        need.region_code.startswith(owner.region_id) or owner.region_id.startswith(township)
    )
    if not owner.is_active or owner.role in (Role.ADMIN, Role.COUNTY) or not in_township:
        raise ValidationError({"owner": _("%(name)s does not work in this township.") % {"name": owner}})
    # The owner opens the need from their day and resolves it: they must see its household.
    if not _in_scope(owner, need.household):
        raise ValidationError({"owner": _("%(name)s cannot see this household; choose someone who can.") % {
            "name": owner}})


@transaction.atomic
def need_assign(*, need: Need, actor: User, measure_type: str | None, plan: str, owner: User | None,
                due_on: dt.date | None) -> Need:
    """The office plans a measure, names who carries it out and by when."""
    plan = (plan or "").strip()

    def check(current: Need) -> None:
        # After role, scope and state: a refused step is refused for that reason first.
        errors = {}
        if measure_type not in MeasureType.values:
            errors["measure_type"] = _("Choose a measure.")
        if not plan:
            errors["plan"] = _("Say what will be done.")
        if due_on is None:
            errors["due_on"] = _("Give a due date.")
        elif due_on < local_today():
            errors["due_on"] = _("The due date cannot be in the past.")
        if owner is None:
            errors["owner"] = _("Choose who carries it out.")
        if errors:
            raise ValidationError(errors)
        _check_owner(owner, current)

    current = _transition(
        need=need, actor=actor, action="assign", changes={"owner": owner, "due_on": due_on},
        message=f"{MeasureType(measure_type).label}: {plan}" if measure_type in MeasureType.values else plan,
        check=check,
    )
    Measure.objects.filter(need=current, done_at__isnull=True).delete()  # a new plan replaces an open one
    Measure.objects.create(need=current, type=measure_type, plan=plan, owner=owner, due_on=due_on,
                           assigned_by=actor, assigned_at=timezone.now())
    if owner.pk != actor.pk:
        with translation.override(settings.LANGUAGE_CODE):
            _tell(current, user=owner, kind="need.assigned", event="assigned",
                  subject=_("Assigned to you: %(household)s, %(category)s"),
                  body=_("%(measure)s: %(plan)s. Due %(due)s.") % {
                      "measure": MeasureType(measure_type).label, "plan": plan[:200], "due": due_on.isoformat()})
    return current


@transaction.atomic
def needs_assign(*, needs: list[Need], actor: User, measure_type: str, plan: str, owner: User,
                 due_on: dt.date) -> int:
    """The same measure for several needs at once: all are assigned, or none."""
    for need in needs:
        need_assign(need=need, actor=actor, measure_type=measure_type, plan=plan, owner=owner, due_on=due_on)
    return len(needs)


@transaction.atomic
def need_resolve(*, need: Need, actor: User, result: str, cost_fen: int | None = None) -> Need:
    """The office records what was done (and what it cost), closing the need."""
    result = (result or "").strip()

    def check(current: Need) -> None:
        if not workflow.may(actor, current, "resolve"):
            raise PermissionDenied("need.resolve")
        if not result:
            raise ValidationError({"result": _("Say what was done.")})
        if cost_fen is not None and cost_fen < 0:
            raise ValidationError({"cost_fen": _("The cost cannot be negative.")})
        # A need whose delivery is under way resolves when it is delivered (need_resolve_by_delivery).
        resolve_checks(current)

    now = timezone.now()
    message = result if cost_fen is None else f"{result} (¥{cost_fen / 100:.2f})"
    current = _transition(need=need, actor=actor, action="resolve", changes={"resolved_at": now}, message=message,
                          check=check)
    Measure.objects.filter(need=current, done_at__isnull=True).update(
        result=result, cost_fen=cost_fen, done_at=now, done_by=actor,
    )
    _tell_resolved(current, result, actor)
    return current


def _tell_resolved(need: Need, result: str, actor: User) -> None:
    """The caseworker calls the household back: tell them (once per resolution), unless they
    resolved it themselves."""
    caseworker = need.household.caseworker or need.recorded_by
    if caseworker.pk == actor.pk:
        return
    with translation.override(settings.LANGUAGE_CODE):
        _tell(need, user=caseworker, kind="need.resolved", event="resolved",
              subject=_("Resolved, call back: %(household)s, %(category)s"), body=result[:200])


# The kinds of need a delivery answers, and the measure a delivery counts as.
DELIVERY_MEASURES = {
    Category.LIVING_SUPPLIES: MeasureType.SUPPLIES,
    Category.EPIDEMIC_SUPPLIES: MeasureType.SUPPLIES,
    Category.ERRAND: MeasureType.ERRAND,
}


@transaction.atomic
def need_resolve_by_delivery(*, need: Need, actor: User, result: str, errand: bool = False) -> Need | None:
    """A delivery made for the need was delivered: the need is resolved, from whichever open state
    it was in, with what was delivered as what was done. Called by the deliveries' service inside
    its transaction; the office (or the need's owner) chose the delivery when it linked it, so the
    one who delivers it needs no permission on needs. A need no longer open (resolved by hand in
    the meantime) is left as it is: None."""
    current = Need.objects.select_for_update().filter(pk=need.pk).first()
    if current is None or current.status not in OPEN:
        return None
    now = timezone.now()
    updated = Need.objects.filter(pk=current.pk, status=current.status, version=current.version).update(
        status=Status.RESOLVED, version=F("version") + 1, resolved_at=now,
    )
    if not updated:  # moved by someone else between our read and our write
        return None
    before = need_snapshot(current)
    open_measures = Measure.objects.filter(need=current, done_at__isnull=True)
    if not open_measures.update(result=result, done_at=now, done_by=actor):
        measure_type = MeasureType.ERRAND if errand else DELIVERY_MEASURES.get(current.category, MeasureType.SUPPLIES)
        Measure.objects.create(need=current, type=measure_type, plan=result[:500], owner=current.owner or actor,
                               due_on=local_today(), assigned_by=actor, assigned_at=now, result=result,
                               done_at=now, done_by=actor)
    current.refresh_from_db()
    record(actor, Action.UPDATE, current, before=before, after=need_snapshot(current) | {"action": "resolve"},
           message=result)
    _summary_after_commit(current)
    _tell_resolved(current, result, actor)
    return current


@transaction.atomic
def need_confirm(*, need: Need, actor: User, note: str = "") -> Need:
    """The caseworker called back and the household confirms the need is met."""
    return _transition(need=need, actor=actor, action="confirm", changes={"confirmed_at": timezone.now()},
                       message=note.strip())


@transaction.atomic
def need_reopen(*, need: Need, actor: User, reason: str) -> Need:
    """The household says the need is not met: it is open again, with a new deadline from now (and
    escalates again if that one passes too)."""
    reason = (reason or "").strip()

    def check(_current: Need) -> None:
        if not reason:
            raise ValidationError({"reason": _("Say why the need is not met.")})

    deadline = _deadline_for(need.region_code, need.urgency, timezone.now())
    current = _transition(need=need, actor=actor, action="reopen",
                          changes={"resolved_at": None, "deadline_at": deadline, "escalated_at": None},
                          message=reason, check=check)
    _tell_office(current, event="reopened")
    return current


TRANSITION_SERVICES = {
    "report": need_report, "assign": need_assign, "resolve": need_resolve,
    "confirm": need_confirm, "reopen": need_reopen,
}


# --- escalation --------------------------------------------------------------------------------

def overdue_dedupe_key(need: Need) -> str:
    return f"need-overdue:{need.pk}:{need.deadline_at.isoformat()}"


def needs_escalate(*, now: dt.datetime | None = None) -> int:
    """Escalate each open need past its deadline to its township office, once: `escalated_at` is
    set by a compare-and-set update, so however often (and however many at once) this runs, one
    run escalates a need and enqueues one message. Returns how many it escalated."""
    now = now or timezone.now()
    candidates = list(
        Need.objects.filter(status__in=OPEN, deadline_at__lte=now, escalated_at__isnull=True)
        .select_related("household__region").order_by("deadline_at", "pk")
    )
    escalated = 0
    for need in candidates:
        with transaction.atomic():
            won = Need.objects.filter(
                pk=need.pk, escalated_at__isnull=True, status__in=OPEN, deadline_at__lte=now,
            ).update(escalated_at=now)
            if not won:
                continue
            need.escalated_at = now
            local_deadline = timezone.localtime(need.deadline_at, SHANGHAI)
            message_enqueue(
                kind="need.overdue",
                dedupe_key=overdue_dedupe_key(need),
                subject=_("Overdue need: %(household)s, %(category)s") % {
                    "household": need.household.head_name or need.household.number,
                    "category": need.get_category_display(),
                },
                body=_("Due %(deadline)s, still “%(status)s”: %(description)s") % {
                    "deadline": local_deadline.strftime("%Y-%m-%d %H:%M"), "status": need.get_status_display(),
                    "description": need.description[:200],
                },
                link=reverse("needs:detail", args=[need.pk]),
                role=Role.TOWNSHIP_OFFICE,
                region_code=township_of(need.region_code),
            )
            record(None, Action.UPDATE, need, before={"escalated_at": None},
                   after={"escalated_at": now.isoformat()}, message=_("Overdue: escalated to the township office"))
            # To the work groups (servers outside the government's): the village and household
            # number, never a name; the app has the rest.
            channel_event_publish(region=need.region_code, event=Event.NEED_OVERDUE, once=overdue_dedupe_key(need),
                                  now=now, lines=[_("%(household)s, %(category)s: due %(deadline)s, still “%(status)s”")
                                                  % {"household": f"{need.household.region.name} {need.household.number}",
                                                     "category": need.get_category_display(),
                                                     "deadline": local_deadline.strftime("%m-%d %H:%M"),
                                                     "status": need.get_status_display()}])
            escalated += 1
    if escalated:
        summary_refresh(now=now)
    return escalated


# --- summary rows ------------------------------------------------------------------------------

def summary_refresh(*, region_code: str = "", category: str = "", now: dt.datetime | None = None) -> int:
    """Recount the summary rows of one village and category, or of all. Returns rows written."""
    now = now or timezone.now()
    needs = Need.objects.all()
    if region_code:
        needs = needs.filter(region_code=region_code)
    if category:
        needs = needs.filter(category=category)
    resolved = Q(status__in=(Status.RESOLVED, Status.CONFIRMED))
    counts = (
        needs.values("region_code", "category").order_by()
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=Q(status__in=OPEN, deadline_at__lte=now)),
            resolved=Count("pk", filter=resolved),
            resolved_in_time=Count("pk", filter=resolved & Q(resolved_at__lt=F("deadline_at"))),
        )
    )
    rows = [Summary(computed_at=now, **row) for row in counts]
    Summary.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["region_code", "category"],
        update_fields=["open", "overdue", "resolved", "resolved_in_time", "computed_at"],
    )
    # A village and category left with no need (its households moved away) counts nothing now.
    stale = Summary.objects.exclude(computed_at=now)
    if region_code:
        stale = stale.filter(region_code=region_code)
    if category:
        stale = stale.filter(category=category)
    stale.update(open=0, overdue=0, resolved=0, resolved_in_time=0, computed_at=now)
    return len(rows)


def households_moved(moves) -> None:
    """Needs follow a household to its new village (bangfu.households.moves): their region code,
    and the summary rows of the village it left and of the one it joined, recounted in the same
    transaction. A change of caseworker changes nothing here: a need's owner is set by the office."""
    moved = [move for move in moves if move.region_changed]
    if not moved:
        return
    ids = [move.household_id for move in moved]
    refresh = set(Need.objects.filter(household_id__in=ids).values_list("region_code", flat=True).distinct())
    if not refresh:
        return
    by_code: dict[str, list[int]] = {}
    for move in moved:
        by_code.setdefault(move.new_region_code, []).append(move.household_id)
    for new_code, household_ids in sorted(by_code.items()):
        if Need.objects.filter(household_id__in=household_ids).update(region_code=new_code):
            refresh.add(new_code)
    now = timezone.now()
    for region_code in sorted(refresh):
        summary_refresh(region_code=region_code, now=now)
