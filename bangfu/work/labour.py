"""The labour force: the registry's members of working age with labour ability."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet

from bangfu.core.codes import prefix_q
from bangfu.core.dates import local_today
from bangfu.households.choices import LaborSkill
from bangfu.households.models import Household, Member

ABLE = (LaborSkill.ORDINARY, LaborSkill.SKILLED, LaborSkill.WEAK)


def age_range() -> tuple[int, int]:
    """劳动年龄: settings.WORK_AGE_MIN to WORK_AGE_MAX (16 to 60 by default)."""
    return settings.WORK_AGE_MIN, settings.WORK_AGE_MAX


def _birth_window(today: dt.date) -> tuple[dt.date, dt.date]:
    """Born on or after the first day and on or before the second: of working age on `today`."""
    youngest, oldest = age_range()

    def years_before(years: int) -> dt.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    return years_before(oldest + 1) + dt.timedelta(days=1), years_before(youngest)


def is_labourer(member: Member, today: dt.date | None = None) -> bool:
    first, last = _birth_window(today or local_today())
    return member.labor_skill in ABLE and first <= member.birth_date <= last


def labourers(user, *, village_code: str = "", township_code: str = "", today: dt.date | None = None) -> QuerySet:
    """The labourers the user may see (all, for None: a service's own selection), of a village or a
    township when given."""
    first, last = _birth_window(today or local_today())
    households = Household.objects.all() if user is None else Household.objects.visible_to(user)
    members = Member.objects.filter(household__in=households, labor_skill__in=ABLE,
                                    birth_date__gte=first, birth_date__lte=last)
    area = village_code or township_code
    if area:
        members = members.filter(prefix_q("household__region_code", area))
    return members
