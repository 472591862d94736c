"""Replays are safe: a submission sent again under its client id with the same body is answered as
stored (once), with another body refused as a replay mismatch (409, code `replay_mismatch`) and
never answered with the first row, by the API and by the pages; and the pages' outbox protocol
(`core.outbox`): stored, invalid (422 with the form's errors), mismatch, logged out."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.casework.models import Contact
from bangfu.core.dates import local_today
from bangfu.core.idempotency import ReplayMismatch, payload_hash
from bangfu.deliveries.models import Delivery
from bangfu.emergency.models import CheckSubmission, HealthCheck, Returnee
from bangfu.emergency.services import checks_generate
from bangfu.needs.models import Need
from conftest import person_id

pytestmark = pytest.mark.django_db
OUTBOX = {"HTTP_X_BANGFU_OUTBOX": "1"}


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def test_the_hash_is_of_the_fields_not_the_id_nor_the_token_nor_their_order():
    a = payload_hash({"b": 1, "a": [1, 2], "client_id": "x", "csrfmiddlewaretoken": "t1"})
    assert a == payload_hash({"a": [1, 2], "b": 1, "client_id": "y", "csrfmiddlewaretoken": "t2"})
    assert a != payload_hash({"a": [2, 1], "b": 1})
    assert a != payload_hash({"a": [1, 2], "b": "1"})
    assert len(a) == 64


def _check_post(check, head, degrees="36.5", **overrides):
    return {"client_id": str(uuid.uuid4()), f"t_m{head.pk}": degrees, "disinfection": "yes", "symptoms": "no",
            "supplies": "yes", "help": "no", "note": "", **overrides}


def test_check_page_answers_the_outbox_stored_repeat_mismatch_invalid(client, emergency, home, personas):
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    head = home.members.first()
    url = reverse("emergencies:check", args=[check.pk])
    client.force_login(personas["caseworker_a"])
    data = _check_post(check, head)

    first = client.post(url, data, **OUTBOX)
    assert first.status_code == 200, first.content
    assert first.json() == {"status": "stored", "location": reverse("casework:worklist")}
    assert first["Cache-Control"] == "no-store"
    again = client.post(url, data, **OUTBOX)
    assert again.status_code == 200 and again.json()["status"] == "stored"
    submission = CheckSubmission.objects.get()
    assert len(submission.client_hash) == 64

    changed = client.post(url, {**data, f"t_m{head.pk}": "38.5"}, **OUTBOX)
    assert changed.status_code == 409
    assert changed.json()["code"] == "replay_mismatch" and "replay mismatch" in changed.json()["detail"].lower() \
        or "不一致" in changed.json()["detail"]
    check.refresh_from_db()
    assert not check.fever and check.readings.get().temperature == 36.5 and CheckSubmission.objects.count() == 1

    invalid = client.post(url, _check_post(check, head, degrees="99"), **OUTBOX)
    assert invalid.status_code == 422
    body = invalid.json()
    assert body["status"] == "invalid" and f"t_m{head.pk}" in body["errors"] and body["detail"]
    assert CheckSubmission.objects.count() == 1

    # The plain form (no outbox) keeps its answers: a redirect, and a 409 page for a mismatch.
    plain = client.post(url, {**data, f"t_m{head.pk}": "38.5"})
    assert plain.status_code == 409 and "replay" in plain.content.decode().lower() or plain.status_code == 409

    client.logout()
    expired = client.post(url, data, **OUTBOX)
    assert expired.status_code == 401 and expired.json()["status"] == "login"


def test_check_api_repeat_and_mismatch(emergency, home, personas):
    checks_generate()
    check = HealthCheck.objects.get(household=home)
    head = home.members.first()
    api = ApiClient(personas["caseworker_a"])
    body = {"client_id": "api-check-1", "temperatures": {f"m{head.pk}": "36.6"}, "disinfection": True,
            "symptoms": False, "supplies_enough": True, "help_needed": False}
    assert api.post(f"/api/checks/{check.pk}", body).status_code == 201
    assert api.post(f"/api/checks/{check.pk}", body).status_code == 200
    refused = api.post(f"/api/checks/{check.pk}", {**body, "temperatures": {f"m{head.pk}": "39.0"}})
    assert refused.status_code == 409 and refused.json()["code"] == "replay_mismatch"
    check.refresh_from_db()
    assert not check.fever and CheckSubmission.objects.count() == 1


def test_contact_page_parts_count_in_the_body(client, home, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("casework:contact_add", args=[home.pk])
    data = {"client_id": str(uuid.uuid4()), "channel": "phone", "outcome": "no_answer", "notes": "没人接"}
    first = client.post(url, data, **OUTBOX)
    assert first.status_code == 200 and first.json()["status"] == "stored", first.content
    assert client.post(url, data, **OUTBOX).json()["status"] == "stored"
    changed = client.post(url, {**data, "notes": "关机"}, **OUTBOX)
    assert changed.status_code == 409 and changed.json()["code"] == "replay_mismatch"
    part_changed = client.post(url, {**data, "need-category": "living_supplies", "need-description": "要米",
                                              "need-urgency": "normal"}, **OUTBOX)
    assert part_changed.status_code == 409, part_changed.content.decode()
    contact = Contact.objects.get()
    assert contact.notes == "没人接" and len(contact.client_hash) == 64


def test_need_page_and_api(client, home, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("needs:create", args=[home.pk])
    data = {"client_id": str(uuid.uuid4()), "category": "medical", "description": "陪同就医", "urgency": "normal"}
    assert client.post(url, data, **OUTBOX).json()["status"] == "stored"
    assert client.post(url, data, **OUTBOX).json()["status"] == "stored"
    assert client.post(url, {**data, "urgency": "urgent"}, **OUTBOX).status_code == 409
    assert Need.objects.count() == 1 and Need.objects.get().urgency == "normal"
    invalid = client.post(url, {**data, "client_id": str(uuid.uuid4()), "description": ""}, **OUTBOX)
    assert invalid.status_code == 422 and "description" in invalid.json()["errors"]
    api = ApiClient(personas["caseworker_a"])
    other = api.post("/api/needs", {**data, "household": home.pk, "client_id": str(uuid.uuid4())})
    assert other.status_code == 201
    again = {**data, "household": home.pk, "client_id": other.json()["id"] and data["client_id"]}
    assert api.post("/api/needs", {**again, "description": "另一件事"}).json()["code"] == "replay_mismatch"


def test_delivery_api_and_returnee_api(emergency, home, personas):
    api = ApiClient(personas["caseworker_a"])
    errand = {"household": home.pk, "kind": "errand", "description": "代缴电费", "client_id": "d-1"}
    assert api.post("/api/deliveries", errand).status_code == 201
    assert api.post("/api/deliveries", errand).status_code == 200
    refused = api.post("/api/deliveries", {**errand, "description": "代买药"})
    assert refused.status_code == 409 and refused.json()["code"] == "replay_mismatch"
    assert Delivery.objects.get().description == "代缴电费"

    body = {"emergency": emergency.pk, "household": home.pk, "name": "赵归", "id_number": person_id(),
            "phone": "13700001234", "origin": "上海", "arrival": local_today().isoformat(), "transport": "bus",
            "quarantine": True, "home_supplies_ensured": True, "help_needed": False, "client_id": "ret-1"}
    assert api.post("/api/returnees", body).status_code == 201
    assert api.post("/api/returnees", body).status_code == 200
    refused = api.post("/api/returnees", {**body, "origin": "北京"})
    assert refused.status_code == 409 and refused.json()["code"] == "replay_mismatch"
    assert Returnee.objects.get().origin == "上海"


def test_returnee_page_replay_checked_before_the_shortcut(client, emergency, home, personas):
    client.force_login(personas["caseworker_a"])
    url = reverse("emergencies:returnee_register", args=[emergency.pk])
    data = {"household": home.number, "name": "张归", "id_number": person_id(), "phone": "13900001111",
            "origin": "湖北省武汉市", "arrival": local_today().isoformat(), "transport": "train",
            "screening": "normal", "quarantine": "yes", "home_supplies_ensured": "yes", "help_needed": "no",
            "client_id": str(uuid.uuid4())}
    assert client.post(url, data, **OUTBOX).json()["status"] == "stored"
    assert client.post(url, data, **OUTBOX).json()["status"] == "stored"
    assert client.post(url, {**data, "origin": "北京"}, **OUTBOX).json()["code"] == "replay_mismatch"
    assert Returnee.objects.count() == 1


def test_stock_moves_refuse_a_changed_retry(personas, township):
    from bangfu.supplies.models import Item, StockMove
    from bangfu.supplies.services import stock_receive

    rice = Item.objects.create(name="大米", kind="living", unit="袋", township=township)
    stock_receive(township=township, item=rice, quantity=5, source="捐赠", actor=personas["office"], client_id="m-1")
    stock_receive(township=township, item=rice, quantity=5, source="捐赠", actor=personas["office"], client_id="m-1")
    with pytest.raises(ReplayMismatch):
        stock_receive(township=township, item=rice, quantity=50, source="捐赠", actor=personas["office"],
                      client_id="m-1")
    assert StockMove.objects.get().quantity == 5
