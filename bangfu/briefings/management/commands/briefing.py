"""`bangfu briefing --region CODE --from YYYY-MM-DD --to YYYY-MM-DD -o FILE.docx|FILE.pdf`: generate
the area's next briefing issue (numbered and recorded, as from the web) and write it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.accounts.models import User
from bangfu.briefings import services
from bangfu.briefings.briefing import briefing_document
from bangfu.briefings.docx import render_docx
from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.pdf import NoFontError, render_pdf
from bangfu.core.permissions import Role


def _day(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"{name}: not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = "Generate an area's briefing for a period and write it as .docx or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--region", required=True, help="the area's code (a township, a county...)")
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("-o", "--output", required=True, help="FILE.docx or FILE.pdf")
        parser.add_argument("--user", help="who generates it (a username; the first administrator by default)")

    def handle(self, *args, region, start, end, output, user=None, **options):
        path = Path(output)
        if path.suffix.lower() not in (".docx", ".pdf"):
            raise CommandError("the output must end in .docx or .pdf")
        actor = (User.objects.filter(username=user).first() if user
                 else User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first())
        if actor is None:
            raise CommandError(f"no such user: {user}" if user else "no administrator: name one with --user")
        try:
            briefing = services.briefing_generate(actor=actor, region_code=region, start=_day(start, "--from"),
                                                  end=_day(end, "--to"))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        except Exception as error:
            if error.__class__.__name__ in ("Http404", "PermissionDenied"):
                raise CommandError(f"{region}: no such area within {actor.username}'s") from None
            raise
        document = briefing_document(briefing)
        try:
            data = render_docx(document) if path.suffix.lower() == ".docx" else render_pdf(document, print_fonts())
        except NoFontError:
            raise CommandError("no CJK font for the PDF: apt-get install fonts-noto-cjk (or write .docx)") from None
        path.write_bytes(data)
        self.stdout.write(f"{briefing} ({briefing.start} to {briefing.end}) -> {path}")
