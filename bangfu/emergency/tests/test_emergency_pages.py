"""Emergency pages: the caseworker's day shows the daily checks first, the phone check form records
a fever and the office's overview shows it; the board in fixed queries; scope."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.emergency.models import CheckStatus, FeverAlert, HealthCheck, Returnee
from bangfu.emergency.services import checks_generate, returnee_register
from conftest import VILLAGE_B, person_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def test_worklist_shows_checks_first(client, emergency, home, personas):
    checks_generate()
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("casework:worklist")).content.decode()
    check = HealthCheck.objects.get(household=home)
    assert reverse("emergencies:check", args=[check.pk]) in html
    api = client.get("/api/worklist").json()
    assert api["sections"][0]["key"] == "emergency_checks"
    assert api["sections"][0]["items"][0]["check"] == check.pk


def test_check_form_records_a_fever_and_the_office_sees_it(client, emergency, home, personas):
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    head = home.members.first()
    client.force_login(personas["caseworker_a"])
    url = reverse("emergencies:check", args=[check.pk])
    assert client.get(url).status_code == 200
    data = {"client_id": str(uuid.uuid4()), f"t_m{head.pk}": "38.1", "disinfection": "yes", "symptoms": "no",
            "supplies": "yes", "help": "no", "note": ""}
    response = client.post(url, data)
    assert response.status_code == 302
    assert client.post(url, data).status_code == 302  # a double tap
    check.refresh_from_db()
    assert check.status == CheckStatus.DONE and check.fever
    assert FeverAlert.objects.count() == 1
    client.force_login(personas["office"])
    html = client.get(reverse("emergencies:overview", args=[emergency.pk])).content.decode()
    assert head.name in html and "38.1" in html


def test_board_in_fixed_queries(client, emergency, make_household, personas):
    make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    client.force_login(personas["office"])
    url = reverse("emergencies:overview", args=[emergency.pk])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    with CaptureQueriesContext(connection) as many:
        html = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "0 / 4" in html or "0&nbsp;/&nbsp;4" in html or "0 / 4 " in html


def test_scope_of_pages(client, emergency, home, make_household, personas):
    other = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    checks_generate()
    client.force_login(personas["caseworker_a"])
    other_check = HealthCheck.objects.get(household=other)
    assert client.get(reverse("emergencies:check", args=[other_check.pk])).status_code == 404
    assert client.post(reverse("emergencies:check", args=[other_check.pk]), {"client_id": "x"}).status_code == 404
    client.force_login(personas["outsider_office"])
    assert client.get(reverse("emergencies:overview", args=[emergency.pk])).status_code == 404
    assert client.get(reverse("emergencies:list")).content.decode().count(emergency.title) == 0


def test_returnee_register_page_masks_the_id(client, emergency, home, personas):
    client.force_login(personas["caseworker_a"])
    id_number = person_id()
    response = client.post(reverse("emergencies:returnee_register", args=[emergency.pk]), {
        "household": home.number, "name": "张归", "id_number": id_number, "phone": "13900001111",
        "origin": "湖北省武汉市", "arrival": local_today().isoformat(), "transport": "train",
        "screening": "normal", "quarantine": "yes", "home_supplies_ensured": "yes", "help_needed": "no",
        "client_id": str(uuid.uuid4())})
    assert response.status_code == 302
    assert Returnee.objects.get().quarantine.status == "active"
    html = client.get(reverse("emergencies:returnees", args=[emergency.pk])).content.decode()
    assert "张归" in html and id_number not in html and "13900001111" not in html


def test_caseworker_cannot_open_an_emergency(client, personas, township):
    client.force_login(personas["caseworker_a"])
    assert client.get(reverse("emergencies:open")).status_code == 403


def test_office_opens_one(client, personas, township, home):
    client.force_login(personas["office"])
    response = client.post(reverse("emergencies:open"), {
        "title": "汛期", "kind": "flood", "region": township.code, "start": local_today().isoformat(),
        "end": "", "check_items": ["help", "supplies"], "fever_threshold": "37.3", "quarantine_days": "14",
        "supplies_days": "7"})
    assert response.status_code == 302
    assert HealthCheck.objects.filter(household=home).count() == 1


def test_returnee_helper(emergency, home, personas):
    returnee_register(emergency=emergency, household=home, name="李", id_number=person_id(), origin="上海",
                      arrival=local_today(), transport="car", actor=personas["caseworker_a"])
    assert Returnee.objects.count() == 1


def test_every_emergency_page_reads_in_chinese(client, emergency, home, personas):
    from bangfu.households.tests.test_pages_i18n import english_words

    returnee_register(emergency=emergency, household=home, name="李归", id_number=person_id(), origin="上海",
                      arrival=local_today(), transport="car", actor=personas["caseworker_a"])
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    head = home.members.first()
    client.force_login(personas["caseworker_a"])
    client.post(reverse("emergencies:check", args=[check.pk]), {
        "client_id": str(uuid.uuid4()), f"t_m{head.pk}": "38.0", "disinfection": "yes", "symptoms": "no",
        "supplies": "yes", "help": "no"})
    refused = client.post(reverse("emergencies:check", args=[check.pk]), {"client_id": str(uuid.uuid4())})
    assert not english_words(refused.content.decode())
    pages = {
        "check": reverse("emergencies:check", args=[check.pk]),
        "worklist": reverse("casework:worklist"),
        "returnee_new": reverse("emergencies:returnee_register", args=[emergency.pk]),
        "household": reverse("households:detail", args=[home.pk]),  # the check, alert, quarantine in history
    }
    for name, url in pages.items():
        html = client.get(url, headers={"accept-language": "zh-hans"}).content.decode()
        assert not english_words(html), (name, english_words(html))
        if name == "household":
            assert "体温" in html and "38.0 °C" in html and "发热预警" in html
    client.force_login(personas["office"])
    pages = {
        "list": reverse("emergencies:list"), "open": reverse("emergencies:open"),
        "overview": reverse("emergencies:overview", args=[emergency.pk]),
        "board": reverse("emergencies:checks") + "?by=caseworker",
        "returnees": reverse("emergencies:returnees", args=[emergency.pk]),
    }
    for name, url in pages.items():
        response = client.get(url, headers={"accept-language": "zh-hans"})
        assert response.status_code == 200, name
        assert not english_words(response.content.decode()) - {"kg"}, (name, english_words(response.content.decode()))
