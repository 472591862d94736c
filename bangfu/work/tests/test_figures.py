"""Work's figures (core.figures): each compute equals a direct count of the same small data set,
the 地域 fold, the period's bounds, the village filter; and the seed numbers come out of the demo
(蓝村's drive: 7 back at work; 送庄: 230+ postings published in February and March 2020)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.apps import apps
from django.utils.module_loading import import_string

from bangfu.core.dates import local_today
from bangfu.households import choices
from bangfu.regions.models import Region
from bangfu.work import figures, postings, services, welfare
from bangfu.work.models import Activity, LabourStatus, Outcome
from bangfu.work.posting_models import Step
from bangfu.work.welfare_models import Mark, PostType
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = pytest.mark.django_db
TODAY = local_today()
THIS_MONTH = TODAY.replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
PERIOD = {"start": LAST_MONTH, "end": THIS_MONTH - dt.timedelta(days=1)}


def _born(age: int) -> dt.date:
    return dt.date(TODAY.year - age, 3, 1)


def test_every_indicator_is_declared_and_importable():
    config = apps.get_app_config("work")
    keys = [i.key for i in config.figure_indicators]
    assert len(keys) == len(set(keys)) and all(k.startswith("work.") for k in keys)
    for indicator in config.figure_indicators:
        assert callable(import_string(indicator.compute))
    for ratio in config.figure_ratios:
        assert {ratio.numerator, ratio.denominator} <= set(keys)


@pytest.fixture
def labour(make_household, personas):
    """Eight labourers of village A and two of village B, with statuses over two months: the latest
    status in the period counts, one of each month before it does not."""
    office = personas["office"]
    a = [make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name=f"甲{i}", birth_date=_born(25 + i))]).members.get() for i in range(8)]
    b = [make_household(VILLAGE_B, caseworker=personas["caseworker_b"], members=[
        member_data(name=f"乙{i}", birth_date=_born(30 + i))]).members.get() for i in range(2)]
    earlier = (LAST_MONTH - dt.timedelta(days=1)).replace(day=1)
    plan = [  # member, month, status
        (a[0], LAST_MONTH, {"activity": Activity.MIGRANT, "place_code": "44"}),            # 省外
        (a[1], LAST_MONTH, {"activity": Activity.MIGRANT, "place_code": "370100"}),        # 省内市外
        (a[2], LAST_MONTH, {"activity": Activity.MIGRANT, "place_code": "370211"}),        # 市内县外
        (a[3], LAST_MONTH, {"activity": Activity.NEARBY}),                                 # 县内 (home)
        (a[4], LAST_MONTH, {"activity": Activity.SELF_EMPLOYED, "place_code": "370215"}),  # 县内
        (a[5], LAST_MONTH, {"activity": Activity.UNEMPLOYED, "reason": "照顾老人"}),
        (a[6], earlier, {"activity": Activity.MIGRANT, "place_code": "44"}),               # before: not counted
        (a[7], LAST_MONTH, {"activity": Activity.WELFARE_POST}),
        (b[0], LAST_MONTH, {"activity": Activity.MIGRANT, "place_code": "44"}),
        (b[1], earlier, {"activity": Activity.UNEMPLOYED, "reason": "无"}),
        (b[1], LAST_MONTH, {"activity": Activity.NEARBY}),                                 # the latest counts
        (a[0], THIS_MONTH, {"activity": Activity.UNEMPLOYED, "reason": "回乡"}),            # after: not counted
    ]
    for member, month, data in plan:
        services.status_record(member=member, data={"month": month, **data}, actor=office)
    return a, b


def _direct(field: str, value) -> Counter:
    """The direct count: each member's latest status of the period."""
    latest = {}
    for s in LabourStatus.objects.filter(month__gte=PERIOD["start"], month__lte=PERIOD["end"]).order_by("month"):
        latest[s.member_id] = s
    return Counter(s.region_code for s in latest.values() if value(getattr(s, field)))


@pytest.mark.parametrize("name, activity", [
    ("labour_migrant", Activity.MIGRANT), ("labour_nearby", Activity.NEARBY),
    ("labour_self_employed", Activity.SELF_EMPLOYED), ("labour_welfare_post", Activity.WELFARE_POST),
    ("labour_unemployed", Activity.UNEMPLOYED),
])
def test_labourers_by_status_equal_a_direct_count(labour, name, activity):
    got = getattr(figures, name)(villages=None, **PERIOD)
    assert got == dict(_direct("activity", lambda v: v == activity))


def test_labourers_by_status_known_values(labour):
    assert figures.labour_migrant(villages=None, **PERIOD) == {VILLAGE_A: 3, VILLAGE_B: 1}
    assert figures.labour_nearby(villages=None, **PERIOD) == {VILLAGE_A: 1, VILLAGE_B: 1}
    assert figures.labour_unemployed(villages=None, **PERIOD) == {VILLAGE_A: 1}
    assert figures.labour_migrant(villages=[VILLAGE_B], **PERIOD) == {VILLAGE_B: 1}


@pytest.mark.parametrize("name, areas", [
    ("labour_outside_province", {"outside_province"}),
    ("labour_outside_county", {"outside_city", "outside_county"}),
    ("labour_in_county", {"in_county"}),
])
def test_labourers_by_region_equal_a_direct_count(labour, name, areas):
    got = getattr(figures, name)(villages=None, **PERIOD)
    assert got == dict(_direct("area", lambda v: v in areas))
    assert sum(got.values()) > 0


