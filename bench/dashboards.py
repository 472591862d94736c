#!/usr/bin/env python3
"""Benchmark of the dashboards (驾驶舱) of the province, the county and a township on a synthetic
county, as ratios to a trivial view.

    .venv/bin/python bench/dashboards.py [--households 20000] [--repeat 7] [--rebuild]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_dashboards .venv/bin/python bench/dashboards.py --rebuild

Builds (first time, or with --rebuild) a database with `bangfu synth --households N` in county
370215 (即墨区), adds a province user (山东省, code 37) and rebuilds the summary tables (`bangfu
rollups rebuild`, timed; this period and the one before). Then measures, through Django's test
client against the real URLs and middleware: the dashboard of the province (its 16 cities), of the
county (its townships), of a township (its villages), each for the month and the year, and one
chart's Excel download; each the median of --repeat requests after a warm-up, beside a trivial view
(HttpResponse("ok") behind login_required) measured in the same run, with its query count.

SQLite files go to bench/out/dashboards/. A PostgreSQL database named in DATABASE_URL is flushed by
--rebuild: use one of its own.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import households as base

base.OUT = ROOT / "bench" / "out" / "dashboards"
COUNTY, TOWNSHIP = base.COUNTY, base.TOWNSHIP
PROVINCE = COUNTY[:2]


def prepare() -> str:
    """The province user and the summary tables; the tables are rebuilt on every run (timed)."""
    from django.core.management import call_command

    from bangfu.accounts.models import User
    from bangfu.accounts.services import user_add
    from bangfu.core.permissions import Role
    from bangfu.reports import services
    from bangfu.reports.models import Figure

    call_command("migrate", verbosity=0)  # a database reused from before the latest migrations
    if not User.objects.filter(username=f"synth-{PROVINCE}").exists():
        user_add(username=f"synth-{PROVINCE}", role=Role.PROVINCE, region_code=PROVINCE, password="bench-province",
                 check_password=False)
    began = time.perf_counter()
    services.figures_rebuild(previous=True)
    took = time.perf_counter() - began
    return f"summary tables rebuilt in {took:.1f} s: {Figure.objects.count()} figures"


def run(repeat: int) -> list[list[str]]:
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from bangfu.accounts.models import User

    page, sheet = reverse("reports:dashboard"), reverse("reports:dashboard_xlsx")
    rows = [["user", "case", "ms", "x trivial", "queries", "ok"]]
    with override_settings(ROOT_URLCONF=base.bench_urls(), ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for label, code in (("province", PROVINCE), ("county", COUNTY), ("township", TOWNSHIP)):
            user = User.objects.get(username=f"synth-{code}")
            client = Client()
            client.force_login(user)
            trivial, _status, _body = base.measure(client, "/__bench__/ok/", {}, repeat * 3)
            rows.append([f"{label} ({user.username})", "trivial view", f"{trivial:.2f}", "1.0",
                         str(base.queries_of(client, "/__bench__/ok/", {})), ""])
            for name, url, params in (("dashboard, month", page, {"period": "month"}),
                                      ("dashboard, year", page, {"period": "year"}),
                                      ("chart as Excel", sheet, {"period": "month", "chart": "trend-households"})):
                ms, status, _body = base.measure(client, url, params, repeat)
                rows.append(["", name, f"{ms:.2f}", f"{ms / trivial:.1f}", str(base.queries_of(client, url, params)),
                             "yes" if status == 200 else f"HTTP {status}"])
    return rows


def main() -> int:
    return base.main_for("dashboards.py", __doc__, run, households=20_000, prepare=prepare)


if __name__ == "__main__":
    sys.exit(main())
