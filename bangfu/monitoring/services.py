"""Every write to monitoring: a lead from each route, a department's drop checked row by row, the
identification steps on a clock, escalation of overdue steps, and a county's settings. Each checks
the role, the scope and the stage, writes in one transaction, and records history."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import bulk, crypto
from bangfu.core.codes import COUNTY_LENGTH, township_of
from bangfu.core.dates import local_today
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import Role, require
from bangfu.history.models import Action
from bangfu.history.services import areas_touch, changes_bulk_insert, record
from bangfu.households import choices as household_choices
from bangfu.households import identity
from bangfu.households.models import Household, HouseholdCategory, Member
from bangfu.households.services import household_monitoring_clear, household_monitoring_set
from bangfu.monitoring.models import (
    CLEARANCE_OPEN,
    OPEN_STAGES,
    Channel,
    Clearance,
    ClearanceStage,
    Department,
    DepartmentDrop,
    Kind,
    Lead,
    MeasureStatus,
    MonitoringSettings,
    Outcome,
    PlanMeasure,
    Source,
    Stage,
    Step,
)
from bangfu.needs.models import MeasureType
from bangfu.needs.queries import owner_choices
from bangfu.notify.services import message_enqueue
from bangfu.regions.models import Region


class StepNotAllowed(Exception):
    """A step the lead's current stage does not allow (or another user moved it first): a 409."""

    def __init__(self, *, action: str, stage: str):
        super().__init__(action, stage)
        self.action = action
        self.stage = stage
        self.message = _("This lead is at “%(stage)s” now: “%(action)s” cannot be taken.") % {
            "stage": Stage(stage).label, "action": str(ACTIONS[action]) if action in ACTIONS else action}


# --- settings ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    accept_days: int = 2
    verify_days: int = 3
    compare_days: int = 5
    total_days: int = 15
    medical_poor_fen: int = 500_000
    medical_other_fen: int = 2_000_000
    line_fen: int = 690_000
    stable_months: int = 6


def limits_for(region_code: str) -> Limits:
    """The deadlines and thresholds of the county holding `region_code` (the defaults without a row)."""
    row = MonitoringSettings.objects.filter(county_id=region_code[:COUNTY_LENGTH]).first()
    if row is None:
        return Limits()
    return Limits(row.accept_days, row.verify_days, row.compare_days, row.total_days, row.medical_poor_fen,
                  row.medical_other_fen, row.line_fen, row.stable_months)


@transaction.atomic
def settings_set(*, actor: User, county: Region, data: dict[str, int]) -> MonitoringSettings:
    """A county user (or an administrator) sets the county's deadlines and thresholds."""
    require(actor, "monitoring.settings")
    if actor.role != Role.ADMIN and actor.region_id != county.code:
        raise Http404("no such county")
    if data["total_days"] < data["accept_days"] + data["verify_days"] + data["compare_days"]:
        raise ValidationError({"total_days": _(
            "The whole identification cannot take less than accepting, verifying and comparing together.")})
    row = MonitoringSettings.objects.select_for_update().filter(county=county).first()
    before = None
    if row is None:
        row = MonitoringSettings(county=county)
    else:
        before = {name: getattr(row, name) for name in data}
    for name, value in data.items():
        setattr(row, name, value)
    row.updated_by, row.updated_at = actor, timezone.now()
    row.save()
    record(actor, Action.CREATE if before is None else Action.UPDATE, row, before=before,
           after={name: getattr(row, name) for name in data})
    return row


# --- deadlines -----------------------------------------------------------------------------------

def due_for(stage: str, *, start: dt.date, received_on: dt.date, limits: Limits) -> dt.date | None:
    """The last Shanghai calendar day a stage's step is in time: accepting within 2 days of the day
    received (received Monday: in time through Wednesday), verifying within 3 days of the day
    accepted, comparing within 5 of the day verified; the steps after, by the end of the whole
    identification (15 days from the day received)."""
    if stage == Stage.LEAD:
        return start + dt.timedelta(days=limits.accept_days)
    if stage == Stage.VERIFY:
        return start + dt.timedelta(days=limits.verify_days)
    if stage == Stage.COMPARE:
        return start + dt.timedelta(days=limits.compare_days)
    if stage in OPEN_STAGES:
        return received_on + dt.timedelta(days=limits.total_days)
    return None


def is_overdue(lead: Lead, today: dt.date | None = None) -> bool:
    return lead.is_open and lead.due_on is not None and (today or local_today()) > lead.due_on


def colour(lead: Lead, today: dt.date | None = None) -> str:
    """红 overdue, 黄 due today or tomorrow, 绿 otherwise (the board and the API)."""
    today = today or local_today()
    if not lead.is_open or lead.due_on is None:
        return ""
    if today > lead.due_on:
        return "red"
    if (lead.due_on - today).days <= 1:
        return "yellow"
    return "green"


# --- snapshot and the person ---------------------------------------------------------------------

def lead_snapshot(lead: Lead) -> dict[str, Any]:
    return {
        "source": lead.source, "channel": lead.channel, "department": lead.department, "kind": lead.kind,
        "indicator": lead.indicator, "value": lead.value, "name": lead.name, "stage": lead.stage,
        "due_on": lead.due_on.isoformat() if lead.due_on else None, "household": lead.household_id,
        "monitor_type": lead.monitor_type, "risks": list(lead.risks), "outcome": lead.outcome,
        "outcome_reason": lead.outcome_reason,
    }


def _member_of(id_hash: str, households=None) -> Member | None:
    if not id_hash:
        return None
    members = Member.objects.filter(id_hash=id_hash).select_related("household")
    if households is not None:
        members = members.filter(household__in=households)
    return members.first()


def is_monitored(household: Household) -> bool:
    return household.categories.filter(category=household_choices.Category.MONITORED).exists()


