"""Casework of the demo (a demo step, see CaseworkConfig): the 蓝村 township's campaign 电话随访暖心 over its
registered-poor households, in which every household was reached by phone and found with the four
conditions met (as the township's report says), home visits of the weeks before it, and the due
follow-ups of today, so that each caseworker (孙磊 among them) has a list. Through the services, with
the office and the caseworkers as actors; deterministic for a seed (dates count back from today)."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.casework import services
from bangfu.casework.models import Channel
from bangfu.core.codes import prefix_q
from bangfu.core.dates import local_today
from bangfu.households.models import Household, HouseholdCategory

ALL_MET = {"supplies_ok": True, "prevention_ok": True, "medical_access_ok": True, "living_ok": True}
NOTES = ("身体状况良好，米面油充足。", "已告知不串门不聚集，家中备有口罩。", "村医定期联系，慢性病药品充足。",
         "子女在外务工，每周视频联系。", "家中消毒已落实，生活正常。")


def _at(day: dt.date, rng: random.Random) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9 + rng.randrange(8), rng.randrange(60))))


def demo_casework(*, township_code: str = "370215010", office_username: str = "lancun", seed: int = 2020,
                  today: dt.date | None = None) -> dict[str, int]:
    rng = random.Random(seed)
    today = today or local_today()
    office = User.objects.get(username=office_username)
    households = list(Household.objects.filter(prefix_q("region_code", township_code), caseworker__isnull=False)
                      .select_related("caseworker").order_by("region_code", "number"))
    poor = set(HouseholdCategory.objects.filter(household__in=households, category="registered_poor")
               .values_list("household_id", flat=True))
    contacts = 0

    def log(household, *, day, channel, reached=True, campaign=None, reason="", notes=""):
        nonlocal contacts
        services.contact_create(
            actor=household.caseworker, household=household, client_id=uuid.UUID(int=rng.getrandbits(128)),
            channel=channel, reached=reached, at=_at(day, rng), not_reached_reason=reason,
            notes=notes or (rng.choice(NOTES) if reached else ""), campaign=campaign,
            assessment=dict(ALL_MET) if reached else None,
        )
        contacts += 1

    # Home visits of the past weeks: their next visits fall due around today.
    for household in households:
        log(household, day=today - dt.timedelta(days=rng.randint(18, 40)), channel=Channel.VISIT)
    services.followups_generate(day=today - dt.timedelta(days=3))
    # The campaign: every registered-poor household reached by phone, four conditions met; some only
    # at the second call.
    campaign = services.campaign_create(
        actor=office, name="电话随访暖心", region_codes=[township_code], categories=["registered_poor"],
        channel=Channel.PHONE, start=today - dt.timedelta(days=6), end=today + dt.timedelta(days=1),
    )
    for household in households:
        if household.pk not in poor:
            continue
        day = campaign.start + dt.timedelta(days=rng.randint(0, 4))
        if rng.random() < 0.2:
            log(household, day=day, channel=Channel.PHONE, reached=False, campaign=campaign, reason="no_answer")
            day += dt.timedelta(days=1)
        log(household, day=day, channel=Channel.PHONE, campaign=campaign)
    followups = services.followups_generate(day=today)
    return {"contacts": contacts, "campaign_households": len(poor), "followups": followups["created"]}
