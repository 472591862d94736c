#!/usr/bin/env python3
"""Benchmark of the household list and search on a synthetic county, as ratios to a trivial view.

    .venv/bin/python bench/households.py [--households 100000] [--repeat 7] [--rebuild]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/households.py --rebuild

Builds (first time, or with --rebuild) a database with `bangfu synth --households N` (timed) in
county 370215 (即墨区), then measures the server time of the real views through Django's test
client, logged in as a township office (synth-370215010, 蓝村街道), a caseworker of that township,
and the county user: the list's first page, a filtered page, a page deep down by cursor, and the
search box by name, pinyin initials, ID tail and household number. Each figure is the median of
--repeat requests after one warm-up, and is shown beside the median of a trivial view (a logged-in
HttpResponse("ok") behind the same middleware) measured in the same run.

SQLite files go to bench/out/households/. A PostgreSQL database named in DATABASE_URL is emptied
(flushed) by --rebuild: use one of its own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "households"
COUNTY = "370215"
TOWNSHIP = "370215010"
sys.path.insert(0, str(ROOT))


def configure(households: int) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BANGFU_DATA_DIR", str(OUT / "data"))
    # Static files come from the apps (WHITENOISE_USE_FINDERS); whitenoise only warns without this folder.
    (Path(os.environ["BANGFU_DATA_DIR"]) / "static").mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / f'bench-{households}.sqlite3'}")
    os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"


def bangfu(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bangfu", *args], check=True, capture_output=True, text=True,
                          cwd=ROOT, env=os.environ.copy())


def synth_households() -> int:
    """How many synthetic households the database has in the county (0 when it has no tables)."""
    from django.db import connection

    if "households_household" not in connection.introspection.table_names():
        return 0
    from bangfu.households.models import Household

    return Household.objects.filter(region_code__startswith=COUNTY, caseworker__username__startswith="synth-").count()


def build(households: int, *, rebuild: bool, workers: int | None) -> str:
    """Make sure the database has the synthetic county; returns what was done, with timings."""
    from django.core.management import call_command
    from django.db import connection, connections

    have = synth_households()
    if have and not rebuild:
        bangfu("migrate", "--verbosity", "0")  # the code may have moved on since it was built
        return f"reused the database ({have} synthetic households, migrated; --rebuild to time synth)"
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif have or rebuild:
        call_command("flush", interactive=False, verbosity=0)
    connections.close_all()
    started = time.perf_counter()
    bangfu("migrate", "--verbosity", "0")
    bangfu("regions", "load")
    prepared = time.perf_counter() - started
    command = ["synth", "--households", str(households), "--county", COUNTY]
    if workers:
        command += ["--workers", str(workers)]
    started = time.perf_counter()
    output = bangfu(*command).stdout.strip()
    wall = time.perf_counter() - started
    return (f"migrate + regions load {prepared:.1f} s; `bangfu {' '.join(command)}` {wall:.1f} s wall clock\n"
            f"  {output}")


# --- the measured requests -------------------------------------------------------------------

def bench_urls() -> types.ModuleType:
    """The real URLs plus one trivial view behind the same middleware and the same login check."""
    from django.contrib.auth.decorators import login_required
    from django.http import HttpResponse
    from django.urls import path

    import bangfu.urls

    @login_required
    def ok(request):
        return HttpResponse("ok")

    module = types.ModuleType("bench_households_urls")
    module.urlpatterns = [path("__bench__/ok/", ok, name="bench-ok"), *bangfu.urls.urlpatterns]
    return module


def cases_for(user) -> list[tuple[str, str, dict, str]]:
    """(name, url, GET params, text expected in the page) for one user, from their own households."""
    from django.urls import reverse

    from bangfu.households import queries
    from bangfu.households.models import Household, HouseholdCategory, Member

    mine = Household.objects.visible_to(user).order_by("region_code", "number")
    count = mine.count()
    middle = mine[count // 2]
    deep = mine[max(0, count * 9 // 10)]
    member = Member.objects.filter(household=middle).order_by("id").last()
    list_url = reverse("households:list")
    village = middle.region_code
    category = HouseholdCategory.objects.filter(household=middle).values_list("category", flat=True).first()
    return [
        ("list: first page", list_url, {}, ""),
        ("list: village + category", list_url, {"village": village, "category": category}, middle.number),
        (f"list: deep page (cursor at {count * 9 // 10} of {count})", list_url,
         {"cursor": queries.encode_cursor(deep)}, ""),
        ("search: name", list_url, {"q": middle.head_name}, middle.number),
        ("search: pinyin initials", list_url, {"q": member.name_initials}, middle.number),
        ("search: ID tail (6)", list_url, {"q": member.id_number[-6:]}, middle.number),
        ("search: household number", list_url, {"q": middle.number}, middle.number),
        ("household page", reverse("households:detail", args=[middle.pk]), {}, middle.head_name),
    ]


def matching(user, params: dict) -> int:
    """How many households the list holds for these parameters (not timed)."""
    from bangfu.households import queries

    flt = queries.HouseholdFilter(q=params.get("q", ""), village=params.get("village", ""),
                                  category=params.get("category", ""))
    return queries.households_filtered(user, flt).count()


def measure(client, url: str, params: dict, repeat: int) -> tuple[float, int, str]:
    """Median milliseconds of `repeat` requests after a warm-up; the status; the last body."""
    response = client.get(url, params)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), response.status_code, response.content.decode(errors="replace")


def queries_of(client, url: str, params: dict) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return len(captured)


def run(repeat: int) -> list[list[str]]:
    from django.conf import settings
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import reverse

    from bangfu.accounts.models import Role, User
    from bangfu.households.models import Household

    list_url = reverse("households:list")
    office = User.objects.get(username=f"synth-{TOWNSHIP}")
    county = User.objects.get(username=f"synth-{COUNTY}")
    caseworker = (User.objects.filter(role=Role.CASEWORKER, region__code__startswith=TOWNSHIP,
                                      username__startswith="synth-")
                  .order_by("username").first())
    rows = [["user", "case", "ms", "x trivial", "queries", "matches", "ok"]]
    with override_settings(ROOT_URLCONF=bench_urls(), ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for label, user in (("office", office), ("caseworker", caseworker), ("county", county)):
            client = Client()
            client.force_login(user)
            scope = Household.objects.visible_to(user).count()
            trivial, status, _body = measure(client, "/__bench__/ok/", {}, repeat * 3)
            assert status == 200, f"the trivial view answered {status}"
            rows.append([f"{label} ({user.username}, {scope} households)", "trivial view", f"{trivial:.2f}", "1.0",
                         str(queries_of(client, "/__bench__/ok/", {})), "", ""])
            for name, url, params, expected in cases_for(user):
                matches = matching(user, params) if url == list_url else None
                try:
                    ms, status, body = measure(client, url, params, repeat)
                except Exception as error:  # a page being rewritten right now by someone else
                    rows.append(["", name, "error", "", "", "", type(error).__name__])
                    continue
                if status != 200:
                    ok = f"HTTP {status}"
                elif expected and expected not in body and (matches is None or matches <= settings.PAGE_SIZE):
                    ok = "missing"  # the household searched for is not on the page, though it should be
                else:
                    ok = "yes"
                rows.append(["", name, f"{ms:.2f}", f"{ms / trivial:.1f}", str(queries_of(client, url, params)),
                             "" if matches is None else str(matches), ok])
    return rows


def table(rows: list[list[str]]) -> str:
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        cells = []
        for i, (cell, w) in enumerate(zip(row, widths)):
            pad = " " * (w - width(cell))
            cells.append(pad + cell if i in (2, 3, 4) else cell + pad)
        lines.append("  ".join(cells).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main_for(script: str, doc: str, run, *, households: int = 100_000, prepare=None) -> int:
    """The command line the county benchmarks share: build (or reuse) the database, print what it
    holds and the machine's load, then the table `run(repeat)` returns."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=households)
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per case (the median is shown)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again (and time synth)")
    parser.add_argument("--workers", type=int, default=None, help="passed to bangfu synth")
    args = parser.parse_args()
    configure(args.households)

    import django

    django.setup()
    from django.db import connection

    built = build(args.households, rebuild=args.rebuild, workers=args.workers)
    print(f"bench/{script}: {args.households} households wanted, county {COUNTY}, "
          f"{connection.vendor} {connection.settings_dict['NAME']}")
    print(f"build: {built}")
    if prepare is not None:
        print(f"prepare: {prepare()}")
    print(f"machine: {os.cpu_count()} CPUs, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}"
          if hasattr(os, "getloadavg") else f"machine: {os.cpu_count()} CPUs")
    print()
    print(table(run(args.repeat)))
    return 0


def main() -> int:
    return main_for("households.py", __doc__, run)


if __name__ == "__main__":
    sys.exit(main())
