"""Every write of casework: contacts (with their assessment, the follow-ups they close and the summary
rows they keep current), schedules, due follow-ups, and campaigns. Permission, one transaction, history."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.casework.models import (
    CONDITIONS,
    TRIES_BEFORE_VISIT,
    Assessment,
    AssessmentTally,
    Campaign,
    CampaignKind,
    CampaignStatus,
    Channel,
    Contact,
    CoverageTally,
    FollowUp,
    FollowUpKind,
    FollowUpStatus,
    HouseholdCase,
    Schedule,
)
from bangfu.core import bounds
from bangfu.core.codes import ancestors, parent_of, prefix_q, village_of
from bangfu.core.dates import local_today
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import require
from bangfu.history.models import Action
from bangfu.history.services import areas_touch, record
from bangfu.households import choices as household_choices
from bangfu.households.models import Household, HouseholdCategory
from bangfu.households.services import region_in_scope
from bangfu.regions.models import Region

Category = household_choices.Category

# The defaults of the township's practice, until the office changes them: a monthly home visit for a
# registered-poor household, every two weeks for a monitored one, a weekly call for special groups.
DEFAULT_SCHEDULES: dict[str, tuple[int, str]] = {
    Category.REGISTERED_POOR: (30, Channel.VISIT),
    Category.MONITORED: (14, Channel.VISIT),
    **{category: (7, Channel.PHONE) for category in household_choices.SPECIAL_GROUPS},
}
# Regular follow-ups are made this many days before they fall due.
GENERATE_DAYS_AHEAD = 7
# Households whose casework has ended get no follow-ups.
CLOSED_STATUSES = (household_choices.Status.CLOSED,)
# A contact may be logged a little after the fact, never in the future.
CLOCK_SKEW = dt.timedelta(minutes=10)


# --- schedules ---------------------------------------------------------------------------------

def schedules_current() -> dict[str, tuple[int, str]]:
    """category -> (every so many days, channel): the office's rows over the defaults."""
    current = dict(DEFAULT_SCHEDULES)
    for row in Schedule.objects.all():
        current[row.category] = (row.interval_days, row.channel)
    return current


@transaction.atomic
def schedule_set(*, actor: User, category: str, interval_days: int | None, channel: str = "") -> Schedule | None:
    """Set how often households of a category are contacted; None for no regular contact (a row of 0)."""
    require(actor, "schedule.manage")
    if category not in Category.values:
        raise ValidationError({"category": _("Unknown category.")})
    if interval_days is not None and not 1 <= interval_days <= 366:
        raise ValidationError({"interval_days": _("Enter a number of days between 1 and 366.")})
    if channel and channel not in Channel.values:
        raise ValidationError({"channel": _("Unknown channel.")})
    row = Schedule.objects.select_for_update().filter(category=category).first()
    default = DEFAULT_SCHEDULES.get(category, (0, Channel.PHONE))
    before = {"interval_days": row.interval_days, "channel": row.channel} if row else \
        {"interval_days": default[0], "channel": default[1]}
    row = row or Schedule(category=category)
    row.interval_days = interval_days or 0
    row.channel = channel or before["channel"]
    row.updated_by = actor
    row.save()
    record(actor, Action.UPDATE, row, before=before, after={"interval_days": row.interval_days, "channel": row.channel},
           region_code=actor.scope)
    return row


def _rule_for(categories: Iterable[str], schedules: dict[str, tuple[int, str]]) -> tuple[int, str] | None:
    """The most frequent schedule among a household's categories (a visit wins a tie)."""
    rules = [schedules[c] for c in categories if c in schedules and schedules[c][0] > 0]
    if not rules:
        return None
    return min(rules, key=lambda rule: (rule[0], rule[1] != Channel.VISIT))


def _priority(categories: Iterable[str]) -> int:
    return 0 if any(c in household_choices.SPECIAL_GROUPS for c in categories) else 1


# --- due follow-ups (the scheduled job) ----------------------------------------------------------

