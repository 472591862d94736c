"""Every write to projects: create, the steps from application to handover (each with its role,
scope and state), the public notices, the ledger of allocations and payments, the county's
deadlines and the escalation of overdue projects. Each writes in one transaction and records history."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bangfu.accounts.models import User
from bangfu.core.codes import COUNTY_LENGTH, Level, level_of, township_of
from bangfu.core.dates import local_today
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import PermissionDenied, Role, can, require
from bangfu.core.plugins import declared
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.households.models import Household
from bangfu.notify.services import message_enqueue
from bangfu.projects.models import (
    CountyDeadlines,
    HandoverItem,
    LedgerEntry,
    LedgerKind,
    Notice,
    NoticeOutcome,
    Project,
    ProjectLevel,
    ProjectVillage,
    Source,
    Stage,
    Target,
)
from bangfu.regions.models import Region

DEFAULT_NOTICE_DAYS = 7
DEFAULT_STAGE_DAYS = 30
DEFAULT_START_BY = (8, 31)


@dataclass(frozen=True)
class Step:
    """A step from one stage to the next: who may take it (a permission action) and its name."""

    action: str
    permission: str
    before: Stage
    after: Stage
    label: Any
    county: bool = False  # taken by the county (a user whose area is a county) or an administrator


STEPS: dict[str, Step] = {step.action: step for step in (
    Step("publish", "project.publish", Stage.PROPOSED, Stage.VILLAGE_NOTICE, gettext_lazy("Post the village notice")),
    Step("review", "project.review", Stage.VILLAGE_NOTICE, Stage.TOWNSHIP_REVIEWED,
         gettext_lazy("Close the notice and pass the township review")),
    Step("approve", "project.approve", Stage.TOWNSHIP_REVIEWED, Stage.COUNTY_APPROVED,
         gettext_lazy("Approve into the library"), county=True),
    Step("issue", "project.issue", Stage.COUNTY_APPROVED, Stage.ISSUED, gettext_lazy("Issue the funds"), county=True),
    Step("start", "project.build", Stage.ISSUED, Stage.BUILDING, gettext_lazy("Start building")),
    Step("progress", "project.build", Stage.BUILDING, Stage.BUILDING, gettext_lazy("Record progress")),
    Step("self_check", "project.self_check", Stage.BUILDING, Stage.SELF_CHECKED,
         gettext_lazy("Self-check and post its notice")),
    Step("accept", "project.accept", Stage.SELF_CHECKED, Stage.TOWNSHIP_ACCEPTED,
         gettext_lazy("Close the notice and accept")),
    Step("spot_check", "project.spot_check", Stage.TOWNSHIP_ACCEPTED, Stage.COUNTY_CHECKED,
         gettext_lazy("County spot check"), county=True),
    Step("hand_over", "project.hand_over", Stage.COUNTY_CHECKED, Stage.HANDED_OVER, gettext_lazy("Hand over the assets")),
)}


class StepRefused(Exception):
    """A step the project's stage does not allow now (409), with the reason."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# --- settings ----------------------------------------------------------------------------------

def county_code_of(code: str) -> str:
    return code[:COUNTY_LENGTH]


def deadlines_of(code: str) -> dict[str, int]:
    row = CountyDeadlines.objects.filter(county_id=county_code_of(code)).first()
    if row is None:
        return {"notice_days": DEFAULT_NOTICE_DAYS, "stage_days": DEFAULT_STAGE_DAYS,
                "start_by_month": DEFAULT_START_BY[0], "start_by_day": DEFAULT_START_BY[1]}
    return {"notice_days": row.notice_days, "stage_days": row.stage_days,
            "start_by_month": row.start_by_month, "start_by_day": row.start_by_day}


@transaction.atomic
def deadlines_set(*, county: Region, notice_days: int, stage_days: int, start_by_month: int, start_by_day: int,
                  actor: User) -> CountyDeadlines:
    """A county's deadlines for its projects' stages from their next step on."""
    require(actor, "project.settings")
    if actor.role != Role.ADMIN and actor.region_id != county.code:
        raise Http404("no such county")
    try:
        dt.date(2024, start_by_month, start_by_day)
    except (TypeError, ValueError):
        raise ValidationError({"start_by_day": _("Not a day of that month.")}) from None
    before = deadlines_of(county.code)
    after = {"notice_days": notice_days, "stage_days": stage_days, "start_by_month": start_by_month,
             "start_by_day": start_by_day}
    row, _created = CountyDeadlines.objects.update_or_create(
        county=county, defaults={**after, "updated_by": actor, "updated_at": timezone.now()})
    if before != after:
        row.county = county
        record(actor, Action.UPDATE, row, before=before, after=after)
    return row


