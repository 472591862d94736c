"""The A4 prints, read back from the PDF: one household's file (names, masked ID numbers, its
caseworker, needs, policies, contacts), a village's files in the background, and the village's 公示
(never an ID number, phone or health detail); each only within the user's scope."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.models import JobStatus, PrintJob
from bangfu.briefings.tests.helpers import pdf_pages, pdf_text
from bangfu.core.dates import local_today
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(print_fonts() is None, reason="no CJK font installed (fonts-noto-cjk)")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _family(make_household, personas, village=VILLAGE_A, head="赵大山"):
    head_member = member_data(name=head, phone="13912345678")
    spouse = member_data(name="钱秀英", relation="配偶", sex="F", birth_date=dt.date(1972, 3, 4))
    caseworker = personas["caseworker_a"] if village == VILLAGE_A else personas["caseworker_b"]
    household = make_household(village, members=[head_member, spouse], caseworker=caseworker)
    return household, head_member, spouse


def test_a_households_file_holds_its_members_with_masked_id_numbers_and_its_caseworker(personas, make_household):
    from bangfu.casework.services import contact_create

    household, head, spouse = _family(make_household, personas)
    contact_create(actor=personas["caseworker_a"], household=household, client_id=uuid.uuid4(), channel="visit",
                reached=True, notes="入户走访，了解春耕情况")
    response = _client(personas["caseworker_a"]).get(reverse("briefings:household_pdf", args=[household.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in ("一户一档", "赵大山", "钱秀英", "配偶", "caseworker_a", "入户走访", "戴家庄村",
                     head["id_number"][:4], head["id_number"][-2:]):
        assert expected in text
    for secret in (head["id_number"], spouse["id_number"], head["id_number"][4:16], "13912345678"):
        assert secret not in text


def test_a_household_outside_the_scope_is_not_printed(personas, make_household):
    household, *_ = _family(make_household, personas)
    response = _client(personas["caseworker_b"]).get(reverse("briefings:household_pdf", args=[household.pk]))
    assert response.status_code == 404


def test_a_villages_files_are_printed_in_the_background_one_household_a_page(personas, make_household,
                                                                            django_capture_on_commit_callbacks):
    _family(make_household, personas, head="赵大山")
    _family(make_household, personas, head="孙小河")
    _family(make_household, personas, village=VILLAGE_B, head="李不在")
    office = _client(personas["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = office.post(reverse("briefings:village_files", args=[VILLAGE_A]))
    job = PrintJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("briefings:job", args=[job.pk])
    assert job.status == JobStatus.DONE and job.total == 2 and job.done == 2  # tasks run at once in tests
    page = office.get(reverse("briefings:job", args=[job.pk])).content.decode()
    assert reverse("briefings:job_pdf", args=[job.pk]) in page
    data = b"".join(office.get(reverse("briefings:job_pdf", args=[job.pk])).streaming_content)
    text = pdf_text(data)
    assert "赵大山" in text and "孙小河" in text and "李不在" not in text
    assert pdf_pages(data) >= 2
    # Another user's job is not theirs to see.
    assert _client(personas["county"]).get(reverse("briefings:job", args=[job.pk])).status_code == 404
    assert _client(personas["county"]).get(reverse("briefings:job_pdf", args=[job.pk])).status_code == 404


def test_a_village_outside_the_scope_is_refused_and_nothing_is_queued(personas, make_household):
    response = _client(personas["outsider_office"]).post(reverse("briefings:village_files", args=[VILLAGE_A]))
    assert response.status_code == 404
    assert not PrintJob.objects.exists()
    response = _client(personas["caseworker_a"]).post(reverse("briefings:village_files", args=[VILLAGE_A]))
    assert response.status_code == 403
    assert not PrintJob.objects.exists()


def test_the_notice_pdf_names_the_households_and_never_an_id_number_or_phone(personas, make_household):
    from bangfu.monitoring import services

    member = member_data(name="周有难", phone="13912345678")
    household = make_household(VILLAGE_A, members=[member])
    lead = services.lead_create(actor=personas["office"], client_id=uuid.uuid4(), source="cadre", channel="contact",
                                village=household.region, household=household, indicator="大病支出")[0]
    lead = services.lead_step(lead=lead, actor=personas["village_a"], action="verify",
                              data={"cadres": ["甲", "乙"], "findings": "住院"})
    lead = services.lead_step(lead=lead, actor=personas["office"], action="compare", data={"answers": "无"})
    services.lead_step(lead=lead, actor=personas["village_a"], action="deliberate",
                       data={"meeting_on": local_today() - dt.timedelta(days=1), "attendance": 9, "agreed": True})
    response = _client(personas["village_a"]).get(reverse("briefings:notice_pdf", args=[VILLAGE_A]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "周有难" in text and "戴家庄村防返贫监测对象拟纳入名单公示" in text
    for secret in (member["id_number"], member["id_number"][-6:], member["id_number"][:6], "13912345678",
                   "13812345678", "健康"):
        assert secret not in text
    assert _client(personas["caseworker_b"]).get(reverse("briefings:notice_pdf", args=[VILLAGE_A])).status_code in (
        200, 404)


def test_without_a_cjk_font_the_page_says_so(personas, make_household, monkeypatch):
    household, *_ = _family(make_household, personas)
    monkeypatch.setattr("bangfu.briefings.views.print_fonts", lambda: None)
    response = _client(personas["office"]).get(reverse("briefings:household_pdf", args=[household.pk]))
    assert response.status_code == 503 and response["Content-Type"].startswith("text/html")
    assert "fonts-noto-cjk" in response.content.decode()


def test_the_prints_page_lists_the_villages_within_the_scope(personas):
    page = _client(personas["office"]).get(reverse("briefings:prints") + f"?village={VILLAGE_A}").content.decode()
    assert "戴家庄村" in page and "北郝家庄村" in page and "送庄村" not in page
    assert reverse("briefings:notice_pdf", args=[VILLAGE_A]) in page
