"""`bangfu checks`: make the day's due daily checks of open emergencies now, as the morning job does
(running it twice creates nothing new)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangfu.emergency import services


class Command(BaseCommand):
    help = "Make the daily checks due today in open emergencies (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--day", help="the day to make them for (YYYY-MM-DD), today by default")

    def handle(self, *args, day=None, **options):
        try:
            day = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError(f"not a date: {day}") from None
        self.stdout.write(f"created {services.checks_generate(day=day)}")