@transaction.atomic
def followups_generate(*, day: dt.date | None = None, days_ahead: int = GENERATE_DAYS_AHEAD,
                       region_code: str = "", batch: int = 2000) -> dict[str, int]:
    """Make the regular follow-ups falling due up to `days_ahead` days from `day`; an open one left
    for a whole period is marked missed and replaced by one due on `day`. Idempotent: running it
    again on the same day creates nothing new. Returns {"created": n, "missed": n}."""
    day = day or local_today()
    horizon = day + dt.timedelta(days=days_ahead)
    schedules = schedules_current()
    households = Household.objects.exclude(status__in=CLOSED_STATUSES)
    if region_code:
        households = households.filter(prefix_q("region_code", region_code))
    created = missed = 0
    last_pk = 0
    while True:
        chunk = list(households.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "region_code", "caseworker_id")[:batch])
        if not chunk:
            break
        last_pk = chunk[-1][0]
        ids = [row[0] for row in chunk]
        categories: dict[int, list[str]] = {}
        for household_id, category in HouseholdCategory.objects.filter(household_id__in=ids).values_list(
                "household_id", "category"):
            categories.setdefault(household_id, []).append(category)
        reached = dict(HouseholdCase.objects.filter(household_id__in=ids).values_list("household_id", "last_reached_on"))
        open_rows = {row.household_id: row for row in FollowUp.objects.filter(
            household_id__in=ids, kind=FollowUpKind.SCHEDULE, status=FollowUpStatus.DUE).only("pk", "household_id", "due")}
        new_rows, missed_ids, touched = [], [], set()
        for household_id, code, caseworker_id in chunk:
            rule = _rule_for(categories.get(household_id, ()), schedules)
            if rule is None:
                continue
            interval, channel = rule
            current = open_rows.get(household_id)
            if current is not None:
                if current.due + dt.timedelta(days=interval) > day:
                    continue
                missed_ids.append(current.pk)
                touched.add(code)
                due = day
            else:
                last = reached.get(household_id)
                due = last + dt.timedelta(days=interval) if last else day
                if due > horizon:
                    continue
            touched.add(code)
            new_rows.append(FollowUp(
                household_id=household_id, region_code=code, caseworker_id=caseworker_id, due=due,
                kind=FollowUpKind.SCHEDULE, channel=channel, priority=_priority(categories.get(household_id, ())),
            ))
        if missed_ids:
            missed += FollowUp.objects.filter(pk__in=missed_ids, status=FollowUpStatus.DUE).update(
                status=FollowUpStatus.MISSED, closed_at=timezone.now())
        # A concurrent run may have made some: the constraint keeps one, the others are skipped.
        FollowUp.objects.bulk_create(new_rows, ignore_conflicts=True)
        # No history for a due date (the contact that closes it is the history), but the pages
        # kept for these villages are out of date now.
        areas_touch(touched)
        created += len(new_rows)
    return {"created": created, "missed": missed}


# --- contacts ----------------------------------------------------------------------------------

def _check_visible(actor: User, household: Household) -> None:
    if not Household.objects.visible_to(actor).filter(pk=household.pk).exists():
        raise Http404("no such household")


def _clean_assessment(assessment: dict[str, Any] | None) -> tuple[dict[str, bool], dict[str, str]] | None:
    if assessment is None:
        return None
    flags, notes, errors = {}, {}, {}
    for name in CONDITIONS:
        value = assessment.get(name)
        if not isinstance(value, bool):
            errors[name] = _("Answer yes or no.")
            continue
        flags[name] = value
        note = str(assessment.get(f"{name}_note") or "").strip()
        if not value and not note:
            errors[f"{name}_note"] = _("Say what is wrong.")
        if note:
            notes[name] = note[:500]
    if errors:
        raise ValidationError(errors)
    return flags, notes


def _clean_answers(campaign: Campaign | None, answers: dict[str, Any] | None) -> dict[str, Any]:
    """The campaign's own questions: unanswered ones are left out; an answer of the wrong kind is an error."""
    answers = answers or {}
    if campaign is None:
        if answers:
            raise ValidationError({"answers": _("Answers belong to a campaign's questions; choose the campaign.")})
        return {}
    if not isinstance(answers, dict) or len(answers) > bounds.ANSWERS_MAX:
        raise ValidationError({"answers": _("At most %(n)d answers, one for each of the campaign's questions.")
                                          % {"n": bounds.ANSWERS_MAX}})
    cleaned, errors = {}, {}
    for question in campaign.questions:
        key, kind = question["key"], question["kind"]
        value = answers.get(key)
        if value in (None, ""):
            continue
        if kind == "yesno" and not isinstance(value, bool):
            errors[key] = _("Answer yes or no.")
        elif kind == "number":
            try:
                value = float(value)
            except (TypeError, ValueError):
                errors[key] = _("Enter a number.")
        elif kind == "choice" and value not in question.get("choices", []):
            errors[key] = _("Choose one of the answers.")
        elif kind == "text":
            value = str(value)[:500]
        cleaned[key] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _covers(contact: Contact, followup: FollowUp) -> bool:
    """A visit covers any follow-up; a call or message covers one that asks for no visit."""
    return contact.channel == Channel.VISIT or followup.channel != Channel.VISIT


