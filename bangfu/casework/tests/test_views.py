"""Casework pages: the worklist and its call link, the contact form (idempotent, scoped), campaigns,
the assessment overview, schedules, the printable list, the household page's contacts; query counts."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.casework import services
from bangfu.casework.models import Campaign, Contact, FollowUp, Schedule
from bangfu.casework.tests.conftest import ALL_MET
from bangfu.core.dates import local_today
from bangfu.history.models import Change
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


def today():
    return local_today()


def _campaign(personas, name="电话随访暖心"):
    return services.campaign_create(actor=personas["office"], name=name, region_codes=[TOWNSHIP],
                                    start=today(), end=today() + dt.timedelta(days=6))


def _contact_post(**overrides):
    data = {"client_id": str(uuid.uuid4()), "channel": "phone", "notes": "身体好", "outcome": "reached",
            **{name: "true" for name in ALL_MET}}
    data.update(overrides)
    return data


def test_worklist_lists_the_caseworkers_calls_with_a_call_button(client, personas, casework):
    _campaign(personas)
    client.force_login(personas["caseworker_a"])
    response = client.get(reverse("casework:worklist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "电话随访暖心" in html and "今日待办" in html
    assert html.count('class="log-button"') == 3
    assert "13812345678" not in html  # masked until the call button is pressed
    assert reverse("casework:call", args=[casework["poor_b"].pk]) not in html


def test_call_reveals_the_phone_as_a_tel_link_and_records_it(client, personas, casework):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("casework:call", args=[casework["poor_a"].pk]), HTTP_HX_REQUEST="true")
    assert 'href="tel:13812345678"' in response.content.decode()
    assert Change.objects.filter(action="reveal", household_id=casework["poor_a"].pk).count() == 1
    response = client.post(reverse("casework:call", args=[casework["poor_b"].pk]))
    assert response.status_code == 404
    assert Change.objects.filter(action="reveal").count() == 1


def test_worklist_query_count_is_fixed(client, personas, casework, make_household):
    client.force_login(personas["caseworker_a"])
    _campaign(personas)
    services.followups_generate(day=today())

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("casework:worklist")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for _ in range(6):
        make_household(VILLAGE_A, caseworker=personas["caseworker_a"], categories=["disabled"])
    _campaign(personas, "电话随访暖心（第二轮）")
    services.followups_generate(day=today())
    assert count() == few


def test_contact_form_saves_once_for_a_double_submit(client, personas, casework):
    client.force_login(personas["caseworker_a"])
    household = casework["poor_a"]
    url = reverse("casework:contact_add", args=[household.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="client_id"' in page.content.decode()
    data = _contact_post(supplies_ok="false", supplies_ok_note="缺米")
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    contact = Contact.objects.get()
    assert contact.reached and contact.assessment.supplies_ok is False
    assert contact.assessment.notes == {"supplies_ok": "缺米"}


def test_contact_form_not_reached_is_one_button(client, personas, casework):
    client.force_login(personas["caseworker_a"])
    campaign = _campaign(personas)
    followup = FollowUp.objects.get(campaign=campaign, household=casework["elderly_a"])
    url = reverse("casework:contact_add", args=[casework["elderly_a"].pk]) + f"?followup={followup.pk}"
    response = client.post(url, _contact_post(outcome="no_answer", campaign=str(campaign.pk), followup=str(followup.pk)))
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert (contact.reached, contact.not_reached_reason, contact.campaign_id) == (False, "no_answer", campaign.pk)
    assert not hasattr(contact, "assessment") or contact.assessment is None
    followup.refresh_from_db()
    assert followup.tries == 1


def test_contact_form_shows_errors_and_writes_nothing(client, personas, casework):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[casework["poor_a"].pk])
    response = client.post(url, _contact_post(living_ok="false"))  # not met, and no note
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    assert not Contact.objects.exists()


def test_contact_form_outside_scope_is_404(client, personas, casework):
    client.force_login(personas["caseworker_b"])
    url = reverse("casework:contact_add", args=[casework["poor_a"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, _contact_post()).status_code == 404
    assert not Contact.objects.exists()


def test_household_page_shows_contacts_with_a_fixed_query_count(client, personas, casework, log):
    client.force_login(personas["office"])
    url = reverse("households:detail", args=[casework["poor_a"].pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        return len(ctx.captured_queries), response.content.decode()

    log(personas["caseworker_a"], casework["poor_a"], notes="第一次")
    one, _html = count()
    for n in range(4):
        log(personas["caseworker_a"], casework["poor_a"], reached=False, notes=f"未接{n}")
    five, html = count()
    assert one == five
    assert "第一次" in html and "未接3" in html and "随访记录" in html


def test_office_sees_a_caseworkers_day_and_print_view(client, personas, casework):
    _campaign(personas)
    client.force_login(personas["office"])
    response = client.get(reverse("casework:worklists"))
    assert response.status_code == 200
    assert reverse("casework:worklist_of", args=[personas["caseworker_a"].pk]) in response.content.decode()
    response = client.get(reverse("casework:worklist_of", args=[personas["caseworker_a"].pk]))
    assert response.status_code == 200 and response.content.decode().count('class="log-button"') == 3
    printed = client.get(reverse("casework:worklist_print_of", args=[personas["caseworker_a"].pk]))
    assert printed.status_code == 200 and printed.content.decode().count("<tr><td>") == 3
    client.force_login(personas["outsider_office"])
    assert client.get(reverse("casework:worklist_of", args=[personas["caseworker_a"].pk])).status_code == 404
    client.force_login(personas["caseworker_b"])
    assert client.get(reverse("casework:worklist_of", args=[personas["caseworker_a"].pk])).status_code == 403


def test_office_starts_a_campaign_and_sees_coverage(client, personas, casework, log):
    client.force_login(personas["office"])
    response = client.post(reverse("casework:campaign_create"), {
        "name": "电话随访暖心", "region_codes": [TOWNSHIP], "channel": "phone", "start": today().isoformat(),
        "end": (today() + dt.timedelta(days=6)).isoformat(), "assess": "on", "q1_label": "是否需要代购", "q1_kind": "yesno",
        "q2_label": "", "q3_label": "",
    })
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.questions == [{"key": "q1", "label": "是否需要代购", "kind": "yesno"}]
    log(personas["caseworker_a"], casework["poor_a"], campaign=campaign, answers={"q1": True})
    for _ in range(3):
        log(personas["caseworker_a"], casework["elderly_a"], reached=False, campaign=campaign)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(reverse("casework:campaign_detail", args=[campaign.pk]))
    html = page.content.decode()
    assert "25%" in html and casework["elderly_a"].head_name in html
    detail_queries = len(ctx.captured_queries)
    assert client.get(reverse("casework:campaigns")).status_code == 200
    client.post(reverse("casework:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == "closed"
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("casework:campaign_detail", args=[campaign.pk]))
    assert len(ctx.captured_queries) == detail_queries
    client.force_login(personas["caseworker_a"])
    assert client.get(reverse("casework:campaign_create")).status_code == 403
    assert client.post(reverse("casework:campaign_close", args=[campaign.pk])).status_code == 403


def test_assessment_overview_page(client, personas, casework, log):
    log(personas["caseworker_a"], casework["poor_a"], assessment={**ALL_MET, "living_ok": False,
                                                                  "living_ok_note": "房屋漏雨"})
    client.force_login(personas["office"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("casework:assessments"))
    html = response.content.decode()
    assert "房屋漏雨" in html and reverse("households:detail", args=[casework["poor_a"].pk]) in html
    n = len(ctx.captured_queries)
    for key in ("elderly_a", "monitored_a", "poor_b"):
        log(personas["caseworker_a"] if key != "poor_b" else personas["caseworker_b"], casework[key])
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("casework:assessments")).content.decode()
    assert len(ctx.captured_queries) == n
    assert "3</strong>" in html


def test_schedules_page_is_the_offices(client, personas, casework):
    client.force_login(personas["caseworker_a"])
    assert client.get(reverse("casework:schedules")).status_code == 403
    client.force_login(personas["office"])
    page = client.get(reverse("casework:schedules"))
    assert page.status_code == 200
    data = {}
    for category, (days, channel) in services.schedules_current().items():
        data[f"{category}_days"] = str(days)
        data[f"{category}_channel"] = channel
    data["monitored_days"] = "10"
    assert client.post(reverse("casework:schedules"), data).status_code == 302
    assert list(Schedule.objects.values_list("category", "interval_days")) == [("monitored", 10)]


def _queries(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_worklist_page_shows_the_first_rows_and_all_on_request(client, personas, casework, monkeypatch):
    from bangfu.casework import views

    _campaign(personas)
    monkeypatch.setattr(views, "WORKLIST_PAGE_ROWS", 1)
    client.force_login(personas["caseworker_a"])
    n, html = _queries(client, reverse("casework:worklist"))
    assert html.count('class="log-button"') == 1 and "?all=1#section-" in html
    # session, user, the version of the caseworker's areas (history.pagecache), emergency checks, needs,
    # (measures assigned, to confirm, not reported), follow-ups, their categories, deliveries, the assets'
    # inspections due, unread count (the area's name is read once per process)
    assert n == 12
    _n, html = _queries(client, reverse("casework:worklist"), all="1")
    assert html.count('class="log-button"') == 3 and "?all=1#section-" not in html


def test_coverage_page_shows_the_caseworkers_with_most_left_and_all_on_request(client, personas, casework, log,
                                                                              monkeypatch):
    from bangfu.casework import queries

    campaign = _campaign(personas)
    log(personas["caseworker_b"], casework["poor_b"], campaign=campaign)
    monkeypatch.setattr(queries, "CASEWORKER_ROWS", 1)
    client.force_login(personas["office"])
    url = reverse("casework:campaign_detail", args=[campaign.pk])
    n, html = _queries(client, url)
    assert str(personas["caseworker_a"]) in html and str(personas["caseworker_b"]) not in html  # b is done
    assert "caseworkers=all" in html
    # session, user, the version of the area (history.pagecache), campaign, tallies, unread count (nobody
    # flagged: no list read; the village names are read once per process)
    assert n == 6
    for _ in range(3):
        log(personas["caseworker_a"], casework["elderly_a"], reached=False, campaign=campaign)
    n, html = _queries(client, url, caseworkers="all")
    assert str(personas["caseworker_b"]) in html and casework["elderly_a"].head_name in html
    assert n == 7


def test_county_overview_is_by_township_and_pages_through_households_not_met(client, personas, casework, log,
                                                                           monkeypatch):
    from bangfu.casework import queries

    for key in ("poor_a", "elderly_a", "poor_b"):
        log(personas["caseworker_a"] if key != "poor_b" else personas["caseworker_b"], casework[key],
            assessment={**ALL_MET, "supplies_ok": False, "supplies_ok_note": f"缺米{key}"})
    log(personas["caseworker_a"], casework["monitored_a"])
    overview = queries.assessment_overview(personas["county"])
    assert overview.by == "township"
    assert [(row.code, row.assessed, row.all_ok) for row in overview.by_village] == [(TOWNSHIP, 4, 1)]
    assert (overview.households, overview.not_met_count) == (4, 3)
    assert queries.assessment_overview(personas["office"]).by == "village"
    monkeypatch.setattr(queries, "NOT_MET_LIMIT", 2)
    client.force_login(personas["county"])
    url = reverse("casework:assessments")
    n, html = _queries(client, url)
    # session, user, the version of the area, tallies by township, first page of households not met,
    # household count, areas to choose, unread count (the names are read once per process)
    assert n == 8
    assert "缺米poor_a" in html and "缺米elderly_a" in html and "缺米poor_b" not in html
    first = queries.assessment_overview(personas["county"])
    assert first.not_met_count == 3 and first.not_met_next
    _n, html = _queries(client, url, after=first.not_met_next)
    assert "缺米poor_b" in html and "缺米poor_a" not in html
    assert queries.assessment_overview(personas["county"], after="junk").not_met_count == 3


def test_caseworkers_day_comes_a_page_at_a_time(client, personas, casework, monkeypatch):
    from bangfu.casework import views

    _campaign(personas)
    monkeypatch.setattr(views, "WORKLISTS_PAGE_ROWS", 1)
    client.force_login(personas["office"])
    url = reverse("casework:worklists")
    n, first = _queries(client, url)
    assert "?page=2" in first and "?page=0" not in first
    _n, second = _queries(client, url, page="2")
    links = [reverse("casework:worklist_of", args=[personas[k].pk]) for k in ("caseworker_a", "caseworker_b")]
    assert sum(link in first for link in links) == 1 and sum(link in second for link in links) == 1
    assert "?page=1" in second
    # session, user, the version of the area, a page of caseworkers, their open follow-ups, unread count
    assert n == 6
    assert client.get(url, {"page": "x"}).status_code == 200
