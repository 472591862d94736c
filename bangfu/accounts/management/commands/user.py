"""`bangfu user add USERNAME --role ROLE --region CODE`: add a user from the console; `bangfu user list`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.accounts.services import user_add
from bangfu.core.permissions import Role


def validation_message(error: ValidationError) -> str:
    """One line per field: "region: No region with code 999."."""
    if hasattr(error, "error_dict"):
        return "\n".join(f"{field}: {' '.join(str(m) for m in messages)}"
                         for field, messages in error.message_dict.items())
    return " ".join(str(m) for m in error.messages)


class Command(BaseCommand):
    help = "Manage users: 'add' creates one (the password is generated and printed when not given); 'list' shows them."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="add a user")
        add.add_argument("username")
        # Checked by the service, not by argparse, so that a wrong role is an error like any other (exit 1).
        add.add_argument("--role", required=True, help="one of: " + ", ".join(Role.values))
        add.add_argument("--region", default=None,
                         help="division code of the user's area: 6 digits for a county, 9 for a township, "
                              "12 for a village (none for admin)")
        add.add_argument("--password", default=None, help="the password (default: a generated one, printed once)")
        add.add_argument("--name", default="", dest="display_name", help="the name shown in the interface")
        add.add_argument("--phone", default="")
        add.add_argument("--organisation", default="", help="work unit (单位)")
        sub.add_parser("list", help="list the users")

    def handle(self, *args, action, **options):
        if action == "add":
            return self._add(**options)
        return self._list()

    def _add(self, *, username, role, region, password, display_name, phone, organisation, **options):
        username = (username or "").strip()
        if not username:
            raise CommandError(_("The username is empty."))
        if role == Role.ADMIN and region:
            raise CommandError(_("An administrator sees everything and has no region; leave out --region."))
        if role in Role.values and role != Role.ADMIN and not region:
            raise CommandError(_("Role %(role)s needs --region, the division code of the user's area.")
                               % {"role": Role(role).label})
        try:
            user, password_used = user_add(
                username=username, role=role, region_code=region, password=password,
                display_name=display_name, phone=phone, organisation=organisation,
            )
        except ValidationError as error:
            raise CommandError(_("Cannot add user %(username)s:") % {"username": username}
                               + "\n" + validation_message(error)) from None
        area = f"{user.region.name} ({user.region_id})" if user.region_id else _("everywhere")
        self.stdout.write(_("Added %(username)s: %(role)s, %(area)s.")
                          % {"username": user.username, "role": Role(user.role).label, "area": area})
        if password is None:
            self.stdout.write(_("Password: %(password)s") % {"password": password_used})
            self.stdout.write(_("It is shown only this once; pass it on safely."))

    def _list(self):
        for user in User.objects.select_related("region").order_by("role", "username"):
            area = f"{user.region_id} {user.region.name}" if user.region_id else "-"
            state = "" if user.is_active else "  (" + _("inactive") + ")"
            self.stdout.write(f"{user.username:<24} {user.role:<16} {area:<30} {user.display_name}{state}")