def _tally(followup: FollowUp, **deltas: int) -> None:
    CoverageTally.objects.filter(
        campaign_id=followup.campaign_id, region_code=village_of(followup.region_code),
        caseworker_id=followup.caseworker_id,
    ).update(**{name: F(name) + delta for name, delta in deltas.items() if delta})


def _close_followups(contact: Contact) -> list[FollowUp]:
    """What this contact covers: closed if it reached the household; a campaign try counted if not."""
    day = contact.day
    open_rows = list(
        # of=self: PostgreSQL cannot lock the nullable side of the join to the campaign.
        FollowUp.objects.select_for_update(of=("self",))
        .filter(household_id=contact.household_id, status=FollowUpStatus.DUE)
        .filter(Q(kind=FollowUpKind.SCHEDULE) | Q(campaign__status=CampaignStatus.OPEN, campaign__start__lte=day,
                                                 campaign__end__gte=day))
        .order_by("pk")
    )
    touched = []
    for followup in open_rows:
        if followup.kind == FollowUpKind.CAMPAIGN and contact.campaign_id not in (None, followup.campaign_id):
            continue
        if contact.reached and _covers(contact, followup):
            if followup.kind == FollowUpKind.CAMPAIGN:
                was_flagged = followup.tries >= TRIES_BEFORE_VISIT
                _tally(followup, reached=1, tried=-1 if followup.tries else 0, flagged=-1 if was_flagged else 0)
            followup.status = FollowUpStatus.DONE
            followup.closed_by = contact
            followup.closed_at = contact.at
            followup.tries += 1
            followup.save(update_fields=["status", "closed_by", "closed_at", "tries"])
            touched.append(followup)
        elif not contact.reached and followup.kind == FollowUpKind.CAMPAIGN:
            followup.tries += 1
            _tally(followup, tried=1 if followup.tries == 1 else 0,
                   flagged=1 if followup.tries == TRIES_BEFORE_VISIT else 0)
            followup.save(update_fields=["tries"])
            touched.append(followup)
    return touched


def _case_update(contact: Contact, assessment: Assessment | None) -> None:
    """Keep the household's summary row, and its village's assessment tally, current."""
    case, _created = HouseholdCase.objects.select_for_update().get_or_create(
        household_id=contact.household_id, defaults={"region_code": contact.region_code})
    if case.last_contact_at is None or contact.at > case.last_contact_at:
        case.last_contact_at = contact.at
    if contact.reached and (case.last_reached_on is None or contact.day > case.last_reached_on):
        case.last_reached_on = contact.day
    if assessment is not None and (case.assessed_on is None or assessment.day >= case.assessed_on):
        village = village_of(case.region_code)
        old = {name: getattr(case, name) for name in (*CONDITIONS, "all_ok")} if case.assessment_id else None
        new = {name: getattr(assessment, name) for name in CONDITIONS}
        new["all_ok"] = all(new.values())
        tally, _created = AssessmentTally.objects.select_for_update().get_or_create(region_code=village)
        deltas = {name: int(bool(new[name])) - (int(bool(old[name])) if old else 0) for name in new}
        deltas["assessed"] = 0 if old else 1
        AssessmentTally.objects.filter(pk=tally.pk).update(
            **{name: F(name) + delta for name, delta in deltas.items() if delta})
        case.assessment = assessment
        case.assessed_on = assessment.day
        for name, value in new.items():
            setattr(case, name, value)
    case.save()


def contact_snapshot(contact: Contact) -> dict[str, Any]:
    snapshot = {
        "channel": contact.channel, "at": contact.at.isoformat(), "reached": contact.reached,
        "not_reached_reason": contact.not_reached_reason, "notes": contact.notes,
        "campaign": contact.campaign_id, "answers": contact.answers,
    }
    assessment = getattr(contact, "_new_assessment", None)
    if assessment is not None:
        snapshot.update({name: getattr(assessment, name) for name in CONDITIONS})
        snapshot["assessment_notes"] = assessment.notes
    return snapshot


