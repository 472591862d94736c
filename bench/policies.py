#!/usr/bin/env python3
"""Benchmark of the policies' entitlements derived from the registry on a synthetic county, as
ratios to a plain read of the same rows in the same run.

    .venv/bin/python bench/policies.py [--households 100000] [--repeat 3] [--rebuild]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_policies .venv/bin/python bench/policies.py --rebuild

Builds (first time, or with --rebuild) a database with `bangfu synth --households N` in county
370215 (即墨区), the same as bench/households.py. Entitlements are not stored: every read derives
them from the households, their categories and members and the county's policies (rules.py). The
figures say what that costs:

- plain read: the three reads the derivation makes (households, categories, members, as .values()
  rows) and nothing else: the baseline;
- entitlements: the same reads and the rules over every row (bangfu.policies.queries.entitlements_of);
- gaps: the entitlements, the period's receipts and checks, and the gaps both ways, as the township's
  list makes them (with no receipts: every entitlement is a gap, the most there can be).

For the county (all households) and the office of 蓝村街道 (one township); each the median of
--repeat runs after a warm-up, with the peak resident memory of the process at the end and, from an
untimed run of the county's gaps under tracemalloc, the memory the derivation itself takes.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import households as base

base.OUT = ROOT / "bench" / "out" / "policies"
COUNTY, TOWNSHIP = base.COUNTY, base.TOWNSHIP


def _median(function, repeat: int) -> tuple[float, object]:
    """The median time of `repeat` runs after a warm-up; what the last run returned, summed up by
    `function` itself (a run's result is dropped before the next, so two are never held at once)."""
    result = function()  # warm-up
    times = []
    for _ in range(repeat):
        result = None
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def run(repeat: int) -> list[list[str]]:
    from bangfu.accounts.models import User
    from bangfu.core.dates import local_today
    from bangfu.households.models import Household, HouseholdCategory, Member
    from bangfu.policies import queries, rules

    today = local_today()
    rows = [["user", "case", "ms", "x plain read", "households", "entitlements", "gaps"]]
    for label, username in (("county", f"synth-{COUNTY}"), ("office", f"synth-{TOWNSHIP}")):
        user = User.objects.get(username=username)
        scope = Household.objects.visible_to(user)

        def plain():
            households = list(scope.values(*rules.HOUSEHOLD_FIELDS, "number", "head_name"))
            ids = scope.values("id")
            categories = defaultdict(set)
            for household_id, category in HouseholdCategory.objects.filter(household__in=ids).values_list(
                    "household_id", "category"):
                categories[household_id].add(category)
            members = defaultdict(list)
            for member in Member.objects.filter(household__in=ids).values(*rules.MEMBER_FIELDS).order_by(
                    "household_id", "id"):
                members[member["household_id"]].append(member)
            return len(households)

        def entitled():
            owed = queries.entitlements_of(scope, today)
            return len(owed), sum(len(v) for v in owed.values())

        baseline, count = _median(plain, repeat)
        derived, (households, total) = _median(entitled, repeat)
        gap_ms, gaps = _median(lambda: len(queries.gaps_in_scope(user, day=today)), repeat)
        rows.append([f"{label} ({username})", "plain read", f"{baseline:.0f}", "1.0", str(count), "", ""])
        rows.append(["", "entitlements", f"{derived:.0f}", f"{derived / baseline:.1f}", str(households), str(total),
                     ""])
        rows.append(["", "gaps (township list)", f"{gap_ms:.0f}", f"{gap_ms / baseline:.1f}", str(households),
                     str(total), str(gaps)])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(["", f"peak memory {peak:.0f} MB (process high-water mark, every case)", "", "", "", "", ""])
    # The county's gaps once more, untimed, under tracemalloc: the memory the derivation itself takes.
    import tracemalloc

    county = User.objects.get(username=f"synth-{COUNTY}")
    tracemalloc.start()
    count = len(queries.gaps_in_scope(county, day=today))
    _now, traced = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rows.append(["", f"county gaps: {count} gaps, traced peak {traced / 2**20:.0f} MB", "", "", "", "", ""])
    return rows


def main() -> int:
    return base.main_for("policies.py", __doc__, run)


if __name__ == "__main__":
    sys.exit(main())
