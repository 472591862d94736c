"""A village's printable list for the day: scope, content (by caseworker, phones masked unless
revealed and recorded), a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.casework import services
from bangfu.casework.models import Campaign
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.history.models import Change
from conftest import VILLAGE_A, VILLAGE_B, _user

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


def _url(code=VILLAGE_A, **query):
    url = reverse("casework:village_print", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _due_today(personas):
    day = local_today()
    # Each call its own round: two open campaigns of one area never share a name.
    services.campaign_create(actor=personas["office"], name=f"电话随访暖心（{Campaign.objects.count() + 1}）",
                             region_codes=[TOWNSHIP],
                             start=day, end=day + dt.timedelta(days=3))
    services.followups_generate(day=day)


def test_a_village_outside_the_area_or_not_a_village_is_a_404(client, personas, casework):
    client.force_login(personas["village_a"])
    assert client.get(_url(VILLAGE_B)).status_code == 404
    assert client.get(_url(TOWNSHIP)).status_code == 404
    assert client.get(_url("999999999999")).status_code == 404
    client.force_login(personas["outsider_office"])
    assert client.get(_url(VILLAGE_A)).status_code == 404
    # A caseworker has their own list, not the village's.
    client.force_login(personas["caseworker_a"])
    assert client.get(_url(VILLAGE_A)).status_code == 403


def test_the_list_has_a_sheet_per_caseworker_with_the_villages_households(client, personas, casework):
    colleague = _user("caseworker_a2", Role.CASEWORKER, VILLAGE_A)
    from bangfu.households.services import assignment_set

    assignment_set(actor=personas["office"], households=[casework["monitored_a"]], caseworker=colleague)
    _due_today(personas)
    client.force_login(personas["office"])
    response = client.get(_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="print-sheet"') == 2
    assert "戴家庄村" in html and local_today().strftime("%Y-%m-%d") in html
    assert casework["poor_a"].number in html and casework["monitored_a"].number in html
    assert casework["poor_b"].number not in html  # another village
    assert html.index("caseworker_a<") < html.index(casework["poor_a"].number) < html.index("caseworker_a2<") \
        < html.index(casework["monitored_a"].number)
    assert "电话随访暖心" in html
    # Phones masked, nothing recorded.
    assert "138****5678" in html and "13812345678" not in html
    assert not Change.objects.filter(action="reveal").exists()


def test_full_phone_numbers_are_printed_only_on_asking_and_each_is_recorded(client, personas, casework):
    _due_today(personas)
    client.force_login(personas["office"])
    response = client.get(_url(phones="full"))
    assert "13812345678" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert set(Change.objects.filter(action="reveal").values_list("household_id", flat=True)) == {
        casework["poor_a"].pk, casework["elderly_a"].pk, casework["monitored_a"].pk}
    # The county may print the list but not see the numbers: asking changes nothing.
    client.force_login(personas["county"])
    html = client.get(_url(phones="full")).content.decode()
    assert "13812345678" not in html and "138****5678" in html
    assert Change.objects.filter(action="reveal").count() == 3


def test_the_village_cadre_goes_straight_to_their_village_and_the_office_chooses(client, personas, casework):
    client.force_login(personas["village_a"])
    response = client.get(reverse("casework:village_print_pick"))
    assert response.status_code == 302 and response["Location"] == _url()
    client.force_login(personas["office"])
    html = client.get(reverse("casework:village_print_pick")).content.decode()
    assert _url(VILLAGE_A) in html and _url(VILLAGE_B) in html
    assert reverse("casework:village_print_pick") in client.get(reverse("casework:worklists")).content.decode()


def test_the_county_goes_down_to_a_township_before_its_villages(client, personas, casework):
    from bangfu.core.codes import Level
    from bangfu.regions.models import Region

    Region.objects.create(code="370215011", name="大信街道", level=Level.TOWNSHIP, parent_id="370215")  # no villages
    pick = reverse("casework:village_print_pick")
    client.force_login(personas["county"])
    html = client.get(pick).content.decode()
    assert f'href="?area={TOWNSHIP}"' in html and _url(VILLAGE_A) not in html
    assert "370215011" not in html  # a township with no village yet is not a step
    html = client.get(pick, {"area": TOWNSHIP}).content.decode()
    assert _url(VILLAGE_A) in html and _url(VILLAGE_B) in html
    assert 'href="?area=370215"' in html  # back up to the county; nothing above it
    assert 'href="?area=3702"' not in html
    for outside in ("3702", "370214", "37021501x", "999999999"):
        assert client.get(pick, {"area": outside}).status_code == 404


def test_a_long_list_of_villages_says_it_is_cut(client, personas, casework, monkeypatch):
    from bangfu.casework import views

    monkeypatch.setattr(views, "PICK_LIMIT", 1)
    client.force_login(personas["office"])
    html = client.get(reverse("casework:village_print_pick")).content.decode()
    assert _url(VILLAGE_A) in html and _url(VILLAGE_B) not in html
    assert "只列出前 1 个" in html


def test_the_village_list_runs_a_fixed_number_of_queries(client, personas, casework, make_household):
    client.force_login(personas["office"])
    _due_today(personas)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_url()).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    colleague = _user("caseworker_a2", Role.CASEWORKER, VILLAGE_A)
    for _ in range(6):
        make_household(VILLAGE_A, caseworker=colleague, categories=["disabled"])
    _due_today(personas)
    assert count() == few
