"""`bangfu demo`: a fresh demo database (regions, the two townships of the source reports, users), served."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils.translation import gettext as _

from bangfu.core.management.commands.serve import (
    default_threads,
    port_free,
    serve,
    serving_banner,
    unapplied_migrations,
)
from bangfu.ops.demo import demo_load
from bangfu.regions.services import regions_load

DEMO_DATABASE_NAME = "demo.sqlite3"


def display_width(text: str) -> int:
    """Columns a terminal gives the text: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(rows: list[list[str]], indent: str = "  ") -> str:
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell + " " * (width - display_width(cell)) for cell, width in zip(row, widths)]
        lines.append((indent + "  ".join(cells)).rstrip())
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Start the demo: make a fresh demo database (the region tree, 蓝村街道 and 送庄镇 with their "
        "households, one user of each role), print the logins, and serve it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1)
        parser.add_argument("--threads", type=int, default=default_threads())
        parser.add_argument("--no-serve", action="store_true", help="set up the database and stop")
        parser.add_argument("--wipe", action="store_true",
                            help="allow erasing a database other than the demo's own SQLite file")

    def handle(self, *args, host, port, workers, threads, no_serve, wipe, **options):
        if not no_serve and not port_free(host, port):
            raise CommandError(_("Port %(port)d on %(host)s is already in use (another server?). "
                                 "Choose another with --port.") % {"port": port, "host": host})
        started = time.perf_counter()
        where = self._reset_database(wipe=wipe)
        if unapplied_migrations():
            call_command("migrate", interactive=False, verbosity=0)
        database_seconds = time.perf_counter() - started

        mark = time.perf_counter()
        regions_load()
        regions_seconds = time.perf_counter() - mark

        result = demo_load()
        total = time.perf_counter() - started
        township_lines = "; ".join(
            _("%(township)s %(households)d households, %(poor)d registered poor")
            % {"township": name, "households": count, "poor": result.registered_poor[name]}
            for name, count in result.households.items()
        )
        self.stdout.write(
            _("The demo is ready in %(total).1f s (database %(db).1f s, regions %(regions).1f s, "
              "demo data %(demo).1f s).") % {"total": total, "db": database_seconds, "regions": regions_seconds,
                                             "demo": result.seconds}
        )
        self.stdout.write(f"  {where}: {township_lines}; " + _("%(members)d members.") % {"members": result.members})
        self.stdout.write("")
        self.stdout.write(_("Logins (every password is the username followed by 2020):"))
        rows = [[_("username"), _("password"), _("role"), _("area"), _("name")]]
        rows += [[login.username, login.password, login.role, login.area, login.name] for login in result.logins]
        self.stdout.write(table(rows))
        self.stdout.write("")
        if no_serve:
            return
        self.stdout.write(serving_banner(host=host, port=port, workers=workers, threads=threads))
        serve(host=host, port=port, workers=workers, threads=threads)

    def _reset_database(self, *, wipe: bool) -> str:
        """Start from nothing: delete the demo's SQLite file, or flush another database (--wipe only)."""
        connection = connections[DEFAULT_DB_ALIAS]
        name = str(connection.settings_dict["NAME"])
        if connection.vendor == "sqlite" and not connection.is_in_memory_db():
            path = Path(name)
            if path.name != DEMO_DATABASE_NAME and not wipe:
                raise CommandError(_(
                    "The demo erases the database it runs on, and this one is %(name)s, not the demo's own "
                    "%(demo)s. Leave DATABASE_URL unset to use the demo's file, or pass --wipe to erase this one."
                ) % {"name": name, "demo": DEMO_DATABASE_NAME})
            connection.close()
            try:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
            except PermissionError:  # Windows: another process (a demo still running?) has it open
                raise CommandError(_("%(name)s is in use by another program (a demo still running?); stop it "
                                     "first.") % {"name": name}) from None
            try:
                return str(path.relative_to(Path.cwd()))
            except ValueError:
                return str(path)
        if not wipe:
            raise CommandError(_(
                "The demo erases the database it runs on, and this is %(vendor)s database %(name)s. "
                "Leave DATABASE_URL unset to use the demo's own SQLite file, or pass --wipe to erase this one."
            ) % {"vendor": connection.vendor, "name": name})
        if connection.introspection.table_names():
            call_command("flush", interactive=False, verbosity=0)
        return f"{connection.vendor} {name}"
