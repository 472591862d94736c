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

from bangfu.core.codes import prefix_q, text_prefix_q
from bangfu.core.plugins import declared
from bangfu.core.text import clean_text
from bangfu.history.models import Change
from bangfu.households.models import Household, HouseholdCategory, Member


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


def search_q(text: str) -> Q:
    """What one search box means: a name, pinyin initials (逄珍波 -> pzb), the last 4-6 characters
    of an ID number, or a household number."""
    text = clean_text(text)
    if not text:
        return Q()
    condition = Q(number=text)
    if re.fullmatch(r"[0-9]{3,5}[0-9xX]", text):
        tail = text.upper()[::-1]
        members = Member.objects.filter(prefix_q("id_tail_reversed", tail))
        condition |= Q(pk__in=members.values("household_id"))
    elif re.fullmatch(r"[0-9]{7,}", text):
        condition |= prefix_q("number", text)
    elif re.fullmatch(r"[a-zA-Z]+", text):
        members = Member.objects.filter(prefix_q("name_initials", text.lower()))
        condition |= Q(pk__in=members.values("household_id"))
    else:
        members = Member.objects.filter(text_prefix_q("name", text))
        condition |= Q(pk__in=members.values("household_id"))
    return condition


@cache
def _search_parts() -> tuple:
    return tuple(import_string(path) for path in declared("household_search"))


def plugged_search_q(text: str) -> Q:
    """What other apps find a household by: each app's `household_search` (on its AppConfig) names a
    function text -> a queryset of `household_id` values (a returnee of that name, for instance)."""
    condition = Q()
    text = clean_text(text)
    if text:
        for part in _search_parts():
            condition |= Q(pk__in=part(text))
    return condition


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
