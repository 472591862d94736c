"""Casework pages are served again from a cache until history records a change in their area
(bangfu.history.pagecache): a kept page costs four queries, and any change it shows makes a new one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.casework import services
from bangfu.casework.models import FollowUp
from bangfu.history import queries as history_queries
from bangfu.households.services import household_update
from conftest import VILLAGE_A, VILLAGE_B, household_data

TOWNSHIP = VILLAGE_A[:9]
# session, user, the version of the page's areas, the unread-notification count
KEPT = 4


def _get(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def _campaign(personas):
    today = timezone.localdate()
    return services.campaign_create(actor=personas["office"], name="电话随访暖心", region_codes=[TOWNSHIP],
                                    start=today, end=today + dt.timedelta(days=6))


@pytest.mark.parametrize("page", ["worklist", "worklist_print", "assessments", "campaigns"])
def test_a_page_seen_again_with_nothing_changed_is_the_kept_one(client, personas, casework, page):
    _campaign(personas)
    client.force_login(personas["caseworker_a"])
    url = reverse(f"casework:{page}")
    first, html = _get(client, url)
    again, kept = _get(client, url)
    assert again == KEPT < first
    assert kept == html


def test_a_contact_in_the_caseworkers_village_shows_at_once(client, personas, casework, log):
    campaign = _campaign(personas)
    a = personas["caseworker_a"]
    client.force_login(a)
    url = reverse("casework:worklist")
    _n, before = _get(client, url)
    assert before.count('class="log-button"') == 3
    log(a, casework["poor_a"], campaign=campaign)
    n, after = _get(client, url)
    assert n > KEPT and after.count('class="log-button"') == 2
    assert _get(client, url) == (KEPT, after)


def test_changes_elsewhere_leave_the_kept_page(client, personas, casework, log, make_household):
    office = personas["office"]
    client.force_login(office)
    url = reverse("casework:assessments")
    _get(client, url)
    outside = make_household("410308103001", actor=personas["admin"], caseworker=None)  # another province
    household_update(actor=personas["admin"], household=outside, version=outside.version,
                     data=household_data(outside.region, address="外省"))
    assert _get(client, url)[0] == KEPT
    log(personas["caseworker_b"], casework["poor_b"])  # in the office's township: counted again
    assert _get(client, url)[0] > KEPT


def test_a_caseworkers_day_is_kept_through_changes_in_the_townships_other_villages(client, personas, casework, log):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:worklist")
    _n, html = _get(client, url)
    log(personas["caseworker_b"], casework["poor_b"])  # village B: none of caseworker_a's work
    assert _get(client, url) == (KEPT, html)


def test_an_errand_given_for_a_household_of_another_caseworker_shows_at_once(client, personas, casework, log):
    from bangfu.accounts.services import user_add
    from bangfu.core.permissions import Role
    from bangfu.emergency.models import DeliveryKind
    from bangfu.emergency.services import delivery_complete, delivery_create

    # A caseworker of the whole township, with no household of their own in village B.
    township_caseworker, _password = user_add(username="caseworker_t", role=Role.CASEWORKER, region_code=TOWNSHIP,
                                              password="pw-caseworker_t", check_password=False)
    client.force_login(township_caseworker)
    url = reverse("casework:worklist")
    _n, first = _get(client, url)
    log(personas["caseworker_b"], casework["poor_b"])  # nothing of theirs yet
    assert _get(client, url) == (KEPT, first)
    delivery = delivery_create(household=casework["poor_b"], kind=DeliveryKind.ERRAND, description="代购降压药",
                               actor=personas["office"], caseworker=township_caseworker)
    n, html = _get(client, url)
    assert n > KEPT and "代购降压药" in html
    assert _get(client, url) == (KEPT, html)
    delivery_complete(delivery=delivery, received_by="户主本人", actor=personas["office"])
    # Done, it is no longer theirs, and the changes counted in their areas are those of the first
    # page, which is the page again: without the errand.
    assert _get(client, url) == (KEPT, first)


def test_each_session_has_its_own_pages(client, personas, casework):
    from django.test import Client

    url = reverse("casework:worklist")
    client.force_login(personas["caseworker_a"])
    other = Client()
    other.force_login(personas["caseworker_a"])  # another phone: its own CSRF secret in the forms
    _get(client, url)
    assert _get(other, url)[0] > KEPT
    assert _get(other, url)[0] == KEPT


def test_a_page_with_a_message_to_show_is_rendered_and_shows_it(client, personas, casework):
    campaign = _campaign(personas)
    client.force_login(personas["office"])
    url = reverse("casework:campaign_detail", args=[campaign.pk])
    _get(client, url)
    # A refused extension changes nothing and leaves a message for the page it goes back to.
    response = client.post(reverse("casework:campaign_extend", args=[campaign.pk]), {"end": ""})
    assert response.status_code == 302
    n, html = _get(client, url)
    assert n > KEPT and "请输入日期。" in html
    n, again = _get(client, url)
    assert n == KEPT and "请输入日期。" not in again


def test_the_scheduled_follow_ups_show_at_once(client, personas, casework):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:worklist")
    _get(client, url)
    FollowUp.objects.filter(household__caseworker=personas["caseworker_a"]).delete()  # as if never made
    made = services.followups_generate(day=timezone.localdate())
    assert made["created"]
    n, html = _get(client, url)
    assert n > KEPT and f'href="{reverse("households:detail", args=[casework["poor_a"].pk])}' in html


def test_a_household_moving_out_changes_the_page_of_the_village_it_left(client, personas, casework, regions):
    before = history_queries.area_version(VILLAGE_A)
    household = casework["monitored_a"]
    household_update(actor=personas["office"], household=household, version=household.version,
                     data=household_data(regions[VILLAGE_B], monitor_type="marginal",
                                         categories=["monitored"]))
    assert history_queries.area_version(VILLAGE_A) > before


def test_a_village_list_printed_with_phones_in_full_is_never_kept(client, personas, casework):
    client.force_login(personas["office"])
    url = reverse("casework:village_print", args=[VILLAGE_A])
    first, _html = _get(client, url, phones="full")
    again, _html = _get(client, url, phones="full")
    assert again == first > KEPT
    _get(client, url)
    assert _get(client, url)[0] == KEPT


def test_a_form_on_a_kept_page_posts_with_its_token(personas, casework):
    import re

    from django.test import Client

    from bangfu.casework.models import Campaign

    campaign = _campaign(personas)
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["office"])
    url = reverse("casework:campaign_detail", args=[campaign.pk])
    _get(client, url)
    n, html = _get(client, url)
    assert n == KEPT
    token = re.search(r'action="{}".*?name="csrfmiddlewaretoken" value="([^"]+)"'.format(
        re.escape(reverse("casework:campaign_close", args=[campaign.pk]))), html, re.DOTALL).group(1)
    response = client.post(reverse("casework:campaign_close", args=[campaign.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Campaign.objects.get(pk=campaign.pk).closed_at is not None
    assert "活动已结束，覆盖情况保持不变。" in _get(client, url)[1]  # the message: shown, not kept
    _get(client, url)
    assert _get(client, url)[0] == KEPT
    # Logged out and in again (a new session and CSRF secret): the page is built again for it.
    client.logout()
    client.force_login(personas["office"])
    assert _get(client, url)[0] > KEPT