@transaction.atomic
def contact_create(
    *,
    actor: User,
    household: Household,
    client_id: uuid.UUID | str,
    channel: str,
    reached: bool,
    at: dt.datetime | None = None,
    not_reached_reason: str = "",
    notes: str = "",
    campaign: Campaign | None = None,
    assessment: dict[str, Any] | None = None,
    answers: dict[str, Any] | None = None,
    then: Sequence[Callable[[Contact], None]] = (),
    extra: Mapping[str, Any] | None = None,
) -> tuple[Contact, bool]:
    """Log one attempt to reach a household. Idempotent by `client_id`: a second submission stores
    nothing and returns the first contact with created=False.

    `assessment` holds the four conditions (`supplies_ok` ... each True/False, with `<name>_note`
    where False), for a contact that reached the household. `then` are callables run with the new
    contact inside the same transaction, only when it is created: how another app adds its own rows
    to the same submission (a need recorded on the contact screen); `extra` is what those steps were
    given (the parts' fields), kept in the submission's hash with the contact's own fields, so that a
    retry whose parts differ is refused too (`ReplayMismatch`). Returns (contact, created)."""
    require(actor, "contact.create")
    _check_visible(actor, household)
    try:
        client_id = uuid.UUID(str(client_id))
    except ValueError:
        raise ValidationError({"client_id": _("Not a valid submission id.")}) from None

    def create() -> Contact:
        now = timezone.now()
        when = at or now
        if timezone.is_naive(when):
            when = timezone.make_aware(when)
        errors = {}
        if when > now + CLOCK_SKEW:
            errors["at"] = _("A contact cannot be in the future.")
        if channel not in Channel.values:
            errors["channel"] = _("Unknown channel.")
        if reached and not_reached_reason:
            errors["not_reached_reason"] = _("A reason is only given when the household was not reached.")
        if not reached and not not_reached_reason:
            errors["not_reached_reason"] = _("Say why the household was not reached.")
        if not reached and assessment is not None:
            errors["assessment"] = _("The four conditions are assessed only when the household was reached.")
        day = local_today(when)
        if campaign is not None and not Campaign.objects.filter(
                pk=campaign.pk, status=CampaignStatus.OPEN, start__lte=day, end__gte=day,
                followups__household_id=household.pk).exists():
            errors["campaign"] = _("This household is not in a running campaign of that name.")
        if errors:
            raise ValidationError(errors)
        checked = _clean_assessment(assessment) if reached else None
        cleaned_answers = _clean_answers(campaign, answers)
        contact = Contact.objects.create(
            client_id=client_id, household=household, region_code=household.region_code, at=when, day=day,
            channel=channel, caseworker=actor, reached=reached, not_reached_reason=not_reached_reason,
            notes=notes.strip(), campaign=campaign, answers=cleaned_answers,
        )
        made = None
        if checked is not None:
            flags, condition_notes = checked
            made = Assessment.objects.create(contact=contact, household=household, region_code=household.region_code,
                                             day=day, notes=condition_notes, **flags)
            contact._new_assessment = made
        _close_followups(contact)
        _case_update(contact, made)
        record(actor, Action.CREATE, contact)
        for step in then:
            step(contact)
        return contact

    payload = {"channel": channel, "reached": reached, "at": at, "not_reached_reason": not_reached_reason,
               "notes": notes, "campaign": campaign, "assessment": assessment, "answers": answers,
               "extra": extra}
    contact, created = create_once(Contact, client_id=client_id, create=create, payload=payload)
    if not created and (contact.caseworker_id != actor.pk or contact.household_id != household.pk):
        # Not a retry of this submission: an id reused by another client or for another household.
        raise ValidationError({"client_id": _("This submission id was already used for another contact.")})
    return contact, created


# --- summary rows, rebuilt (after a bulk load, or to repair) -------------------------------------

@transaction.atomic
def assessment_tallies_rebuild(*, region_code: str = "") -> int:
    """Count the villages' tallies again from the households' summary rows; returns the villages."""
    from django.db.models import Count
    from django.db.models import Q as Where
    from django.db.models.functions import Substr

    cases = HouseholdCase.objects.filter(assessment__isnull=False)
    if region_code:
        cases = cases.filter(prefix_q("region_code", region_code))
    rows = (cases.annotate(village=Substr("region_code", 1, 12)).values("village")
            .annotate(assessed=Count("pk"), all_ok=Count("pk", filter=Where(all_ok=True)),
                      **{name: Count("pk", filter=Where(**{name: True})) for name in CONDITIONS}))
    tallies = AssessmentTally.objects.all()
    if region_code:
        tallies = tallies.filter(prefix_q("region_code", region_code))
    tallies.delete()
    AssessmentTally.objects.bulk_create([
        AssessmentTally(region_code=row.pop("village"), **row) for row in rows
    ])
    # No history for counts, but the pages kept for the area show them (history.pagecache).
    areas_touch([region_code])
    return len(rows)


