"""A year of casework for synthetic households (`bangfu synth`): contacts at each household's
schedule with their assessments, the summary rows, a running campaign in the first township with
most of its calls made, and the due follow-ups of today. Deterministic for a seed.

Bypasses the per-contact service for speed (bangfu.core.bulk inserts in one transaction) but writes what it
writes: contacts with their day and region code, assessments, the households' summary rows, the
villages' assessment tallies, campaign follow-ups and their coverage tallies."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bangfu.casework import services
from bangfu.casework.models import (
    CONDITIONS,
    TRIES_BEFORE_VISIT,
    Assessment,
    Campaign,
    Channel,
    Contact,
    FollowUp,
    FollowUpStatus,
    HouseholdCase,
    NotReachedReason,
)
from bangfu.core import bulk
from bangfu.core.codes import prefix_q
from bangfu.core.dates import local_today
from bangfu.households.models import Household, HouseholdCategory

REACHED_SHARE = 0.9
ALL_MET_SHARE = 0.96
BATCH = 5000


@dataclass
class CaseworkSynth:
    households: int = 0
    contacts: int = 0
    assessments: int = 0
    followups: int = 0
    campaign_households: int = 0


def _shanghai(day: dt.date, rng: random.Random) -> dt.datetime:
    local = dt.datetime.combine(day, dt.time(8 + rng.randrange(10), rng.randrange(60)))
    return timezone.make_aware(local)


@transaction.atomic
def synth_casework(*, county_code: str, seed: int = 1, days: int = 365, today: dt.date | None = None,
                   progress: Callable[[str], None] | None = None) -> CaseworkSynth:
    """Contacts over the last `days` days for the county's households that have none yet (so a
    second batch of synth adds casework for its own households only)."""
    say = progress or (lambda message: None)
    today = today or local_today()
    result = CaseworkSynth()
    schedules = services.schedules_current()
    households = (Household.objects.filter(prefix_q("region_code", county_code), caseworker__isnull=False)
                  .exclude(status__in=services.CLOSED_STATUSES).exclude(case__isnull=False).order_by("pk"))
    last_pk = 0
    while True:
        chunk = list(households.filter(pk__gt=last_pk).values_list("pk", "region_code", "caseworker_id")[:BATCH])
        if not chunk:
            break
        last_pk = chunk[-1][0]
        categories: dict[int, list[str]] = {}
        for household_id, category in HouseholdCategory.objects.filter(
                household_id__in=[row[0] for row in chunk]).values_list("household_id", "category"):
            categories.setdefault(household_id, []).append(category)
        contacts, plans = [], []
        for household_id, code, caseworker_id in chunk:
            rule = services._rule_for(categories.get(household_id, ()), schedules) or (30, Channel.VISIT)
            interval, channel = rule
            rng = random.Random(seed * 1_000_003 + household_id)
            day = today - dt.timedelta(days=days) + dt.timedelta(days=rng.randrange(interval))
            # Now and then a household's follow-up slips, so that some are overdue today.
            end = today - dt.timedelta(days=rng.choice((0, 0, 0, 1, 2, interval)))
            while day <= end:
                reached = rng.random() < REACHED_SHARE
                at = _shanghai(day, rng)
                contact = Contact(
                    client_id=uuid.UUID(int=rng.getrandbits(128)), household_id=household_id, region_code=code, at=at,
                    day=day, channel=channel if reached or channel != Channel.VISIT else Channel.PHONE,
                    caseworker_id=caseworker_id, reached=reached,
                    not_reached_reason="" if reached else rng.choice(NotReachedReason.values),
                )
                contacts.append(contact)
                ok = rng.random() < ALL_MET_SHARE
                plans.append((contact, ok, rng.choice(CONDITIONS)))
                day += dt.timedelta(days=interval if reached else 1)
            result.households += 1
        bulk.insert(Contact, contacts)
        assessments = []
        latest: dict[int, tuple[Contact, Assessment | None]] = {}
        last_reached: dict[int, dt.date] = {}
        for contact, ok, failing in plans:
            assessment = None
            if contact.reached:
                flags = dict.fromkeys(CONDITIONS, True)
                notes = {}
                if not ok:
                    flags[failing] = False
                    notes[failing] = "待跟进"
                assessment = Assessment(contact=contact, household_id=contact.household_id,
                                        region_code=contact.region_code, day=contact.day, notes=notes, **flags)
                assessments.append(assessment)
                last_reached[contact.household_id] = contact.day
            previous = latest.get(contact.household_id)
            latest[contact.household_id] = (contact, assessment or (previous[1] if previous else None))
        bulk.insert(Assessment, assessments)
        cases = []
        for household_id, code, _caseworker in chunk:
            contact, assessment = latest.get(household_id, (None, None))
            case = HouseholdCase(household_id=household_id, region_code=code,
                                 last_contact_at=contact.at if contact else None,
                                 last_reached_on=last_reached.get(household_id))
            if assessment is not None:
                case.assessment = assessment
                case.assessed_on = assessment.day
                for name in CONDITIONS:
                    setattr(case, name, getattr(assessment, name))
                case.all_ok = assessment.all_ok
            cases.append(case)
        HouseholdCase.objects.bulk_create(cases, batch_size=2000)
        result.contacts += len(contacts)
        result.assessments += len(assessments)
        say(f"casework: {result.households} households, {result.contacts} contacts")
    services.assessment_tallies_rebuild(region_code=county_code)
    result.followups = services.followups_generate(day=today, region_code=county_code)["created"]
    campaign_households, campaign_contacts, campaign_assessments = _campaign(county_code, seed=seed, today=today)
    result.campaign_households = campaign_households
    result.contacts += campaign_contacts
    result.assessments += campaign_assessments
    return result


def _campaign(county_code: str, *, seed: int, today: dt.date) -> tuple[int, int, int]:
    """电话随访暖心 in the county's first township, started four days ago: most households reached
    (each reaching call with its four-condition assessment, as the contact form records it), some
    tried without success (a few three times), the rest not yet. Returns (households, contacts,
    assessments)."""
    from bangfu.accounts.models import User
    from bangfu.core.permissions import Role

    office = (User.objects.filter(prefix_q("region_id", county_code), role=Role.TOWNSHIP_OFFICE)
              .order_by("region_id").first())
    if office is None or Campaign.objects.filter(region_code=office.region_id, name="电话随访暖心").exists():
        return 0, 0, 0
    campaign = services.campaign_create(actor=office, name="电话随访暖心", region_codes=[office.region_id],
                                        start=today - dt.timedelta(days=4), end=today + dt.timedelta(days=3))
    rng = random.Random(seed)
    rows = list(FollowUp.objects.filter(campaign=campaign).order_by("pk"))
    contacts = []
    for row in rows:
        draw = rng.random()
        if row.caseworker_id is None or draw > 0.85:
            continue  # not yet tried
        tries = 1 if draw < 0.7 else rng.randint(1, TRIES_BEFORE_VISIT)
        reached = draw < 0.7
        for attempt in range(tries):
            day = campaign.start + dt.timedelta(days=min(attempt + rng.randrange(3), 4))
            last = attempt == tries - 1
            contacts.append(Contact(
                client_id=uuid.UUID(int=rng.getrandbits(128)), household_id=row.household_id,
                region_code=row.region_code, at=_shanghai(day, rng), day=day, channel=Channel.PHONE,
                caseworker_id=row.caseworker_id, reached=reached and last, campaign=campaign,
                not_reached_reason="" if reached and last else NotReachedReason.NO_ANSWER,
            ))
        row.tries = tries
        if reached:
            row.status = FollowUpStatus.DONE
    bulk.insert(Contact, contacts)
    by_household = {c.household_id: c for c in contacts if c.reached}
    for row in rows:
        if row.status == FollowUpStatus.DONE:
            row.closed_by = by_household[row.household_id]
            row.closed_at = row.closed_by.at
    FollowUp.objects.bulk_update(rows, ["tries", "status", "closed_by", "closed_at"], batch_size=2000)
    assessments = _campaign_assessments(campaign, by_household.values(), rng) if campaign.assess else []
    _campaign_cases(contacts, assessments)
    services.assessment_tallies_rebuild(region_code=county_code)
    services.coverage_tallies_rebuild(campaign=campaign)
    return len(rows), len(contacts), len(assessments)


def _campaign_assessments(campaign: Campaign, reached, rng: random.Random) -> list[Assessment]:
    """The four conditions asked on each call that reached the household."""
    assessments = []
    for contact in sorted(reached, key=lambda c: c.pk):
        flags, notes = dict.fromkeys(CONDITIONS, True), {}
        if rng.random() >= ALL_MET_SHARE:
            failing = rng.choice(CONDITIONS)
            flags[failing] = False
            notes[failing] = "待跟进"
        assessments.append(Assessment(contact=contact, household_id=contact.household_id,
                                      region_code=contact.region_code, day=contact.day, notes=notes, **flags))
    Assessment.objects.bulk_create(assessments, batch_size=2000)
    return assessments


def _campaign_cases(contacts: list[Contact], assessments: list[Assessment]) -> None:
    """The households' summary rows take the campaign's calls where they are the latest: last
    contact, last reached, and the latest assessment (the villages' tallies are recounted after)."""
    cases = {case.household_id: case for case in HouseholdCase.objects.filter(
        household_id__in={c.household_id for c in contacts})}
    existing = set(cases)
    for contact in contacts:
        case = cases.get(contact.household_id)
        if case is None:
            case = cases[contact.household_id] = HouseholdCase(household_id=contact.household_id,
                                                               region_code=contact.region_code)
        if case.last_contact_at is None or contact.at > case.last_contact_at:
            case.last_contact_at = contact.at
        if contact.reached and (case.last_reached_on is None or contact.day > case.last_reached_on):
            case.last_reached_on = contact.day
    for assessment in assessments:
        case = cases[assessment.household_id]
        if case.assessed_on is None or assessment.day >= case.assessed_on:
            case.assessment, case.assessed_on = assessment, assessment.day
            for name in CONDITIONS:
                setattr(case, name, getattr(assessment, name))
            case.all_ok = assessment.all_ok
    HouseholdCase.objects.bulk_create([case for pk, case in cases.items() if pk not in existing], batch_size=2000)
    HouseholdCase.objects.bulk_update(
        [case for pk, case in cases.items() if pk in existing],
        ["last_contact_at", "last_reached_on", "assessment", "assessed_on", *CONDITIONS, "all_ok"], batch_size=2000)
