#!/usr/bin/env python3
"""Benchmark of the summary tables (bangfu.reports): the full rebuild, and the incremental refresh
after 1% and 10% of the households changed, as ratios to the full rebuild in the same run, with
the peak memory of the rebuild.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_rollups .venv/bin/python bench/rollups.py \
        [--households 20000] [--counties 370215,370211] [--rebuild]

Builds (first time, or with --rebuild) a database with `bangfu synth` in each of the k counties
(N/k households each; all in 山东省, so that the province's figures sum several counties). Synth's
other steps (casework's year of contacts and assessments) take minutes per 10,000 households, so
only the first county's first --with-contacts households (default 2,000) get them; the rest are
made with `synth --households-only` (households, members, categories, history), which makes a big
area in minutes. More counties can be added to a database built before with
`bangfu synth --households-only` and the bench run again without --rebuild. Then:

- full rebuild, today: `figures_rebuild()`, every indicator for every village for the day, week,
  month and year containing today, and the roll-up to township, county, city and province;
- full rebuild, nightly: `figures_rebuild(previous=True)`, the same and the periods before each
  (the nightly task, and the periods the incremental refresh recomputes for a dirty village);
- refresh after p% changed: p% of the households change status (a bulk update that touches
  history's area counts, as every recorded change does), then `figures_refresh()`. Changed
  households are taken village by village in a shuffled order of villages (changes cluster: a day's
  work happens in some villages), so p% of households is about p% of villages; a further row shows
  1% of households spread uniformly at random (which touches most villages: the refresh then costs
  about a rebuild, by design: its unit is a village);
- peak memory: the process's resident high-water mark (ru_maxrss) measured in a fresh process
  around the nightly rebuild alone, and the peak of Python allocations (tracemalloc) in it.

Ratios are to the nightly rebuild (the same periods as a refresh). The printout extrapolates
the rebuild linearly to the 2,000,000 households of the issue (its reads are grouped scans of
each table, linear in rows).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import households as base  # noqa: E402

base.OUT = ROOT / "bench" / "out" / "rollups"
ISSUE_HOUSEHOLDS = 2_000_000


def build(households: int, counties: list[str], *, rebuild: bool, with_contacts: int) -> str:
    from django.core.management import call_command
    from django.db import connection, connections

    from bangfu.households.models import Household

    have = 0
    if "households_household" in connection.introspection.table_names():
        have = Household.objects.filter(caseworker__username__startswith="synth-").count()
    if have and not rebuild:
        base.bangfu("migrate", "--verbosity", "0")
        return f"reused the database ({have} synthetic households)"
    if connection.vendor == "sqlite":
        path = Path(connection.settings_dict["NAME"])
        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif have or rebuild:
        call_command("flush", interactive=False, verbosity=0)
    connections.close_all()
    base.bangfu("migrate", "--verbosity", "0")
    base.bangfu("regions", "load")
    lines = []
    for i, county in enumerate(counties):
        started = time.perf_counter()
        each = households // len(counties)
        # The first county's first households get every app's synth steps (casework's year of
        # contacts, minutes per 10,000 households); the rest are households only.
        full = min(each, with_contacts) if i == 0 else 0
        if full:
            base.bangfu("synth", "--households", str(full), "--county", county)
        if each - full:
            base.bangfu("synth", "--households", str(each - full), "--county", county, "--households-only",
                        "--seed", str(2 + i))
        lines.append(f"synth {each} in {county} ({full} with contacts): {time.perf_counter() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return "; ".join(lines)


QUERIES = [0]


def timed(function) -> tuple[float, object]:
    """Seconds and result of function(); the number of SQL statements it ran goes in QUERIES[0]."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        result = function()
        seconds = time.perf_counter() - started
    QUERIES[0] = len(captured.captured_queries)
    return seconds, result


def change(fraction: float, *, clustered: bool, seed: int) -> tuple[int, int]:
    """Change the status of `fraction` of the households (clustered by village or uniformly) and
    touch their villages' area counts, as a recorded change does. Returns (households, villages)."""
    from django.db import transaction

    from bangfu.history.services import areas_touch
    from bangfu.households.models import Household

    rows = list(Household.objects.values_list("pk", "region_code", "status"))
    wanted = max(1, round(len(rows) * fraction))
    rng = random.Random(seed)
    if clustered:
        by_village: dict[str, list] = {}
        for row in rows:
            by_village.setdefault(row[1][:12], []).append(row)
        villages = sorted(by_village)
        rng.shuffle(villages)
        chosen = []
        for village in villages:
            chosen.extend(by_village[village][:wanted - len(chosen)])
            if len(chosen) >= wanted:
                break
    else:
        chosen = rng.sample(rows, wanted)
    flip = {"active": "lifted", "lifted": "active"}
    with transaction.atomic():
        for status in ("active", "lifted", "risk_eliminated", "closed"):
            ids = [pk for pk, _code, old in chosen if old == status]
            for i in range(0, len(ids), 5000):
                Household.objects.filter(pk__in=ids[i:i + 5000]).update(status=flip.get(status, "active"))
        villages = sorted({code[:12] for _pk, code, _status in chosen})
        for i in range(0, len(villages), 500):
            areas_touch(villages[i:i + 500])
    return len(chosen), len(villages)


