"""`bangfu token create USERNAME`: a new API token for a user, printed once."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.accounts.services import token_create


class Command(BaseCommand):
    help = "Manage API tokens: 'create' makes a bearer token for a user and prints it (only its hash is kept)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make a new token")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'phone app'")

    def handle(self, *args, action, username, name, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user %(username)s.") % {"username": username})
        if not user.is_active:
            raise CommandError(_("User %(username)s is inactive; a token for them would not work.")
                               % {"username": username})
        secret = token_create(user=user, name=name)
        # The secret alone on stdout, so that a script can capture it; the note goes to stderr.
        self.stdout.write(secret)
        self.stderr.write(_("A new API token for %(username)s, shown only this once. Send it as the header "
                            "'Authorization: Bearer <token>'.") % {"username": username})
