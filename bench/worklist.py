#!/usr/bin/env python3
"""Benchmark of the caseworker's day, a campaign's coverage page and the four-condition overview on a
synthetic county with a year of contacts, as ratios to a trivial view.

    .venv/bin/python bench/worklist.py [--households 100000] [--repeat 7] [--rebuild]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_worklist .venv/bin/python bench/worklist.py --rebuild

Builds (first time, or with --rebuild) a database with `bangfu synth --households N` in county
370215 (即墨区), which also adds a year of contacts at each household's schedule, today's due
follow-ups and a running campaign (电话随访暖心) in the first township. Then measures, through
Django's test client against the real URLs and middleware: a caseworker's worklist (今日待办), the
office's view of that worklist, the campaign's coverage page, and the four-condition overview of the
township and of the county; each the median of --repeat requests after a warm-up, beside a trivial
view (HttpResponse("ok") behind login_required) measured in the same run, with its query count;
beside the wall-clock time, the CPU time of the thread serving the request (less disturbed by
other work on a shared machine).

SQLite files go to bench/out/worklist/. A PostgreSQL database named in DATABASE_URL is flushed by
--rebuild: use one of its own.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import households as base

base.OUT = ROOT / "bench" / "out" / "worklist"
COUNTY, TOWNSHIP = base.COUNTY, base.TOWNSHIP


def measure(client, url: str, repeat: int, before=None) -> tuple[float, float, int]:
    """Medians of `repeat` requests after a warm-up: wall-clock ms and this thread's CPU ms; the status.
    `before()`, when given, runs before each request, off the clock.

    On a shared machine the wall clock also counts the time other processes held the CPU; the
    thread's CPU time does not (with SQLite it includes the database's work, which runs in this
    thread; with PostgreSQL the server's work is not in it)."""
    response = client.get(url)
    walls, cpus = [], []
    for _ in range(repeat):
        if before is not None:
            before()
        started, cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        cpus.append((time.thread_time() - cpu) * 1000)
        walls.append((time.perf_counter() - started) * 1000)
    return statistics.median(walls), statistics.median(cpus), response.status_code


def run(repeat: int) -> list[list[str]]:
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from bangfu.accounts.models import User
    from bangfu.casework.models import Campaign, Contact, FollowUp
    from bangfu.core.dates import local_today
    from bangfu.history.models import AreaChange
    from bangfu.history.services import areas_touch
    from bangfu.households.models import Household
    from bangfu.regions.models import Region

    day = local_today()
    campaign = Campaign.objects.filter(name="电话随访暖心").order_by("-pk").first()
    office = campaign.created_by  # the office of the township synth ran the campaign in
    township = office.region_id
    county = User.objects.get(username=f"synth-{COUNTY}")
    # The caseworker of the township with the most open follow-ups today: the longest list.
    busiest = (FollowUp.objects.filter(status="due", due__lte=day, household__region_code__startswith=township,
                                       household__caseworker__isnull=False)
               .values("household__caseworker").annotate(n=Count("pk")).order_by("-n").first())
    caseworker = User.objects.get(pk=busiest["household__caseworker"])
    print(f"data: {Contact.objects.count()} contacts, {FollowUp.objects.count()} follow-ups; "
          f"campaign {campaign.name} over {campaign.followups.count()} households")
    cases = [
        ("caseworker", caseworker, [
            ("worklist (今日待办)", reverse("casework:worklist"), {}),
            ("printable daily list", reverse("casework:worklist_print"), {}),
            ("campaign coverage", reverse("casework:campaign_detail", args=[campaign.pk]), {}),
            ("four conditions", reverse("casework:assessments"), {}),
        ]),
        ("office", office, [
            ("a caseworker's worklist", reverse("casework:worklist_of", args=[caseworker.pk]), {}),
            ("caseworkers' day", reverse("casework:worklists"), {}),
            ("a village's daily list", reverse("casework:village_print", args=[caseworker.region_id[:12]]), {}),
            ("campaign coverage", reverse("casework:campaign_detail", args=[campaign.pk]), {}),
            ("campaign list", reverse("casework:campaigns"), {}),
            ("four conditions (township)", reverse("casework:assessments"), {}),
        ]),
        ("county", county, [
            ("campaign coverage", reverse("casework:campaign_detail", args=[campaign.pk]), {}),
            ("four conditions (county)", reverse("casework:assessments"), {}),
        ]),
    ]
    # The counts of changes by area as a working county has them: a row for each region (what folding
    # leaves) and a busy ten minutes of changes not yet folded (1,000, spread over the villages).
    villages = list(Region.objects.filter(code__startswith=COUNTY).values_list("code", flat=True))
    if AreaChange.objects.count() < len(villages):
        areas_touch(villages)
        rng = random.Random(7)
        for _ in range(1000):
            areas_touch([rng.choice(villages)])
    print(f"counts of changes by area: {AreaChange.objects.count()} rows over {len(villages)} regions")

    def changed() -> None:
        # What a write of the township's own (a campaign, an emergency) does: every page measured
        # here is built again at its next request.
        areas_touch([township])

    # A village of the township with no household of the caseworker's: a contact logged there
    # rebuilds the office's and the county's pages, not the caseworker's day.
    theirs = set(Household.objects.filter(caseworker=caseworker).values_list("region_code", flat=True))
    elsewhere = next(code for code in villages if code.startswith(township) and len(code) == 12
                     and not any(region.startswith(code) for region in theirs) and code != caseworker.region_id)

    def changed_elsewhere() -> None:
        areas_touch([elsewhere])

    rows = [["user", "case", "kept ms", "x trivial", "cpu ms", "x (cpu)", "queries",
             "after a change ms", "x trivial", "cpu ms", "x (cpu)", "queries",
             "after a change in another village ms", "x trivial", "ok"]]
    with override_settings(ROOT_URLCONF=base.bench_urls(), ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for label, user, pages in cases:
            client = Client()
            client.force_login(user)
            trivial, trivial_cpu, status = measure(client, "/__bench__/ok/", repeat * 3)
            rows.append([f"{label} ({user.username})", "trivial view", f"{trivial:.2f}", "1.0", f"{trivial_cpu:.2f}",
                         "1.0", str(base.queries_of(client, "/__bench__/ok/", {})), "", "", "", "", "", "", "", ""])
            for name, url, _params in pages:
                ms, cpu, status = measure(client, url, repeat)
                kept_queries = base.queries_of(client, url, {})
                fresh, fresh_cpu, fresh_status = measure(client, url, repeat, before=changed)
                changed()
                fresh_queries = base.queries_of(client, url, {})
                other, _other_cpu, other_status = measure(client, url, repeat, before=changed_elsewhere)
                ok = status == fresh_status == other_status == 200
                rows.append(["", name, f"{ms:.2f}", f"{ms / trivial:.1f}", f"{cpu:.2f}", f"{cpu / trivial_cpu:.1f}",
                             str(kept_queries), f"{fresh:.2f}", f"{fresh / trivial:.1f}", f"{fresh_cpu:.2f}",
                             f"{fresh_cpu / trivial_cpu:.1f}", str(fresh_queries), f"{other:.2f}",
                             f"{other / trivial:.1f}", "yes" if ok else f"HTTP {status}/{fresh_status}/{other_status}"])
    return rows


def main() -> int:
    return base.main_for("worklist.py", __doc__, run)


if __name__ == "__main__":
    sys.exit(main())
