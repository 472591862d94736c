"""Reads of households shared by pages, the API and exports. Every one starts at visible_to(user)."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from functools import cache

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from bangfu.core import crypto
from bangfu.core.codes import prefix_q, text_prefix_q
from bangfu.core.plugins import declared
from bangfu.core.permissions import Role
from bangfu.core.text import clean_text, pinyin_query
from bangfu.history.models import Change
from bangfu.households.models import ConflictStatus, EditConflict, Household, HouseholdCategory, Member, scope_q


@dataclass
class HouseholdFilter:
    q: str = ""
    village: str = ""
    category: str = ""
    caseworker: int | None = None
    status: str = ""
    request_id: str = ""

    def as_params(self) -> dict[str, str]:
        params = {
            "q": self.q, "village": self.village, "category": self.category,
            "caseworker": str(self.caseworker or ""), "status": self.status, "request_id": self.request_id,
        }
        return {k: v for k, v in params.items() if v}


class MatchedBy:
    """How a search found a household (the words a result row shows)."""

    NAME = "name"
    PINYIN = "pinyin"
    INITIALS = "initials"
    PHONE_TAIL = "phone_tail"
    PHONE = "phone"
    ID_TAIL = "id_tail"
    NUMBER = "number"
    OTHER = "other"  # through another app's rows (household_search_matches): its note says how


MATCH_LABELS = {
    MatchedBy.NAME: _("name"),
    MatchedBy.PINYIN: _("name in pinyin"),
    MatchedBy.INITIALS: _("pinyin initials"),
    MatchedBy.PHONE_TAIL: _("last 4 digits of the phone"),
    MatchedBy.PHONE: _("phone"),
    MatchedBy.ID_TAIL: _("end of the ID number"),
    MatchedBy.NUMBER: _("household number"),
}


@dataclass(frozen=True)
class SearchTerms:
    """One search box's text, read once: which kinds of value it can be."""

    text: str = ""
    id_tail: str = ""        # reversed, upper case: 4-6 characters, the last maybe X
    phone_tail: str = ""     # exactly 4 digits
    phone_key: str = ""      # 7 or more digits: a whole phone (or a household number)
    number_prefix: str = ""  # 7 or more digits
    letters: str = ""        # pinyin, full or initials
    name: str = ""           # anything else: the start of a name

    @classmethod
    def read(cls, raw: str) -> SearchTerms:
        text = clean_text(raw)
        if not text:
            return cls()
        if re.fullmatch(r"[0-9]{3,5}[0-9xX]", text):
            return cls(text=text, id_tail=text.upper()[::-1],
                       phone_tail=text if re.fullmatch(r"[0-9]{4}", text) else "")
        if re.fullmatch(r"[0-9]{7,}", text):
            return cls(text=text, number_prefix=text, phone_key=crypto.phone_lookup_key(text))
        if re.fullmatch(r"[a-zA-Z:üÜ]+", text):
            return cls(text=text, letters=pinyin_query(text))
        return cls(text=text, name=text)

    def member_q(self) -> Q | None:
        """The members this text finds (None: it finds households by their own fields only)."""
        condition = None
        for part in (
            prefix_q("id_tail_reversed", self.id_tail) if self.id_tail else None,
            Q(phone_tail=self.phone_tail) if self.phone_tail else None,
            Q(phone_hash=crypto.keyed_hash(self.phone_key)) if self.phone_key else None,
            (prefix_q("name_initials", self.letters) | prefix_q("name_pinyin", self.letters)) if self.letters else None,
            text_prefix_q("name", self.name) if self.name else None,
        ):
            if part is not None:
                condition = part if condition is None else condition | part
        return condition

    def how(self, member: Member) -> list[str]:
        """Which of this text's kinds a member's stored values answer (MatchedBy values)."""
        found = []
        if self.name and member.name.startswith(self.name):
            found.append(MatchedBy.NAME)
        if self.letters and member.name_pinyin.startswith(self.letters):
            found.append(MatchedBy.PINYIN)
        elif self.letters and member.name_initials.startswith(self.letters):
            found.append(MatchedBy.INITIALS)
        if self.id_tail and member.id_tail_reversed.startswith(self.id_tail):
            found.append(MatchedBy.ID_TAIL)
        if self.phone_tail and member.phone_tail == self.phone_tail:
            found.append(MatchedBy.PHONE_TAIL)
        if self.phone_key and member.phone_hash == crypto.keyed_hash(self.phone_key):
            found.append(MatchedBy.PHONE)
        return found