def memory_child() -> None:
    """In a fresh process: the nightly rebuild alone, with its peak memory."""
    import tracemalloc

    import django

    django.setup()
    from bangfu.reports.services import figures_rebuild

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    seconds, _result = timed(lambda: figures_rebuild(previous=True))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": seconds, "rss_before_kb": before, "rss_peak_kb": after, "python_peak": peak}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--counties", default="370215,370211")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--with-contacts", type=int, default=2000,
                        help="households of the first county that get a year of contacts (the rest: households only)")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    base.configure(args.households)
    if args.memory_child:
        memory_child()
        return 0
    import django

    django.setup()
    from django.db import connection

    from bangfu.casework.models import Contact
    from bangfu.households.models import Household
    from bangfu.regions.models import Region
    from bangfu.reports.models import Figure
    from bangfu.reports.services import figures_rebuild, figures_refresh

    counties = args.counties.split(",")
    built = build(args.households, counties, rebuild=args.rebuild, with_contacts=args.with_contacts)
    households = Household.objects.count()
    villages = len({code[:12] for code in Household.objects.values_list("region_code", flat=True)})
    print(f"bench/rollups.py: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"build: {built}")
    print(f"data: {households} households in {villages} villages of {len(counties)} counties, "
          f"{Contact.objects.count()} contacts, {Region.objects.filter(level='village').count()} villages in the tree")
    print(f"machine: {os.cpu_count()} CPUs, load average {', '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print()

    today_s, _ = timed(lambda: figures_rebuild())
    today_q = QUERIES[0]
    nightly_s, _ = timed(lambda: figures_rebuild(previous=True))
    rows = [["case", "households changed", "villages recomputed", "SQL statements", "seconds", "x nightly rebuild"]]
    rows.append(["full rebuild, today's periods", "-", str(villages), str(today_q), f"{today_s:.2f}",
                 f"{today_s / nightly_s:.3f}"])
    rows.append(["full rebuild, nightly (and previous periods)", "-", str(villages), str(QUERIES[0]),
                 f"{nightly_s:.2f}", "1.000"])
    nothing_s, nothing = timed(figures_refresh)
    rows.append(["refresh, nothing changed", "0", str(nothing.villages), str(QUERIES[0]), f"{nothing_s:.3f}",
                 f"{nothing_s / nightly_s:.4f}"])
    for label, fraction, clustered in (("refresh after 1% (clustered)", 0.01, True),
                                       ("refresh after 10% (clustered)", 0.10, True),
                                       ("refresh after 1% (uniform)", 0.01, False)):
        changed, _touched = change(fraction, clustered=clustered, seed=int(fraction * 1000))
        seconds, done = timed(figures_refresh)
        rows.append([label, str(changed), str(done.villages), str(QUERIES[0]), f"{seconds:.2f}",
                     f"{seconds / nightly_s:.3f}"])
    print(base.table(rows))
    print()
    child = subprocess.run([sys.executable, __file__, "--memory-child", "--households", str(args.households)],
                           check=True, capture_output=True, text=True, cwd=ROOT, env=os.environ.copy())
    memory = json.loads(child.stdout.strip().splitlines()[-1])
    print(f"memory (fresh process, nightly rebuild {memory['seconds']:.1f} s): peak RSS "
          f"{memory['rss_peak_kb'] / 1024:.0f} MB (before it {memory['rss_before_kb'] / 1024:.0f} MB), "
          f"Python allocations peak {memory['python_peak'] / 2**20:.1f} MB (tracemalloc)")
    figures = Figure.objects.count()
    per = nightly_s / households
    print(f"store: {figures} figures; nightly rebuild {per * 1e6:.0f} us per household, "
          f"{per * ISSUE_HOUSEHOLDS / 60:.1f} min for {ISSUE_HOUSEHOLDS:,} households by linear extrapolation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
