"""Demo data for the public-welfare posts: in each township, posts in its villages (保洁, 护路,
光伏管护…), appointees chosen under the rules, last month's attendance every working day as the
village cadre took it, the township's assessment and last month's payroll, approved."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.models import Member
from bangfu.regions.models import Region
from bangfu.work import welfare
from bangfu.work.welfare_models import Funding, Mark, PostType

POSTS = ((PostType.CLEANING, 2, 600_00, Funding.LINKAGE), (PostType.ROAD, 1, 500_00, Funding.LINKAGE),
         (PostType.SOLAR, 1, 800_00, Funding.SOLAR), (PostType.DROWNING, 1, 400_00, Funding.EMPLOYMENT))


def welfare_demo_load(*, seed: int = 17) -> dict[str, int]:
    rng = random.Random(seed)
    today = local_today()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    start = (month - dt.timedelta(days=1)).replace(day=1)
    counts = {"posts": 0, "appointees": 0, "days": 0, "payrolls": 0}
    offices = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region__level=Level.TOWNSHIP).select_related("region")
    for office in offices.order_by("region_id"):
        township = office.region
        villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=township.code).order_by("code"))
        for village in villages[:3]:
            for post_type, places, pay, funding in POSTS:
                post = welfare.post_create(village=village, actor=office, data={
                    "post_type": post_type, "places": places, "pay_fen": pay, "funding": funding})
                counts["posts"] += 1
                candidates = list(Member.objects.filter(household__region_code=village.code)
                                  .order_by("household_id", "pk"))
                rng.shuffle(candidates)
                for member in candidates:
                    if post.appointments.count() >= places:
                        break
                    if welfare.appointment_refusals(post=post, member=member, start=start):
                        continue
                    try:
                        appointment = welfare.appoint(post=post, member=member, actor=office,
                                                      published_on=start - dt.timedelta(days=7), start=start,
                                                      end=start + dt.timedelta(days=364),
                                                      # A demo bank card (一卡通): 19 digits, sealed.
                                                      account=f"6228480{member.pk:012d}")
                    except ValidationError:
                        continue
                    welfare.appointment_start(appointment=appointment, actor=office, today=start)
                    counts["appointees"] += 1
                    # Last month's working days, as the village cadre marked them.
                    day = month
                    while day.month == month.month:
                        if day.weekday() < 5:
                            mark = rng.choices((Mark.PRESENT, Mark.ABSENT, Mark.LEAVE), (18, 1, 1))[0]
                            welfare.attendance_record(appointment=appointment, day=day, mark=mark, actor=office)
                            counts["days"] += 1
                        day += dt.timedelta(days=1)
                    welfare.assess(appointment=appointment, month=month, actor=office,
                                   township_points=rng.choice((44, 47, 50)), review_points=rng.choice((16, 18, 20)))
        try:
            payroll = welfare.payroll_prepare(township=township, month=month, actor=office)
        except ValidationError:
            continue
        welfare.payroll_approve(payroll=payroll, actor=office)
        counts["payrolls"] += 1
    return counts
