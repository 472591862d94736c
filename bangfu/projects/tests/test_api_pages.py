"""Projects over the API and on the pages: create (idempotent), steps with 403/404/409, payments
(idempotent, never above what remains), the list by scope, and the printed card and notice."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.projects.models import LedgerEntry, Project, Stage
from bangfu.projects.tests.test_services import advance, make
from conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db


def body(**overrides) -> dict:
    return {"client_id": str(uuid.uuid4()), "name": "戴家庄村路灯安装工程", "type": "infrastructure",
            "region": VILLAGE_A, "villages": [VILLAGE_A], "budget_central": 90_000_00, "budget_other": 10_000_00,
            "meeting_date": local_today().isoformat(), "meeting_attendance": 21, "meeting_decision": "同意申报",
            "targets": [{"indicator": "路灯数量", "target": "40盏"}]} | overrides


def test_create_is_idempotent_and_listed_by_scope(personas, regions):
    api = ApiClient(personas["village_a"])
    payload = body()
    first = api.post("/api/projects", payload)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["stage"] == "proposed" and data["budget_fen"]["central"] == 90_000_00
    assert data["money"][-1]["budget_fen"] == 100_000_00 and data["targets"][0]["target"] == "40盏"
    again = api.post("/api/projects", payload | {"name": "changed"})
    assert again.status_code == 200 and again.json()["id"] == data["id"] and Project.objects.count() == 1
    assert [p["id"] for p in ApiClient(personas["county"]).get("/api/projects").json()] == [data["id"]]
    assert ApiClient(personas["caseworker_b"]).get("/api/projects").json() == []
    assert ApiClient(personas["outsider_office"]).get(f"/api/projects/{data['id']}").status_code == 404


def test_create_outside_the_area_is_refused_on_its_field(personas, regions):
    response = ApiClient(personas["village_a"]).post("/api/projects", body(region=VILLAGE_B, villages=[VILLAGE_B]))
    assert response.status_code == 422 and "region" in response.json()["errors"]
    assert not Project.objects.exists()


def test_self_check_over_the_api_with_the_targets_reached(personas, regions):
    project = advance(make(personas, regions), personas, Stage.BUILDING)
    url = f"/api/projects/{project.pk}/steps"
    bad = ApiClient(personas["village_a"]).post(url, {"action": "self_check", "place": "公开栏", "actuals": "完工率"})
    assert bad.status_code == 422 and "actuals" in bad.json()["errors"]
    done = ApiClient(personas["village_a"]).post(url, {"action": "self_check", "place": "公开栏",
                                                      "actuals": "完工率：100%"})
    assert done.status_code == 200 and done.json()["targets"][0]["actual"] == "100%"
    assert done.json()["progress"] == 100


def test_steps_answer_403_404_409(personas, regions):
    project = make(personas, regions)
    url = f"/api/projects/{project.pk}/steps"
    assert ApiClient(personas["county"]).post(url, {"action": "publish", "place": "公开栏"}).status_code == 403
    assert ApiClient(personas["outsider_office"]).post(url, {"action": "publish", "place": "x"}).status_code == 404
    refused = ApiClient(personas["office"]).post(url, {"action": "review", "outcome": "no_objection"})
    assert refused.status_code == 409 and "“" in refused.json()["detail"]
    missing = ApiClient(personas["village_a"]).post(url, {"action": "publish"})
    assert missing.status_code == 422 and "place" in missing.json()["errors"]
    done = ApiClient(personas["village_a"]).post(url, {"action": "publish", "place": "村务公开栏"})
    assert done.status_code == 200 and done.json()["stage"] == "village_notice"
    notice = done.json()["notices"][0]
    assert (dt.date.fromisoformat(notice["end"]) - dt.date.fromisoformat(notice["start"])).days == 6
    early = ApiClient(personas["office"]).post(url, {"action": "review", "outcome": "no_objection"})
    assert early.status_code == 409 and notice["end"] in early.json()["detail"]


def test_hand_over_over_the_api_lists_what_is_handed_over(personas, regions):
    project = advance(make(personas, regions), personas, Stage.COUNTY_CHECKED)
    url = f"/api/projects/{project.pk}/steps"
    empty = ApiClient(personas["office"]).post(url, {"action": "hand_over"})
    assert empty.status_code == 422 and "items" in empty.json()["errors"]
    done = ApiClient(personas["office"]).post(url, {"action": "hand_over", "items": [
        {"name": "路灯40盏", "value_fen": 95_000_00, "owner_level": "village", "owner_name": "戴家庄村村民委员会",
         "keeper": "戴家庄村村民委员会"}]})
    assert done.status_code == 200 and done.json()["stage"] == "handed_over"
    assert project.handover.get().value_fen == 95_000_00


def test_payments_over_the_api(personas, regions):
    project = advance(make(personas, regions), personas, Stage.ISSUED)
    url = f"/api/projects/{project.pk}/payments"
    payload = {"client_id": str(uuid.uuid4()), "source": "central", "amount_fen": 100_000_00,
               "day": local_today().isoformat(), "payee": "鑫盛建筑"}
    office = ApiClient(personas["office"])
    assert office.post(url, payload).status_code == 201
    assert office.post(url, payload).status_code == 200
    too_much = office.post(url, payload | {"client_id": str(uuid.uuid4()), "amount_fen": 200_000_01})
    assert too_much.status_code == 422 and "200,000.00" in too_much.json()["errors"]["amount_fen"][0]
    assert ApiClient(personas["village_a"]).post(url, payload | {"client_id": str(uuid.uuid4())}).status_code == 403
    assert LedgerEntry.objects.filter(kind="payment").count() == 1
    ledger = office.get(url).json()
    assert [e["kind"] for e in ledger].count("allocation") == 2
    money = office.get(f"/api/projects/{project.pk}").json()["money"]
    assert money[0]["source"] == "central" and money[0]["spending_rate"] == pytest.approx(33.3)


def test_pages_list_detail_steps_and_payment(client, personas, regions):
    project = advance(make(personas, regions), personas, Stage.ISSUED)
    client.force_login(personas["office"])
    assert project.name in client.get(reverse("projects:list")).content.decode()
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "生产路硬化" in page and "0.0%" in page and reverse("projects:payment", args=[project.pk]) in page
    response = client.post(reverse("projects:payment", args=[project.pk]), {
        "client_id": str(uuid.uuid4()), "source": "central", "amount": "300000.01",
        "day": local_today().isoformat(), "payee": "鑫盛建筑"})
    assert response.status_code == 200 and "300,000.00" in response.content.decode()
    response = client.post(reverse("projects:payment", args=[project.pk]), {
        "client_id": str(uuid.uuid4()), "source": "central", "amount": "1000", "day": local_today().isoformat(),
        "payee": "鑫盛建筑"})
    assert response.status_code == 302 and LedgerEntry.objects.get(kind="payment").amount_fen == 1000_00
    step = reverse("projects:step", args=[project.pk, "start"])
    assert client.post(step, {"contractor": "", "started_on": ""}).status_code == 200
    assert Project.objects.get(pk=project.pk).stage == Stage.ISSUED
    assert client.post(step, {"contractor": "鑫盛建筑", "started_on": local_today().isoformat(),
                              "progress": "5"}).status_code == 302
    assert Project.objects.get(pk=project.pk).stage == Stage.BUILDING
    refused = client.post(reverse("projects:step", args=[project.pk, "start"]), {"contractor": "x"})
    assert refused.status_code == 409


def test_a_village_cadre_may_not_take_the_office_step(client, personas, regions):
    project = advance(make(personas, regions), personas, Stage.VILLAGE_NOTICE)
    client.force_login(personas["village_a"])
    assert client.get(reverse("projects:step", args=[project.pk, "review"])).status_code == 403
    client.force_login(personas["caseworker_b"])
    assert client.get(reverse("projects:detail", args=[project.pk])).status_code == 404


def test_create_page(client, personas, regions):
    client.force_login(personas["village_a"])
    page = client.get(reverse("projects:create"))
    assert page.status_code == 200
    response = client.post(reverse("projects:create"), {
        "client_id": str(uuid.uuid4()), "name": "路灯", "type": "infrastructure", "region": VILLAGE_A,
        "villages": [VILLAGE_A], "budget_central": "1000", "meeting_date": local_today().isoformat(),
        "meeting_attendance": "20", "meeting_decision": "同意", "targets": "路灯数量：40盏\n", "households": "nope-1"})
    assert response.status_code == 200 and "nope-1" in response.content.decode() and not Project.objects.exists()
    response = client.post(reverse("projects:create"), {
        "client_id": str(uuid.uuid4()), "name": "路灯", "type": "infrastructure", "region": VILLAGE_A,
        "villages": [VILLAGE_A], "budget_central": "1000", "meeting_date": local_today().isoformat(),
        "meeting_attendance": "20", "meeting_decision": "同意", "targets": "路灯数量：40盏\n"})
    assert response.status_code == 302
    project = Project.objects.get()
    assert project.budget_central == 1000_00 and project.targets.get().target == "40盏"


def test_print_card_and_notice(client, personas, regions):
    project = advance(make(personas, regions), personas, Stage.TOWNSHIP_REVIEWED)
    client.force_login(personas["village_a"])
    card = client.get(reverse("projects:card", args=[project.pk])).content.decode()
    assert project.name in card and "<script" not in card.split("</header>", 1)[-1].split("<footer", 1)[0]
    notice = project.notices.get()
    page = client.get(reverse("projects:notice", args=[project.pk, "village_notice"])).content.decode()
    assert notice.start.strftime("%Y年%-m月%-d日") in page and notice.end.strftime("%Y年%-m月%-d日") in page
    draft = client.get(reverse("projects:notice", args=[project.pk, "self_checked"]))
    assert draft.status_code == 200
    assert client.get(reverse("projects:notice", args=[project.pk, "issued"])).status_code == 404


def test_the_county_sets_its_deadlines_on_its_page(client, personas, regions):
    client.force_login(personas["office"])
    assert client.get(reverse("projects:deadlines")).status_code == 403
    client.force_login(personas["county"])
    page = client.get(reverse("projects:deadlines"))
    assert page.status_code == 200 and "即墨区" in page.content.decode()
    refused = client.post(reverse("projects:deadlines"), {"county": "370215", "notice_days": "5", "stage_days": "20",
                                                         "start_by_month": "2", "start_by_day": "30"})
    assert refused.status_code == 200 and "该月没有这一天" in refused.content.decode()
    done = client.post(reverse("projects:deadlines"), {"county": "370215", "notice_days": "5", "stage_days": "20",
                                                      "start_by_month": "8", "start_by_day": "31"})
    assert done.status_code == 302
    project = advance(make(personas, regions), personas, Stage.VILLAGE_NOTICE)
    notice = project.notices.get()
    assert (notice.end - notice.start).days == 4