def notice_end(start: dt.date, days: int) -> dt.date:
    """The last day of a notice of `days` Shanghai calendar days from `start` (7 days from Monday:
    up to Sunday inclusive)."""
    return start + dt.timedelta(days=days - 1)


def stage_deadline(project: Project, stage: str, today: dt.date, *, notice: Notice | None = None) -> dt.date | None:
    """The last day of a stage: for funds issued, the county's start-by day (funds not started by then
    are withdrawn; a stage entered after it gets the usual days); after a notice, the usual days from
    its end; otherwise the usual days from today."""
    if stage == Stage.HANDED_OVER:
        return None
    settings_ = deadlines_of(project.region_code)
    days = dt.timedelta(days=settings_["stage_days"])
    if stage == Stage.ISSUED:
        start_by = dt.date(today.year, settings_["start_by_month"], settings_["start_by_day"])
        return start_by if start_by >= today else today + days
    if notice is not None:
        return notice.end + days
    return today + days


# --- history -----------------------------------------------------------------------------------

def project_snapshot(project: Project) -> dict[str, Any]:
    return {
        "name": project.name, "type": project.type, "level": project.level, "stage": project.stage,
        "budget_central": project.budget_central, "budget_province": project.budget_province,
        "budget_city": project.budget_city, "budget_county": project.budget_county,
        "budget_other": project.budget_other, "contractor": project.contractor,
        "started_on": project.started_on.isoformat() if project.started_on else None, "progress": project.progress,
        "deadline": project.deadline.isoformat() if project.deadline else None,
    }


# --- create ------------------------------------------------------------------------------------

LEVEL_OF_REGION = {Level.VILLAGE: ProjectLevel.VILLAGE, Level.TOWNSHIP: ProjectLevel.TOWNSHIP,
                   Level.COUNTY: ProjectLevel.COUNTY}


def _in_area(actor: User, code: str) -> bool:
    return actor.role == Role.ADMIN or bool(actor.region_id) and code.startswith(actor.region_id)


@transaction.atomic
def project_create(
    *, name: str, type: str, region: Region, villages: list[Region], budget: dict[str, int],
    meeting_date: dt.date, meeting_attendance: int, meeting_decision: str, client_id: uuid.UUID | str,
    actor: User, description: str = "", households: list[Household] = (), benefit_households: int = 0,
    benefit_persons: int = 0, benefit_note: str = "", targets: list[tuple[str, str]] = (),
) -> tuple[Project, bool]:
    """Apply for a project (申报) with the meeting that decided it, once per client id: (project, created).

    The region that applies (a village, a township or the county) must be in the actor's area, and
    so must each village it serves (of that region) and each household benefiting."""
    require(actor, "project.create")
    level = LEVEL_OF_REGION.get(level_of(region.code))
    if level is None:
        raise ValidationError({"region": _("A project is applied for by a village, a township or a county.")})
    if not _in_area(actor, region.code):
        raise ValidationError({"region": _("This region is outside your area.")})
    if not villages:
        raise ValidationError({"villages": _("Name at least one village the project serves.")})
    for village in villages:
        if level_of(village.code) != Level.VILLAGE or not village.code.startswith(region.code):
            raise ValidationError({"villages": _("%(name)s is not a village of %(region)s.") % {
                "name": village.name, "region": region.name}})
    visible = set(Household.objects.visible_to(actor).filter(pk__in=[h.pk for h in households])
                  .values_list("pk", flat=True))
    for household in households:
        if household.pk not in visible:
            raise ValidationError({"households": _("Household %(number)s is outside your area.") % {
                "number": household.number}})
    if any(amount < 0 for amount in budget.values()) or not sum(budget.values()):
        raise ValidationError({"budget_central": _("Give the budget of at least one funding source.")})
    benefit_households = max(benefit_households, len(households))

    def create() -> Project:
        today = local_today()
        project = Project.objects.create(
            client_id=client_id, name=name, type=type, level=level, region=region, region_code=region.code,
            description=description, **{f"budget_{source}": budget.get(source, 0) for source in Source.values},
            benefit_households=benefit_households, benefit_persons=benefit_persons, benefit_note=benefit_note,
            meeting_date=meeting_date, meeting_attendance=meeting_attendance, meeting_decision=meeting_decision,
            stage=Stage.PROPOSED, stage_since=today, created_by=actor, created_at=timezone.now(),
        )
        project.deadline = stage_deadline(project, Stage.PROPOSED, today)
        project.save(update_fields=["deadline"])
        ProjectVillage.objects.bulk_create(
            [ProjectVillage(project=project, region=v, region_code=v.code) for v in villages])
        project.households.set(households)
        Target.objects.bulk_create([Target(project=project, indicator=i, target=t) for i, t in targets])
        record(actor, Action.CREATE, project, message=_("Applied for"))
        return project

    return create_once(Project, client_id=client_id, create=create)