@transaction.atomic
def coverage_tallies_rebuild(*, campaign: Campaign) -> int:
    """Count a campaign's coverage tallies again from its follow-ups; returns the rows."""
    from django.db.models import Count
    from django.db.models import Q as Where
    from django.db.models.functions import Substr

    rows = (FollowUp.objects.filter(campaign=campaign).annotate(village=Substr("region_code", 1, 12))
            .values("village", "caseworker_id").annotate(
                total=Count("pk"), reached=Count("pk", filter=Where(status=FollowUpStatus.DONE)),
                tried=Count("pk", filter=Where(status=FollowUpStatus.DUE, tries__gt=0)),
                flagged=Count("pk", filter=Where(status=FollowUpStatus.DUE, tries__gte=TRIES_BEFORE_VISIT))))
    CoverageTally.objects.filter(campaign=campaign).delete()
    CoverageTally.objects.bulk_create([
        CoverageTally(campaign=campaign, region_code=row.pop("village"), **row) for row in rows
    ])
    # No history for counts, but the campaign's page shows them (history.pagecache).
    areas_touch([campaign.region_code])
    return len(rows)


# --- campaigns ---------------------------------------------------------------------------------

def _common_prefix(codes: list[str]) -> str:
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = parent_of(prefix)
    return prefix


def _areas_overlap(codes: Sequence[str], others: Sequence[str]) -> bool:
    return any(a.startswith(b) or b.startswith(a) for a in codes for b in others)


def _open_campaign_named(name: str, region_codes: list[str]) -> bool:
    """Whether an open campaign of this name covers any of these areas (a township's campaign
    covers its villages): a caseworker there would see two campaigns they cannot tell apart."""
    prefix = _common_prefix(region_codes)
    candidates = Campaign.objects.filter(status=CampaignStatus.OPEN, name=name).filter(
        prefix_q("region_code", prefix) | Q(region_code__in=[*ancestors(prefix), prefix]))
    return any(_areas_overlap(region_codes, c.region_codes or [c.region_code]) for c in candidates)


def campaign_households(actor: User, *, region_codes: list[str], categories: list[str]):
    households = Household.objects.visible_to(actor).exclude(status__in=CLOSED_STATUSES)
    area = Q()
    for code in region_codes:
        area |= prefix_q("region_code", code)
    households = households.filter(area)
    if categories:
        households = households.filter(pk__in=HouseholdCategory.objects.filter(category__in=categories)
                                       .values("household_id"))
    return households


QUESTION_KINDS = ("yesno", "choice", "number", "text")


def _clean_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    cleaned = []
    for index, question in enumerate(questions, start=1):
        label = str(question.get("label") or "").strip()
        kind = question.get("kind") or "yesno"
        if not label:
            continue
        if kind not in QUESTION_KINDS:
            raise ValidationError({"questions": _("Question %(n)d: unknown kind.") % {"n": index}})
        row = {"key": f"q{index}", "label": label[:200], "kind": kind}
        if kind == "choice":
            options = [str(o).strip() for o in question.get("choices") or [] if str(o).strip()]
            if len(options) < 2:
                raise ValidationError({"questions": _("Question %(n)d: give at least two answers to choose from.")
                                       % {"n": index}})
            row["choices"] = options
        cleaned.append(row)
    return cleaned