def search_q(text: str) -> Q:
    """What one search box means: a name; pinyin, in full (庞振波 -> pangzhenbo) or initials
    (逄珍波 -> pzb), or their start; the last 4-6 characters of an ID number; the last 4 digits of a
    phone, or a whole phone; or a household number."""
    terms = SearchTerms.read(text)
    if not terms.text:
        return Q()
    condition = Q(number=terms.text)
    if terms.number_prefix:
        condition |= prefix_q("number", terms.number_prefix)
    if terms.phone_tail:
        condition |= Q(phone_tail=terms.phone_tail)
    if terms.phone_key:
        condition |= Q(phone_hash=crypto.keyed_hash(terms.phone_key))
    member_q = terms.member_q()
    if member_q is not None:
        condition |= Q(pk__in=Member.objects.filter(member_q).values("household_id"))
    return condition


@cache
def _search_parts() -> tuple:
    return tuple(import_string(path) for path in declared("household_search"))


@cache
def _match_parts() -> tuple:
    return tuple(import_string(path) for path in declared("household_search_matches"))


def plugged_search_q(text: str) -> Q:
    """What other apps find a household by: each app's `household_search` (on its AppConfig) names a
    function text -> a queryset of `household_id` values (a returnee of that name, for instance)."""
    condition = Q()
    text = clean_text(text)
    if text:
        for part in _search_parts():
            condition |= Q(pk__in=part(text))
    return condition
@dataclass(frozen=True)
class SearchMatch:
    """One reason a household is in the results: a member (None for the household's own number or
    phone) and how the text matched it."""

    how: str
    member: Member | None = None
    # For a household found through another app's rows: the words shown, e.g. 返乡人员：赵归.
    note: str = ""

    @property
    def label(self) -> str:
        return self.note or str(MATCH_LABELS[self.how])


def search_matches(households: list[Household], text: str) -> dict[int, list[SearchMatch]]:
    """For the households of one page of results, which member matched the search and how, so that
    a row found by an ID's or a phone's tail says whose it is. One query, whatever the page size."""
    terms = SearchTerms.read(text)
    if not terms.text or not households:
        return {}
    found: dict[int, list[SearchMatch]] = {h.pk: [] for h in households}
    for household in households:
        if household.number == terms.text or (terms.number_prefix and household.number.startswith(terms.number_prefix)):
            found[household.pk].append(SearchMatch(MatchedBy.NUMBER))
    member_q = terms.member_q()
    if member_q is not None:
        members = (Member.objects.filter(member_q, household_id__in=list(found))
                   .only("id", "household_id", "name", "name_initials", "name_pinyin", "relation",
                         "id_tail_reversed", "id_number_encrypted", "phone_tail", "phone_hash")
                   .order_by("household_id", "id"))
        for member in members:
            found[member.household_id].extend(SearchMatch(how, member) for how in terms.how(member))
    for household in households:
        if found[household.pk]:
            continue
        # The household's own phone (a landline nobody in it is recorded with).
        if terms.phone_tail and household.phone_tail == terms.phone_tail:
            found[household.pk].append(SearchMatch(MatchedBy.PHONE_TAIL))
        elif terms.phone_key and household.phone_hash == crypto.keyed_hash(terms.phone_key):
            found[household.pk].append(SearchMatch(MatchedBy.PHONE))
    # Found through another app's rows (a returnee of that name): each app's `household_search_matches`
    # names a function (text, household ids) -> {household id: [notes]}.
    for part in _match_parts():
        for pk, notes in part(terms.text, list(found)).items():
            found[pk].extend(SearchMatch(MatchedBy.OTHER, note=note) for note in notes)
    return {pk: matches for pk, matches in found.items() if matches}


