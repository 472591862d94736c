"""Demo data for the work app: each township's labourers with their statuses for the last months
of last year and this month, a February back-to-work drive per township (蓝村街道's with 7
labourers back at work, as its report says), and last year's subsidy lists, 蓝村街道's approved
by the county."""

from __future__ import annotations

import datetime as dt
import random

from bangfu.accounts.models import User
from bangfu.core.codes import COUNTY_LENGTH, Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.choices import WorkStatus
from bangfu.work import services
from bangfu.work.forms import month_start
from bangfu.work.labour import labourers
from bangfu.work.models import Activity, DriveTargetRule, Outcome, Source, Transport

# Places of work outside the province (广东 深圳, 江苏 苏州, 浙江 宁波, 上海), by code and name.
FAR = (("440300", "广东省深圳市"), ("320500", "江苏省苏州市"), ("330200", "浙江省宁波市"), ("31", "上海市"))
EMPLOYERS = ("富士康科技集团", "比亚迪股份有限公司", "建筑工地", "物流园", "电子厂", "服装厂")
JOBS = ("普工", "操作工", "瓦工", "快递分拣", "保安", "厨师")
RETURNED_LANCUN = 7


def _places(township: str) -> dict[str, tuple[str, str]]:
    """A place in the province outside the city, and one in the city outside the county."""
    if township.startswith("37"):
        return {"province": ("370100", "山东省济南市"), "city": ("370211", "青岛市黄岛区")}
    return {"province": ("410100", "河南省郑州市"), "city": ("410305", "洛阳市涧西区")}


def _status(member, rng: random.Random, month: dt.date, places) -> dict:
    data = {"month": month}
    work = member.work_status
    if work == WorkStatus.OUTSIDE:
        code, name = rng.choice(FAR)
    elif work == WorkStatus.PROVINCE:
        code, name = places["province"]
    elif work == WorkStatus.COUNTY:
        code, name = places["city"]
    elif work == WorkStatus.LOCAL:
        return {**data, "activity": Activity.NEARBY, "place_code": member.household.region_code,
                "place_name": member.household.region.name, "employer": "本镇蔬菜大棚", "job": "种植",
                "wage": rng.choice((2000, 2400, 2800)) * 100}
    elif member.school_status:
        return {**data, "activity": Activity.IN_SCHOOL}
    else:
        return {**data, "activity": Activity.UNEMPLOYED, "reason": rng.choice(("照顾家人", "身体原因", "季节性务农"))}
    return {**data, "activity": Activity.MIGRANT, "place_code": code, "place_name": name,
            "employer": rng.choice(EMPLOYERS), "job": rng.choice(JOBS),
            "wage": rng.choice((3800, 4500, 5200, 6000)) * 100, "started_on": dt.date(month.year, 3, 1)}


def work_demo_load(*, seed: int = 17) -> dict[str, int]:
    rng = random.Random(seed)
    today = local_today()
    this_month = month_start(today)
    last_year = today.year - 1
    counts = {"statuses": 0, "drives": 0, "returned": 0, "lists": 0}
    offices = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region__level=Level.TOWNSHIP).select_related("region")
    for office in offices.order_by("region_id"):
        township = office.region
        places = _places(township.code)
        members = list(labourers(office, township_code=township.code).select_related("household__region")
                       .order_by("household__region_code", "pk"))
        # Last year's last two months, as the caseworkers recorded them on their calls.
        for month in (dt.date(last_year, 11, 1), dt.date(last_year, 12, 1)):
            for member in members:
                services.status_record(member=member, data=_status(member, rng, month, places), actor=office,
                                       source=Source.GRID)
                counts["statuses"] += 1
        # In February, who worked away last year is not back yet: the drive.
        start = dt.date(today.year, 2, 1)
        drive = services.drive_create(township=township, title=f"{township.name}{today.year}年春节后返岗复工",
                                      start=start, end=dt.date(today.year, 3, 31),
                                      rule=DriveTargetRule.MIGRANT_LAST_YEAR, actor=office)
        counts["drives"] += 1
        targets = list(drive.targets.select_related("member__household").order_by("pk"))
        returned = RETURNED_LANCUN if township.code.startswith("370215") else max(1, len(targets) // 2)
        for i, target in enumerate(targets):
            last = target.member.labour_statuses.order_by("-month").first()
            if i < returned:
                data = {"outcome": Outcome.RETURNED, "returned_on": dt.date(today.year, 2, 10 + i % 15),
                        "place_code": last.place_code, "place_name": last.place_name,
                        "transport": Transport.POINT_TO_POINT if i % 3 else Transport.CHARTERED}
                counts["returned"] += township.code.startswith("370215")
            elif i == returned:
                data = {"outcome": Outcome.NEARBY, "returned_on": dt.date(today.year, 2, 20),
                        "place_code": target.member.household.region_code, "place_name": "本镇扶贫车间"}
            elif i % 4 == 1:
                data = {"outcome": Outcome.NOT_YET, "reason": "等待企业复工通知"}
            else:
                continue  # not asked yet
            services.drive_outcome_record(target=target, data=data, actor=office)
        # This month's statuses for part of each village, the rest still to do.
        for member in members[::2]:
            last = member.labour_statuses.order_by("-month").first()
            data = _status(member, rng, this_month, places)
            if last is not None and last.month.year == today.year:
                data = {"month": this_month, "activity": last.activity, "place_code": last.place_code,
                        "place_name": last.place_name, "employer": last.employer, "job": last.job,
                        "wage": last.wage_fen, "started_on": last.started_on, "reason": last.reason}
            services.status_record(member=member, data=data, actor=office, source=Source.GRID)
            counts["statuses"] += 1
        # Last year's employment subsidies.
        if not services.subsidy_candidates(township_code=township.code, year=last_year):
            continue
        subsidy_list = services.subsidy_list_prepare(township=township, year=last_year, actor=office)
        counts["lists"] += 1
        county = User.objects.filter(role=Role.COUNTY, region_id=township.code[:COUNTY_LENGTH]).first()
        if county is not None:
            for n, payment in enumerate(subsidy_list.payments.order_by("pk")):
                services.subsidy_account_set(payment=payment, account=f"622848{township.code}{n:04d}"[:19],
                                             actor=office)
            services.subsidy_list_approve(subsidy_list=subsidy_list, actor=county)
    return counts
