"""Reads of job postings, each starting at `visible_to(user)`, and matching: for a posting, the
labourers in scope who are not at work and meet its requirements, nearest first; for a labourer,
the open postings they meet."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import Http404

from bangfu.core.codes import CODE_LENGTHS, Level
from bangfu.core.dates import local_today
from bangfu.households.choices import LaborSkill
from bangfu.households.models import Member
from bangfu.work.labour import labourers
from bangfu.work.models import Activity, LabourStatus, Outcome, Placement
from bangfu.work.posting_models import JobPosting, PostingStatus, Publication, Referral, SkillRequired

# Distance by the region codes' relation: same village, township, county, city, province, farther.
LEVELS = (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE)
DISTANCE_LABELS = ("same village", "same township", "same county", "same city", "same province", "farther")
# Not looking for work: at work, in school, unable to go out.
NOT_LOOKING = frozenset({Activity.MIGRANT, Activity.NEARBY, Activity.SELF_EMPLOYED, Activity.WELFARE_POST,
                         Activity.IN_SCHOOL, Activity.UNABLE})


def distance(home: str, place: str) -> int:
    """0 for the same village, 1 the same township, 2 county, 3 city, 4 province, 5 farther. A
    place known only to its county (or city…) is as near as that level allows."""
    for index, level in enumerate(LEVELS):
        length = CODE_LENGTHS[level]
        if len(home) >= length and len(place) >= length and home[:length] == place[:length]:
            return index
    return len(LEVELS)


def postings_for(user, *, status: str = "", search: str = "") -> QuerySet:
    postings = JobPosting.objects.visible_to(user).select_related("region")
    if status in PostingStatus.values:
        postings = postings.filter(status=status)
    if search:
        from django.db.models import Q

        postings = postings.filter(Q(employer__icontains=search) | Q(title__icontains=search))
    return postings


def open_postings(user, *, township_code: str = "", today: dt.date | None = None) -> QuerySet:
    postings = JobPosting.objects.visible_to(user).filter(status=PostingStatus.OPEN,
                                                         valid_until__gte=today or local_today())
    if township_code:
        postings = postings.filter(region_code=township_code)
    return postings.order_by("valid_until", "id")


def posting_get(user, pk: int) -> JobPosting:
    found = JobPosting.objects.visible_to(user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("no such posting")
    return found


def _age(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def meets(posting: JobPosting, member: Member, today: dt.date) -> bool:
    """Whether a labourer meets a posting's requirements: age, sex, labour ability."""
    age = _age(member.birth_date, today)
    if posting.age_min is not None and age < posting.age_min:
        return False
    if posting.age_max is not None and age > posting.age_max:
        return False
    if posting.sex and member.sex != posting.sex:
        return False
    if posting.skill == SkillRequired.SKILLED and member.labor_skill != LaborSkill.SKILLED:
        return False
    return True


def looking(members: QuerySet, today: dt.date) -> set[int]:
    """Of these labourers, those looking for work: their latest status says not working (未就业), or
    they have none and a drive has them not back yet (or not asked yet)."""
    ids = set(members.values_list("pk", flat=True))
    latest: dict[int, str] = {}
    for member_id, activity in (LabourStatus.objects.filter(member_id__in=ids, month__lte=today)
                                .order_by("member_id", "-month").values_list("member_id", "activity")):
        latest.setdefault(member_id, activity)
    waiting = set(Placement.objects.filter(member_id__in=ids, outcome__in=(Outcome.PENDING, Outcome.NOT_YET))
                  .values_list("member_id", flat=True))
    return {m for m in ids if latest.get(m) == Activity.UNEMPLOYED or (m not in latest and m in waiting)}


def matches(user, posting: JobPosting, *, today: dt.date | None = None) -> list[tuple[Member, int]]:
    """The labourers of the posting's township the user may see who look for work and meet its
    requirements, nearest to its place first (then by name), each with their distance."""
    today = today or local_today()
    members = labourers(user, township_code=posting.region_code, today=today).select_related("household__region")
    wanted = looking(members, today)
    found = [(m, distance(m.household.region_code, posting.place_code))
             for m in members.filter(pk__in=wanted) if meets(posting, m, today)]
    found.sort(key=lambda pair: (pair[1], pair[0].household.region_code, pair[0].name, pair[0].pk))
    return found


def postings_for_member(user, member: Member, *, today: dt.date | None = None) -> list[tuple[JobPosting, int]]:
    """The open postings of the labourer's township that they meet, nearest first."""
    today = today or local_today()
    township = member.household.region_code[:CODE_LENGTHS[Level.TOWNSHIP]]
    found = [(p, distance(member.household.region_code, p.place_code))
             for p in open_postings(user, township_code=township, today=today) if meets(p, member, today)]
    found.sort(key=lambda pair: (pair[1], pair[0].valid_until, pair[0].pk))
    return found


def referrals_of(user, posting: JobPosting) -> dict[int, Referral]:
    return {r.member_id: r for r in Referral.objects.visible_to(user).filter(posting=posting)}


def publications_for(user) -> QuerySet:
    return Publication.objects.visible_to(user).prefetch_related("postings")


def publication_get(user, pk: int) -> Publication:
    found = Publication.objects.visible_to(user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404("no such publication")
    return found
