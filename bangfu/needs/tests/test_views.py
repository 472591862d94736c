"""The needs pages: record from the household page (once per client id), the board and its query
count, a need's page and its actions by role and scope, assign many, numbers, deadlines, and the
in-app notifications of an escalation."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.history.models import Change
from bangfu.needs import services
from bangfu.needs.models import DeadlineSettings, Measure, Need, Status
from bangfu.needs.tests.conftest import assign_args
from bangfu.notify.models import Notification
from bangfu.notify.services import messages_deliver


def login(client, user):
    client.force_login(user)
    return client


def snapshot():
    return (list(Need.objects.order_by("pk").values_list("pk", "status", "version")), Change.objects.count(),
            Measure.objects.count(), DeadlineSettings.objects.count())


def test_household_page_offers_to_record_and_lists_open_needs(client, household_a, make_need, personas):
    open_need = make_need(Status.REPORTED, description="屋顶漏雨")
    make_need(Status.CONFIRMED, description="已经解决的事")
    page = login(client, personas["caseworker_a"]).get(reverse("households:detail", args=[household_a.pk])).content.decode()
    start = page.index('id="needs"')
    html = page[start:page.index("</section>", start)]
    assert reverse("needs:create", args=[household_a.pk]) in html
    assert "屋顶漏雨" in html and reverse("needs:detail", args=[open_need.pk]) in html
    assert "已经解决的事" not in html


def test_record_a_need_once_per_client_id(client, household_a, personas):
    login(client, personas["caseworker_a"])
    url = reverse("needs:create", args=[household_a.pk])
    form = client.get(url)
    assert form.status_code == 200
    client_id = form.context["form"].initial["client_id"]
    data = {"category": "medical", "urgency": "urgent", "description": "老人发烧需要送医", "client_id": client_id}
    first = client.post(url, data)
    need = Need.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("needs:detail", args=[need.pk])
    assert need.status == Status.RECORDED and need.urgency == "urgent" and need.recorded_by == personas["caseworker_a"]
    again = client.post(url, data)
    assert again["Location"] == first["Location"] and Need.objects.count() == 1


def test_record_shows_errors(client, household_a, personas):
    login(client, personas["caseworker_a"])
    response = client.post(reverse("needs:create", args=[household_a.pk]),
                           {"category": "medical", "urgency": "normal", "description": "", "client_id": str(uuid.uuid4())})
    assert response.status_code == 200 and not Need.objects.exists()
    assert "这个字段是必填项" in response.content.decode()


@pytest.mark.parametrize("persona, status", [("caseworker_b", 404), ("outsider_office", 404), ("county", 403)])
def test_record_refused(client, household_a, personas, persona, status):
    login(client, personas[persona])
    url = reverse("needs:create", args=[household_a.pk])
    before = snapshot()
    response = client.post(url, {"category": "other", "urgency": "normal", "description": "x",
                                 "client_id": str(uuid.uuid4())})
    assert response.status_code == status and snapshot() == before


def test_anonymous_is_sent_to_login(client, make_need):
    need = make_need()
    for url in (reverse("needs:board"), reverse("needs:detail", args=[need.pk]), reverse("notify:inbox")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"]


def test_need_page_and_scope(client, make_need, personas):
    need = make_need(Status.ASSIGNED)
    html = login(client, personas["office"]).get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "送米面油各一份" in html and reverse("needs:act", args=[need.pk, "resolve"]) in html
    assert reverse("needs:act", args=[need.pk, "confirm"]) not in html
    for persona in ("caseworker_b", "outsider_office"):
        assert login(client, personas[persona]).get(reverse("needs:detail", args=[need.pk])).status_code == 404


def test_caseworker_reports_and_office_resolves(client, make_need, personas):
    need = make_need()
    login(client, personas["caseworker_a"])
    response = client.post(reverse("needs:act", args=[need.pk, "report"]), {"note": "已电话告知扶贫办"})
    assert response.status_code == 302
    login(client, personas["office"])
    args = assign_args(personas)
    response = client.post(reverse("needs:act", args=[need.pk, "assign"]), {
        "measure_type": args["measure_type"], "plan": args["plan"], "owner": args["owner"].pk,
        "due_on": args["due_on"].isoformat(),
    })
    assert response.status_code == 302
    response = client.post(reverse("needs:act", args=[need.pk, "resolve"]), {"result": "已送到户", "cost": "120.50"})
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.status == Status.RESOLVED and need.measures.get().cost_fen == 12050
    html = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert "已电话告知扶贫办" in html and "已送到户" in html


def test_forbidden_actions_on_pages(client, make_need, personas):
    need = make_need()
    before = snapshot()
    # The office may not report: 403; may assign, but not from "recorded": 409.
    login(client, personas["office"])
    assert client.post(reverse("needs:act", args=[need.pk, "report"]), {"note": ""}).status_code == 403
    response = client.post(reverse("needs:act", args=[need.pk, "assign"]), {})
    assert response.status_code == 409 and "已记录" in response.content.decode()
    assert login(client, personas["caseworker_b"]).post(
        reverse("needs:act", args=[need.pk, "report"]), {"note": ""}).status_code == 404
    assert client.get(reverse("needs:act", args=[need.pk, "explode"])).status_code == 404
    assert snapshot() == before


def _board_queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("needs:board"))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_board_filters_and_query_count(client, make_need, personas, household_b):
    login(client, personas["office"])
    make_need(Status.REPORTED)
    one = _board_queries(client)
    for _ in range(4):
        make_need(Status.ASSIGNED)
    make_need(Status.RECORDED, household=household_b, actor=personas["caseworker_b"], category="water",
              description="井水浑浊")
    assert _board_queries(client) == one
    response = client.get(reverse("needs:board"), {"category": "water"})
    assert [n.category for n in response.context["needs"]] == ["water"]
    response = client.get(reverse("needs:board"), {"village": "370215010001", "status": "assigned"})
    assert len(response.context["needs"]) == 4
    late = Need.objects.filter(status="reported").get()
    Need.objects.filter(pk=late.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=1))
    response = client.get(reverse("needs:board"), {"overdue": "on"})
    assert [n.pk for n in response.context["needs"]] == [late.pk]
    assert "is-overdue" in response.content.decode()


def test_assign_many(client, make_need, personas):
    a, b = make_need(Status.REPORTED), make_need(Status.REPORTED)
    login(client, personas["office"])
    page = client.get(reverse("needs:assign_bulk"), {"need": [a.pk, b.pk]})
    assert page.status_code == 200 and len(page.context["needs"]) == 2
    args = assign_args(personas)
    response = client.post(reverse("needs:assign_bulk"), {
        "need": [a.pk, b.pk], "measure_type": "errand", "plan": "代办医保报销", "owner": args["owner"].pk,
        "due_on": args["due_on"].isoformat(),
    })
    assert response.status_code == 302
    assert set(Need.objects.values_list("status", flat=True)) == {"assigned"}
    before = snapshot()
    assert login(client, personas["caseworker_a"]).post(reverse("needs:assign_bulk"), {"need": [a.pk]}).status_code == 403
    assert snapshot() == before


def test_numbers_from_summary_rows(client, make_need, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_need(Status.REPORTED)
        make_need(Status.RESOLVED)
    response = login(client, personas["office"]).get(reverse("needs:numbers"))
    total = response.context["total"]
    assert (total.open, total.resolved, total.in_time_percent) == (1, 1, 100)
    assert response.context["villages"][0].label == "戴家庄村"
    assert login(client, personas["outsider_office"]).get(reverse("needs:numbers")).context["total"].open == 0


def test_deadline_settings_page(client, personas):
    login(client, personas["office"])
    assert client.get(reverse("needs:settings")).context["form"].initial == {"urgent_hours": 24, "normal_days": 7}
    assert client.post(reverse("needs:settings"), {"urgent_hours": 12, "normal_days": 5}).status_code == 302
    assert services.deadline_settings("370215010") == (12, 5)
    before = snapshot()
    assert login(client, personas["caseworker_a"]).post(
        reverse("needs:settings"), {"urgent_hours": 1, "normal_days": 1}).status_code == 403
    assert snapshot() == before


def test_escalation_reaches_the_office_inbox(client, make_need, personas):
    need = make_need(Status.REPORTED, urgency="urgent")
    services.needs_escalate(now=timezone.now() + dt.timedelta(days=2))
    messages_deliver()
    login(client, personas["office"])
    board = client.get(reverse("needs:board")).content.decode()
    assert 'class="nav-badge">2<' in board  # reported to it, then overdue
    inbox = client.get(reverse("notify:inbox"))
    assert "逾期" in inbox.content.decode()
    notification = Notification.objects.get(user=personas["office"], message__kind="need.overdue")
    response = client.post(reverse("notify:open", args=[notification.pk]))
    assert response["Location"] == reverse("needs:detail", args=[need.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None
    # Someone else's notification does not exist for you.
    assert login(client, personas["caseworker_a"]).post(reverse("notify:open", args=[notification.pk])).status_code == 404


def test_household_page_query_count_does_not_grow_with_needs(client, household_a, make_need, personas):
    login(client, personas["office"])
    make_need(Status.ASSIGNED)
    url = reverse("households:detail", args=[household_a.pk])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(4):
        make_need(Status.ASSIGNED)
    with CaptureQueriesContext(connection) as five:
        html = client.get(url).content.decode()
    assert html.count('class="need-item') == 5
    assert len(five.captured_queries) == len(one.captured_queries)
