"""The nightly rule flags (monitoring.rules) over every household of a synthetic county, as a ratio
to a plain bulk read of the same rows in the same run, with the process's peak memory.

    .venv/bin/python bench/monitoring.py                       # 100,000 households, SQLite
    .venv/bin/python bench/monitoring.py --households 20000 --repeat 3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/monitoring.py

The database is households.py's (built by `bangfu synth`, reused when there). `prepare` makes one
household in twenty monitored (the category, an identification decided 1 to 400 days ago, one in
three with the risk "unstable employment") and gives one in three of those a plan measure, once.

Measured, each the median of --repeat runs:
- baseline: a plain bulk read of the rows the rules read (every household's income fields, every
  member's household, skill and birth date, the monitored categories, leads, measures and
  clearances), in the same chunks of 5,000 households, doing nothing with them;
- flags: `rules.flags_refresh()`, the nightly task: the same rows read (the members counted in SQL),
  the four rules evaluated, the flags written (the first run raises them, later runs find them kept).
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


def run(repeat: int) -> list[list[str]]:
    from bangfu.monitoring.models import Flag
    from bangfu.monitoring.rules import CHUNK, flags_refresh

    repeat = max(1, min(repeat, 3))
    base_times, flag_times, result = [], [], {}
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
    return [
        ["case", "households", "seconds", "ratio", "peak RSS MB", "notes"],
        ["baseline: bulk read", str(households), f"{base_s:.2f}", "1.0", "", f"runs {len(base_times)}"],
        ["flags_refresh (nightly)", str(result.get("households", 0)), f"{flag_s:.2f}", f"{flag_s / base_s:.2f}",
         f"{peak_mb:.0f}", "flags " + ", ".join(f"{k} {v}" for k, v in by_rule.items())],
    ]


def main() -> int:
    return base.main_for("monitoring.py", __doc__, run, prepare=prepare)


if __name__ == "__main__":
    sys.exit(main())
