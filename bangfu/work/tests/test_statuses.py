"""Monthly statuses: 地域 from the codes, the labour force from the registry, and a status recorded
on the labourer's page, on the contact form, in a village's grid, by import and by the API; each
with history, refused out of scope or for the wrong role with nothing written."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from openpyxl import Workbook

from bangfu.accounts.testing import ApiClient
from bangfu.casework.models import Contact
from bangfu.core.dates import local_today
from bangfu.history.models import Change
from bangfu.work import services
from bangfu.work.areas import area_of, band_of
from bangfu.work.forms import month_start
from bangfu.work.labour import labourers
from bangfu.work.models import Activity, Area, LabourStatus, Source
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db
HOME = VILLAGE_A  # 370215010001: 山东省 青岛市 即墨区


def this_month() -> dt.date:
    return month_start(local_today())


@pytest.mark.parametrize(("place", "area", "band"), [
    ("44", Area.OUTSIDE_PROVINCE, "outside_province"),
    ("440300", Area.OUTSIDE_PROVINCE, "outside_province"),
    ("37", Area.OUTSIDE_CITY, "in_province"),
    ("370100", Area.OUTSIDE_CITY, "in_province"),
    ("3702", Area.OUTSIDE_COUNTY, "in_province"),
    ("370211", Area.OUTSIDE_COUNTY, "in_province"),
    ("370215", Area.IN_COUNTY, "in_county"),
    ("370215010002", Area.IN_COUNTY, "in_county"),
])
def test_area_is_derived_from_the_two_codes(place, area, band):
    assert area_of(place, HOME) == area
    assert band_of(area) == band


def test_the_labour_force_is_of_working_age_with_labour_ability(home, personas):
    names = set(labourers(personas["office"]).values_list("name", flat=True))
    assert names == {"戴明"}  # not the spouse (no labour) nor the father (70)


def _data(**overrides) -> dict:
    return {"month": this_month(), "activity": Activity.MIGRANT, "place_code": "440300", "place_name": "深圳",
            "employer": "电子厂", "job": "普工", "wage": 520000, "started_on": None, "reason": "", **overrides}


def test_a_second_record_of_the_month_changes_the_first_with_history(worker, personas):
    caseworker = personas["caseworker_a"]
    first, created = services.status_record(member=worker, data=_data(), actor=caseworker)
    assert created and first.area == Area.OUTSIDE_PROVINCE and first.wage_fen == 520000
    again, created = services.status_record(member=worker, data=_data(activity=Activity.NEARBY, place_code="",
                                                                       employer="大棚", wage=None),
                                            actor=caseworker)
    assert not created and again.pk == first.pk and again.version == 2
    assert again.area == Area.IN_COUNTY and again.place_code == worker.household.region_code
    changes = Change.objects.filter(object_type="labour_status", object_id=first.pk).order_by("pk")
    assert [c.action for c in changes] == ["create", "update"]
    assert changes[1].before["activity"] == "migrant" and changes[1].after["activity"] == "nearby"


def test_a_retried_client_id_records_once(worker, personas):
    client_id = uuid.uuid4()
    one, created = services.status_record(member=worker, data=_data(), actor=personas["caseworker_a"],
                                          client_id=client_id)
    two, again = services.status_record(member=worker, data=_data(activity=Activity.UNEMPLOYED, reason="病"),
                                        actor=personas["caseworker_a"], client_id=client_id)
    assert created and not again and one.pk == two.pk and LabourStatus.objects.get().activity == "migrant"


def test_refused_writes_write_nothing(worker, home, personas, regions):
    with pytest.raises(Http404):
        services.status_record(member=worker, data=_data(), actor=personas["caseworker_b"])
    with pytest.raises(Http404):
        services.status_record(member=worker, data=_data(), actor=personas["outsider_office"])
    with pytest.raises(PermissionDenied):
        services.status_record(member=worker, data=_data(), actor=personas["county"])
    spouse = home.members.get(name="王芳")
    with pytest.raises(ValidationError) as error:
        services.status_record(member=spouse, data=_data(), actor=personas["caseworker_a"])
    assert "member" in error.value.message_dict
    assert not LabourStatus.objects.exists() and not Change.objects.filter(object_type="labour_status").exists()


def test_the_labourers_page_records_a_month(client, worker, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("work:labourer", args=[worker.pk])
    page = client.get(url).content.decode()
    assert "data-outbox" in page and 'name="client_id"' in page
    bad = client.post(url, {"month": this_month().strftime("%Y-%m"), "activity": "migrant", "place_code": ""})
    assert bad.status_code == 200 and not LabourStatus.objects.exists()
    body = {"month": this_month().strftime("%Y-%m"), "activity": "unemployed", "reason": "照顾老人",
            "client_id": str(uuid.uuid4())}
    assert client.post(url, body).status_code == 302
    assert client.post(url, body).status_code == 302  # sent again by the outbox
    status = LabourStatus.objects.get()
    assert status.activity == "unemployed" and status.reason == "照顾老人" and status.source == Source.PAGE
    assert client.get(reverse("work:labourer", args=[worker.pk])).status_code == 200
    client.force_login(personas["caseworker_b"])
    assert client.get(url).status_code == 404


def contact_post(**overrides) -> dict:
    return {"client_id": str(uuid.uuid4()), "channel": "phone", "notes": "电话随访", "outcome": "reached",
            "supplies_ok": "true", "prevention_ok": "true", "medical_access_ok": "true", "living_ok": "true",
            "need-client_id": str(uuid.uuid4()), "need-urgency": "normal", **overrides}


def test_the_contact_form_records_a_labourers_month(client, home, worker, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[home.pk])
    page = client.get(url).content.decode()
    assert 'name="work-member"' in page and "戴明" in page and "王芳" not in page.split('name="work-member"')[1][:400]
    # A part left empty records nothing.
    assert client.post(url, contact_post()).status_code == 302
    assert Contact.objects.count() == 1 and not LabourStatus.objects.exists()
    # A part with a labourer but no place for work away: neither the contact nor the status.
    response = client.post(url, contact_post(**{"work-member": worker.pk, "work-activity": "migrant"}))
    assert response.status_code == 200 and Contact.objects.count() == 1 and not LabourStatus.objects.exists()
    data = contact_post(**{"work-member": worker.pk, "work-activity": "migrant", "work-place_code": "320500",
                           "work-place_name": "苏州", "work-employer": "电子厂", "work-wage": "5200"})
    assert client.post(url, data).status_code == 302
    status = LabourStatus.objects.get()
    contact = Contact.objects.latest("pk")
    assert status.contact == contact and status.source == Source.CONTACT and status.month == this_month()
    assert status.area == Area.OUTSIDE_PROVINCE and status.wage_fen == 520000


def test_the_grid_records_a_villages_month_all_or_none(client, worker, migrants, personas):
    client.force_login(personas["office"])
    month = this_month().strftime("%Y-%m")
    url = reverse("work:grid") + f"?village={VILLAGE_A}&month={month}"
    page = client.get(url).content.decode()
    assert "外出0" in page and "戴明" in page
    body = {f"m{worker.pk}-activity": "migrant", f"m{worker.pk}-place_code": "3702",
            f"m{migrants[0].pk}-activity": "unemployed"}  # no reason: refused, so nothing at all
    response = client.post(url, body)
    assert response.status_code == 200 and not LabourStatus.objects.exists()
    body[f"m{migrants[0].pk}-reason"] = "照顾孩子"
    assert client.post(url, body).status_code == 302
    rows = {s.member_id: s for s in LabourStatus.objects.all()}
    assert set(rows) == {worker.pk, migrants[0].pk}
    assert rows[worker.pk].area == Area.OUTSIDE_COUNTY and rows[worker.pk].source == Source.GRID
    # A caseworker has no grid; another township's office no village here.
    client.force_login(personas["caseworker_a"])
    assert client.get(url).status_code == 403
    client.force_login(personas["outsider_office"])
    assert client.get(url).status_code == 404


def _sheet(rows: list[list]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(["证件号码", "月份", "就业状态", "原因", "务工地点代码", "务工地点", "单位", "月工资"])
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "statuses.xlsx"
    return out


def test_an_import_reports_by_row_and_column_and_writes_all_or_nothing(worker, migrants, personas):
    month = this_month().strftime("%Y-%m")
    bad = _sheet([[worker.id_number, month, "外出务工", "", "440300", "深圳", "电子厂", 5200],
                  [migrants[0].id_number, month, "未就业", "", "", "", "", ""],
                  [migrants[1].id_number, "2020-13", "外出务工", "", "44", "", "", ""],
                  ["110101199003070000", month, "外出务工", "", "44", "", "", ""]])
    result = services.statuses_import(source=bad, actor=personas["office"])
    messages = {(row, column) for row, column, _m in result.errors}
    assert messages == {(3, "原因"), (4, "月份"), (5, "证件号码")}
    assert not LabourStatus.objects.exists()
    good = _sheet([[worker.id_number, month, "外出务工", "", "440300", "深圳", "电子厂", 5200],
                   [migrants[0].id_number, month, "未就业", "照顾孩子", "", "", "", ""]])
    result = services.statuses_import(source=good, actor=personas["office"])
    assert not result.errors and result.created == 2
    status = LabourStatus.objects.get(member=worker)
    assert status.wage_fen == 520000 and status.area == Area.OUTSIDE_PROVINCE and status.source == Source.IMPORT
    # Another township's office finds none of these people.
    good.seek(0)
    result = services.statuses_import(source=good, actor=personas["outsider_office"])
    assert {c for _r, c, _m in result.errors} == {"证件号码"} and LabourStatus.objects.count() == 2


def test_the_import_page(client, worker, personas):
    client.force_login(personas["office"])
    sheet = _sheet([[worker.id_number, this_month().strftime("%Y-%m"), "就近就业", "", "", "", "大棚", 2400]])
    response = client.post(reverse("work:import"), {"file": sheet})
    assert response.status_code == 302 and LabourStatus.objects.get().activity == "nearby"


def test_the_api_lists_labourers_and_records_idempotently(worker, neighbour, personas):
    api = ApiClient(personas["caseworker_a"])
    listed = api.get("/api/labour").json()
    assert [row["name"] for row in listed] == ["戴明"] and listed[0]["status"] is None
    body = {"member": worker.pk, "month": this_month().strftime("%Y-%m"), "activity": "migrant",
            "place_code": "440300", "wage_fen": 520000, "client_id": "phone-1"}
    first = api.post("/api/labour/statuses", body)
    assert first.status_code == 201 and first.json()["area"] == "outside_province"
    again = api.post("/api/labour/statuses", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert api.get("/api/labour").json()[0]["status"]["wage_fen"] == 520000
    bad = api.post("/api/labour/statuses", {**body, "client_id": "phone-2", "place_code": "4403000"})
    assert bad.status_code == 422 and "place_code" in bad.json()["errors"]
    out = api.post("/api/labour/statuses", {**body, "client_id": "phone-3", "member": neighbour.pk})
    assert out.status_code == 404
    assert ApiClient(personas["county"]).post("/api/labour/statuses", {**body, "client_id": "x"}).status_code == 403
    assert LabourStatus.objects.count() == 1
    assert ApiClient(personas["outsider_office"]).get("/api/labour").json() == []


def test_the_labour_list_filters_and_counts(client, worker, migrants, personas):
    services.status_record(member=worker, data=_data(), actor=personas["office"])
    client.force_login(personas["office"])
    page = client.get(reverse("work:labour"), {"activity": "migrant"}).content.decode()
    assert "戴明" in page and "外出0" not in page
    page = client.get(reverse("work:labour"), {"activity": "none"}).content.decode()
    assert "外出0" in page and "戴明" not in page
    client.force_login(personas["outsider_office"])
    assert "戴明" not in client.get(reverse("work:labour")).content.decode()


def test_an_import_writes_history_as_one_at_a_time_and_updates_a_month_recorded_before(worker, migrants, home,
                                                                                     personas):
    from bangfu.history.models import Change

    month = this_month().strftime("%Y-%m")
    services.status_record(member=migrants[0], data={**_data(), "activity": "unemployed", "reason": "无"},
                           actor=personas["office"])
    before = LabourStatus.objects.get(member=migrants[0])
    sheet = _sheet([[worker.id_number, month, "外出务工", "", "440300", "深圳", "电子厂", 5200],
                    [migrants[0].id_number, month, "就近就业", "", "", "", "大棚", 2400]])
    result = services.statuses_import(source=sheet, actor=personas["office"])
    assert not result.errors and (result.created, result.changed) == (1, 1)
    created = LabourStatus.objects.get(member=worker)
    change = Change.objects.get(object_type="labour_status", object_id=str(created.pk))
    assert change.action == "create" and change.after["area"] == Area.OUTSIDE_PROVINCE
    assert change.household_id == worker.household_id and change.region_code == worker.household.region_code
    updated = LabourStatus.objects.get(pk=before.pk)
    assert (updated.activity, updated.version, updated.source) == ("nearby", before.version + 1, Source.IMPORT)
    last = Change.objects.filter(object_type="labour_status", object_id=str(before.pk)).order_by("-pk").first()
    assert last.action == "update" and last.before["activity"] == "unemployed" and last.after["activity"] == "nearby"
    # Someone not of working age with labour ability is refused on their row, and nothing is written.
    elder = home.members.get(name="戴老汉")
    again = services.statuses_import(source=_sheet([[elder.id_number, month, "未就业", "年老", "", "", "", ""],
                                                     [worker.id_number, month, "未就业", "找工作", "", "", "", ""]]),
                                     actor=personas["office"])
    assert [(r, c) for r, c, _m in again.errors] == [(2, "证件号码")]
    assert LabourStatus.objects.get(member=worker).activity == "migrant"
