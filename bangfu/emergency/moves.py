"""Emergency work follows a household that changes village (bangfu.households.moves): its daily
checks still to do today and later, its returnees, and the summary rows of the village it left and
of the one it joined, recounted in the same transaction. (Its open deliveries follow it too:
bangfu.deliveries.moves.)

What was done stays where it was done: a check done today, a fever alert raised count for the
village they happened in. A check still to do for an emergency whose area the household has left is
no longer work to do; a household that arrives in the area of an emergency open today gets today's
check. People in quarantine are counted where their household lives now.

The board counts checks by the household's caseworker as it is, so nothing is stored by caseworker
here.

A fixed number of queries per call, whatever the number of households."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q

from bangfu.core.dates import local_today
from bangfu.emergency.models import (
    CheckStatus,
    Emergency,
    FeverAlert,
    HealthCheck,
    Quarantine,
    QuarantineStatus,
    Returnee,
    Summary,
)
from bangfu.households.choices import Status as HouseholdStatus
from bangfu.households.models import Household
from bangfu.households.moves import HouseholdMove

Key = tuple[int, object, str]  # (emergency id, day, region code)


def households_moved(moves: list[HouseholdMove]) -> None:
    _work_follows_the_household([move for move in moves if move.region_changed])


def _work_follows_the_household(moves: list[HouseholdMove]) -> None:
    moved = {move.household_id: move for move in moves}
    if not moved:
        return
    today = local_today()
    ids = sorted(moved)
    codes = {move.old_region_code for move in moved.values()} | {move.new_region_code for move in moved.values()}
    touched: set[tuple[int, object]] = set()  # (emergency id, day) whose rows of `codes` are recounted

    # Checks still to do, today and later: with the household, or gone if it left the emergency's area.
    due = list(HealthCheck.objects.select_for_update(of=("self",)).filter(
        household_id__in=ids, day__gte=today, status=CheckStatus.DUE).select_related("emergency").order_by("pk"))
    follow, drop = [], []
    for check in due:
        new_code = moved[check.household_id].new_region_code
        touched.add((check.emergency_id, check.day))
        if new_code.startswith(check.emergency.region_code):
            check.region_code = new_code
            follow.append(check)
        else:
            drop.append(check.pk)
    HealthCheck.objects.bulk_update(follow, ["region_code"], batch_size=1000)
    if drop:
        HealthCheck.objects.filter(pk__in=drop).delete()

    # Arriving in the area of an emergency open today: today's check, as checks_generate would make it.
    open_today = list(Emergency.objects.open_on(today).only("pk", "region_code"))
    living = list(Household.objects.filter(pk__in=ids).exclude(status=HouseholdStatus.CLOSED)
                  .values_list("pk", "region_code"))
    arriving = [HealthCheck(emergency_id=emergency.pk, household_id=pk, region_code=code, day=today)
                for pk, code in living for emergency in open_today if code.startswith(emergency.region_code)]
    HealthCheck.objects.bulk_create(arriving, batch_size=500, ignore_conflicts=True)
    touched.update((check.emergency_id, today) for check in arriving)

    # Returnees live where their household lives; their quarantine is counted there from now on.
    returnees = list(Returnee.objects.filter(household_id__in=ids).order_by("pk"))
    for returnee in returnees:
        returnee.region_code = moved[returnee.household_id].new_region_code
    Returnee.objects.bulk_update(returnees, ["region_code"], batch_size=1000)
    quarantined = {r.emergency_id for r in returnees}
    if quarantined:
        touched.update(Summary.objects.filter(emergency_id__in=quarantined, day__gte=today)
                       .values_list("emergency_id", "day").distinct())
        touched.update((pk, today) for pk in quarantined if any(e.pk == pk for e in open_today))

    summaries_recount({(emergency_id, day, code) for emergency_id, day in touched for code in codes})


def summaries_recount(keys: set[Key]) -> None:
    """Recount the summary rows of these (emergency, day, village) keys from the rows they
    summarise, as summary_refresh would: a key with nothing left to count keeps no row. Five
    queries, whatever the number of keys."""
    if not keys:
        return
    emergencies = {k[0] for k in keys}
    days = {k[1] for k in keys}
    codes = {k[2] for k in keys}
    counts: dict[Key, dict[str, int]] = defaultdict(dict)
    for row in (HealthCheck.objects.filter(emergency_id__in=emergencies, day__in=days, region_code__in=codes)
                .values("emergency_id", "day", "region_code").order_by()
                .annotate(due=Count("pk"), done=Count("pk", filter=Q(status=CheckStatus.DONE)))):
        key = (row["emergency_id"], row["day"], row["region_code"])
        if key in keys:
            counts[key].update(due=row["due"], done=row["done"])
    for row in (FeverAlert.objects.filter(emergency_id__in=emergencies, day__in=days, region_code__in=codes)
                .values("emergency_id", "day", "region_code").order_by().annotate(n=Count("pk"))):
        key = (row["emergency_id"], row["day"], row["region_code"])
        if key in keys:
            counts[key]["fever_alerts"] = row["n"]
    for row in (Quarantine.objects.filter(returnee__emergency_id__in=emergencies, status=QuarantineStatus.ACTIVE,
                                          household__region_code__in=codes, start__lte=max(days))
                .values("returnee__emergency_id", "household__region_code", "start").order_by()
                .annotate(n=Count("pk"))):
        for day in days:
            key = (row["returnee__emergency_id"], day, row["household__region_code"])
            if key in keys and row["start"] <= day:
                counts[key]["in_quarantine"] = counts[key].get("in_quarantine", 0) + row["n"]
    rows = [Summary(emergency_id=e, day=d, region_code=code, due=c.get("due", 0), done=c.get("done", 0),
                    fever_alerts=c.get("fever_alerts", 0), in_quarantine=c.get("in_quarantine", 0))
            for (e, d, code), c in sorted(((key, counts.get(key, {})) for key in keys),
                                          key=lambda item: (item[0][0], item[0][1], item[0][2]))]
    Summary.objects.bulk_create(rows, update_conflicts=True, unique_fields=["emergency", "region_code", "day"],
                                update_fields=["due", "done", "fever_alerts", "in_quarantine"])
    # One statement whatever was emptied: a row with nothing to count goes (as a full recount drops it).
    Summary.objects.filter(emergency_id__in=emergencies, day__in=days, region_code__in=codes, due=0, done=0,
                           fever_alerts=0, in_quarantine=0).delete()
