"""Demo data for the emergency work: an epidemic open in 蓝村街道 for a few days, today's daily checks
partly done (one with a fever, so the office has an alert and an urgent medical need), and two
returnees in home quarantine, one of them past the planned end and so extended (a cough at the
check on the planned end)."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from bangfu.accounts.models import User
from bangfu.core.dates import local_today
from bangfu.emergency.models import CheckStatus, HealthCheck
from bangfu.emergency.services import (
    check_people,
    check_submit,
    checks_generate,
    emergency_open,
    returnee_register,
)
from bangfu.households.models import Household
from bangfu.households.synthetic import make_id_number
from bangfu.needs.services import summary_refresh as needs_summary_refresh
from bangfu.regions.models import Region

DONE_SHARE = 0.6


def emergency_demo_load(*, township_code: str = "370215010", office_username: str = "lancun",
                        caseworker_username: str = "sunlei", seed: int = 6) -> dict[str, int]:
    rng = random.Random(seed)
    township = Region.objects.get(code=township_code)
    office = User.objects.get(username=office_username)
    caseworker = User.objects.get(username=caseworker_username)
    today = local_today()
    emergency = emergency_open(region=township, kind="epidemic", title="新冠肺炎疫情防控", actor=office,
                               start=today - dt.timedelta(days=20))
    # Yesterday's checks all done and well; today's partly.
    yesterday = today - dt.timedelta(days=1)
    mine = list(Household.objects.filter(caseworker=caseworker).order_by("number")[:2])
    returnees = []
    for n, (household, name, origin, days_ago, transport) in enumerate([
        (mine[0], "王浩", "湖北省武汉市", 3, "train"),
        (mine[-1], "刘静", "广东省深圳市", 15, "bus"),
    ]):
        returnees.append(returnee_register(
            emergency=emergency, household=household, name=name, origin=origin, transport=transport,
            id_number=make_id_number("370215", dt.date(1992, 3, 8) + dt.timedelta(days=400 * n), 7 + n, "M" if n == 0 else "F"),
            phone=f"1380532{4170 + n:04d}", arrival=today - dt.timedelta(days=days_ago), actor=caseworker,
            screening="normal", home_supplies_ensured=n == 0, help_needed=n == 1,
            help_note="需要代购降压药" if n == 1 else "", client_id=f"demo-returnee-{n}",
        ))
    checks_generate(day=yesterday)
    checks_generate(day=today)
    done = fever = 0
    for day in (yesterday, today):
        rows = list(HealthCheck.objects.filter(emergency=emergency, day=day, status=CheckStatus.DUE)
                    .select_related("household", "household__caseworker", "emergency").order_by("pk"))
        for check in rows:
            actor = check.household.caseworker
            if actor is None or (day == today and rng.random() > DONE_SHARE and check.household not in mine):
                continue
            if day == today and check.household in mine:
                continue  # the caseworker's returnees' households are still to check today (the walk-through)
            temps = {key: f"{rng.choice(['36.3', '36.5', '36.6', '36.8', '36.9'])}"
                     for key, _name, _person in check_people(check)}
            # The extended quarantine: yesterday's check (on the planned end) found a cough in the house.
            symptoms = day == yesterday and check.household == mine[-1]
            # Today's fever: reported to the office at once, with the check's answers and note.
            feverish = bool(day == today and not fever and check.household not in mine and temps)
            if feverish:
                temps[next(iter(temps))] = "38.2"
                fever += 1
            check_submit(check=check, actor=actor, client_id=f"demo-check-{uuid.uuid4()}", temperatures=temps,
                         disinfection=True, symptoms=symptoms or feverish, supplies_enough=True,
                         help_needed=feverish,
                         note="户主发热伴咳嗽" if feverish else "家中有人轻微咳嗽，继续观察" if symptoms else "")
            done += 1
    # The needs' numbers count the fever's urgent medical need at once (their refresh otherwise
    # waits for the demo's transaction to commit).
    needs_summary_refresh()
    return {"checks_done": done, "fever_alerts": fever, "returnees": len(returnees)}
