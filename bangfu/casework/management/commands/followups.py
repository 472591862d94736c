"""`bangfu followups`: make the due follow-ups now, as the morning job does (running it twice creates
nothing new)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangfu.casework import services


class Command(BaseCommand):
    help = "Make the regular follow-ups falling due in the next days (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to make them for (YYYY-MM-DD), today by default")
        parser.add_argument("--days-ahead", type=int, default=services.GENERATE_DAYS_AHEAD)
        parser.add_argument("--region", default="", help="only households within this region code")

    def handle(self, *args, day=None, days_ahead=services.GENERATE_DAYS_AHEAD, region="", **options):
        try:
            day = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError(f"not a date: {day}") from None
        result = services.followups_generate(day=day, days_ahead=days_ahead, region_code=region)
        self.stdout.write(f"created {result['created']}, missed {result['missed']}")
