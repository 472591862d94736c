"""The pages: the public form (no login, CSRF, throttled, the same answer whatever the registry
holds), a lead's step on a page, the drop upload with its row errors, the notice's print page."""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from bangfu.monitoring import views
from bangfu.monitoring.models import Lead, Stage
from conftest import VILLAGE_A, member_data, person_id

pytestmark = pytest.mark.django_db
TOWNSHIP = "370215010"


@pytest.fixture(autouse=True)
def _throttle_forgotten():
    cache.clear()
    yield
    cache.clear()


def _apply(client, **overrides):
    data = {"name": "韩立新", "id_number": person_id(), "phone": "13905321188", "village": VILLAGE_A,
            "difficulty": "妻子突发重病住院"}
    data.update(overrides)
    return client.post(reverse("monitoring:apply", args=[TOWNSHIP]), data, REMOTE_ADDR="10.0.0.7")


def test_the_public_form_answers_the_same_page_whoever_applies(regions, personas, make_household):
    registered = make_household(VILLAGE_A, members=[member_data(name="逄珍波")])
    client = Client()
    stranger = _apply(client)
    known = _apply(client, id_number=registered.members.get().id_number, name="别人")
    again = _apply(client, id_number=registered.members.get().id_number, name="别人")
    thanks = reverse("monitoring:thanks", args=[TOWNSHIP])
    assert stranger.status_code == known.status_code == again.status_code == 302
    assert stranger["Location"] == known["Location"] == again["Location"] == thanks
    page = client.get(thanks).content.decode()
    assert "逄珍波" not in page and registered.number not in page
    # Two leads: the repeated application while one is open is not stored twice.
    assert Lead.objects.count() == 2
    lead = Lead.objects.get(household=registered)
    assert lead.stage == Stage.LEAD and lead.name == "逄珍波" and lead.created_by is None


def test_the_public_form_is_throttled_per_address(regions):
    client = Client()
    for _n in range(views.APPLY_PER_HOUR):
        assert _apply(client).status_code == 302
    refused = _apply(client)
    assert refused.status_code == 429
    assert Lead.objects.count() == views.APPLY_PER_HOUR
    # Another address is not held back.
    other = client.post(reverse("monitoring:apply", args=[TOWNSHIP]), {}, REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 200


def test_the_public_form_needs_its_csrf_token(regions):
    client = Client(enforce_csrf_checks=True)
    assert _apply(client).status_code == 403
    page = client.get(reverse("monitoring:apply", args=[TOWNSHIP]))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    assert not Lead.objects.exists()


def test_a_bad_id_number_is_refused_on_its_field_and_nothing_stored(regions):
    response = _apply(Client(), id_number="370215197005170010")
    assert response.status_code == 200 and response.context["form"].errors["id_number"]
    assert not Lead.objects.exists()


def test_a_drop_file_with_bad_rows_is_refused_by_row_and_column(personas):
    book = Workbook()
    book.active.append(["姓名", "身份证号", "自付金额"])
    book.active.append(["张三", "123", "6000"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "医保.xlsx"
    client = Client()
    client.force_login(personas["office"])
    response = client.post(reverse("monitoring:drop_upload"), {"department": "medical", "file": buffer})
    assert response.status_code == 422
    assert "2" in str(response.context["errors"][0]) and "身份证号" in str(response.context["errors"][0])
    assert not Lead.objects.exists()


def test_the_notice_print_page_shows_no_id_number_or_phone(personas, make_household):
    from bangfu.monitoring import services

    member = member_data(phone="13912345678")
    household = make_household(VILLAGE_A, members=[member])
    import datetime as dt
    import uuid

    from bangfu.core.dates import local_today

    lead = services.lead_create(actor=personas["office"], client_id=uuid.uuid4(), source="cadre", channel="contact",
                                village=household.region, household=household, indicator="大病支出")[0]
    lead = services.lead_step(lead=lead, actor=personas["village_a"], action="verify",
                              data={"cadres": ["甲", "乙"], "findings": "住院"})
    lead = services.lead_step(lead=lead, actor=personas["office"], action="compare", data={"answers": "无"})
    services.lead_step(lead=lead, actor=personas["village_a"], action="deliberate",
                       data={"meeting_on": local_today() - dt.timedelta(days=1), "attendance": 9, "agreed": True})
    client = Client()
    client.force_login(personas["village_a"])
    page = client.get(reverse("monitoring:notice", args=[VILLAGE_A])).content.decode()
    assert household.head_name in page
    for secret in (member["id_number"], member["id_number"][-4:], "13912345678", "13812345678"):
        assert secret not in page


def test_a_need_and_a_household_page_turn_into_a_lead(personas, make_household):
    import uuid

    from bangfu.needs.services import need_create

    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    need, _created = need_create(household=household, category="medical", description="住院费用负担重",
                                 client_id=uuid.uuid4(), actor=personas["caseworker_a"])
    client = Client()
    client.force_login(personas["village_a"])
    link = f"{reverse('monitoring:create')}?need={need.pk}"
    assert link in client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    response = client.post(link, {"client_id": str(uuid.uuid4()), "source": "cadre", "channel": "need",
                                  "indicator": "大病支出", "need": need.pk})
    lead = Lead.objects.get()
    assert response.status_code == 302 and lead.need == need and lead.household == household
    page = client.get(reverse("households:detail", args=[household.pk])).content.decode()
    assert f"{reverse('monitoring:create')}?household={household.pk}" in page
    assert reverse("monitoring:detail", args=[lead.pk]) in page
    client.post(f"{reverse('monitoring:create')}?household={household.pk}", {
        "client_id": str(uuid.uuid4()), "source": "cadre", "channel": "check", "indicator": "务工收入骤减",
        "household": household.pk})
    assert Lead.objects.filter(household=household, channel="check").count() == 1


def test_the_county_sets_its_deadlines_and_thresholds_on_its_page(personas):
    from bangfu.monitoring.services import limits_for

    client = Client()
    client.force_login(personas["county"])
    url = reverse("monitoring:settings")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"accept_days": 5, "verify_days": 5, "compare_days": 5, "total_days": 10,
                                "medical_poor_fen": "4000", "medical_other_fen": "15000",
                                "line_fen": "7200", "stable_months": 6})
    assert refused.status_code == 200 and refused.context["form"].errors["total_days"]
    saved = client.post(url, {"accept_days": 1, "verify_days": 2, "compare_days": 3, "total_days": 10,
                              "medical_poor_fen": "4000", "medical_other_fen": "15000",
                                "line_fen": "7200", "stable_months": 6})
    assert saved.status_code == 302
    assert limits_for("370215010001").medical_poor_fen == 400000 and limits_for("370215").total_days == 10
    assert (limits_for("370215").line_fen, limits_for("370215").stable_months) == (720000, 6)
    office = Client()
    office.force_login(personas["office"])
    assert office.get(url).status_code == 403
