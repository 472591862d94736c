"""`bangfu synth --households N`: a synthetic county of that size, for benchmarks and load tests."""

from __future__ import annotations

import os
import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from bangfu.core.codes import COUNTY_LENGTH, Level
from bangfu.core.plugins import declared
from bangfu.households.synthetic import synth_county
from bangfu.regions.models import Region


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class Command(BaseCommand):
    help = (
        "Add N synthetic households (about 3 members each, with categories, caseworkers, assignments "
        "and history) to a county. Running it again adds another batch with fresh numbers."
    )

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, required=True, help="how many households to add")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--county", default="370215",
                            help="6-digit county code whose townships get the villages (default 370215, 即墨区)")
        parser.add_argument("--password", default=None,
                            help="password of the synthetic users (default: none, they cannot log in)")
        parser.add_argument("--workers", type=int, default=default_workers(),
                            help="processes making rows while this one writes them (default: CPU cores, at most 4; "
                                 "the data do not depend on it)")
        parser.add_argument("--households-only", action="store_true",
                            help="leave out the other apps' data (casework's year of contacts): a big area fast")

    def handle(self, *args, households, seed, county, password, workers, households_only=False, **options):
        if households < 1:
            raise CommandError("--households must be at least 1.")
        if len(county) != COUNTY_LENGTH or not county.isdigit():
            raise CommandError(f"--county is a 6-digit county code, not {county!r}.")
        verbose = options["verbosity"] >= 2
        if not Region.objects.filter(code=county, level=Level.COUNTY).exists():
            from bangfu.regions.services import regions_load

            started = time.perf_counter()
            loaded = regions_load()
            self.stdout.write(f"regions: loaded {loaded.created} in {time.perf_counter() - started:.1f} s")
            if not Region.objects.filter(code=county, level=Level.COUNTY).exists():
                raise CommandError(f"There is no county {county} in the region tree.")
        try:
            result = synth_county(
                county_code=county, households=households, seed=seed, password=password, workers=workers,
                progress=(lambda message: self.stdout.write("  " + message)) if verbose else None,
            )
        except (LookupError, ValueError) as error:
            raise CommandError(str(error)) from None
        # Other apps add their own data for the new households (casework: a year of contacts).
        for step in () if households_only else declared("synth_steps"):
            summary = import_string(step.function)(county_code=county, seed=seed)
            self.stdout.write(f"synth: {apps.get_containing_app_config(step.function).label}: {summary}")
        # Written in bulk, without the services: pages kept for the county are out of date.
        from bangfu.history.services import areas_touch

        areas_touch([county])
        self.stdout.write(
            f"synth: {result.households} households, {result.members} members, {result.categories} categories, "
            f"{result.assignments} assignments, {result.changes} history rows, {result.users_created} users, "
            f"{result.villages_created} villages ({result.rows} rows) in county {county} "
            f"in {result.seconds:.1f} s with {result.workers} worker(s) (request id {result.request_id})"
        )