# --- steps -------------------------------------------------------------------------------------

def step_allowed_roles(step: Step, actor: User) -> bool:
    """Whether the actor's role may take the step: its permission, and for a county step a user
    whose area is a county (a 6-digit code)."""
    if not can(actor, step.permission):
        return False
    if step.county and actor.role != Role.ADMIN:
        return level_of(actor.region_id or "") == Level.COUNTY
    return True


def steps_open(project: Project, actor: User) -> list[Step]:
    """The steps the actor may take on the project now."""
    return [s for s in STEPS.values() if s.before == project.stage and step_allowed_roles(s, actor)]


def _open_notice(project: Project) -> Notice | None:
    return project.notices.filter(stage=project.stage, closed_at__isnull=True).order_by("-start").first()


def _close_notice(project: Project, data: dict, today: dt.date) -> Notice:
    notice = _open_notice(project)
    if notice is None:  # not reached: a notice stage always has its notice
        raise StepRefused(_("This stage has no open notice."))
    if today <= notice.end:
        raise StepRefused(_("The notice runs until %(end)s (%(days)s more days): it may be closed from %(next)s.") % {
            "end": notice.end.isoformat(), "days": (notice.end - today).days + 1,
            "next": (notice.end + dt.timedelta(days=1)).isoformat()})
    outcome = data.get("outcome") or ""
    if outcome not in NoticeOutcome.values:
        raise ValidationError({"outcome": _("Say how the notice ended.")})
    objections = (data.get("objections") or "").strip()
    if outcome != NoticeOutcome.NO_OBJECTION and not objections:
        raise ValidationError({"objections": _("Write down the objections raised.")})
    notice.outcome, notice.objections, notice.closed_at = outcome, objections, timezone.now()
    notice.save(update_fields=["outcome", "objections", "closed_at"])
    return notice


def _post_notice(project: Project, stage: str, data: dict, actor: User, today: dt.date) -> Notice:
    start = data.get("notice_start") or today
    days = data.get("notice_days") or deadlines_of(project.region_code)["notice_days"]
    place = (data.get("place") or "").strip()
    if not place:
        raise ValidationError({"place": _("Say where the notice is posted.")})
    return Notice.objects.create(project=project, stage=stage, start=start, end=notice_end(start, days), place=place,
                                 posted_by=actor)


