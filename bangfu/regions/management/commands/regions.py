"""`bangfu regions load`: the national division tree down to townships."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from bangfu.regions.services import regions_load


class Command(BaseCommand):
    help = "Manage the division tree. 'load' loads provinces, cities, counties and townships."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load", help="load or refresh the shipped tree (idempotent)")

    def handle(self, *args, action, **options):
        started = time.perf_counter()
        result = regions_load()
        self.stdout.write(
            f"regions: created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged} in {time.perf_counter() - started:.1f} s"
        )