def _open_duplicate(id_hash: str, household_id: int | None, reason: str) -> Lead | None:
    """An open lead for the same person and reason (a department, or the indicator of another route)."""
    leads = Lead.objects.open()
    if id_hash:
        leads = leads.filter(id_hash=id_hash)
    elif household_id:
        leads = leads.filter(household_id=household_id)
    else:
        return None
    return leads.filter(department=reason).first() if reason in Department.values else \
        leads.filter(department="", indicator=reason).first()


@dataclass
class Person:
    """Who a lead is about: a registered member, or a name with an ID number to register."""

    name: str
    id_number: str = ""
    phone: str = ""
    member: Member | None = None


def _tell_village(lead: Lead, *, event: str) -> None:
    """The verification task goes to the village (its cadres), once per lead and stage."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Verify at home by %(due)s: %(name)s, %(indicator)s") % {
            "due": lead.due_on.isoformat() if lead.due_on else "", "name": lead.name, "indicator": lead.indicator}
    message_enqueue(kind="lead.verify", dedupe_key=f"lead-{event}:{lead.pk}:{lead.stage}", subject=subject,
                    body=lead.difficulty[:200], link=reverse("monitoring:detail", args=[lead.pk]),
                    role=Role.VILLAGE, region_code=lead.region_code)


def _tell_township(lead: Lead, *, event: str, subject: str) -> None:
    message_enqueue(kind=f"lead.{event}", dedupe_key=f"lead-{event}:{lead.pk}:{lead.stage}", subject=subject,
                    body=lead.difficulty[:200], link=reverse("monitoring:detail", args=[lead.pk]),
                    role=Role.TOWNSHIP_OFFICE, region_code=lead.region_code)


def _new_lead(*, actor: User | None, client_id, source: str, channel: str, village: Region, person: Person,
              indicator: str, value: str = "", threshold: str = "", difficulty: str = "", department: str = "",
              received_on: dt.date, need=None, drop: DepartmentDrop | None = None, drop_row: int | None = None,
              source_note: str = "", kind: str = Kind.NEW) -> Lead:
    """Write one lead (inside the caller's transaction): an application waits to be accepted, a
    cadre's or a department's goes to the village to verify at once; a person already monitored is
    closed as such, for the department to hear back."""
    limits = limits_for(village.code)
    member = person.member
    household = member.household if member is not None else None
    lead = Lead(
        client_id=client_id, source=source, channel=channel, department=department, kind=kind,
        indicator=indicator[:100], value=value[:100], threshold=threshold[:100], difficulty=difficulty,
        name=(member.name if member is not None else person.name)[:50], household=household, member=member,
        village=village, region_code=household.region_code if household is not None else village.code,
        need=need, drop=drop, drop_row=drop_row, source_note=source_note[:300], received_on=received_on,
        created_by=actor, created_at=timezone.now(), identify_by=received_on + dt.timedelta(days=limits.total_days),
    )
    if person.id_number:
        parsed = identity.parse_id_number(person.id_number)
        lead.id_number_encrypted, lead.id_hash, _tail = crypto.seal_id_number(parsed.full, parsed.base)
        lead.id_tail = parsed.base[-identity.ID_TAIL_SHOWN:]
    elif member is not None:
        lead.id_hash, lead.id_tail = member.id_hash, member.id_tail_reversed[:identity.ID_TAIL_SHOWN][::-1]
    if person.phone:
        lead.phone_encrypted, _hash, lead.phone_tail = crypto.seal_phone(person.phone)
    if kind == Kind.ALREADY_MONITORED:
        lead.stage, lead.outcome, lead.decided_on = Stage.ALREADY, Outcome.ALREADY, received_on
        lead.outcome_reason = _("Already a monitored household.")
        lead.due_on = None
    else:
        lead.stage = Stage.LEAD if source == Source.APPLICATION else Stage.VERIFY
        lead.due_on = due_for(lead.stage, start=received_on, received_on=received_on, limits=limits)
    lead.stage_since = received_on
    lead.save()
    record(actor, Action.CREATE, lead, message=str(Channel(channel).label))
    if lead.stage == Stage.VERIFY:
        _tell_village(lead, event="verify")
    elif lead.stage == Stage.LEAD:
        with translation.override(settings.LANGUAGE_CODE):
            _tell_township(lead, event="applied", subject=_("Application to accept by %(due)s: %(name)s") % {
                "due": lead.due_on.isoformat(), "name": lead.name})
    return lead


def _region_in_scope(actor: User, code: str) -> bool:
    return actor.role == Role.ADMIN or bool(actor.region_id) and code.startswith(actor.region_id)


@transaction.atomic
def lead_create(*, actor: User, client_id, source: str, channel: str, village: Region, name: str = "",
                id_number: str = "", phone: str = "", household: Household | None = None, indicator: str,
                value: str = "", difficulty: str = "", received_on: dt.date | None = None, need=None,
                source_note: str = "") -> tuple[Lead, bool]:
    """Staff record a lead: an application taken in person or by phone, or one a cadre found (from
    a contact, a need, a daily check or a 排查 campaign). The person is a registered household's
    member (found by ID number, or the household's head) or someone to register. A retry with the
    same client id stores it once; an open lead for the same person and indicator is refused."""
    require(actor, "lead.create")
    if channel not in Channel.values or source not in (Source.APPLICATION, Source.CADRE):
        raise ValidationError({"channel": _("Choose how the lead came.")})
    from bangfu.monitoring.models import CHANNELS_OF

    if channel not in CHANNELS_OF[Source(source)]:
        raise ValidationError({"channel": _("This channel does not go with this source.")})
    existing = Lead.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing, False
    visible = Household.objects.visible_to(actor)
    if household is None and village is None:
        raise ValidationError({"village": _("Choose the village.")})
    if household is not None:
        if not visible.filter(pk=household.pk).exists():
            raise Http404("no such household")
        village = household.region
    if not _region_in_scope(actor, village.code):
        raise ValidationError({"village": _("%(village)s is outside your area.") % {"village": village.name}})
    member = None
    if id_number:
        member = _member_of(identity_hash(id_number))
        if member is not None and household is not None and member.household_id != household.pk:
            raise ValidationError({"id_number": _("This ID number belongs to another household.")})
        if member is not None and not visible.filter(pk=member.household_id).exists():
            raise ValidationError({"id_number": _(
                "This person is registered in a household outside your area: tell its township office.")})
    elif household is not None:
        member = household.members.filter(relation=household_choices.Relation.HEAD).first() or \
            household.members.first()
    if member is None and not name:
        raise ValidationError({"name": _("Give the person's name.")})
    if member is None and not id_number:
        raise ValidationError({"id_number": _("Give the ID number of a person not registered yet.")})
    received_on = received_on or local_today()
    if received_on > local_today():
        raise ValidationError({"received_on": _("A lead cannot be received in the future.")})
    hashed = member.id_hash if member is not None else identity_hash(id_number)
    duplicate = _open_duplicate(hashed, member.household_id if member else None, indicator)
    if duplicate is not None:
        raise ValidationError({"indicator": _("An open lead for this person and reason exists already (lead %(id)s).")
                               % {"id": duplicate.pk}})
    kind = Kind.ALREADY_MONITORED if member is not None and is_monitored(member.household) else Kind.NEW

    def create() -> Lead:
        return _new_lead(actor=actor, client_id=client_id, source=source, channel=channel, village=village,
                         person=Person(name=name, id_number=id_number, phone=phone, member=member),
                         indicator=indicator, value=value, difficulty=difficulty, received_on=received_on,
                         need=need, source_note=source_note, kind=kind)

    return create_once(Lead, client_id=client_id, create=create)


def identity_hash(id_number: str) -> str:
    return crypto.keyed_hash(identity.parse_id_number(id_number).base)


@transaction.atomic
def lead_apply_public(*, township: Region, village: Region, name: str, id_number: str, phone: str,
                      difficulty: str) -> Lead | None:
    """A household applies through the township's public form (no login). Whatever happens, the
    caller answers the same thank-you page: nothing here tells anyone about a person. A repeated
    application while one is open for the same person is not stored twice (None)."""
    if township_of(village.code) != township.code:
        raise ValidationError({"village": _("Choose a village of this township.")})
    hashed = identity_hash(id_number)
    member = _member_of(hashed)
    if member is not None and township_of(member.household.region_code) != township.code:
        member = None  # registered in another township: the lead keeps the name and number given
    if Lead.objects.open().filter(id_hash=hashed, source=Source.APPLICATION).exists():
        return None
    kind = Kind.ALREADY_MONITORED if member is not None and is_monitored(member.household) else Kind.NEW
    if member is not None:
        village = member.household.region
    return _new_lead(actor=None, client_id=uuid.uuid4(), source=Source.APPLICATION, channel=Channel.QR,
                     village=village, person=Person(name=name, id_number=id_number, phone=phone, member=member),
                     indicator=str(_("Household applied")), difficulty=difficulty, received_on=local_today(),
                     kind=kind)


# --- department drops ----------------------------------------------------------------------------

@dataclass
class DropRow:
    row: int
    id_number: str
    name: str
    value: str  # the indicator's value as given (a medical cost in yuan, a reason)
    amount_fen: int | None = None


@dataclass
class DropError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)d, %(column)s: %(message)s") % {"row": self.row, "column": self.column,
                                                           "message": self.message}


def _chunks(items: list, size: int = 5000):
    for i in range(0, len(items), size):
        yield items[i:i + size]


@transaction.atomic
def drop_import(*, actor: User, department: str, rows: list[DropRow], file_name: str,
                received_on: dt.date | None = None) -> DepartmentDrop:
    """A department's list checked against the registry in the uploader's area: each row is a
    lead (a person over the department's threshold, or on its list), already monitored (a lead of
    that kind, closed), a duplicate of an open lead for the same person and department (no second
    lead), below the threshold, or a stranger (matching nobody in the area: reported by row).

    Set-based, for a county's monthly file of tens of thousands of rows: the persons, their
    households' categories and the open leads are read a chunk of ID numbers at a time, the leads
    and their history written in bulk (core.bulk), and each village told once of its new leads."""
    require(actor, "lead.import")
    if department not in Department.values:
        raise ValidationError({"department": _("Choose the department.")})
    scope = actor.region_id or ""
    received_on = received_on or local_today()
    visible = Household.objects.visible_to(actor)
    now = timezone.now()
    drop = DepartmentDrop.objects.create(department=department, region_code=scope, file_name=file_name[:200],
                                         received_on=received_on, uploaded_by=actor, uploaded_at=now,
                                         row_count=len(rows))
    label = str(Department(department).label)
    hashes = {r.row: identity_hash(r.id_number) for r in rows}
    wanted = list(set(hashes.values()))
    members: dict[str, dict[str, Any]] = {}
    open_hashes: set[str] = set()
    for chunk in _chunks(wanted):
        for m in Member.objects.filter(id_hash__in=chunk, household__in=visible).values(
                "id", "id_hash", "name", "id_tail_reversed", "household_id", "household__region_id",
                "household__region_code"):
            members[m["id_hash"]] = m
        open_hashes.update(Lead.objects.open().filter(id_hash__in=chunk, department=department)
                           .values_list("id_hash", flat=True))
    monitored: set[int] = set()
    poor: set[int] = set()
    for chunk in _chunks(list({m["household_id"] for m in members.values()})):
        for household_id, category in HouseholdCategory.objects.filter(
                household_id__in=chunk, category__in=(household_choices.Category.MONITORED,
                                                      household_choices.Category.REGISTERED_POOR)) \
                .values_list("household_id", "category"):
            (monitored if category == household_choices.Category.MONITORED else poor).add(household_id)
    limits_cache: dict[str, Limits] = {}
    seen: set[str] = set()
    report: list[dict[str, Any]] = []
    leads: list[Lead] = []
    entries: list[dict[str, Any]] = []
    stranger = _("Matches nobody registered in your area.")
    duplicate = _("An open lead for this person and department exists already.")
    already_text, new_text = str(Kind.ALREADY_MONITORED.label), str(Kind.NEW.label)
    already_reason = _("Already a monitored household.")
    for r in rows:
        hashed = hashes[r.row]
        entry: dict[str, Any] = {"row": r.row, "name": r.name, "id_tail": r.id_number[-2:], "value": r.value}
        report.append(entry)
        member = members.get(hashed)
        if member is None:
            entry.update(result="stranger", message=stranger)
            continue
        entry["name"] = member["name"]
        if hashed in open_hashes or hashed in seen:
            entry.update(result="duplicate", message=duplicate)
            continue
        household_id, region_code = member["household_id"], member["household__region_code"]
        county = region_code[:COUNTY_LENGTH]
        limits = limits_cache.get(county)
        if limits is None:
            limits = limits_cache[county] = limits_for(county)
        threshold = ""
        if department == Department.MEDICAL:
            line = limits.medical_poor_fen if household_id in poor else limits.medical_other_fen
            threshold = f"≥ {line / 100:.0f}"
            if r.amount_fen is None or r.amount_fen < line:
                entry.update(result="below", message=_("Below the threshold of %(yuan)s yuan.") % {
                    "yuan": f"{line / 100:.0f}"})
                continue
        seen.add(hashed)
        already = household_id in monitored
        lead = Lead(
            client_id=uuid.uuid4(), source=Source.DEPARTMENT, channel=Channel.DEPARTMENT, department=department,
            kind=Kind.ALREADY_MONITORED if already else Kind.NEW, indicator=label[:100], value=r.value[:100],
            threshold=threshold, name=member["name"][:50], household_id=household_id, member_id=member["id"],
            village_id=member["household__region_id"], region_code=region_code, drop=drop, drop_row=r.row,
            received_on=received_on, created_by=actor, created_at=now, stage_since=received_on,
            identify_by=received_on + dt.timedelta(days=limits.total_days), id_hash=hashed,
            id_tail=member["id_tail_reversed"][:identity.ID_TAIL_SHOWN][::-1])
        if already:
            lead.stage, lead.outcome, lead.decided_on = Stage.ALREADY, Outcome.ALREADY, received_on
            lead.outcome_reason, lead.due_on = already_reason, None
        else:
            lead.stage = Stage.VERIFY
            lead.due_on = due_for(Stage.VERIFY, start=received_on, received_on=received_on, limits=limits)
        leads.append(lead)
        entries.append(entry)
        entry.update(result="already" if already else "lead", message=already_text if already else new_text)
    bulk.insert(Lead, leads)
    for lead, entry in zip(leads, entries):
        entry["lead"] = lead.pk
    changes_bulk_insert(actor=actor, message=str(Channel.DEPARTMENT.label), rows=[
        (Action.CREATE, "lead", str(lead.pk), lead.name, lead.household_id, lead.region_code, None,
         lead_snapshot(lead)) for lead in leads])
    _tell_villages(drop, [lead for lead in leads if lead.stage == Stage.VERIFY])
    drop.rows = report
    drop.lead_count = len(leads)
    drop.save(update_fields=["rows", "lead_count"])
    record(actor, Action.CREATE, drop, after={"department": department, "rows": len(rows), "leads": len(leads)},
           region_code=scope)
    return drop


def _tell_villages(drop: DepartmentDrop, leads: list[Lead]) -> None:
    """Each village is told once of the leads a drop gave it to verify at home, by the first due day."""
    by_village: dict[str, list[Lead]] = {}
    for lead in leads:
        by_village.setdefault(lead.region_code, []).append(lead)
    with translation.override(settings.LANGUAGE_CODE):
        for region_code, mine in sorted(by_village.items()):
            due = min(lead.due_on for lead in mine)
            subject = _("Verify at home by %(due)s: %(count)s persons flagged by %(department)s") % {
                "due": due.isoformat(), "count": len(mine), "department": Department(drop.department).label}
            link = reverse("monitoring:detail", args=[mine[0].pk]) if len(mine) == 1 else \
                reverse("monitoring:board") + f"?village={region_code}"
            message_enqueue(kind="lead.verify", dedupe_key=f"drop-verify:{drop.pk}:{region_code}", subject=subject,
                            body="、".join(lead.name for lead in mine[:20])[:200], link=link, role=Role.VILLAGE,
                            region_code=region_code)


# --- identification steps ------------------------------------------------------------------------

ACTIONS = {
    "accept": _("Accept"), "verify": _("Record the home verification"), "compare": _("Record the comparison"),
    "deliberate": _("Record the deliberation"), "publicize": _("Record the public notice"),
    "review": _("Township review"), "decide": _("County decision"), "exclude": _("Not included"),
}
# Where each step may be taken from, and where it leads.
STEPS = {
    "accept": (Stage.LEAD, Stage.VERIFY),
    "verify": (Stage.VERIFY, Stage.COMPARE),
    "compare": (Stage.COMPARE, Stage.DELIBERATE),
    "deliberate": (Stage.DELIBERATE, Stage.PUBLICIZE),
    "publicize": (Stage.PUBLICIZE, Stage.REVIEW),
    "review": (Stage.REVIEW, Stage.DECIDE),
    "decide": (Stage.DECIDE, Stage.MONITORED),
}


def allowed_actions(lead: Lead, user) -> list[str]:
    """The steps the lead's stage allows and the user's role may take (the page's buttons)."""
    from bangfu.core.permissions import can

    names = [name for name, (start, _end) in STEPS.items() if start == lead.stage]
    if lead.is_open:
        names.append("exclude")
    return [name for name in names if can(user, f"lead.{name}")]


def _link_household(lead: Lead) -> None:
    """A person registered since the lead came in is found again by ID number."""
    if lead.household_id is None and lead.id_hash:
        member = _member_of(lead.id_hash)
        if member is not None and township_of(member.household.region_code) == township_of(lead.region_code):
            lead.household, lead.member = member.household, member
            lead.region_code = member.household.region_code


def income_per_person(household: Household) -> int | None:
    """Net income per person (fen per year) from the household's income fields and its members."""
    net = household.net_income
    people = household.members.count()
    if net is None or not people:
        return None
    return net // people


def _check(action: str, lead: Lead, data: dict[str, Any]) -> dict[str, Any]:
    """What a step must carry (after role, scope and stage): the fields' errors, or the record."""
    errors: dict[str, str] = {}
    kept: dict[str, Any] = {}
    today = local_today()
    if action == "verify":
        cadres = [n for n in (data.get("cadres") or []) if n]
        if len(set(cadres)) < 2:
            errors["cadres"] = _("Name at least two cadres who visited.")
        if not (data.get("findings") or "").strip():
            errors["findings"] = _("Say what the visit found.")
        if lead.household is None:
            errors["household"] = _("Register the household first (the ID number links it to this lead).")
        kept = {"cadres": cadres, "findings": (data.get("findings") or "").strip()}
    elif action == "compare":
        if not (data.get("answers") or "").strip():
            errors["answers"] = _("Record what the departments answered (vehicles, housing, public employment...).")
        kept = {"answers": (data.get("answers") or "").strip()}
    elif action == "deliberate":
        if data.get("meeting_on") is None:
            errors["meeting_on"] = _("Give the date of the meeting.")
        elif data["meeting_on"] > today:
            errors["meeting_on"] = _("The meeting cannot be in the future.")
        if not data.get("attendance"):
            errors["attendance"] = _("Give how many attended.")
        if data.get("agreed") not in (True, False):
            errors["agreed"] = _("Say what the meeting decided.")
        kept = {"meeting_on": data.get("meeting_on").isoformat() if data.get("meeting_on") else None,
                "attendance": data.get("attendance"), "agreed": data.get("agreed"),
                "note": (data.get("note") or "").strip()}
    elif action == "publicize":
        start, end = data.get("notice_start"), data.get("notice_end")
        errors.update(_notice_errors(start, end, today))
        kept = {"notice_start": start.isoformat() if start else None, "notice_end": end.isoformat() if end else None,
                "objections": (data.get("objections") or "").strip()}
    elif action in ("review", "decide"):
        if data.get("agreed") not in (True, False):
            errors["agreed"] = _("Say whether the household is included.")
        elif data["agreed"] is False and not (data.get("reason") or "").strip():
            errors["reason"] = _("Say why it is not included.")
        if action == "decide" and data.get("agreed"):
            if data.get("monitor_type") not in household_choices.MonitorType.values:
                errors["monitor_type"] = _("Choose the monitoring type.")
            risks = data.get("risks") or []
            if not risks or any(r not in household_choices.Risk.values for r in risks):
                errors["risks"] = _("Choose the risks.")
        kept = {"agreed": data.get("agreed"), "reason": (data.get("reason") or "").strip()}
    elif action == "exclude":
        if not (data.get("reason") or "").strip():
            errors["reason"] = _("Say why it is not included.")
        kept = {"reason": (data.get("reason") or "").strip()}
    if errors:
        raise ValidationError(errors)
    return kept


@transaction.atomic
def lead_step(*, lead: Lead, actor: User, action: str, data: dict[str, Any] | None = None) -> Lead:
    """Take one identification step: role (403), scope (404), stage (409), what the step carries
    (422), then a compare-and-set update on (stage, version), the step's record, history, and the
    next one told (the village verifies; the township compares and reviews; the county decides).
    A step taken moves the deadline to the next stage's; a refused deliberation, review or decision
    ends the lead as not included, with its reason."""
    data = dict(data or {})
    if action not in ACTIONS:
        raise ValidationError({"action": _("Unknown step.")})
    require(actor, f"lead.{action}")
    current = Lead.objects.visible_to(actor).select_for_update().filter(pk=lead.pk).first()
    if current is None:
        raise Http404("no such lead")
    if action == "exclude":
        if not current.is_open:
            raise StepNotAllowed(action=action, stage=current.stage)
        target = Stage.NOT_INCLUDED
    else:
        start, target = STEPS[action]
        if current.stage != start:
            raise StepNotAllowed(action=action, stage=current.stage)
    _link_household(current)
    kept = _check(action, current, data)
    today = local_today()
    limits = limits_for(current.region_code)
    changes: dict[str, Any] = {}
    if action == "verify":
        current.income_per_person_fen = income_per_person(current.household)
        kept["income_per_person_fen"] = current.income_per_person_fen
        changes["income_per_person_fen"] = current.income_per_person_fen
    refused = (action in ("deliberate", "review", "decide") and kept.get("agreed") is False) or action == "exclude"
    if refused:
        target = Stage.NOT_INCLUDED
        changes.update(outcome=Outcome.NOT_ELIGIBLE, decided_on=today,
                       outcome_reason=(kept.get("reason") or kept.get("note") or
                                       str(_("Not agreed at the village deliberation")))[:300])
    elif action == "decide":
        changes.update(outcome=Outcome.INCLUDED, decided_on=today, monitor_type=data["monitor_type"],
                       risks=list(data["risks"]))
    in_time = current.due_on is None or today <= current.due_on
    due = due_for(target, start=today, received_on=current.received_on, limits=limits)
    if target not in (Stage.LEAD, Stage.VERIFY, Stage.COMPARE) and due is not None:
        due = current.identify_by
    before = lead_snapshot(current)
    updated = Lead.objects.filter(pk=current.pk, stage=current.stage, version=current.version).update(
        stage=target, stage_since=today, due_on=due, version=F("version") + 1, household=current.household,
        member=current.member, region_code=current.region_code, **changes)
    if not updated:
        raise StepNotAllowed(action=action, stage=Lead.objects.get(pk=current.pk).stage)
    Step.objects.create(lead=current, action=action, from_stage=current.stage, to_stage=target, data=kept,
                        taken_by=actor, taken_at=timezone.now(), taken_on=today, in_time=in_time)
    current.refresh_from_db()
    record(actor, Action.UPDATE, current, before=before, after=lead_snapshot(current) | {"action": action},
           message=_step_message(action, kept))
    if target == Stage.MONITORED:
        household_monitoring_set(actor=actor, household=current.household, monitor_type=current.monitor_type,
                                 risks=list(current.risks), permission="lead.decide")
    _tell_next(current)
    return current


def _step_message(action: str, kept: dict[str, Any]) -> str:
    parts = [str(ACTIONS[action])]
    for key in ("findings", "answers", "reason", "objections", "note"):
        if kept.get(key):
            parts.append(str(kept[key])[:200])
    if kept.get("cadres"):
        parts.append("、".join(kept["cadres"]))
    return ": ".join(parts[:1]) + (" " + " · ".join(parts[1:]) if parts[1:] else "")


def _tell_next(lead: Lead) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        names = {"name": lead.name, "stage": Stage(lead.stage).label}
        if lead.stage in (Stage.VERIFY, Stage.DELIBERATE, Stage.PUBLICIZE):
            _tell_village(lead, event="step")
        elif lead.stage in (Stage.COMPARE, Stage.REVIEW):
            _tell_township(lead, event="step", subject=_("%(stage)s: %(name)s") % names)
        elif lead.stage == Stage.DECIDE:
            message_enqueue(kind="lead.decide", dedupe_key=f"lead-step:{lead.pk}:{lead.stage}",
                            subject=_("%(stage)s: %(name)s") % names,
                            link=reverse("monitoring:detail", args=[lead.pk]), role=Role.COUNTY,
                            region_code=lead.region_code)


# --- escalation ----------------------------------------------------------------------------------

def leads_escalate(*, today: dt.date | None = None) -> int:
    """Each open lead past its step's due date is marked escalated for that stage and its township
    office told (the county too for the county's own step), once: the mark is set by a
    compare-and-set update and the message has a dedupe key, so running this twice, or two at
    once, escalates a step once. Returns how many it escalated."""
    today = today or local_today()
    count = 0
    candidates = Lead.objects.open().filter(due_on__lt=today).exclude(escalated_stage=F("stage"))
    for lead in candidates.order_by("due_on", "pk").iterator():
        with transaction.atomic():
            if not Lead.objects.filter(pk=lead.pk, stage=lead.stage, version=lead.version).exclude(
                    escalated_stage=lead.stage).update(escalated_stage=lead.stage):
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Overdue since %(due)s: %(stage)s, %(name)s") % {
                    "due": lead.due_on.isoformat(), "stage": Stage(lead.stage).label, "name": lead.name}
            message_enqueue(kind="lead.overdue", dedupe_key=f"lead-overdue:{lead.pk}:{lead.stage}", subject=subject,
                            link=reverse("monitoring:detail", args=[lead.pk]),
                            role=Role.COUNTY if lead.stage == Stage.DECIDE else Role.TOWNSHIP_OFFICE,
                            region_code=lead.region_code)
            areas_touch([lead.region_code])  # the board's colours and the lead's page
            count += 1
    return count


# --- the plan per household (一户一策) -------------------------------------------------------------

# The national 帮扶措施 a plan holds (the needs' measure types, less supplies and errands).
PLAN_TYPES = tuple(t for t in MeasureType.values if t not in (MeasureType.SUPPLIES, MeasureType.ERRAND))


def _monitored_household(actor: User, household: Household) -> Household:
    current = Household.objects.visible_to(actor).filter(pk=household.pk).first()
    if current is None:
        raise Http404("no such household")
    return current


def measure_snapshot(measure: PlanMeasure) -> dict[str, Any]:
    return {"type": measure.type, "content": measure.content, "owner": measure.owner_id,
            "due_on": measure.due_on.isoformat(), "status": measure.status,
            "done_on": measure.done_on.isoformat() if measure.done_on else None}


@transaction.atomic
def measure_create(*, actor: User, household: Household, client_id, type: str, content: str, owner: User,
                   due_on: dt.date) -> tuple[PlanMeasure, bool]:
    """A measure added to a monitored household's plan; a retry with the same client id stores it once."""
    require(actor, "plan.edit")
    existing = PlanMeasure.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing, False
    current = _monitored_household(actor, household)
    errors: dict[str, str] = {}
    if not is_monitored(current):
        errors["household"] = _("Only a monitored household has a plan.")
    if type not in PLAN_TYPES:
        errors["type"] = _("Choose the measure.")
    if not (content or "").strip():
        errors["content"] = _("Say what will be done.")
    if owner is None or not owner_choices(current.region_code).filter(pk=owner.pk).exists():
        errors["owner"] = _("Choose an owner working in this household's area.")
    if due_on is None:
        errors["due_on"] = _("Give the due date.")
    if errors:
        raise ValidationError(errors)

    def create() -> PlanMeasure:
        measure = PlanMeasure.objects.create(
            client_id=client_id, household=current, region_code=current.region_code, type=type,
            content=content.strip()[:500], owner=owner, due_on=due_on, planned_on=local_today(),
            created_by=actor, created_at=timezone.now())
        record(actor, Action.CREATE, measure, after=measure_snapshot(measure))
        return measure

    measure, created = create_once(PlanMeasure, client_id=client_id, create=create)
    if created:
        from bangfu.monitoring.rules import flags_refresh_household

        flags_refresh_household(current.pk)
    return measure, created


@transaction.atomic
def measure_status_set(*, actor: User, measure: PlanMeasure, status: str, version: int | None = None) -> PlanMeasure:
    """A measure under way or done (the day kept); a stale version is a conflict (409)."""
    require(actor, "plan.edit")
    current = PlanMeasure.objects.visible_to(actor).select_for_update().filter(pk=measure.pk).first()
    if current is None:
        raise Http404("no such measure")
    if status not in MeasureStatus.values:
        raise ValidationError({"status": _("Choose the status.")})
    if version is not None and version != current.version:
        raise StepNotAllowed(action="measure", stage=ClearanceStage.VERIFY)
    before = measure_snapshot(current)
    current.status = status
    current.done_on = local_today() if status == MeasureStatus.DONE else None
    current.version += 1
    current.save(update_fields=["status", "done_on", "version"])
    record(actor, Action.UPDATE, current, before=before, after=measure_snapshot(current))
    from bangfu.monitoring.rules import flags_refresh_household

    flags_refresh_household(current.household_id)
    return current


# --- risk clearance (风险消除) ----------------------------------------------------------------------

class ClearanceRefused(Exception):
    """The rules say no: each reason in plain words (a 422 naming them)."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons)
        self.reasons = reasons
        self.message = _("The risk cannot be cleared: %(reasons)s") % {"reasons": "；".join(reasons)}


class ClearanceStepNotAllowed(Exception):
    def __init__(self, *, action: str, stage: str):
        super().__init__(action, stage)
        self.action = action
        self.stage = stage
        self.message = _("This clearance is at “%(stage)s” now: “%(action)s” cannot be taken.") % {
            "stage": ClearanceStage(stage).label, "action": str(CLEARANCE_ACTIONS.get(action, action))}


CLEARANCE_ACTIONS = {
    "verify": _("Record the home verification"), "publicize": _("Record the deliberation and notice"),
    "review": _("Township review"), "decide": _("County decision"),
}
CLEARANCE_STEPS = {
    "verify": (ClearanceStage.VERIFY, ClearanceStage.PUBLICIZE),
    "publicize": (ClearanceStage.PUBLICIZE, ClearanceStage.REVIEW),
    "review": (ClearanceStage.REVIEW, ClearanceStage.DECIDE),
    "decide": (ClearanceStage.DECIDE, ClearanceStage.CLEARED),
}


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def clearance_refusals(household: Household, *, stable_since: dt.date | None = None,
                       today: dt.date | None = None) -> list[str]:
    """Why the rules refuse clearing this household's risk now (empty: they allow it): income per
    person not above the county's line, or not for the set months (once the verification says since
    when); housing, medical insurance, compulsory schooling or drinking water not secured; nobody
    able to work (such a household stays monitored after social-assistance cover)."""
    today = today or local_today()
    limits = limits_for(household.region_code)
    reasons: list[str] = []
    members = list(household.members.all())
    per_person = income_per_person(household)
    if per_person is None:
        reasons.append(_("The household's income is not recorded."))
    elif per_person <= limits.line_fen:
        reasons.append(_("Income per person of %(income)s yuan is not above the monitoring line of %(line)s yuan.")
                       % {"income": f"{per_person / 100:,.0f}", "line": f"{limits.line_fen / 100:,.0f}"})
    if stable_since is not None and _add_months(stable_since, limits.stable_months) > today:
        reasons.append(_("Income has stood above the line only since %(since)s, less than %(months)s months.")
                       % {"since": stable_since.isoformat(), "months": limits.stable_months})
    if household.dilapidated:
        reasons.append(_("Housing is not safe (dilapidated)."))
    if household.safe_water is not True:
        reasons.append(_("Drinking water is not secured."))
    uninsured = [m.name for m in members if m.medical_insured is False]
    if uninsured:
        reasons.append(_("Basic medical insurance is not secured for %(names)s.") % {"names": "、".join(uninsured)})
    school_age = (today.replace(year=today.year - 16), today.replace(year=today.year - 6))
    out_of_school = [m.name for m in members if school_age[0] < m.birth_date <= school_age[1] and not m.school_status]
    if out_of_school:
        reasons.append(_("Compulsory schooling is not secured for %(names)s.") % {"names": "、".join(out_of_school)})
    if not any(m.labor_skill in (household_choices.LaborSkill.ORDINARY, household_choices.LaborSkill.SKILLED,
                                 household_choices.LaborSkill.WEAK) for m in members):
        reasons.append(_("Nobody in the household is able to work: it stays monitored after social-assistance "
                         "cover."))
    return reasons


def clearance_snapshot(clearance: Clearance) -> dict[str, Any]:
    return {"method": clearance.method, "stage": clearance.stage, "household": clearance.household_id,
            "stable_since": clearance.stable_since.isoformat() if clearance.stable_since else None,
            "income_per_person_fen": clearance.income_per_person_fen, "outcome_reason": clearance.outcome_reason,
            "decided_on": clearance.decided_on.isoformat() if clearance.decided_on else None}


@transaction.atomic
def clearance_start(*, actor: User, household: Household, client_id, method: str) -> tuple[Clearance, bool]:
    """The village proposes clearing a monitored household's risk (帮扶消除 or 自然消除): refused with
    the reasons when the rules say no; one open clearance per household; a retry stores it once."""
    require(actor, "clearance.verify")
    existing = Clearance.objects.filter(client_id=client_id).first()
    if existing is not None:
        return existing, False
    current = _monitored_household(actor, household)
    if method not in household_choices.RiskEliminationMethod.values:
        raise ValidationError({"method": _("Choose how the risk was eliminated.")})
    if not is_monitored(current):
        raise ValidationError({"household": _("Only a monitored household's risk is cleared.")})
    if Clearance.objects.filter(household=current, stage__in=CLEARANCE_OPEN).exists():
        raise ValidationError({"household": _("A clearance of this household is under way already.")})
    reasons = clearance_refusals(current)
    if reasons:
        raise ClearanceRefused(reasons)
    lead = Lead.objects.filter(household=current, stage=Stage.MONITORED).order_by("-decided_on", "-pk").first()

    def create() -> Clearance:
        clearance = Clearance.objects.create(
            client_id=client_id, household=current, lead=lead, region_code=current.region_code, method=method,
            proposed_on=local_today(), created_by=actor, created_at=timezone.now())
        record(actor, Action.CREATE, clearance, after=clearance_snapshot(clearance),
               message=str(household_choices.RiskEliminationMethod(method).label))
        return clearance

    return create_once(Clearance, client_id=client_id, create=create)


def allowed_clearance_actions(clearance: Clearance, user) -> list[str]:
    from bangfu.core.permissions import can

    return [name for name, (start, _end) in CLEARANCE_STEPS.items()
            if start == clearance.stage and can(user, f"clearance.{name}")]


def _clearance_check(action: str, data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    today = local_today()
    kept: dict[str, Any] = {}
    if action == "verify":
        cadres = [n for n in (data.get("cadres") or []) if n]
        if len(set(cadres)) < 2:
            errors["cadres"] = _("Name at least two cadres who visited.")
        if not (data.get("findings") or "").strip():
            errors["findings"] = _("Say what the visit found.")
        since = data.get("stable_since")
        if since is None:
            errors["stable_since"] = _("Give the month income first stood above the line.")
        elif since > today:
            errors["stable_since"] = _("This date cannot be in the future.")
        kept = {"cadres": cadres, "findings": (data.get("findings") or "").strip(),
                "stable_since": since.isoformat() if since else None}
    elif action == "publicize":
        start, end = data.get("notice_start"), data.get("notice_end")
        if data.get("meeting_on") is None:
            errors["meeting_on"] = _("Give the date of the meeting.")
        elif data["meeting_on"] > today:
            errors["meeting_on"] = _("The meeting cannot be in the future.")
        errors.update(_notice_errors(start, end, today))
        kept = {"meeting_on": data["meeting_on"].isoformat() if data.get("meeting_on") else None,
                "notice_start": start.isoformat() if start else None, "notice_end": end.isoformat() if end else None,
                "objections": (data.get("objections") or "").strip()}
    else:
        if data.get("agreed") not in (True, False):
            errors["agreed"] = _("Say whether the risk is cleared.")
        elif data["agreed"] is False and not (data.get("reason") or "").strip():
            errors["reason"] = _("Say why the risk is not cleared.")
        kept = {"agreed": data.get("agreed"), "reason": (data.get("reason") or "").strip()}
    if errors:
        raise ValidationError(errors)
    return kept


@transaction.atomic
def clearance_step(*, clearance: Clearance, actor: User, action: str, data: dict[str, Any] | None = None) -> Clearance:
    """One clearance step: the village verifies (and says since when income stands above the line)
    and records the deliberation and notice, the township reviews, the county decides. Role (403),
    scope (404), stage (409), the step's fields (422), the rules again at the verification and the
    decision (422 with the reasons); a township or county saying no ends it as not cleared. On
    clearance the household leaves the monitored category (households services)."""
    data = dict(data or {})
    if action not in CLEARANCE_ACTIONS:
        raise ValidationError({"action": _("Unknown step.")})
    require(actor, f"clearance.{action}")
    current = Clearance.objects.visible_to(actor).select_for_update().filter(pk=clearance.pk).first()
    if current is None:
        raise Http404("no such clearance")
    start, target = CLEARANCE_STEPS[action]
    if current.stage != start:
        raise ClearanceStepNotAllowed(action=action, stage=current.stage)
    kept = _clearance_check(action, data)
    household = Household.objects.get(pk=current.household_id)
    before = clearance_snapshot(current)
    today = local_today()
    if action == "verify":
        current.stable_since = data["stable_since"]
        current.income_per_person_fen = income_per_person(household)
    if action in ("verify", "decide") and kept.get("agreed") is not False:
        reasons = clearance_refusals(household, stable_since=current.stable_since)
        if reasons:
            raise ClearanceRefused(reasons)
    if kept.get("agreed") is False:
        target = ClearanceStage.REFUSED
        current.outcome_reason, current.decided_on = kept["reason"][:300], today
    elif target == ClearanceStage.CLEARED:
        current.decided_on = today
    current.stage = target
    current.steps = [*current.steps, {"action": action, "by": actor.pk, "by_name": actor.get_full_name() or
                                      actor.username, "on": today.isoformat(), "data": kept}]
    current.version += 1
    current.save()
    record(actor, Action.UPDATE, current, before=before, after=clearance_snapshot(current),
           message=str(CLEARANCE_ACTIONS[action]) + (f": {kept['reason']}" if kept.get("reason") else ""))
    if target == ClearanceStage.CLEARED:
        household_monitoring_clear(actor=actor, household=household, method=current.method, cleared_on=today,
                                   permission="clearance.decide")
        from bangfu.monitoring.rules import flags_refresh_household

        flags_refresh_household(household.pk)
    return current


def _notice_errors(start: dt.date | None, end: dt.date | None, today: dt.date) -> dict[str, str]:
    """A village notice (公示) recorded after it ended: both days given, in order, the last one past."""
    errors = {}
    if start is None:
        errors["notice_start"] = _("Give the first day of the notice.")
    if end is None:
        errors["notice_end"] = _("Give the last day of the notice.")
    elif start is not None and end < start:
        errors["notice_end"] = _("The notice ends after it starts.")
    elif end >= today:
        errors["notice_end"] = _("Record the notice after its last day.")
    return errors