@transaction.atomic
def project_step(*, project: Project, action: str, actor: User, data: dict | None = None,
                 version: int | None = None) -> Project:
    """Take a step: role (403), scope (404), stage (409 with the reason), then the step's own
    checks (422 on a field), one compare-and-set update, and history. `data` holds the step's
    fields as its form cleaned them."""
    data = data or {}
    step = STEPS.get(action)
    if step is None:
        raise ValidationError({"action": _("Unknown step.")})
    if not can(actor, step.permission):
        raise PermissionDenied(step.permission)
    current = Project.objects.visible_to(actor).select_for_update().filter(pk=project.pk).first()
    if current is None:
        raise Http404("no such project")
    if not step_allowed_roles(step, actor):
        raise PermissionDenied(step.permission)
    if current.stage != step.before:
        raise StepRefused(_("This project is at “%(stage)s”: “%(step)s” is taken at “%(before)s”.") % {
            "stage": current.get_stage_display(), "step": step.label, "before": step.before.label})
    if version is not None and version != current.version:
        raise StepRefused(_("Someone changed this project meanwhile: reload it and try again."))
    today = local_today()
    before = project_snapshot(current)
    changes: dict[str, Any] = {}
    after_stage = step.after
    notice = None
    message = str(step.label)
    if action == "publish":
        notice = _post_notice(current, Stage.VILLAGE_NOTICE, data, actor, today)
    elif action in ("review", "accept"):
        closed = _close_notice(current, data, today)
        if closed.outcome == NoticeOutcome.UPHELD:
            # The objections stand: back to be changed and posted again.
            after_stage = Stage.PROPOSED if action == "review" else Stage.BUILDING
            message = _("Objections upheld: back to “%(stage)s”") % {"stage": Stage(after_stage).label}
    elif action == "issue":
        day = data.get("day") or today
        for source in Source.values:
            amount = current.budget(source)
            if amount:
                LedgerEntry.objects.create(
                    client_id=uuid.uuid4(), project=current, kind=LedgerKind.ALLOCATION, source=source,
                    amount_fen=amount, day=day, note=(data.get("note") or "")[:300], recorded_by=actor,
                    recorded_at=timezone.now())
    elif action == "start":
        contractor = (data.get("contractor") or "").strip()
        if not contractor:
            raise ValidationError({"contractor": _("Name the contractor.")})
        if not data.get("started_on"):
            raise ValidationError({"started_on": _("Give the day building started.")})
        changes.update(contractor=contractor, started_on=data["started_on"], progress=data.get("progress") or 0)
    elif action == "progress":
        progress = data.get("progress")
        if progress is None:
            raise ValidationError({"progress": _("Give the progress in percent.")})
        if progress < current.progress:
            raise ValidationError({"progress": _("Progress was %(progress)s%% already.") % {"progress": current.progress}})
        changes["progress"] = progress
    elif action == "self_check":
        changes["progress"] = 100
        notice = _post_notice(current, Stage.SELF_CHECKED, data, actor, today)
        actuals = data.get("actuals") or {}
        targets = {t.indicator: t for t in current.targets.all()}
        unknown = [name for name in actuals if name not in targets]
        if unknown:
            raise ValidationError({"actuals": _("No target “%(indicator)s” in this project.") % {
                "indicator": unknown[0]}})
        for indicator, actual in actuals.items():
            Target.objects.filter(pk=targets[indicator].pk).update(actual=actual)
    elif action == "hand_over":
        items = data.get("items") or []
        if not items:
            raise ValidationError({"items": _("List what is handed over, to whom.")})
        handed = [HandoverItem.objects.create(project=current, handed_over_on=today, **item) for item in items]
        # Apps above declare what follows a handover (assets: the items become the register's assets).
        for hook in declared("project_handover_steps"):
            import_string(hook.function)(project=current, items=handed, actor=actor)
    if action != "progress":
        changes.update(stage=after_stage, stage_since=today, escalated_at=None,
                       deadline=stage_deadline(current, after_stage, today, notice=notice))
    changes["version"] = F("version") + 1
    won = Project.objects.filter(pk=current.pk, version=current.version, stage=current.stage).update(**changes)
    if not won:  # not reached under the row lock; kept for safety against a bypassing writer
        raise StepRefused(_("Someone changed this project meanwhile: reload it and try again."))
    current.refresh_from_db()
    after = project_snapshot(current)
    record(actor, Action.UPDATE, current, before={**before, "action": ""},
           after={**after, "action": action}, message=(data.get("note") or message)[:300])
    return current


# --- money -------------------------------------------------------------------------------------

def ledger_totals(project: Project) -> dict[str, dict[str, int]]:
    """Per source: allocated and paid, in fen."""
    totals = {source: {"allocated": 0, "paid": 0} for source in Source.values}
    for row in LedgerEntry.objects.filter(project=project).values("source", "kind").annotate(total=Sum("amount_fen")):
        totals[row["source"]]["allocated" if row["kind"] == LedgerKind.ALLOCATION else "paid"] = row["total"]
    return totals


def yuan(fen: int) -> str:
    return f"{fen / 100:,.2f}"


