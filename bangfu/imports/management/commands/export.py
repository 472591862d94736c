"""`bangfu export households|notice|template`: the national sheet, the public notice, the import template.

    bangfu export households --region CODE -o FILE.xlsx [--full] [--as USERNAME]
    bangfu export notice --region CODE -o FILE.xlsx [--category monitored] [--as USERNAME]
    bangfu export template -o FILE.xlsx
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from bangfu.core import requestid
from bangfu.core.permissions import PermissionDenied
from bangfu.households import choices
from bangfu.households.queries import HouseholdFilter
from bangfu.imports.management.commands._common import acting_user
from bangfu.imports.services import households_export, households_notice_export, import_template_write


class Command(BaseCommand):
    help = "Export households (national columns), a public notice list, or the import template."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        households = sub.add_parser("households", help="one row per member, the national columns")
        notice = sub.add_parser("notice", help="public notice (公示): no ID, phone or health columns")
        template = sub.add_parser("template", help="the import template with dropdown lists")
        for command in (households, notice):
            command.add_argument("--region", default="", help="only this area (a region code prefix)")
            command.add_argument("--as", dest="as_user", help="act as this user (default: the first administrator)")
            command.add_argument("-o", "--output", required=True, help="the .xlsx to write")
        households.add_argument("--full", action="store_true",
                                help="whole ID numbers and phones (roles that may reveal them; recorded)")
        notice.add_argument("--category", default=choices.Category.MONITORED, choices=choices.Category.values)
        notice.add_argument("--title", default="")
        template.add_argument("-o", "--output", required=True, help="the .xlsx to write")

    def handle(self, *args, what, output, **options):
        if what == "template":
            import_template_write(out=output)
            self.stdout.write(f"template: {output}")
            return
        user = acting_user(options["as_user"])
        try:
            with requestid.bound():
                if what == "households":
                    result = households_export(actor=user, out=output, full=options["full"],
                                               filters=HouseholdFilter(village=options["region"]))
                else:
                    result = households_notice_export(
                        actor=user, out=output, title=options["title"],
                        filters=HouseholdFilter(village=options["region"], category=options["category"]))
        except PermissionDenied as error:
            raise CommandError(f"{user} may not do this ({error.action})") from None
        self.stdout.write(f"households: {result.households}; members: {result.members}; file: {output}")
