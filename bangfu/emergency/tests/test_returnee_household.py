"""A returnee who joins a new household: registered in the registry by its own service (rules,
numbering, duplicate checks, history) in the same transaction as the returnee, the returnee as head;
once per client id; refused for those who may not register households; errors on the right field."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.emergency.models import HealthCheck, Quarantine, Returnee
from bangfu.emergency.services import NewHousehold, check_people, checks_generate, returnee_register
from bangfu.history.models import Change
from bangfu.households.models import Household, Member
from conftest import VILLAGE_A, VILLAGE_B, member_data, person_id

pytestmark = pytest.mark.django_db


def _register(emergency, actor, *, new=None, household=None, id_number=None, client_id=None, **overrides):
    kwargs = {"name": "刘返乡", "id_number": id_number or person_id(), "phone": "13912345678", "origin": "湖北省武汉市",
              "arrival": local_today() - dt.timedelta(days=1), "transport": "train"}
    kwargs.update(overrides)
    return returnee_register(emergency=emergency, household=household, new_household=new, actor=actor,
                             client_id=client_id, **kwargs)


def _counts():
    return Household.objects.count(), Member.objects.count(), Returnee.objects.count(), Change.objects.count()


def test_a_new_household_is_registered_with_the_returnee_as_head(emergency, personas):
    checks_generate()
    returnee = _register(emergency, personas["office"],
                         new=NewHousehold(village=VILLAGE_A, address="戴家庄村3组12号", education="初中"))
    household = returnee.household
    assert household.region_code == VILLAGE_A and household.number.startswith(VILLAGE_A)
    assert household.head_name == "刘返乡" and household.address == "戴家庄村3组12号"
    head = household.members.get()
    assert head.is_head and head.id_number == returnee.id_number and head.education == "初中"
    assert returnee.member == head
    assert Quarantine.objects.get(returnee=returnee).household == household
    # The registry's history and the returnee's, on the new household's timeline.
    kinds = set(Change.objects.filter(household_id=household.pk).values_list("object_type", "action"))
    assert {("household", "create"), ("member", "create"), ("returnee", "create"), ("quarantine", "create")} <= kinds
    # Checked from today, the returnee measured once (as the returnee, whose reading ends quarantine).
    check = HealthCheck.objects.get(emergency=emergency, household=household, day=local_today())
    assert [key for key, _name, _p in check_people(check)] == [f"r{returnee.pk}"]


def test_a_retry_registers_nothing_new(emergency, personas):
    client_id = str(uuid.uuid4())
    id_number = person_id()
    first = _register(emergency, personas["office"], new=NewHousehold(village=VILLAGE_A, education="小学"),
                      id_number=id_number, client_id=client_id)
    before = _counts()
    again = _register(emergency, personas["office"], new=NewHousehold(village=VILLAGE_A, education="小学"),
                      id_number=id_number, client_id=client_id)
    assert again.pk == first.pk and _counts() == before


def test_a_caseworker_may_not_register_a_household(emergency, personas):
    before = _counts()
    with pytest.raises(PermissionDenied):
        _register(emergency, personas["caseworker_a"], new=NewHousehold(village=VILLAGE_A, education="初中"))
    assert _counts() == before


def test_the_village_must_be_in_the_users_area(emergency, personas):
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _register(emergency, personas["village_a"], new=NewHousehold(village=VILLAGE_B, education="初中"))
    assert list(error.value.message_dict) == ["village"]
    assert _counts() == before


def test_the_registrys_rules_name_the_field(emergency, personas, make_household):
    registered = member_data(relation="户主")
    elsewhere = make_household(members=[registered])
    before = _counts()
    with pytest.raises(ValidationError) as error:
        _register(emergency, personas["office"], new=NewHousehold(village=VILLAGE_A, education="初中"),
                  id_number=registered["id_number"])
    assert elsewhere.number in " ".join(error.value.message_dict["id_number"])  # says where
    with pytest.raises(ValidationError) as error:
        _register(emergency, personas["office"], new=NewHousehold(village=VILLAGE_A))
    assert "education" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _register(emergency, personas["office"], new=NewHousehold(village=VILLAGE_A, education="初中"),
                  household=Household.objects.first())
    assert "household" in error.value.message_dict
    assert _counts() == before


def test_a_member_coming_home_is_measured_once(emergency, personas, make_household):
    worker = member_data(relation="之子", name="逄外出")
    home = make_household(members=[member_data(), worker], caseworker=personas["caseworker_a"])
    returnee = _register(emergency, personas["caseworker_a"], household=home, id_number=worker["id_number"],
                         name="逄外出")
    assert returnee.member.name == "逄外出"
    checks_generate()
    check = HealthCheck.objects.get(household=home, day=local_today())
    names = [name for _key, name, _p in check_people(check)]
    assert names.count("逄外出") == 1 and len(names) == 2


def test_the_page_registers_one_and_shows_errors(client, emergency, personas, make_household):
    client.force_login(personas["office"])
    url = reverse("emergencies:returnee_register", args=[emergency.pk])
    html = client.get(url).content.decode()
    assert 'name="household_kind"' in html and "戴家庄村" in html
    data = {"household_kind": "new", "village": "", "name": "刘返乡", "id_number": person_id(),
            "origin": "武汉", "arrival": local_today().isoformat(), "transport": "train", "screening": "pending",
            "quarantine": "yes", "home_supplies_ensured": "yes", "help_needed": "no", "education": "初中",
            "client_id": str(uuid.uuid4())}
    response = client.post(url, data)
    assert response.status_code == 200 and Household.objects.count() == 0
    assert "has-error" in response.content.decode()
    data["village"] = VILLAGE_A
    # A form error and the registry's refusal of the ID number show together, in one round.
    elsewhere = make_household(members=[member_data(relation="户主")])
    taken = elsewhere.members.get().id_number
    response = client.post(url, {**data, "id_number": taken, "origin": ""})
    form = response.context["form"]
    assert form.errors["origin"] and elsewhere.number in form.errors["id_number"][0]
    assert Household.objects.count() == 1
    response = client.post(url, data)
    assert response.status_code == 302
    assert client.post(url, data).status_code == 302  # a double tap
    assert Household.objects.exclude(pk=elsewhere.pk).get().head_name == "刘返乡" and Returnee.objects.count() == 1


def test_a_caseworkers_page_offers_existing_households_only(client, emergency, personas):
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("emergencies:returnee_register", args=[emergency.pk])).content.decode()
    assert 'name="household_kind"' not in html and 'name="village"' not in html


def test_the_api_registers_a_new_household_once(emergency, personas):
    body = {"emergency": emergency.pk, "name": "刘返乡", "id_number": person_id(), "origin": "武汉",
            "arrival": local_today().isoformat(), "transport": "car", "client_id": str(uuid.uuid4()),
            "quarantine": True, "home_supplies_ensured": True, "help_needed": False, "new_household": {"village": VILLAGE_A, "address": "3组", "education": "高中"}}
    api = ApiClient(personas["office"])
    first = api.post("/api/returnees", body)
    assert first.status_code == 201, first.content
    assert first.json()["household"]["head_name"] == "刘返乡"
    assert api.post("/api/returnees", body).status_code == 200
    assert Household.objects.count() == 1
    both = api.post("/api/returnees", {**body, "client_id": str(uuid.uuid4()), "household": 1})
    assert both.status_code == 422 and "household" in str(both.json())
    refused = ApiClient(personas["caseworker_a"]).post("/api/returnees", {**body, "client_id": str(uuid.uuid4()),
                                                                          "id_number": person_id()})
    assert refused.status_code == 403 and Household.objects.count() == 1
    wrong = api.post("/api/returnees", {**body, "client_id": str(uuid.uuid4()), "id_number": person_id(),
                                        "new_household": {"village": VILLAGE_A}})
    assert wrong.status_code == 422 and "education" in str(wrong.json())
