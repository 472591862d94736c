"""`bangfu import households FILE --region CODE [--dry-run] [--add-villages] [--report OUT.xlsx] [--as USERNAME]`.

Prints one summary line. Exits 0 when the file is valid (and written, unless --dry-run), 1 when
any row is invalid (nothing written; the report is written, next to FILE unless --report says
where), 2 when the file cannot be read as a sheet.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.permissions import PermissionDenied
from bangfu.imports.management.commands._common import acting_user
from bangfu.imports.readers import open_table
from bangfu.imports.services import FileError, households_import, import_report_write

SHOWN_ERRORS = 20


class Command(BaseCommand):
    help = "Import a sheet in the national member format (xlsx, xls, csv): all rows or none."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        households = sub.add_parser("households", help="households and members, one row per member")
        households.add_argument("file", help=".xlsx, .xls or .csv (UTF-8 or GBK)")
        households.add_argument("--region", required=True, help="the area the file may touch (a region code)")
        households.add_argument("--dry-run", action="store_true", help="check and count, write nothing")
        households.add_argument("--report", help="write the sheet with an error column here (.xlsx)")
        households.add_argument("--as", dest="as_user", help="act as this user (default: the first administrator)")
        households.add_argument("--add-villages", action="store_true",
                                help="add the village names neither the division tree nor the national list knows "
                                     "as the township's own villages (codes 900-999)")
        households.add_argument("--reader", choices=["auto", "calamine", "stream"], default="auto",
                                help=".xlsx reader (default: calamine, streaming for very large sheets)")

    def handle(self, *args, what, file, region, dry_run, report, as_user, reader, add_villages=False, **options):
        user = acting_user(as_user)
        path = Path(file)
        try:
            result = households_import(actor=user, source=path, region_code=region, dry_run=dry_run,
                                       report=report, reader=reader, add_villages=add_villages)
        except FileError as error:
            self.stdout.write("households: created 0, updated 0, unchanged 0; "
                              "members: created 0, updated 0, unchanged 0; errors: 1")
            raise CommandError(f"{path}: {error.message}", returncode=2) from None
        except (ValidationError, PermissionDenied) as error:
            raise CommandError(getattr(error, "messages", None) or str(error)) from None
        self.stdout.write(result.summary())
        if result.ok:
            return
        for error in result.errors[:SHOWN_ERRORS]:
            self.stderr.write(str(error))
        if len(result.errors) > SHOWN_ERRORS:
            self.stderr.write(f"… {len(result.errors) - SHOWN_ERRORS} more")
        if report is None:
            report = path.with_name(f"{path.stem}.errors.xlsx")
            import_report_write(table=open_table(path, reader=reader), result=result, out=report)
        raise CommandError(f"{result.error_rows} rows in error, nothing written; report: {report}", returncode=1)
