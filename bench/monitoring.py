"""The nightly rule flags (monitoring.rules) over every household of a synthetic county, as a ratio
to a plain bulk read of the same rows in the same run, with the process's peak memory.

    .venv/bin/python bench/monitoring.py                       # 100,000 households, SQLite
    .venv/bin/python bench/monitoring.py --households 20000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/monitoring.py

The database is households.py's (built by `bangfu synth`, reused when there). `prepare` makes one
household in twenty monitored (the category, an identification decided 1 to 400 days ago, one in
three with the risk "unstable employment") and gives one in three of those a plan measure, once.

Measured, each the median of --repeat runs (at most 3):
- drop baseline: a plain bulk read of the rows a 50,000-row medical-spending drop touches (the
  persons matched by ID number, their households' categories, the open leads), in chunks of 5,000;
- drop: `services.drop_import()` of that drop by the county's user: 45,000 rows naming registered
  persons (self-paid costs from 0 to 30,000 yuan, so some over each threshold) and 5,000 strangers,
  each row checked and the leads written (rolled back after each run, so every run does the same);
- baseline: a plain bulk read of the rows the rules read (every household's income fields, every
  member's household, skill and birth date, the monitored categories, leads, measures and
  clearances), in the same chunks of 5,000 households, doing nothing with them;
- flags: `rules.flags_refresh()`, the nightly task: the same rows read (the members counted in SQL),
  the four rules evaluated, the flags kept in step (an untimed first run raises them, shown on its
  own line; the timed nightly runs after it find most kept and write the changes).
Peak RSS is the process's high-water mark (ru_maxrss) after both.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import households as base  # noqa: E402


def prepare() -> str:
    from django.db import transaction
    from django.utils import timezone

    from bangfu.households.models import Household, HouseholdCategory
    from bangfu.monitoring.models import Lead, PlanMeasure, Stage

    if Lead.objects.filter(stage=Stage.MONITORED, indicator="bench").exists():
        return f"reused ({Lead.objects.filter(indicator='bench').count()} monitored households)"
    started = time.perf_counter()
    today = dt.date.today()
    rows = list(Household.objects.filter(region_code__startswith=base.COUNTY).order_by("pk")
                .values_list("pk", "region_id", "region_code", "caseworker_id")[::20])
    now = timezone.now()
    with transaction.atomic():
        HouseholdCategory.objects.bulk_create(
            [HouseholdCategory(household_id=pk, category="monitored") for pk, *_rest in rows], ignore_conflicts=True,
            batch_size=2000)
        for i, (pk, *_rest) in enumerate(rows):
            if i % 3 == 0:
                Household.objects.filter(pk=pk).update(monitor_type="marginal", risks=["因务工就业不稳"])
        leads, measures = [], []
        for i, (pk, region_id, region_code, caseworker_id) in enumerate(rows):
            decided = today - dt.timedelta(days=1 + i % 400)
            leads.append(Lead(client_id=uuid.uuid4(), source="cadre", channel="campaign", indicator="bench",
                              name="bench", household_id=pk, village_id=region_id, region_code=region_code,
                              received_on=decided, stage=Stage.MONITORED, stage_since=decided, identify_by=decided,
                              monitor_type="marginal", decided_on=decided, created_at=now))
            if i % 3 == 1 and caseworker_id:
                measures.append(PlanMeasure(client_id=uuid.uuid4(), household_id=pk, region_code=region_code,
                                            type=("industry", "health", "employment")[i % 9 // 3],
                                            content="bench", owner_id=caseworker_id, due_on=today,
                                            planned_on=decided + dt.timedelta(days=10), created_by_id=caseworker_id,
                                            created_at=now))
        Lead.objects.bulk_create(leads, batch_size=2000)
        PlanMeasure.objects.bulk_create(measures, batch_size=2000)
    return f"{len(rows)} households made monitored, {len(measures)} plan measures, {time.perf_counter() - started:.1f} s"


def baseline_read(chunk: int) -> int:
    from bangfu.households.models import Household, HouseholdCategory, Member
    from bangfu.monitoring.models import Clearance, Lead, PlanMeasure

    last = Household.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    count = 0
    for start in range(0, last + 1, chunk):
        span = {"household_id__gte": start, "household_id__lt": start + chunk}
        count += sum(1 for _row in Household.objects.filter(pk__gte=start, pk__lt=start + chunk).values_list(
            "pk", "region_code", "risks", "wage_income", "business_income", "property_income", "transfer_income",
            "business_expense"))
        for rows in (Member.objects.filter(**span).values_list("household_id", "labor_skill", "birth_date"),
                     HouseholdCategory.objects.filter(category="monitored", **span).values_list("household_id"),
                     Lead.objects.filter(stage="monitored", **span).values_list("household_id", "decided_on"),
                     PlanMeasure.objects.filter(**span).values_list("household_id", "type", "planned_on", "status"),
                     Clearance.objects.filter(stage="cleared", **span).values_list("household_id", "decided_on")):
            for _row in rows:
                pass
    return count


DROP_ROWS = 50_000


def drop_rows():
    """50,000 rows of a medical-spending drop: 45,000 registered persons of the county (spread
    over it), 5,000 persons registered nowhere; and the keyed hashes of all (for the baseline)."""
    import random

    from bangfu.households.models import Member
    from bangfu.households.synthetic import make_id_number
    from bangfu.monitoring.services import DropRow, identity_hash

    registered = DROP_ROWS * 9 // 10
    members = Member.objects.filter(household__region_code__startswith=base.COUNTY).order_by("pk")
    step = max(1, members.count() // registered)
    rng = random.Random(5)
    rows = []
    for member in members.only("id_number_encrypted", "name")[::step][:registered]:
        amount = rng.randrange(0, 3_000_000)
        rows.append(DropRow(row=len(rows) + 2, id_number=member.id_number, name=member.name,
                            value=f"{amount / 100:.2f}", amount_fen=amount))
    for i in range(DROP_ROWS - len(rows)):
        number = make_id_number("110101", dt.date(1960, 1, 1) + dt.timedelta(days=i // 50), i % 50, "M")
        rows.append(DropRow(row=len(rows) + 2, id_number=number, name="外地", value="25000.00",
                            amount_fen=2_500_000))
    return rows, [identity_hash(r.id_number) for r in rows]


def drop_baseline(hashes: list[str]) -> int:
    from bangfu.households.models import HouseholdCategory, Member
    from bangfu.monitoring.models import Lead

    count = 0
    for i in range(0, len(hashes), 5000):
        chunk = hashes[i:i + 5000]
        persons = list(Member.objects.filter(id_hash__in=chunk).values_list(
            "id", "id_hash", "name", "id_tail_reversed", "household_id", "household__region_id",
            "household__region_code"))
        count += len(persons)
        for _row in HouseholdCategory.objects.filter(household_id__in={p[4] for p in persons}).values_list(
                "household_id", "category"):
            pass
        for _row in Lead.objects.filter(id_hash__in=chunk, department="medical").values_list("id_hash"):
            pass
    return count


def drop_run(rows) -> tuple[float, object]:
    from django.db import transaction

    from bangfu.accounts.models import User
    from bangfu.monitoring.services import drop_import

    user = User.objects.get(username=f"synth-{base.COUNTY}")
    with transaction.atomic():
        started = time.perf_counter()
        drop = drop_import(actor=user, department="medical", rows=rows, file_name="bench.xlsx")
        seconds = time.perf_counter() - started
        results = {}
        for entry in drop.rows:
            results[entry["result"]] = results.get(entry["result"], 0) + 1
        transaction.set_rollback(True)
    return seconds, results


def run(repeat: int) -> list[list[str]]:
    from bangfu.monitoring.models import Flag
    from bangfu.monitoring.rules import CHUNK, flags_refresh

    repeat = max(1, min(repeat, 3))
    rows, hashes = drop_rows()
    drop_base_times, drop_times, drop_result, matched = [], [], {}, 0
    for _ in range(repeat):
        started = time.perf_counter()
        matched = drop_baseline(hashes)
        drop_base_times.append(time.perf_counter() - started)
        seconds, drop_result = drop_run(rows)
        drop_times.append(seconds)
    drop_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base_times, flag_times, result = [], [], {}
    # The first run raises every flag (written once); the nightly runs after it, timed, keep them.
    started = time.perf_counter()
    first = flags_refresh()
    first_s = time.perf_counter() - started
    for _ in range(repeat):
        started = time.perf_counter()
        households = baseline_read(CHUNK)
        base_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        result = flags_refresh()
        flag_times.append(time.perf_counter() - started)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base_s, flag_s = statistics.median(base_times), statistics.median(flag_times)
    by_rule = {rule: Flag.objects.filter(rule=rule).count() for rule in
               ("no_development", "unstable_work_no_working_age", "quick_clearance", "below_line_no_plan")}
    drop_base_s, drop_s = statistics.median(drop_base_times), statistics.median(drop_times)
    return [
        ["case", "rows", "seconds", "ratio", "peak RSS MB", "notes"],
        ["drop baseline: bulk read", str(matched), f"{drop_base_s:.2f}", "1.0", "",
         f"runs {len(drop_base_times)}; persons matched"],
        ["drop_import (50,000 rows)", str(len(rows)), f"{drop_s:.2f}", f"{drop_s / drop_base_s:.2f}",
         f"{drop_peak_mb:.0f}", ", ".join(f"{k} {v}" for k, v in sorted(drop_result.items()))],
        ["baseline: bulk read", str(households), f"{base_s:.2f}", "1.0", "", f"runs {len(base_times)}"],
        ["flags_refresh (nightly)", str(result.get("households", 0)), f"{flag_s:.2f}", f"{flag_s / base_s:.2f}",
         f"{peak_mb:.0f}", "flags " + ", ".join(f"{k} {v}" for k, v in by_rule.items())],
        ["flags_refresh, first run", str(first.get("households", 0)), f"{first_s:.2f}", f"{first_s / base_s:.2f}",
         "", f"raised {first.get('raised', 0)}, cleared {first.get('cleared', 0)} (writes every flag once)"],
    ]


def main() -> int:
    return base.main_for("monitoring.py", __doc__, run, prepare=prepare)


if __name__ == "__main__":
    sys.exit(main())
