"""`bangfu regions load` (the national tree down to townships; `--villages [PREFIX]` the national list's
villages, all or of an area) and `bangfu regions add` (a village or group)."""

from __future__ import annotations

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.regions.services import region_add, regions_load, villages_load


class Command(BaseCommand):
    help = "Manage the division tree: 'load' the shipped tree, or 'add' a village (12 digits) or group (15)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("load", help="load or refresh provinces, cities, counties and townships (idempotent)")
        load.add_argument("--villages", nargs="?", const="", default=None, metavar="PREFIX",
                          help="load the national list's villages instead: all, or those under a county or "
                               "township code (missing ones added, existing ones untouched)")
        add = sub.add_parser("add", help="add a village under its township or a group under its village")
        add.add_argument("code", help="12-digit village code (township code + 3) or 15-digit group code")
        add.add_argument("name", help="its name, e.g. 戴家庄村")

    def handle(self, *args, action, **options):
        if action == "add":
            try:
                region = region_add(code=options["code"], name=options["name"])
            except ValidationError as error:
                raise CommandError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
            self.stdout.write(f"{region.code} {region.name} ({region.get_level_display()})")
            return
        started = time.perf_counter()
        if options.get("villages") is not None:
            try:
                loaded = villages_load(prefix=options["villages"])
            except ValidationError as error:
                raise CommandError(" ".join(m for ms in error.message_dict.values() for m in ms)) from None
            self.stdout.write(f"villages: created {loaded.created}, existing {loaded.existing} "
                              f"in {time.perf_counter() - started:.1f} s")
            for code, name, official in loaded.differing:
                self.stdout.write(f"kept {code} {name} (the national list: {official})")
            return
        result = regions_load()
        self.stdout.write(
            f"regions: created {result.created}, updated {result.updated}, "
            f"unchanged {result.unchanged} in {time.perf_counter() - started:.1f} s"
        )
