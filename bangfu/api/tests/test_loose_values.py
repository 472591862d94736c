"""Values out of any sensible range are refused on their field, by the API, the pages' forms and
the import alike, and nothing is written (issue 20, finding 6)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError

from bangfu.accounts.testing import ApiClient
from bangfu.casework.models import Campaign, Contact
from bangfu.casework.services import campaign_create
from bangfu.core.dates import local_today
from bangfu.deliveries.models import Delivery
from bangfu.emergency.models import Emergency
from bangfu.households.forms import HouseholdForm, MemberForm
from bangfu.households.models import Household
from bangfu.imports.forms import HouseholdImportForm
from conftest import VILLAGE_A, household_data, member_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def _refused(response, field: str) -> list[str]:
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert field in errors, errors
    return errors[field]


def _household_body(**fields) -> dict:
    member = {k: v for k, v in member_data().items() if v is not None}
    member["birth_date"] = member["birth_date"].isoformat()
    return {"region": VILLAGE_A, "categories": ["registered_poor"], "identification_standard": "national",
            "poverty_attribute": "general", "main_cause": "illness", "members": [member], **fields}


def test_negative_farmland_is_refused_by_the_api_the_page_form_and_the_import(personas, regions):
    api = ApiClient(personas["office"])
    before = Household.objects.count()
    assert _refused(api.post("/api/households", _household_body(farmland_mu=-5)), "farmland_mu")
    assert _refused(api.post("/api/households", _household_body(farmland_mu="1e9")), "farmland_mu")
    assert Household.objects.count() == before
    for form_class in (HouseholdForm, HouseholdImportForm):
        form = form_class(data={**household_data(VILLAGE_A), "farmland_mu": "-5"})
        assert not form.is_valid() and "farmland_mu" in form.errors
    ok = HouseholdForm(data={**household_data(VILLAGE_A), "farmland_mu": "12.5"})
    ok.is_valid()
    assert "farmland_mu" not in ok.errors


def test_income_area_and_birth_date_have_bounds():
    form = HouseholdForm(data={**household_data(VILLAGE_A), "wage_income": "-100", "housing_area": "-1",
                               "business_income": "200000000"})
    assert not form.is_valid()
    assert {"wage_income", "housing_area", "business_income"} <= set(form.errors)
    member = MemberForm(data={**member_data(), "birth_date": "1899-12-31", "work_months": "13"})
    assert not member.is_valid() and {"birth_date", "work_months"} <= set(member.errors)


def test_a_contact_dated_in_year_one_is_refused(personas, home):
    api = ApiClient(personas["caseworker_a"])
    body = {"client_id": str(uuid.uuid4()), "household": home.pk, "channel": "phone", "reached": False,
            "not_reached_reason": "no_answer", "at": "0001-01-01T00:00:00Z"}
    message = _refused(api.post("/api/contacts", body), "at")
    assert message == ["请输入 2000-01-01 或之后的日期。"]
    assert api.post("/api/contacts", {**body, "at": "1999-12-31T12:00:00+08:00"}).status_code == 422
    assert api.post("/api/contacts", {**body, "at": "0001-01-01T00:00:00+02:00"}).status_code == 422
    assert api.post("/api/contacts", {**body, "at": "9999-12-31T23:59:00-05:00"}).status_code == 422
    assert not Contact.objects.exists()
    assert api.post("/api/contacts", {**body, "at": "2020-03-01T09:00:00+08:00"}).status_code == 201


def test_answers_without_a_campaign_are_refused(personas, home):
    api = ApiClient(personas["caseworker_a"])
    body = {"client_id": str(uuid.uuid4()), "household": home.pk, "channel": "phone", "reached": False,
            "not_reached_reason": "no_answer", "answers": {"q1": True}}
    assert _refused(api.post("/api/contacts", body), "answers") == ["答案属于专项行动的问题，请先选择专项行动。"]
    huge = {f"k{n}": "x" * 500 for n in range(2000)}  # about 1 MB
    assert api.post("/api/contacts", {**body, "answers": huge}).status_code == 422
    assert api.post("/api/contacts", {**body, "answers": {"q1": {"deep": [1, 2]}}}).status_code == 422
    assert not Contact.objects.exists()


def test_an_emergency_starting_in_9999_is_refused(personas, regions):
    api = ApiClient(personas["office"])
    body = {"title": "汛期", "kind": "flood", "region": "370215010", "start": "9999-12-31"}
    _refused(api.post("/api/emergencies", body), "start")
    _refused(api.post("/api/emergencies", {**body, "start": "0001-01-01"}), "start")
    _refused(api.post("/api/emergencies", {**body, "start": local_today().isoformat(), "end": "9999-12-31"}), "end")
    assert not Emergency.objects.exists()
    assert api.post("/api/emergencies", {**body, "start": local_today().isoformat()}).status_code == 201


def test_a_delivery_costing_ten_to_the_twelve_fen_is_refused(personas, home):
    api = ApiClient(personas["office"])
    body = {"household": home.pk, "kind": "goods", "source": "bought", "description": "代购降压药", "cost": 10**12}
    _refused(api.post("/api/deliveries", body), "cost")
    assert not Delivery.objects.exists()
    assert api.post("/api/deliveries", {**body, "cost": 2350}).status_code == 201


def test_a_campaign_for_an_area_that_does_not_exist_is_refused(personas, regions):
    start = local_today()
    body = {"name": "随访", "region_codes": ["999999999999"], "start": start.isoformat(),
            "end": (start + dt.timedelta(days=6)).isoformat()}
    for who in ("admin", "office"):
        _refused(ApiClient(personas[who]).post("/api/campaigns", body), "region_codes")
    # Inside the office's own prefix, but no such village.
    _refused(ApiClient(personas["office"]).post("/api/campaigns", {**body, "region_codes": ["370215010999"]}),
             "region_codes")
    assert not Campaign.objects.exists()
    with pytest.raises(ValidationError, match="999999999999"):
        campaign_create(actor=personas["admin"], name="x", region_codes=["999999999999"], start=start, end=start)
    _refused(ApiClient(personas["office"]).post("/api/campaigns", {**body, "region_codes": [VILLAGE_A],
                                                                   "start": "9999-01-01"}), "start")


def test_true_is_not_household_one(personas, home):
    api = ApiClient(personas["caseworker_a"])
    need = {"client_id": str(uuid.uuid4()), "household": True, "category": "employment", "description": "找工作"}
    assert _refused(api.post("/api/needs", need), "household")
    contact = {"client_id": str(uuid.uuid4()), "household": True, "channel": "phone", "reached": False,
               "not_reached_reason": "no_answer"}
    assert _refused(api.post("/api/contacts", contact), "household")
    assert not Contact.objects.exists()
    assert api.post("/api/needs", {**need, "household": home.pk}).status_code == 201
