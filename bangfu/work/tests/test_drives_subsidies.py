"""Back-to-work drives (targets chosen by the rule, outcomes, the count reports read) and the
employment subsidy (the county's amounts, one payment a year, approval by role, the bank's export
by role), through the services, the pages and the API."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.history.models import Change
from bangfu.work import queries, services
from bangfu.work.demo import work_demo_load
from bangfu.work.models import (
    Activity,
    Area,
    Drive,
    DriveTargetRule,
    LabourStatus,
    ListStatus,
    Outcome,
    SubsidyList,
    SubsidyPayment,
)
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db
TODAY = local_today()
LAST_YEAR = TODAY.year - 1


def _record(member, actor, month: dt.date, activity=Activity.MIGRANT, place="440300", reason=""):
    data = {"month": month, "activity": activity, "place_code": place if activity == Activity.MIGRANT else "",
            "reason": reason}
    return services.status_record(member=member, data=data, actor=actor)[0]


@pytest.fixture
def history(worker, migrants, personas):
    """Last year: the worker and migrants 0-5 away (0-2 outside the province, 3 outside the city,
    4 outside the county, 5 within it), migrants 6-7 at home. This year, migrant 0 is back at work
    already."""
    office = personas["office"]
    december = dt.date(LAST_YEAR, 12, 1)
    places = ["440300", "32", "31", "370100", "370211", "370215"]
    _record(worker, office, dt.date(LAST_YEAR, 6, 1), place="440300")
    for member, place in zip(migrants, places):
        _record(member, office, december, place=place)
    for member in migrants[6:]:
        _record(member, office, december, Activity.UNEMPLOYED, reason="照顾家人")
    _record(migrants[0], office, dt.date(TODAY.year, 1, 1))
    return migrants


def test_a_placements_last_years_migrants_not_back_at_work(history, worker, regions, personas):
    drive = services.drive_create(township=regions["370215010"], title="春节后返岗", rule=DriveTargetRule.MIGRANT_LAST_YEAR,
                                  start=dt.date(TODAY.year, 2, 1), end=dt.date(TODAY.year, 3, 31),
                                  actor=personas["office"])
    targeted = set(drive.targets.values_list("member__name", flat=True))
    assert targeted == {"戴明", "外出1", "外出2", "外出3", "外出4", "外出5"}  # 外出0 is back; 6 and 7 stayed home
    everyone = services.drive_create(township=regions["370215010"], title="就业帮扶", rule=DriveTargetRule.NOT_AT_WORK,
                                     start=dt.date(TODAY.year, 2, 1), end=dt.date(TODAY.year, 3, 31),
                                     actor=personas["office"])
    assert set(everyone.targets.values_list("member__name", flat=True)) == {"外出6", "外出7"}
    assert Change.objects.filter(object_type="drive", object_id=drive.pk, action="create").exists()
    assert Change.objects.filter(object_type="placement", action="create").count() == 6 + 2


def test_refused_drives_write_nothing(history, regions, personas):
    args = {"title": "返岗", "rule": DriveTargetRule.MIGRANT_LAST_YEAR, "start": TODAY, "end": TODAY}
    with pytest.raises(PermissionDenied):
        services.drive_create(township=regions["370215010"], actor=personas["caseworker_a"], **args)
    with pytest.raises(ValidationError):
        services.drive_create(township=regions["370215010"], actor=personas["outsider_office"], **args)
    assert not Drive.objects.exists()


@pytest.fixture
def drive(history, regions, personas):
    return services.drive_create(township=regions["370215010"], title="春节后返岗",
                                 rule=DriveTargetRule.MIGRANT_LAST_YEAR, start=dt.date(TODAY.year, 2, 1),
                                 end=dt.date(TODAY.year, 3, 31), actor=personas["office"])


def test_outcomes_count_and_the_month_follows(drive, personas):
    targets = {t.member.name: t for t in drive.targets.select_related("member")}
    returned_on = dt.date(TODAY.year, 2, 12)
    services.drive_outcome_record(target=targets["戴明"], actor=personas["caseworker_a"], data={
        "outcome": Outcome.RETURNED, "returned_on": returned_on, "place_code": "440300", "place_name": "深圳",
        "transport": "point_to_point", "reason": ""})
    services.drive_outcome_record(target=targets["外出3"], actor=personas["caseworker_a"], data={
        "outcome": Outcome.RETURNED, "returned_on": returned_on, "place_code": "370100", "place_name": "济南",
        "transport": "chartered", "reason": ""})
    services.drive_outcome_record(target=targets["外出5"], actor=personas["caseworker_a"], data={
        "outcome": Outcome.NOT_YET, "reason": "等待通知", "returned_on": None, "place_code": "", "place_name": ""})
    assert queries.returned_count(drive) == 2
    counts = queries.drive_counts(personas["office"], drive)
    assert counts["returned"] == 2 and counts["not_yet"] == 1 and counts["pending"] == 3
    assert counts["subsidy_fen"] == 50000 + 40000  # 省外 500, 省内市外 400
    status = LabourStatus.objects.get(member=targets["戴明"].member, month=dt.date(TODAY.year, 2, 1))
    assert status.activity == Activity.MIGRANT and status.started_on == returned_on
    # A caseworker of the other village neither sees nor records this drive's labourers.
    with pytest.raises(Http404):
        services.drive_outcome_record(target=targets["外出4"], actor=personas["caseworker_b"],
                                      data={"outcome": Outcome.NOT_GOING, "reason": "x"})
    with pytest.raises(ConflictError):
        services.drive_outcome_record(target=targets["外出4"], actor=personas["office"], version=9,
                                      data={"outcome": Outcome.NOT_GOING, "reason": "x"})


def test_drive_pages(client, drive, personas):
    client.force_login(personas["caseworker_a"])
    target = drive.targets.get(member__name="戴明")
    page = client.get(reverse("work:drive", args=[drive.pk])).content.decode()
    assert "戴明" in page and "春节后返岗" in page
    url = reverse("work:drive_outcome", args=[target.pk])
    assert "data-outbox" in client.get(url).content.decode()
    assert client.post(url, {"outcome": "returned", "returned_on": "", "place_code": ""}).status_code == 200
    assert client.post(url, {"outcome": "returned", "returned_on": f"{TODAY.year}-02-15", "place_code": "44",
                             "transport": "chartered", "version": target.version}).status_code == 302
    target.refresh_from_db()
    assert target.outcome == "returned" and target.subsidy_fen == 50000
    client.force_login(personas["outsider_office"])
    assert client.get(reverse("work:drive", args=[drive.pk])).status_code == 404
    client.force_login(personas["office"])
    response = client.post(reverse("work:drive_add"), {"title": "返岗二期", "start": f"{TODAY.year}-02-01",
                                                       "end": f"{TODAY.year}-03-01", "rule": "not_at_work"})
    assert response.status_code == 302 and Drive.objects.count() == 2


def test_drive_api(drive, personas):
    api = ApiClient(personas["caseworker_a"])
    listed = api.get("/api/drives").json()
    assert listed[0]["targeted"] == 6 and listed[0]["returned"] == 0
    detail = api.get(f"/api/drives/{drive.pk}").json()
    target = next(t for t in detail["targets"] if t["name"] == "外出1")
    done = api.post(f"/api/drives/targets/{target['id']}", {
        "outcome": "returned", "returned_on": f"{TODAY.year}-02-11", "place_code": "32", "version": target["version"]})
    assert done.status_code == 200 and done.json()["returned"] == 1 and done.json()["targets"][0]["subsidy"] == 500
    assert ApiClient(personas["outsider_office"]).get(f"/api/drives/{drive.pk}").status_code == 404


# --- subsidies ---------------------------------------------------------------------------------

def test_the_county_sets_its_amounts(regions, personas):
    county = regions["370215"]
    assert services.subsidy_amounts("370215")[Area.OUTSIDE_PROVINCE] == 50000
    services.subsidy_rates_set(county=county, actor=personas["county"], amounts={
        Area.OUTSIDE_PROVINCE: 60000, Area.OUTSIDE_CITY: 40000, Area.OUTSIDE_COUNTY: 30000})
    assert services.subsidy_amounts("370215")[Area.OUTSIDE_PROVINCE] == 60000
    with pytest.raises(PermissionDenied):
        services.subsidy_rates_set(county=county, actor=personas["office"], amounts={})


def test_a_list_pays_each_labourer_once_a_year(history, worker, regions, personas):
    office = personas["office"]
    made = services.subsidy_list_prepare(township=regions["370215010"], year=LAST_YEAR, actor=office)
    amounts = {p.member.name: (p.area, p.amount_fen) for p in made.payments.select_related("member")}
    assert amounts == {"戴明": (Area.OUTSIDE_PROVINCE, 50000), "外出0": (Area.OUTSIDE_PROVINCE, 50000),
                       "外出1": (Area.OUTSIDE_PROVINCE, 50000), "外出2": (Area.OUTSIDE_PROVINCE, 50000),
                       "外出3": (Area.OUTSIDE_CITY, 40000), "外出4": (Area.OUTSIDE_COUNTY, 30000)}
    # A second list for the year finds no one left.
    with pytest.raises(ValidationError):
        services.subsidy_list_prepare(township=regions["370215010"], year=LAST_YEAR, actor=office)
    # And the database holds the rule whatever the code does.
    other = SubsidyList.objects.create(region=regions["370215010"], region_code="370215010", year=LAST_YEAR,
                                       prepared_by=office, prepared_at=made.prepared_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        SubsidyPayment.objects.create(subsidy_list=other, member=worker, household=worker.household,
                                      region_code=VILLAGE_A, year=LAST_YEAR, area=Area.OUTSIDE_PROVINCE,
                                      amount_fen=50000)
    # Taken off a list being prepared, the labourer may be listed again.
    payment = made.payments.get(member=worker)
    services.subsidy_payment_remove(payment=payment, actor=office)
    again = services.subsidy_list_prepare(township=regions["370215010"], year=LAST_YEAR, actor=office)
    assert list(again.payments.values_list("member__name", flat=True)) == ["戴明"]


@pytest.fixture
def subsidy_list(history, regions, personas):
    return services.subsidy_list_prepare(township=regions["370215010"], year=LAST_YEAR, actor=personas["office"])


def test_the_county_approves_and_the_list_no_longer_changes(subsidy_list, personas, regions):
    with pytest.raises(PermissionDenied):
        services.subsidy_list_approve(subsidy_list=subsidy_list, actor=personas["office"])
    approved = services.subsidy_list_approve(subsidy_list=subsidy_list, actor=personas["county"])
    assert approved.status == ListStatus.APPROVED and approved.approved_by == personas["county"]
    payment = subsidy_list.payments.first()
    with pytest.raises(ValidationError):
        services.subsidy_account_set(payment=payment, account="6228480000000001", actor=personas["office"])
    with pytest.raises(ValidationError):
        services.subsidy_list_approve(subsidy_list=subsidy_list, actor=personas["county"])


def test_approval_out_of_the_county_is_not_found(subsidy_list, regions):
    from bangfu.accounts.models import Role
    from bangfu.accounts.services import user_add

    other = user_add(username="mengjin", role=Role.COUNTY, region_code="410308", password="pw-mengjin",
                     display_name="孟津", check_password=False)[0]
    with pytest.raises(Http404):
        services.subsidy_list_approve(subsidy_list=subsidy_list, actor=other)
    subsidy_list.refresh_from_db()
    assert subsidy_list.status == ListStatus.DRAFT


def _export(client, subsidy_list) -> list[tuple]:
    response = client.get(reverse("work:subsidy_export", args=[subsidy_list.pk]))
    assert response.status_code == 200
    return list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_the_banks_export_reveals_only_to_the_roles_allowed(client, subsidy_list, worker, personas):
    payment = subsidy_list.payments.get(member=worker)
    services.subsidy_account_set(payment=payment, account="6228480012345678", actor=personas["office"])
    client.force_login(personas["office"])
    page = client.get(reverse("work:subsidy", args=[subsidy_list.pk])).content.decode()
    assert "6228480012345678" not in page and "****5678" in page and worker.id_number not in page
    # Not before approval.
    assert client.get(reverse("work:subsidy_export", args=[subsidy_list.pk])).status_code == 302
    services.subsidy_list_approve(subsidy_list=subsidy_list, actor=personas["county"])
    rows = _export(client, subsidy_list)
    assert rows[0] == ("序号", "姓名", "证件号码", "银行卡号", "村", "务工地点", "地域", "金额(元)")
    mine = next(r for r in rows[1:] if r[1] == "戴明")
    assert mine[2] == worker.id_number and mine[3] == "6228480012345678" and mine[6] == "省外" and mine[7] == 500
    client.force_login(personas["county"])  # the county approves but does not reveal ID numbers
    mine = next(r for r in _export(client, subsidy_list)[1:] if r[1] == "戴明")
    assert mine[2] != worker.id_number and mine[2].endswith(worker.id_number[-2:]) and mine[3] == "****5678"
    assert Change.objects.filter(object_type="subsidy_list", action="export").count() == 2
    client.force_login(personas["caseworker_a"])
    assert client.get(reverse("work:subsidy_export", args=[subsidy_list.pk])).status_code == 403
    client.force_login(personas["outsider_office"])
    assert client.get(reverse("work:subsidy_export", args=[subsidy_list.pk])).status_code == 404


def test_subsidy_pages_and_api(client, history, personas):
    client.force_login(personas["office"])
    response = client.post(reverse("work:subsidy_add"), {"year": LAST_YEAR, "township": "370215010"})
    assert response.status_code == 302
    made = SubsidyList.objects.get()
    client.force_login(personas["county"])
    assert client.post(reverse("work:subsidy_approve", args=[made.pk])).status_code == 302
    made.refresh_from_db()
    assert made.status == ListStatus.APPROVED
    api = ApiClient(personas["county"]).get(f"/api/subsidies/{made.pk}").json()
    assert api["count"] == 6 and api["total"] == 2700 and all("*" in p["id_number"] for p in api["payments"])
    assert ApiClient(personas["outsider_office"]).get(f"/api/subsidies/{made.pk}").status_code == 404
    assert ApiClient(personas["caseworker_a"]).get("/api/subsidies").status_code == 403
    client.force_login(personas["county"])
    assert client.post(reverse("work:rates"), {"outside_province": "600", "outside_city": "400",
                                               "outside_county": "300"}).status_code == 302
    assert services.subsidy_amounts("370215")[Area.OUTSIDE_PROVINCE] == 60000


def test_the_demo_brings_seven_back_to_work(make_household, personas):
    from bangfu.households import choices
    from conftest import member_data

    for i in range(9):
        make_household(caseworker=personas["caseworker_a"], members=[member_data(
            name=f"务工{i}", birth_date=dt.date(TODAY.year - 30, 1, 1), work_status=choices.WorkStatus.OUTSIDE)])
    counts = work_demo_load()
    drive = Drive.objects.get(region_code="370215010")
    assert queries.returned_count(drive) == 7 and counts["returned"] == 7
    assert SubsidyList.objects.get(region_code="370215010").status == ListStatus.APPROVED


def test_the_deployments_default_amounts_and_working_age_are_settings(settings, worker, personas):
    from bangfu.work.labour import labourers

    settings.WORK_SUBSIDY_DEFAULT_FEN = {"outside_province": 80000, "outside_city": 40000, "outside_county": 30000}
    assert services.subsidy_amounts("370215")[Area.OUTSIDE_PROVINCE] == 80000
    settings.WORK_AGE_MAX = 40  # the worker is 45
    assert not labourers(personas["office"]).filter(pk=worker.pk).exists()
