#!/usr/bin/env python3
"""Benchmark of the A4 prints: 100 households' files (一户一档) as one PDF, as a ratio to a plain
read of the same rows.

    .venv/bin/python bench/prints.py [--households 2000] [--repeat 3] [--rebuild]

Builds (first time, or with --rebuild) a database with `bangfu synth --households N` in county
370215 (即墨区), takes the first 100 households of the township office synth-370215010 (a village's
worth), and measures: a plain read of their rows (households, members, categories, assignments,
needs, receipts, contacts), then the print the background job makes of them (the same read with
everything the file shows, the document built, the PDF written with the CJK font subset and
embedded). Each figure is the median of --repeat runs after a warm-up; the target is under a minute
for the 100 households.

SQLite files go to bench/out/prints/.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import households as base

base.OUT = ROOT / "bench" / "out" / "prints"
COUNTY, TOWNSHIP = base.COUNTY, base.TOWNSHIP
HOUSEHOLDS = 100


def _median(function, repeat: int) -> tuple[float, object]:
    result = function()  # warm-up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def run(repeat: int) -> list[list[str]]:
    from bangfu.accounts.models import User
    from bangfu.briefings import queries
    from bangfu.briefings.fonts import print_fonts
    from bangfu.briefings.pdf import render_pdf
    from bangfu.briefings.prints import household_files_document
    from bangfu.casework.models import Contact
    from bangfu.households.models import Assignment, Household, HouseholdCategory, Member
    from bangfu.needs.models import Need
    from bangfu.policies.models import Receipt

    user = User.objects.get(username=f"synth-{TOWNSHIP}")
    ids = list(Household.objects.visible_to(user).order_by("number").values_list("pk", flat=True)[:HOUSEHOLDS])
    fonts = print_fonts()
    if fonts is None:
        raise SystemExit("no CJK font: apt-get install fonts-noto-cjk")

    def plain():
        rows = list(Household.objects.filter(pk__in=ids).values())
        for model in (Member, HouseholdCategory, Assignment, Need, Receipt, Contact):
            rows += list(model.objects.filter(household_id__in=ids).values())
        return rows

    names: dict[str, dict[str, str]] = {}

    def policies_of(code: str) -> dict[str, str]:
        if code[:6] not in names:
            names[code[:6]] = queries.policy_names(code)
        return names[code[:6]]

    def printed():
        households = list(queries._files(Household.objects.visible_to(user).filter(pk__in=ids)))
        return render_pdf(household_files_document(households, policies_of=policies_of), fonts)

    baseline, rows = _median(plain, repeat)
    seconds, data = _median(printed, repeat)
    members = Member.objects.filter(household_id__in=ids).count()
    return [
        ["case", "households", "s", "x plain read", "rows / PDF"],
        ["plain read of the rows", str(len(ids)), f"{baseline:.3f}", "1.0", f"{len(rows)} rows ({members} members)"],
        ["一户一档 PDF (read, build, write)", str(len(ids)), f"{seconds:.2f}", f"{seconds / baseline:.0f}",
         f"{len(data) // 1024} KB, font {fonts.sans.family}"],
        ["target", "100", "< 60", "", "under a minute"],
    ]


def main() -> int:
    return base.main_for("prints.py", __doc__, run, households=2000)


if __name__ == "__main__":
    sys.exit(main())