@transaction.atomic
def campaign_create(
    *, actor: User, name: str, region_codes: list[str], start: dt.date, end: dt.date,
    channel: str = Channel.PHONE, categories: list[str] | None = None, assess: bool = True,
    questions: list[dict[str, Any]] | None = None, kind: str = CampaignKind.FOLLOW_UP,
) -> Campaign:
    """Start a campaign: every household in scope gets a follow-up for its caseworker, due on `start`.
    A campaign of kind 排查 (screening) also offers, on each contact, to record a monitoring lead."""
    require(actor, "campaign.manage")
    categories = list(categories or [])
    errors = {}
    name = name.strip()
    if not name:
        errors["name"] = _("Give the campaign a name.")
    region_codes = sorted({code.strip() for code in region_codes if code and code.strip()})
    if not region_codes:
        errors["region_codes"] = _("Choose the township or the villages it covers.")
    elif any(not region_in_scope(actor, code) for code in region_codes):
        errors["region_codes"] = _("An area is outside your own.")
    else:
        # A code that is no region would make a campaign of nobody, counted as covered.
        known = set(Region.objects.filter(code__in=region_codes).values_list("code", flat=True))
        unknown = [code for code in region_codes if code not in known]
        if unknown:
            errors["region_codes"] = _("There is no region %(code)s in your area.") % {"code": unknown[0]}
    if end < start:
        errors["end"] = _("The end is before the start.")
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if any(c not in Category.values for c in categories):
        errors["categories"] = _("Unknown category.")
    if kind not in CampaignKind.values:
        errors["kind"] = _("Unknown campaign kind.")
    if not errors and _open_campaign_named(name, region_codes):
        errors["name"] = _("An open campaign in this area already has this name: choose another name, or "
                           "close that campaign first.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():  # the database's guard, when two offices save the same at once
            campaign = Campaign.objects.create(
                name=name, region_code=_common_prefix(region_codes), region_codes=region_codes,
                categories=categories, channel=channel, kind=kind, start=start, end=end, assess=assess,
                questions=_clean_questions(questions or []), created_by=actor,
            )
    except IntegrityError:
        raise ValidationError({"name": _("An open campaign in this area already has this name: choose another "
                                         "name, or close that campaign first.")}) from None
    rows = list(campaign_households(actor, region_codes=region_codes, categories=categories)
                .values_list("pk", "region_code", "caseworker_id"))
    special = set(HouseholdCategory.objects.filter(
        household__in=campaign_households(actor, region_codes=region_codes, categories=categories),
        category__in=household_choices.SPECIAL_GROUPS,
    ).values_list("household_id", flat=True))
    FollowUp.objects.bulk_create([
        FollowUp(household_id=pk, region_code=code, caseworker_id=caseworker_id, due=start,
                 kind=FollowUpKind.CAMPAIGN, channel=channel, campaign=campaign, priority=0 if pk in special else 1)
        for pk, code, caseworker_id in rows
    ], batch_size=1000)
    counts = Counter((village_of(code), caseworker_id) for _pk, code, caseworker_id in rows)
    CoverageTally.objects.bulk_create([
        CoverageTally(campaign=campaign, region_code=village, caseworker_id=caseworker_id, total=total)
        for (village, caseworker_id), total in sorted(counts.items(), key=lambda item: (item[0][0], item[0][1] or 0))
    ])
    record(actor, Action.CREATE, campaign, after={
        "name": campaign.name, "region_codes": region_codes, "categories": categories,
        "channel": channel, "start": start.isoformat(), "end": end.isoformat(), "households": len(rows),
    })
    return campaign


def _campaign_check(actor: User, campaign: Campaign) -> None:
    require(actor, "campaign.manage")
    if not region_in_scope(actor, campaign.region_code):
        raise Http404("no such campaign")


@transaction.atomic
def campaign_close(*, actor: User, campaign: Campaign, day: dt.date | None = None) -> Campaign:
    """Close a campaign (early, or at its end): its calls leave the worklists, its coverage stays."""
    _campaign_check(actor, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.status == CampaignStatus.CLOSED:
        return campaign
    day = day or local_today()
    before = {"status": campaign.status, "end": campaign.end.isoformat()}
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = timezone.now()
    campaign.end = min(campaign.end, max(day, campaign.start))
    campaign.save(update_fields=["status", "closed_at", "end"])
    record(actor, Action.UPDATE, campaign, before=before,
           after={"status": campaign.status, "end": campaign.end.isoformat()})
    return campaign


@transaction.atomic
def campaign_extend(*, actor: User, campaign: Campaign, end: dt.date) -> Campaign:
    """Move a campaign's end later (reopening it if it was closed)."""
    _campaign_check(actor, campaign)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if end < campaign.end or end < campaign.start:
        raise ValidationError({"end": _("The new end must be later than the current one.")})
    before = {"status": campaign.status, "end": campaign.end.isoformat()}
    campaign.end = end
    campaign.status = CampaignStatus.OPEN
    campaign.closed_at = None
    campaign.save(update_fields=["status", "closed_at", "end"])
    record(actor, Action.UPDATE, campaign, before=before, after={"status": campaign.status, "end": end.isoformat()})
    return campaign