@transaction.atomic
def payment_create(*, project: Project, source: str, amount_fen: int, day: dt.date, payee: str,
                   client_id: uuid.UUID | str, actor: User, note: str = "") -> tuple[LedgerEntry, bool]:
    """Pay out of a project's allocated funds of one source (拨付), once per client id. Never above
    what remains of that source's allocation: the project's row is locked first, so two payments at
    once are counted one after the other."""
    require(actor, "project.pay")
    existing = LedgerEntry.objects.filter(client_id=client_id).first()
    if existing is not None:
        if existing.project_id != project.pk or not Project.objects.visible_to(actor).filter(pk=project.pk).exists():
            raise Http404("no such project")
        return existing, False
    current = Project.objects.visible_to(actor).select_for_update().filter(pk=project.pk).first()
    if current is None:
        raise Http404("no such project")
    if Stage.values.index(current.stage) < Stage.values.index(Stage.ISSUED):
        raise StepRefused(_("No funds are issued to this project yet: it is at “%(stage)s”.") % {
            "stage": current.get_stage_display()})
    if source not in Source.values:
        raise ValidationError({"source": _("Choose a funding source.")})
    if amount_fen <= 0:
        raise ValidationError({"amount": _("Enter an amount above zero.")})
    totals = ledger_totals(current)[source]
    remaining = totals["allocated"] - totals["paid"]
    if amount_fen > remaining:
        raise ValidationError({"amount": _("Only %(remaining)s yuan of the %(source)s funds remain (%(allocated)s "
                                           "allocated, %(paid)s paid).") % {
            "remaining": yuan(remaining), "source": Source(source).label, "allocated": yuan(totals["allocated"]),
            "paid": yuan(totals["paid"])}})

    def create() -> LedgerEntry:
        entry = LedgerEntry.objects.create(
            client_id=client_id, project=current, kind=LedgerKind.PAYMENT, source=source, amount_fen=amount_fen,
            day=day, payee=payee, note=note, recorded_by=actor, recorded_at=timezone.now())
        record(actor, Action.CREATE, entry, after={"kind": entry.kind, "source": source, "amount_fen": amount_fen,
                                                    "day": day.isoformat(), "payee": payee},
               message=_("Payment"))
        return entry

    return create_once(LedgerEntry, client_id=client_id, create=create)


# --- escalation --------------------------------------------------------------------------------

def overdue_dedupe_key(project: Project) -> str:
    return f"project-overdue:{project.pk}:{project.stage}:{project.deadline.isoformat()}"


def projects_escalate(*, today: dt.date | None = None) -> int:
    """Escalate each project past its stage's deadline, once per stage: `escalated_at` is set by a
    compare-and-set update (the next step clears it), so however often this runs, one message goes
    to the township office (the county, for a county's own project). Returns how many it escalated."""
    today = today or local_today()
    now = timezone.now()
    escalated = 0
    candidates = Project.objects.filter(deadline__lt=today, escalated_at__isnull=True).exclude(
        stage=Stage.HANDED_OVER).order_by("deadline", "pk")
    for project in candidates:
        with transaction.atomic():
            won = Project.objects.filter(pk=project.pk, escalated_at__isnull=True, stage=project.stage,
                                         deadline=project.deadline).update(escalated_at=now)
            if not won:
                continue
            township = level_of(project.region_code) in (Level.TOWNSHIP, Level.VILLAGE)
            withdrawn = project.stage == Stage.ISSUED
            message_enqueue(
                kind="project.overdue", dedupe_key=overdue_dedupe_key(project),
                subject=(_("Not started by %(date)s, funds may be withdrawn: %(name)s") if withdrawn
                         else _("Overdue project: %(name)s")) % {"name": project.name,
                                                                  "date": project.deadline.isoformat()},
                body=_("“%(stage)s” since %(since)s, due by %(deadline)s.") % {
                    "stage": project.get_stage_display(), "since": project.stage_since.isoformat(),
                    "deadline": project.deadline.isoformat()},
                link=reverse("projects:detail", args=[project.pk]),
                role=Role.TOWNSHIP_OFFICE if township else Role.COUNTY,
                region_code=township_of(project.region_code) if township else project.region_code,
            )
            record(None, Action.UPDATE, project, before={"escalated_at": None},
                   after={"escalated_at": now.isoformat()}, message=_("Overdue: escalated"))
            escalated += 1
    return escalated