def test_drives_postings_and_referrals(labour, personas, regions):
    a, b = labour
    office = personas["office"]
    township = Region.objects.get(code=VILLAGE_A[:9])
    drive = services.drive_create(township=township, title="返岗", start=LAST_MONTH, end=PERIOD["end"],
                                  rule="not_at_work", actor=office)
    returned = 0
    for target in drive.targets.all():
        services.drive_outcome_record(target=target, actor=office, data={
            "outcome": Outcome.RETURNED, "returned_on": LAST_MONTH + dt.timedelta(days=2), "place_code": "44",
            "place_name": "广东", "transport": "", "reason": ""})
        returned += 1
    assert returned and sum(figures.drive_returned(villages=None, **PERIOD).values()) == returned
    assert figures.drive_returned(villages=None, start=THIS_MONTH, end=TODAY) == {}
    posting = postings.posting_create(township=township, actor=office, data={
        "employer": "厂", "title": "普工", "openings": 3, "place_code": "370215", "contact": "李 0532-1234567",
        "valid_until": TODAY + dt.timedelta(days=30)})
    postings.publication_create(township=township, postings=[posting], actor=office)
    postings.publication_create(township=township, postings=[posting], actor=office)  # pushed twice: once
    first = Region.objects.filter(parent_id=township.code, level="village").order_by("code").first().code
    assert figures.postings_published(villages=None, start=TODAY, end=TODAY) == {first: 1}
    assert figures.postings_published(villages=[VILLAGE_B] if first != VILLAGE_B else [VILLAGE_A],
                                      start=TODAY, end=TODAY) == {}
    postings.referral_record(posting=posting, member=a[5], step=Step.TOLD, actor=personas["caseworker_a"])
    postings.referral_record(posting=posting, member=a[0], step=Step.HIRED, actor=personas["caseworker_a"])
    postings.referral_record(posting=posting, member=b[1], step=Step.INTERESTED, actor=personas["caseworker_b"])
    today = {"start": TODAY, "end": TODAY}
    assert figures.referrals_told(villages=None, **today) == {VILLAGE_A: 2, VILLAGE_B: 1}
    assert figures.referrals_hired(villages=None, **today) == {VILLAGE_A: 1}


def test_welfare_places_attendance_and_pay(make_household, personas, regions):
    office = personas["office"]
    village = Region.objects.get(code=VILLAGE_A)
    post = welfare.post_create(village=village, actor=office, data={
        "post_type": PostType.CLEANING, "places": 4, "pay_fen": 800_00, "funding": "linkage"})
    welfare.post_create(village=village, actor=office, data={
        "post_type": PostType.ROAD, "places": 2, "pay_fen": 600_00, "funding": "linkage"})
    people = [make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name=f"岗{i}", birth_date=_born(40 + i))]).members.get() for i in range(3)]
    start = LAST_MONTH
    serving = []
    for member in people:
        appointment = welfare.appoint(post=post, member=member, published_on=start - dt.timedelta(days=10),
                                      start=start, end=start + dt.timedelta(days=365), actor=office)
        serving.append(welfare.appointment_start(appointment=appointment, actor=office, today=start))
    welfare.appointment_exit(appointment=serving[2], reason="school", on=start + dt.timedelta(days=3), actor=office)
    assert figures.welfare_places(villages=None, **PERIOD) == {VILLAGE_A: 6}
    assert figures.welfare_filled(villages=None, **PERIOD) == {VILLAGE_A: 2}
    marks = [Mark.PRESENT, Mark.PRESENT, Mark.ABSENT, Mark.LEAVE, Mark.PRESENT]
    for i, mark in enumerate(marks):
        for appointment in serving[:2]:
            welfare.attendance_record(appointment=appointment, day=start + dt.timedelta(days=i), mark=mark,
                                      actor=personas["village_a"])
    assert figures.attendance_present(villages=None, **PERIOD) == {VILLAGE_A: 2 * 3}
    assert figures.attendance_expected(villages=None, **PERIOD) == {VILLAGE_A: 2 * 4}
    for appointment in serving[:2]:
        welfare.assess(appointment=appointment, month=start, township_points=50, review_points=20, actor=office)
    payroll = welfare.payroll_prepare(township=village.parent, month=start, actor=office)
    assert figures.pay_issued(villages=None, **PERIOD) == {}  # not approved yet
    welfare.payroll_approve(payroll=payroll, actor=office)
    total = sum(line.amount_fen for line in payroll.lines.all())
    assert total > 0 and figures.pay_issued(villages=None, **PERIOD) == {VILLAGE_A: total}
    assert figures.pay_issued(villages=[VILLAGE_B], **PERIOD) == {}


def test_the_demo_gives_the_seed_numbers(make_household, personas):
    from bangfu.work.demo import RETURNED_LANCUN, work_demo_load
    from bangfu.work.posting_demo import REPORT_POSTINGS, postings_demo_load

    for i in range(9):
        make_household(caseworker=personas["caseworker_a"], members=[member_data(
            name=f"务工{i}", birth_date=dt.date(TODAY.year - 30, 1, 1), work_status=choices.WorkStatus.OUTSIDE)])
    work_demo_load()
    postings_demo_load()
    february = {"start": dt.date(TODAY.year, 2, 1), "end": dt.date(TODAY.year, 2, 28)}
    lancun = figures.drive_returned(villages=None, **february)
    assert sum(v for k, v in lancun.items() if k.startswith("370215010")) == RETURNED_LANCUN == 7
    from bangfu.work.posting_demo import report_year

    year = report_year(TODAY)
    songzhuang = figures.postings_published(villages=None, start=dt.date(year, 2, 1), end=dt.date(year, 3, 31))
    assert sum(v for k, v in songzhuang.items() if k.startswith("410308103")) == REPORT_POSTINGS >= 230
