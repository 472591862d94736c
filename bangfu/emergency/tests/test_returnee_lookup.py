"""Registering a returnee: the household found by number, a name or an ID number, a choice when a name
matches several; every error in one round; the returnee then found by the households search."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.emergency.models import Returnee
from bangfu.emergency.services import returnee_register
from conftest import VILLAGE_B, member_data, person_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def homes(make_household, personas):
    return {
        "wang": make_household(members=[member_data(name="王秀英")], caseworker=personas["caseworker_a"]),
        "li_1": make_household(members=[member_data(name="李大山")], caseworker=personas["caseworker_a"]),
        "li_2": make_household(members=[member_data(name="李大山")], caseworker=personas["caseworker_a"]),
        "other": make_household(VILLAGE_B, members=[member_data(name="赵远")], caseworker=personas["caseworker_b"]),
    }


def _post(client, emergency, **overrides):
    data = {"household": "", "name": "张归", "id_number": person_id(), "phone": "", "origin": "湖北省武汉市",
            "arrival": local_today().isoformat(), "transport": "train", "screening": "normal", "quarantine": "yes",
            "home_supplies_ensured": "yes", "help_needed": "no", "help_note": "", "client_id": str(uuid.uuid4())}
    data.update(overrides)
    return client.post(reverse("emergencies:returnee_register", args=[emergency.pk]), data)


@pytest.mark.parametrize("typed", ["name", "id", "id_tail"])
def test_the_household_is_found_by_a_name_or_an_id_number(client, emergency, homes, personas, typed):
    home = homes["wang"]
    member = home.members.get()
    text = {"name": "王秀英", "id": member.id_number, "id_tail": member.id_number[-6:]}[typed]
    client.force_login(personas["caseworker_a"])
    response = _post(client, emergency, household=text)
    assert response.status_code == 302
    assert Returnee.objects.get().household_id == home.pk


def test_a_name_of_several_households_offers_a_choice_then_registers_the_one_picked(client, emergency, homes,
                                                                                    personas):
    client.force_login(personas["caseworker_a"])
    response = _post(client, emergency, household="李大山")
    html = response.content.decode()
    assert response.status_code == 200 and not Returnee.objects.exists()
    assert "有 2 户与“李大山”相符" in html
    for home in (homes["li_1"], homes["li_2"]):
        assert f'name="household_pick" value="{home.pk}"' in html
    response = _post(client, emergency, household="李大山", household_pick=str(homes["li_2"].pk))
    assert response.status_code == 302
    assert Returnee.objects.get().household_id == homes["li_2"].pk


def test_a_household_outside_the_area_is_not_found_nor_picked(client, emergency, homes, personas):
    client.force_login(personas["caseworker_a"])
    response = _post(client, emergency, household="赵远")
    assert "您的区域内没有与“赵远”相符的农户" in response.content.decode()
    response = _post(client, emergency, household="赵远", household_pick=str(homes["other"].pk))
    assert response.status_code == 200 and not Returnee.objects.exists()


def test_every_error_shows_in_one_round(client, emergency, homes, personas):
    client.force_login(personas["caseworker_a"])
    good = person_id()
    bad_id = good[:-1] + ("0" if good[-1] != "0" else "1")  # the check character wrong
    response = _post(client, emergency, household="没有这个人", id_number=bad_id, phone="123",
                     origin="", quarantine="", help_needed="")
    errors = response.context["form"].errors
    assert set(errors) >= {"household", "id_number", "phone", "origin", "quarantine", "help_needed"}
    assert "是否居家隔离：请回答是或否。" in response.content.decode()
    assert not Returnee.objects.exists()


def test_the_households_search_finds_a_returnee_by_name_and_id(client, emergency, homes, personas):
    home = homes["wang"]
    id_number = person_id()
    returnee_register(emergency=emergency, household=home, name="钱归来", id_number=id_number, origin="上海",
                      arrival=local_today(), transport="car", actor=personas["caseworker_a"])
    client.force_login(personas["caseworker_a"])
    for text in ("钱归来", "钱归", id_number, id_number[-4:]):
        html = client.get(reverse("households:list"), {"q": text}).content.decode()
        assert home.number in html, text
        assert homes["li_1"].number not in html
    # Out of scope: the other village's caseworker does not find it.
    client.force_login(personas["caseworker_b"])
    assert home.number not in client.get(reverse("households:list"), {"q": "钱归来"}).content.decode()


def test_a_household_found_through_its_returnee_says_so_in_the_match_column(client, emergency, homes, personas):
    home = homes["wang"]
    id_number = person_id()
    returnee_register(emergency=emergency, household=home, name="钱归来", id_number=id_number, origin="上海",
                      arrival=local_today(), transport="car", actor=personas["caseworker_a"])
    client.force_login(personas["caseworker_a"])
    for text in ("钱归", id_number, id_number[-4:]):
        response = client.get(reverse("households:list"), {"q": text}, HTTP_ACCEPT_LANGUAGE="zh-hans")
        rows = dict(response.context["rows"])
        assert [m.label for m in rows[home]] == ["返乡人员：钱归来"], text
        cell = response.content.decode().split('class="col-match"')[1].split("</td>")[0]
        assert "返乡人员：钱归来" in cell and "本户" not in cell, text
    # A member's own match keeps its words; the returnee's is not added to a household it is not in.
    response = client.get(reverse("households:list"), {"q": "王秀英"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert [m.how for m in dict(response.context["rows"])[home]] == ["name"]
