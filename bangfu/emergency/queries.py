"""Reads of emergencies, daily checks, returnees and the summary rows, shared by pages, the API and
the caseworker's worklist. Every read of households starts at Household.objects.visible_to(user)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core import crypto
from bangfu.core.codes import prefix_q, text_prefix_q
from bangfu.core.dates import SHANGHAI
from bangfu.core.permissions import Role
from bangfu.core.text import clean_text
from bangfu.emergency.models import (
    CheckStatus,
    Emergency,
    EmergencyStatus,
    FeverAlert,
    HealthCheck,
    Quarantine,
    QuarantineStatus,
    Returnee,
    Summary,
)
from bangfu.households import identity
from bangfu.households.models import Household, Member, scope_q
from bangfu.households.queries import search_q
from bangfu.regions.models import Region


def households_in_quarantine(household_ids) -> set[int]:
    """Of these households, those with someone in home quarantine: their deliveries go first
    (declared on the app's config, bangfu.deliveries.priority). One query."""
    return set(Quarantine.objects.filter(household__in=household_ids, status=QuarantineStatus.ACTIVE)
               .values_list("household_id", flat=True))


def emergencies_for(user) -> QuerySet[Emergency]:
    """Open first, then the latest."""
    return Emergency.objects.visible_to(user).select_related("region").order_by("status", "-start", "-pk")


def emergency_get(user, pk: int) -> Emergency:
    emergency = Emergency.objects.visible_to(user).select_related("region", "opened_by").filter(pk=pk).first()
    if emergency is None:
        raise Http404("no such emergency")
    return emergency


def checks_of_day(user, day, *, emergency: Emergency | None = None) -> QuerySet[HealthCheck]:
    """The day's checks of the households the user sees, not-done first, by village and number."""
    qs = HealthCheck.objects.filter(household__in=Household.objects.visible_to(user), day=day)
    if emergency is not None:
        qs = qs.filter(emergency=emergency)
    return qs.select_related("household", "household__region", "household__caseworker", "done_by").order_by(
        "status", "household__region_code", "household__number", "pk")


def check_get(user, pk: int) -> HealthCheck:
    check = (HealthCheck.objects.filter(household__in=Household.objects.visible_to(user), pk=pk)
             .select_related("emergency", "household", "household__region").first())
    if check is None:
        raise Http404("no such check")
    return check


@dataclass
class BoardGroup:
    key: str  # a village's code, a caseworker's id, or "none" for households nobody is assigned
    label: str
    due: int
    done: int

    @property
    def missing(self) -> int:
        return self.due - self.done


@dataclass
class Board:
    groups: list[BoardGroup]  # one page of the day's groups, the furthest behind first
    group_page: Page  # that page of groups (a county has over a thousand caseworkers)
    page: Page | None  # one page of the households not checked yet (of `group`, or of all groups)
    group: BoardGroup | None


BOARD_PAGE = 50
GROUPS_PAGE = 50


def check_board(user, day, *, emergency: Emergency | None = None, by: str = "village", group: str = "",
                page: int | str | None = 1, per_page: int = BOARD_PAGE, group_page: int | str | None = 1,
                groups_per_page: int = GROUPS_PAGE) -> Board:
    """The day's checks counted per village (or caseworker), a page of groups at a time, the
    furthest behind first; and the households not checked yet, page by page, by village and number.
    Counts cover every check whatever the size; `page=None`: the groups only. A fixed number of
    queries (the groups and their total, their names, the chosen group, the page and its total)."""
    checks = checks_of_day(user, day, emergency=emergency)
    key_field = "household__caseworker_id" if by == "caseworker" else "region_code"
    counted = (checks.order_by().values(key_field)
               .annotate(due=Count("pk"), done=Count("pk", filter=Q(status=CheckStatus.DONE)))
               .annotate(behind=F("due") - F("done")))
    groups_page = Paginator(counted.order_by("-behind", F(key_field).asc(nulls_last=True)),
                            groups_per_page).get_page(group_page)
    chosen_row = None
    if group:
        wanted = None if group == "none" else group
        if by == "caseworker" and wanted is not None and not wanted.isdigit():
            wanted = -1  # no such caseworker: no group
        chosen_row = counted.filter(**{key_field: wanted}).order_by(key_field).first()
    rows = list(groups_page.object_list) + ([chosen_row] if chosen_row else [])
    keys = [row[key_field] for row in rows]
    if by == "caseworker":
        from bangfu.accounts.models import User

        names = {u.pk: str(u) for u in User.objects.filter(pk__in=[k for k in keys if k])}
    else:
        names = dict(Region.objects.filter(code__in=keys).values_list("code", "name"))
    names[None] = _("Nobody assigned")

    def as_group(row) -> BoardGroup:
        return BoardGroup(key=str(row[key_field] or "none"), label=names.get(row[key_field], "—"),
                          due=row["due"], done=row["done"])

    groups = [as_group(row) for row in groups_page.object_list]
    groups_page.object_list = groups
    chosen = as_group(chosen_row) if chosen_row else None
    missing = checks.filter(status=CheckStatus.DUE)
    if chosen is not None:
        missing = missing.filter(**{key_field: None if chosen.key == "none" else chosen.key})
    return Board(groups=groups, group_page=groups_page, group=chosen,
                 page=None if page is None else Paginator(missing, per_page).get_page(page))


@dataclass
class EmergencyNumbers:
    due: int = 0
    done: int = 0
    fever_alerts: int = 0
    in_quarantine: int = 0


def emergency_numbers(user, emergency: Emergency, day) -> EmergencyNumbers:
    """The day's numbers from the summary rows of the villages the user sees (one query)."""
    qs = Summary.objects.filter(emergency=emergency, day=day)
    if user.role != Role.ADMIN:
        qs = qs.filter(prefix_q("region_code", user.region_id or "-"))
    totals = qs.aggregate(due=Sum("due"), done=Sum("done"), fever_alerts=Sum("fever_alerts"),
                          in_quarantine=Sum("in_quarantine"))
    return EmergencyNumbers(**{key: value or 0 for key, value in totals.items()})


def village_numbers(user, emergency: Emergency, day) -> list[tuple[str, Summary]]:
    qs = Summary.objects.filter(emergency=emergency, day=day).order_by("region_code")
    if user.role != Role.ADMIN:
        qs = qs.filter(prefix_q("region_code", user.region_id or "-"))
    rows = list(qs)
    names = dict(Region.objects.filter(code__in=[r.region_code for r in rows]).values_list("code", "name"))
    return [(names.get(r.region_code, r.region_code), r) for r in rows]


def fever_alerts(user, emergency: Emergency, day, *, limit: int = 100) -> list[FeverAlert]:
    return list(FeverAlert.objects.filter(emergency=emergency, day=day,
                                          household__in=Household.objects.visible_to(user))
                .select_related("household", "household__region", "need").order_by("-raised_at")[:limit])


def returnees_for(user, emergency: Emergency, *, limit: int = 300) -> list[Returnee]:
    return list(Returnee.objects.visible_to(user).filter(emergency=emergency)
                .select_related("household", "household__region", "quarantine").order_by("-arrival", "-pk")[:limit])


def _id_hash(text: str) -> str:
    """The lookup hash of a full, valid ID number; empty for anything else."""
    if len(text) < 15:
        return ""
    try:
        return crypto.keyed_hash(identity.parse_id_number(text, allow_disability=False).base)
    except identity.IdentityError:
        return ""


def returnee_household_ids(text: str) -> QuerySet:
    """The households search's part from this app (declared as `household_search`): households with
    a returnee of this name (its first characters), ID number, or last 4-6 characters of it."""
    condition = _returnee_search_q(text)
    if condition is None:
        return Returnee.objects.none().values("household_id")
    return Returnee.objects.filter(condition).values("household_id")


def _returnee_search_q(text: str) -> Q | None:
    text = clean_text(text)
    hashed = _id_hash(text)
    if hashed:
        return Q(id_hash=hashed)
    if re.fullmatch(r"[0-9]{3,5}[0-9xX]", text):
        return prefix_q("id_tail_reversed", text.upper()[::-1])
    if text and not re.fullmatch(r"[0-9a-zA-Z]+", text):
        return text_prefix_q("name", text)
    return None


def returnee_search_matches(text: str, household_ids: list[int]) -> dict[int, list[str]]:
    """Why the search found these households through this app (declared as `household_search_matches`):
    "返乡人员：赵归" for each returnee of theirs the text matches. One query for a page of results."""
    condition = _returnee_search_q(text)
    if condition is None or not household_ids:
        return {}
    notes: dict[int, list[str]] = {}
    for household_id, name in (Returnee.objects.filter(condition, household_id__in=household_ids)
                               .order_by("household_id", "pk").values_list("household_id", "name")):
        note = _("Returnee: %(name)s") % {"name": name}
        if note not in notes.setdefault(household_id, []):
            notes[household_id].append(note)
    return notes


RETURNEE_HOUSEHOLD_CHOICES = 20


def households_for_returnee(user, text: str) -> list[Household]:
    """The household a returnee joins, as the user typed it: its number, the name of someone in it
    (a member or a returnee), or an ID number in full or its last 4-6 characters. One row is the
    household; several are for the user to choose from (at most RETURNEE_HOUSEHOLD_CHOICES)."""
    text = clean_text(text)
    if not text:
        return []
    visible = Household.objects.visible_to(user).select_related("region")
    exact = visible.filter(number=text).first()
    if exact is not None:
        return [exact]
    hashed = _id_hash(text)
    if hashed:
        condition = Q(pk__in=Member.objects.filter(id_hash=hashed).values("household_id"))
    else:
        condition = search_q(text)
    condition |= Q(pk__in=returnee_household_ids(text))
    return list(visible.filter(condition).order_by("region_code", "number")[:RETURNEE_HOUSEHOLD_CHOICES])


def returnee_registered(user, *, client_id: str) -> bool:
    """Whether this submission (its client id) registered a returnee the user may see already."""
    return Returnee.objects.visible_to(user).filter(client_id=client_id).exists()


def worklist_checks(user, day, *, limit: int = 100) -> tuple[list[HealthCheck], int]:
    """A caseworker's households not checked yet today in open emergencies (rows, count). The
    households visible to the user and assigned to them: the scope door's rule applied by a join on
    the check's household (scope_q) rather than a subquery of all the visible households."""
    scope = scope_q(user, "household__")
    if scope is None:
        return [], 0
    qs = HealthCheck.objects.filter(scope, household__caseworker=user, day=day, status=CheckStatus.DUE,
                                    emergency__status=EmergencyStatus.OPEN)
    rows = list(qs.select_related("household", "household__region", "emergency")
                .only(*WORKLIST_CHECK_COLUMNS)
                .order_by("household__region_code", "household__number")[: limit + 1])
    count = len(rows) if len(rows) <= limit else qs.count()
    return rows[:limit], count


# What the worklist's section shows of a check (emergency/_section_checks.html) and the API gives.
WORKLIST_CHECK_COLUMNS = (
    "id", "household_id", "emergency_id", "day", "status",
    "household__id", "household__number", "household__head_name", "household__region_id",
    "household__region__code", "household__region__name", "emergency__id", "emergency__title",
)


def print_checks(household_ids: list[int], day) -> dict[int, str]:
    """The village's printed list (casework.printcolumns): each household's daily check of the day
    in open emergencies, as found (fever, checked at, not checked yet). One query."""
    cells: dict[int, list[str]] = {}
    rows = (HealthCheck.objects.filter(household_id__in=household_ids, day=day, emergency__status=EmergencyStatus.OPEN)
            .order_by("emergency_id").values_list("household_id", "status", "done_at", "fever"))
    for household_id, status, done_at, fever in rows:
        if status == CheckStatus.DONE:
            text = _("Checked %(time)s") % {"time": timezone.localtime(done_at, SHANGHAI).strftime("%H:%M")}
            if fever:
                text = f"{text} · {_('Fever')}"
        else:
            text = _("Not checked yet")
        cells.setdefault(household_id, []).append(text)
    return {household_id: "; ".join(texts) for household_id, texts in cells.items()}