def households_filtered(user, flt: HouseholdFilter) -> QuerySet[Household]:
    qs = Household.objects.visible_to(user)
    if flt.village:
        qs = qs.filter(prefix_q("region_code", flt.village))
    if flt.category:
        qs = qs.filter(pk__in=HouseholdCategory.objects.filter(category=flt.category).values("household_id"))
    if flt.caseworker:
        qs = qs.filter(caseworker_id=flt.caseworker)
    if flt.status:
        qs = qs.filter(status=flt.status)
    if flt.request_id:
        qs = qs.filter(pk__in=Change.objects.filter(request_id=flt.request_id).values("household_id"))
    if flt.q:
        qs = qs.filter(search_q(flt.q) | plugged_search_q(flt.q))
    return qs


def encode_cursor(household: Household) -> str:
    raw = json.dumps([household.region_code, household.number], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, str] | None:
    if not cursor:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        region_code, number = json.loads(raw)
        region_code, number = str(region_code), str(number)
    except (ValueError, TypeError):
        return None
    if "\x00" in region_code + number:
        return None  # not a cursor we made, and PostgreSQL cannot compare a NUL (a 500)
    return region_code, number


@dataclass
class Page:
    rows: list[Household]
    next_cursor: str | None
    count: int
    count_is_exact: bool
    filters: HouseholdFilter = field(default_factory=HouseholdFilter)


def household_page(user, flt: HouseholdFilter, *, cursor: str = "", size: int | None = None) -> Page:
    """One page in (village, number) order, by keyset; the count is exact only up to COUNT_LIMIT."""
    size = size or settings.PAGE_SIZE
    qs = households_filtered(user, flt)
    count_limit = settings.COUNT_LIMIT
    count = qs[: count_limit + 1].count()
    position = decode_cursor(cursor)
    if position is not None:
        region_code, number = position
        qs = qs.filter(Q(region_code__gt=region_code) | Q(region_code=region_code, number__gt=number))
    rows = list(
        qs.order_by("region_code", "number")
        .select_related("region", "caseworker")
        .prefetch_related(Prefetch("categories", queryset=HouseholdCategory.objects.only("household_id", "category")))
        [: size + 1]
    )
    next_cursor = encode_cursor(rows[size - 1]) if len(rows) > size else None
    return Page(
        rows=rows[:size], next_cursor=next_cursor, count=min(count, count_limit),
        count_is_exact=count <= count_limit, filters=flt,
    )


def household_get(user, pk: int) -> Household:
    """A household the user may see, or 404 (never 403: outside the scope it does not exist)."""
    household = (
        Household.objects.visible_to(user).select_related("region", "caseworker")
        .prefetch_related("categories").filter(pk=pk).first()
    )
    if household is None:
        raise Http404("no such household")
    return household


def member_get(user, pk: int) -> Member:
    member = Member.objects.select_related("household", "household__region").filter(
        pk=pk, household__in=Household.objects.visible_to(user)
    ).first()
    if member is None:
        raise Http404("no such member")
    return member


def members_of(household: Household) -> list[Member]:
    return sorted(household.members.all(), key=lambda m: (not m.is_head, m.relation != "配偶", m.birth_date))


def household_history(user, household: Household, *, limit: int = 200) -> list[Change]:
    """The household's timeline, newest first (the household must already be visible)."""
    return list(
        Change.objects.filter(household_id=household.pk).select_related("actor")[:limit]
    )


def assignments_of(household: Household):
    return household.assignments.select_related("caseworker", "assigned_by").order_by("-start", "-id")


# --- edits held for review ----------------------------------------------------------------------

def conflicts_visible(user) -> QuerySet[EditConflict]:
    """The held edits a reviewer may see: of the households in their area; a caseworker, of the
    households they are the caseworker of (not the neighbours' a village-wide view shows them)."""
    condition = scope_q(user, "household__")
    if condition is None:
        return EditConflict.objects.none()
    rows = EditConflict.objects.filter(condition)
    if user.role == Role.CASEWORKER:
        rows = rows.filter(household__caseworker_id=user.pk)
    return rows


def conflicts_open(user, *, limit: int = 200) -> list[EditConflict]:
    return list(
        conflicts_visible(user).filter(status=ConflictStatus.OPEN)
        .select_related("household", "household__region", "member", "submitted_by")
        .order_by("submitted_at", "id")[:limit]
    )


def conflict_get(user, pk: int) -> EditConflict:
    conflict = conflicts_visible(user).select_related("household", "member").filter(pk=pk).first()
    if conflict is None:
        raise Http404("no such held edit")
    return conflict
