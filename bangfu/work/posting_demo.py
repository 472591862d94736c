"""Demo job postings: 送庄镇's postings of February and March (236, generated from a fixed seed:
employers of 洛阳, 郑州 and the coast, their jobs and wages), published to the villages' WeChat
groups in 15 batches, as the township's report counts "230 postings pushed". The report's months
(2020) are the latest February and March that have passed, as the demo's other records are dated
in its own year, so that a briefing of the year shows them beside the drive and the fund. And a
dozen postings open now for each township, with some labourers told, interested and hired."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.work import postings
from bangfu.work import posting_queries as pq
from bangfu.work.posting_models import JobPosting, Publication, Step

REPORT_TOWNSHIP = "送庄镇"
REPORT_POSTINGS = 236
# Employers by place (code, name): in the county, the city, the province, and the coast.
EMPLOYERS = (
    ("410308", "孟津区", ("洛阳中集凌宇汽车有限公司", "孟津区扶贫车间(送庄)", "洛阳市恒盛食品有限公司", "孟津县平乐牡丹画院",
                          "洛阳龙羽宜电有限公司")),
    ("4103", "洛阳市", ("中信重工机械股份有限公司", "洛阳LYC轴承有限公司", "洛阳北方易初摩托车公司", "洛阳市政建设集团")),
    ("4101", "郑州市", ("富士康科技集团郑州科技园", "郑州宇通客车股份有限公司", "郑州思念食品有限公司", "三全食品股份有限公司")),
    ("440300", "广东省深圳市", ("比亚迪股份有限公司", "深圳华强电子厂", "顺丰速运分拣中心")),
    ("320500", "江苏省苏州市", ("苏州名硕电脑有限公司", "昆山仁宝电子科技有限公司")),
    ("330200", "浙江省宁波市", ("宁波舜宇光电有限公司", "宁波奥克斯空调有限公司")),
)
JOBS = (("普工", 3200, 4800, 18, 45, ""), ("操作工", 3500, 5500, 18, 45, ""), ("焊工", 5000, 8000, 20, 50, "持焊工证"),
        ("电工", 4500, 7000, 20, 50, "持电工证"), ("叉车司机", 4500, 6000, 20, 50, "持叉车证"),
        ("快递分拣员", 4000, 6000, 18, 45, ""), ("保洁员", 1800, 2500, 30, 60, ""), ("保安", 2500, 3500, 20, 55, ""),
        ("缝纫工", 3000, 5000, 18, 50, ""), ("厨师", 4000, 6500, 25, 55, "有经验者优先"), ("质检员", 3500, 4500, 18, 40, ""),
        ("装配工", 3800, 5200, 18, 45, ""))
SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
SOURCES = ("孟津区人力资源和社会保障局", "洛阳市公共就业服务中心", "企业直接提供", "送庄镇劳动保障所")


def _data(rng: random.Random, valid_until: dt.date, *, local: bool = False) -> dict:
    code, place, employers = EMPLOYERS[0] if local else rng.choice(EMPLOYERS)
    title, low, high, young, old, skills = rng.choice(JOBS)
    return {"employer": rng.choice(employers), "title": title, "openings": rng.choice((2, 5, 10, 20, 30, 50, 100)),
            "place_code": code, "place_name": place, "wage_min": low * 100, "wage_max": high * 100,
            "age_min": young, "age_max": old, "sex": "F" if title in ("缝纫工", "保洁员") and rng.random() < 0.5 else "",
            "skill": "skilled" if skills.startswith("持") else "", "skills": skills,
            "board": rng.choice(("both", "both", "meals", "lodging", "none")),
            "contact": f"{rng.choice(SURNAMES)}经理 1{rng.choice('3578')}{rng.randrange(10**8, 10**9)}",
            "valid_until": valid_until, "source": rng.choice(SOURCES)}


def report_year(today: dt.date) -> int:
    """The year of the latest February and March that have passed."""
    return today.year if today >= dt.date(today.year, 4, 1) else today.year - 1


def postings_demo_load(*, seed: int = 2020) -> dict[str, int]:
    rng = random.Random(seed)
    today = local_today()
    counts = {"postings": 0, "publications": 0, "referrals": 0, "hired": 0}
    offices = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region__level=Level.TOWNSHIP).select_related("region")
    for office in offices.order_by("region_id"):
        township = office.region
        if township.name == REPORT_TOWNSHIP:
            # February–March: batches every three or four days, each published the day it came.
            day, made = dt.date(report_year(today), 2, 3), 0
            while made < REPORT_POSTINGS:
                batch = [postings.posting_create(township=township, actor=office,
                                                 data=_data(rng, day + dt.timedelta(days=rng.choice((15, 30, 45)))))
                         for _ in range(min(16, REPORT_POSTINGS - made))]
                when = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)))
                JobPosting.objects.filter(pk__in=[p.pk for p in batch]).update(created_at=when)
                publication = postings.publication_create(township=township, postings=batch, actor=office)
                Publication.objects.filter(pk=publication.pk).update(published_at=when)
                made += len(batch)
                counts["postings"] += len(batch)
                counts["publications"] += 1
                day += dt.timedelta(days=rng.choice((3, 4)))
            for posting in JobPosting.objects.filter(region_code=township.code, valid_until__lt=today):
                postings.posting_close(posting=posting, actor=office)
        # Open now: a dozen postings, half of them in the county, published once.
        current = [postings.posting_create(township=township, actor=office,
                                           data=_data(rng, today + dt.timedelta(days=30 + 5 * i), local=i % 2 == 0))
                   for i in range(12)]
        postings.publication_create(township=township, postings=current, actor=office)
        counts["postings"] += len(current)
        counts["publications"] += 1
        # The caseworkers' calls: the nearest matches told, some interested, a few hired.
        for posting in current[:4]:
            for n, (member, _distance) in enumerate(pq.matches(office, posting)[:5]):
                step = (Step.HIRED, Step.INTERESTED, Step.TOLD, Step.TOLD, Step.TOLD)[n]
                postings.referral_record(posting=posting, member=member, step=step, actor=office)
                counts["referrals"] += 1
                counts["hired"] += step == Step.HIRED
    return counts
