#!/usr/bin/env python3
"""Benchmark of the daily-check board and an emergency's overview on a synthetic county during an
epidemic, as ratios to a trivial view.

    .venv/bin/python bench/checks.py [--households 20000] [--repeat 7] [--rebuild]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_checks .venv/bin/python bench/checks.py --rebuild

Builds (first time, or with --rebuild) a database with `bangfu synth --households N` in county
370215 (即墨区), then opens an emergency over the county, makes today's checks and marks about half
of them done (a bulk update, as if the caseworkers had been out since morning), and recounts the
summary rows. Then measures, through Django's test client against the real URLs and middleware: the
board of the township office and of the county (first page, a page far down, one village, by
caseworker) and the emergency's overview; each the median of --repeat requests after a warm-up,
beside a trivial view (HttpResponse("ok") behind login_required) measured in the same run, with its
query count and the number of households the board's counts cover.

SQLite files go to bench/out/checks/. A PostgreSQL database named in DATABASE_URL is flushed by
--rebuild: use one of its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import households as base

base.OUT = ROOT / "bench" / "out" / "checks"
COUNTY, TOWNSHIP = base.COUNTY, base.TOWNSHIP


def prepare() -> str:
    """An emergency over the county with today's checks, about half done; reused when there."""
    import datetime as dt

    from django.core.management import call_command
    from django.db.models import F
    from django.utils import timezone

    from bangfu.accounts.models import User
    from bangfu.core.dates import local_today
    from bangfu.emergency.models import CheckStatus, Emergency, HealthCheck
    from bangfu.emergency.services import checks_generate, emergency_open, summary_refresh
    from bangfu.regions.models import Region

    call_command("migrate", verbosity=0)  # a database reused from before the latest migrations
    today = local_today()
    emergency = Emergency.objects.filter(title="bench 疫情防控", status="open").first()
    if emergency is None:
        county = User.objects.get(username=f"synth-{COUNTY}")
        emergency = emergency_open(region=Region.objects.get(code=COUNTY), kind="epidemic", title="bench 疫情防控",
                                   start=today - dt.timedelta(days=3), actor=county)
    checks_generate()
    checks = HealthCheck.objects.filter(emergency=emergency, day=today)
    if not checks.filter(status=CheckStatus.DONE).exists():
        checks.annotate(odd=F("pk") % 2).filter(odd=1).update(status=CheckStatus.DONE, done_at=timezone.now())
        summary_refresh(emergency=emergency, day=today)
    done = checks.filter(status=CheckStatus.DONE).count()
    return f"emergency {emergency.pk}: {checks.count()} checks today, {done} done"


def run(repeat: int) -> list[list[str]]:
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from bangfu.accounts.models import User
    from bangfu.core.dates import local_today
    from bangfu.emergency import queries
    from bangfu.emergency.models import Emergency

    emergency = Emergency.objects.get(title="bench 疫情防控", status="open")
    office = User.objects.get(username=f"synth-{TOWNSHIP}")
    county = User.objects.get(username=f"synth-{COUNTY}")
    board = reverse("emergencies:checks")
    rows = [["user", "case", "ms", "x trivial", "queries", "households counted", "ok"]]
    with override_settings(ROOT_URLCONF=base.bench_urls(), ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for label, user in (("office", office), ("county", county)):
            due = queries.checks_of_day(user, local_today()).count()
            counted = queries.check_board(user, local_today(), page=None, group_page=2)
            village = next((g.key for g in counted.groups if len(g.key) == 12), "")
            pages = queries.check_board(user, local_today(), per_page=queries.BOARD_PAGE).page.paginator.num_pages
            by_caseworker = queries.check_board(user, local_today(), by="caseworker", page=None)
            group_pages = by_caseworker.group_page.paginator.num_pages
            cases = [
                ("board, first page", board, {}),
                (f"board, page {max(1, pages * 9 // 10)} of {pages}", board, {"page": max(1, pages * 9 // 10)}),
                ("board, one village", board, {"group": village}),
                ("board, by caseworker", board, {"by": "caseworker"}),
                (f"by caseworker, groups {max(1, group_pages * 9 // 10)} of {group_pages}", board,
                 {"by": "caseworker", "groups": max(1, group_pages * 9 // 10)}),
                ("emergency overview", reverse("emergencies:overview", args=[emergency.pk]), {}),
            ]
            client = Client()
            client.force_login(user)
            trivial, _status, _body = base.measure(client, "/__bench__/ok/", {}, repeat * 3)
            rows.append([f"{label} ({user.username})", "trivial view", f"{trivial:.2f}", "1.0",
                         str(base.queries_of(client, "/__bench__/ok/", {})), "", ""])
            for name, url, params in cases:
                ms, status, _body = base.measure(client, url, params, repeat)
                rows.append(["", name, f"{ms:.2f}", f"{ms / trivial:.1f}", str(base.queries_of(client, url, params)),
                             str(due), "yes" if status == 200 else f"HTTP {status}"])
    return rows


def main() -> int:
    return base.main_for("checks.py", __doc__, run, households=20_000, prepare=prepare)


if __name__ == "__main__":
    sys.exit(main())
