"""`bangfu rollups rebuild [--region CODE] [--day YYYY-MM-DD] [--previous]`: the summary tables
rebuilt (every village, or those under a region), and `bangfu rollups refresh`: the incremental
refresh the background job runs."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangfu.reports import services


class Command(BaseCommand):
    help = "Rebuild or refresh the summary tables of figures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=("rebuild", "refresh"))
        parser.add_argument("--region", default="", help="a region code: only the villages under it")
        parser.add_argument("--day", default="", help="YYYY-MM-DD: the periods containing this day (default today)")
        parser.add_argument("--previous", action="store_true", help="the periods before those too")

    def handle(self, *args, action: str, region: str, day: str, previous: bool, **options) -> None:
        if action == "refresh":
            done = services.figures_refresh()
        else:
            try:
                when = dt.date.fromisoformat(day) if day else None
            except ValueError:
                raise CommandError(f"--day: not a date (YYYY-MM-DD): {day}") from None
            if region and not region.isdigit():
                raise CommandError(f"--region: not a region code: {region}")
            done = services.figures_rebuild(region=region or None, day=when, previous=previous)
        villages = "all" if done.villages < 0 else done.villages
        self.stdout.write(f"villages {villages}, periods {done.periods}, figures written {done.rows}")
