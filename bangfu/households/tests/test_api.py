"""The households API: each route in scope, out of scope (404, nothing written), by role, and its errors."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext

from bangfu.accounts.testing import ApiClient
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.models import Household, Member
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, member_data, person_id

ZH_CATALOGUE = Path(django_settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.mo"


def zh(msgid: str) -> str:
    """What the Chinese interface says for a message (English until the catalogue has it)."""
    with translation.override("zh-hans"):
        return gettext(msgid)


def is_chinese(text: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", text))


def member_body(**overrides) -> dict:
    body = {
        "name": "逄珍波", "relation": "户主", "id_number": person_id(), "education": "初中",
        "health": ["健康"], "phone": "13912345678",
    }
    body.update(overrides)
    return body


def household_body(region: str = VILLAGE_A, members: list[dict] | None = None, **overrides) -> dict:
    body = {
        "region": region, "phone": "13812345678", "categories": ["registered_poor"],
        "members": members if members is not None else [member_body()],
    }
    body.update(overrides)
    return body


@pytest.fixture
def api(personas):
    """api("office") -> an ApiClient with a bearer token of that persona."""
    clients: dict[tuple, ApiClient] = {}

    def make(persona: str, language: str | None = None) -> ApiClient:
        if (persona, language) not in clients:
            clients[persona, language] = ApiClient(personas[persona], language=language)
        return clients[persona, language]

    return make


def snapshot():
    """Everything an out-of-scope or refused call must leave alone."""
    return (
        Change.objects.count(),
        list(Household.objects.order_by("pk").values_list("pk", "version", "address", "status")),
        Member.objects.count(),
    )


# --- list ------------------------------------------------------------------------------------

def test_list_shows_the_callers_area_only(api, make_household, personas):
    a = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    b = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    make_household(VILLAGE_OTHER)

    def ids(persona, **params):
        response = api(persona).get("/api/households", **params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids("caseworker_a") == [a.pk]
    assert ids("caseworker_b") == [b.pk]
    assert ids("office") == [a.pk, b.pk]
    # Neither searching nor filtering reaches into another village.
    assert ids("caseworker_b", q=a.head_name) == [b.pk]  # both heads share the fixture's name
    assert ids("caseworker_b", q=a.number) == []
    assert ids("caseworker_b", village=VILLAGE_A) == []
    assert ids("caseworker_b", caseworker=personas["caseworker_a"].pk) == []
    assert ids("outsider_office", q=a.number) == []


def test_list_item_is_masked_and_complete(api, make_household, personas):
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    body = api("office").get("/api/households").json()
    assert body["count"] == 1 and body["count_is_exact"] is True and body["next_cursor"] is None
    assert body["items"] == [{
        "id": household.pk,
        "number": household.number,
        "region": {"code": VILLAGE_A, "name": "戴家庄村"},
        "head_name": "逄珍波",
        "phone": "138****5678",
        "categories": ["registered_poor"],
        "status": "active",
        "monitor_type": None,
        "caseworker": {"id": personas["caseworker_a"].pk, "name": "caseworker_a"},
        "version": household.version,
    }]


def test_list_filters_and_search(api, make_household, personas):
    poor = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    monitored = make_household(
        VILLAGE_B, categories=[choices.Category.MONITORED], monitor_type=choices.MonitorType.MARGINAL,
        status=choices.Status.LIFTED, members=[member_data(name="刘德华")],
    )
    office = api("office")

    def ids(**params):
        response = office.get("/api/households", **params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(category="monitored") == [monitored.pk]
    assert ids(status="lifted") == [monitored.pk]
    assert ids(village=VILLAGE_A) == [poor.pk]
    assert ids(caseworker=personas["caseworker_a"].pk) == [poor.pk]
    assert ids(q="刘德") == [monitored.pk]
    assert ids(q="ldh") == [monitored.pk]
    assert ids(q=monitored.number) == [monitored.pk]
    tail = Member.objects.get(household=poor).id_number[-6:]
    assert poor.pk in ids(q=tail)
    # request_id: what one request (here, an API create) changed.
    created = office.post("/api/households", household_body(VILLAGE_B))
    assert created.status_code == 201, created.content
    assert ids(request_id=created["X-Request-Id"]) == [created.json()["id"]]


def test_cursor_walks_every_row_exactly_once(api, make_household):
    made = {make_household(VILLAGE_A if i % 2 else VILLAGE_B).pk for i in range(7)}
    office = api("office")
    seen, cursor, pages = [], "", 0
    while True:
        body = office.get("/api/households", limit=3, cursor=cursor).json()
        pages += 1
        assert len(body["items"]) <= 3
        assert body["count"] == 7 and body["count_is_exact"]
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(made) and len(seen) == len(set(seen))


def test_count_is_not_exact_past_the_limit(api, make_household, settings):
    settings.COUNT_LIMIT = 4
    for _ in range(6):
        make_household(VILLAGE_A)
    body = api("office").get("/api/households", limit=2).json()
    assert body["count"] == 4 and body["count_is_exact"] is False


def test_list_query_count_does_not_grow_with_rows(api, make_household, personas):
    office = api("office")
    office.get("/api/households")  # token's last_used_at is written once a minute; not part of the count

    def queries_for_a_page():
        with CaptureQueriesContext(connection) as captured:
            assert office.get("/api/households").status_code == 200
        return len(captured)

    make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    few = queries_for_a_page()
    for _ in range(5):
        make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    assert queries_for_a_page() == few


def test_list_bad_parameters_are_per_field_422(api):
    response = api("office").get("/api/households", status="nope", limit=500, caseworker="x", cursor="!!")
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"status", "limit", "caseworker"}
    # Django's own catalogue has this one in Chinese, so this shows translation is active for the API.
    assert errors["caseworker"] == [zh("Enter a whole number.")] and is_chinese(errors["caseworker"][0])
    response = api("office", "en").get("/api/households", caseworker="x")
    assert response.json()["errors"] == {"caseworker": ["Enter a whole number."]}
    response = api("office", "en").get("/api/households", cursor="!!")
    assert response.status_code == 422 and set(response.json()["errors"]) == {"cursor"}


def test_a_single_valued_parameter_given_twice_is_a_422_not_its_last_value(api, personas, make_household):
    make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    caseworker = personas["caseworker_a"].pk
    response = api("office").get("/api/households", caseworker=[caseworker, caseworker + 1])
    assert response.status_code == 422
    assert response.json()["errors"] == {"caseworker": [zh("Give this parameter once.")]}
    assert is_chinese(response.json()["errors"]["caseworker"][0])
    # Once, it filters as before.
    response = api("office").get("/api/households", caseworker=caseworker)
    assert response.status_code == 200 and response.json()["count"] == 1


# --- detail ----------------------------------------------------------------------------------

def test_detail_has_members_masked_and_derived_income(api, make_household, personas):
    head = member_data()
    spouse = member_data(name="王芳", relation=choices.Relation.SPOUSE, id_number=person_id(sex="F"),
                         phone="13711112222")
    household = make_household(
        VILLAGE_A, members=[head, spouse], caseworker=personas["caseworker_a"],
        wage_income=1_000_000, transfer_income=250_050, business_expense=50_000, farmland_mu="2.50",
        dilapidated=True, dilapidation_level="C级", road_type="水泥路",
    )
    response = api("caseworker_a").get(f"/api/households/{household.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == household.version
    assert body["net_income"] == 1_200_050 and body["net_income_per_person"] == 600_025
    assert body["wage_income"] == 1_000_000 and body["property_income"] is None
    assert body["farmland_mu"] == 2.5 and body["dilapidation_level"] == "C级" and body["road_type"] == "水泥路"
    assert body["categories"] == ["registered_poor"]
    assert body["assignment"]["caseworker"] == {"id": personas["caseworker_a"].pk, "name": "caseworker_a"}
    assert body["assignment"]["end"] is None
    assert [m["name"] for m in body["members"]] == ["逄珍波", "王芳"]
    first, second = body["members"]
    assert first["id_number"] == head["id_number"][:4] + "*" * 12 + head["id_number"][-2:]
    # A caseworker may not reveal ID numbers: the year of birth, not the date.
    assert first["birth_date"] is None and first["born"] == head["id_number"][6:10]
    assert second["phone"] == "137****2222"
    text = response.content.decode()
    for secret in (head["id_number"], spouse["id_number"], "13711112222", "13812345678"):
        assert secret not in text


def test_missing_household_is_404(api, regions):
    response = api("admin").get("/api/households/999999")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_out_of_scope_is_404_everywhere_and_writes_nothing(api, make_household, personas):
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    member = household.members.get()
    other = api("caseworker_b")
    before = snapshot()
    calls = [
        other.get(f"/api/households/{household.pk}"),
        other.patch(f"/api/households/{household.pk}", {"version": household.version, "address": "x"}),
        other.get(f"/api/households/{household.pk}/history"),
        other.post(f"/api/members/{member.pk}/reveal", {"field": "phone"}),
        other.post(f"/api/households/{household.pk}/reveal", {"field": "phone"}),
        api("outsider_office").post(f"/api/members/{member.pk}/reveal", {"field": "id_number"}),
    ]
    assert [c.status_code for c in calls] == [404] * len(calls)
    # The same answer as for a household that does not exist: nothing tells them it is there.
    assert calls[0].json() == api("caseworker_b").get("/api/households/999999").json()
    assert snapshot() == before


# --- create ----------------------------------------------------------------------------------

def test_create_binds_the_forms_and_records_history(api, regions):
    body = household_body(
        VILLAGE_A,
        members=[member_body(), member_body(name="王芳", relation="配偶", id_number=person_id(sex="F"))],
        wage_income=1_234_56, farmland_mu=1.5, monitor_type="", safe_water=True,
    )
    response = api("village_a").post("/api/households", body)
    assert response.status_code == 201, response.content
    created = response.json()
    household = Household.objects.get(pk=created["id"])
    assert created["number"] == household.number == VILLAGE_A + "0001"
    assert created["head_name"] == "逄珍波" and len(created["members"]) == 2
    assert household.wage_income == 123_456 and created["wage_income"] == 123_456
    assert created["members"][1]["sex"] == "F"  # taken from the ID number
    assert created["phone"] == "138****5678" and household.phone == "13812345678"
    changes = Change.objects.filter(household_id=household.pk)
    assert sorted(changes.values_list("object_type", "action")) == [
        ("household", "create"), ("member", "create"), ("member", "create"),
    ]
    assert {str(c.request_id) for c in changes} == {response["X-Request-Id"]}
    assert all(c.actor_id for c in changes)


def test_create_bad_id_checksum_is_a_message_on_that_member_field(api, regions):
    good = person_id()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    body = household_body(members=[member_body(id_number=bad)])
    before = snapshot()

    response = api("office").post("/api/households", body)
    assert response.status_code == 422
    payload = response.json()
    assert payload["detail"]
    assert payload["errors"] == {"members.0.id_number": [zh("The check digit is wrong.")]}
    if ZH_CATALOGUE.exists():
        assert is_chinese(payload["errors"]["members.0.id_number"][0])

    english = api("office", "en").post("/api/households", body)
    assert english.status_code == 422
    assert english.json()["errors"] == {"members.0.id_number": ["The check digit is wrong."]}
    assert snapshot() == before


def test_create_reports_every_form_error_at_once(api, regions):
    body = household_body(
        region=VILLAGE_A, categories=["monitored"], other_causes=["因病", "因残", "因学"],
        members=[member_body(relation="之子"), member_body(relation="之女", education=None)],
    )
    response = api("office", "en").post("/api/households", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["monitor_type"] == ["A monitored household needs its monitoring type."]
    assert errors["other_causes"] == ["At most two other causes."]
    assert errors["members.1.education"] == ["Fill in exactly one of education and school status."]
    assert errors["members"] == ["A household needs exactly one head; none is given."]


def test_create_type_errors_are_per_field_too(api, regions):
    body = household_body(wage_income=12.5, members=[member_body(work_months="many", relation="舅舅")], colour="red")
    response = api("office").post("/api/households", body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert errors["members.0.work_months"] == [zh("Enter a whole number.")]
    assert errors["wage_income"] == [zh("Enter a whole number.")]
    [relation] = errors["members.0.relation"]
    assert relation == zh("Select a valid choice. %(value)s is not one of the available choices.") % {"value": "舅舅"}
    assert is_chinese(relation.replace("舅舅", ""))
    assert "colour" in errors
    english = api("office", "en").post("/api/households", body).json()["errors"]
    assert english["members.0.work_months"] == ["Enter a whole number."]
    assert english["colour"] == ["Unknown field."]


def test_create_duplicate_id_names_the_other_household(api, make_household):
    taken = member_data()
    existing = make_household(VILLAGE_B, members=[taken])
    before = snapshot()
    response = api("office", "en").post("/api/households", household_body(members=[member_body(id_number=taken["id_number"])]))
    assert response.status_code == 422
    [message] = response.json()["errors"]["members.0.id_number"]
    assert existing.number in message and "北郝家庄村" in message
    assert snapshot() == before


def test_create_is_refused_to_a_caseworker(api, regions):
    before = snapshot()
    response = api("caseworker_a").post("/api/households", household_body())
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
    assert snapshot() == before


def test_create_outside_the_callers_area_is_refused(api, regions):
    response = api("village_a", "en").post("/api/households", household_body(region=VILLAGE_B))
    assert response.status_code == 422
    assert response.json()["errors"] == {"region": ["北郝家庄村 is outside your area."]}
    assert not Household.objects.exists()


# --- change ----------------------------------------------------------------------------------

def test_patch_merges_the_given_fields(api, make_household, personas):
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"], address="一组",
                               wage_income=100_00)
    response = api("caseworker_a").patch(f"/api/households/{household.pk}", {
        "version": household.version, "address": "二组 12 号", "business_income": 500_00, "road_type": "砂石路",
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == household.version + 1
    assert body["address"] == "二组 12 号" and body["business_income"] == 500_00 and body["road_type"] == "砂石路"
    # What was not given is kept.
    assert body["wage_income"] == 100_00 and body["categories"] == ["registered_poor"]
    assert body["phone"] == "138****5678" and body["main_cause"] == "因病"
    household.refresh_from_db()
    assert household.address == "二组 12 号" and household.phone == "13812345678"
    change = Change.objects.filter(household_id=household.pk, action="update", object_type="household").first()
    assert change.actor_id == personas["caseworker_a"].pk
    assert change.before == {"address": "一组", "business_income": None, "road_type": ""}
    assert change.after == {"address": "二组 12 号", "business_income": 500_00, "road_type": "砂石路"}


def test_patch_categories_and_clearing_a_field(api, make_household):
    household = make_household(VILLAGE_A, farmland_mu="3.00")
    response = api("office").patch(f"/api/households/{household.pk}", {
        "version": household.version, "categories": ["monitored", "disabled"], "monitor_type": "unstable",
        "farmland_mu": None,
    })
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["categories"] == ["monitored", "disabled"] and body["monitor_type"] == "unstable"
    assert body["farmland_mu"] is None


def test_patch_on_a_stale_version_of_the_same_field_is_held_202_and_changes_nothing(api, make_household):
    from bangfu.households.models import EditConflict

    household = make_household(VILLAGE_A, address="一组")
    office = api("office")
    first = office.patch(f"/api/households/{household.pk}", {"version": household.version, "address": "二组"})
    assert first.status_code == 200
    before = snapshot()
    stale = api("office", "en").patch(f"/api/households/{household.pk}", {"version": household.version, "address": "三组"})
    assert stale.status_code == 202
    body = stale.json()
    assert body["current_version"] == household.version + 1
    assert "Someone else changed the same fields" in body["detail"]
    conflict = EditConflict.objects.get(pk=body["id"])
    assert conflict.household_id == household.pk and conflict.fields == ["address"] == conflict.overlap
    assert conflict.base == {"address": "一组"} and conflict.held == {"address": "二组"}
    assert conflict.mine == {"address": "三组"}
    # Nothing of the household changed; one row of history says the edit was held.
    assert snapshot()[1:] == before[1:]
    assert list(Change.objects.filter(pk__gt=Change.objects.order_by("id").values_list("id", flat=True)[before[0] - 1])
                .values_list("object_type", "action")) == [("edit_conflict", "create")]
    household.refresh_from_db()
    assert household.address == "二组"


def test_patch_on_a_stale_version_of_other_fields_is_applied_keeping_the_newer_change(api, make_household):
    from bangfu.households.models import EditConflict

    household = make_household(VILLAGE_A, address="一组")
    office = api("office")
    assert office.patch(f"/api/households/{household.pk}",
                        {"version": household.version, "address": "二组"}).status_code == 200
    stale = office.patch(f"/api/households/{household.pk}", {"version": household.version, "road_type": "砂石路"})
    assert stale.status_code == 200
    assert stale.json()["version"] == household.version + 2
    household.refresh_from_db()
    assert household.address == "二组" and household.road_type == "砂石路"
    assert not EditConflict.objects.exists()


def test_patch_is_checked_by_the_household_form(api, make_household):
    household = make_household(VILLAGE_A)
    before = snapshot()
    office = api("office", "en")
    response = office.patch(f"/api/households/{household.pk}", {"version": household.version, "categories": ["monitored"]})
    assert response.status_code == 422
    assert response.json()["errors"] == {"monitor_type": ["A monitored household needs its monitoring type."]}
    response = office.patch(f"/api/households/{household.pk}", {"version": household.version, "adress": "x"})
    assert response.status_code == 422 and response.json()["errors"] == {"adress": ["Unknown field."]}
    response = office.patch(f"/api/households/{household.pk}", {"address": "x"})
    assert response.status_code == 422 and response.json()["errors"] == {"version": ["This field is required."]}
    response = office.patch(f"/api/households/{household.pk}", {"version": household.version, "phone": "12345"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["phone"]
    assert snapshot() == before


def test_patch_is_refused_to_a_role_that_may_not_change(api, make_household):
    household = make_household(VILLAGE_A)
    before = snapshot()
    response = api("county").patch(f"/api/households/{household.pk}", {"version": household.version, "address": "x"})
    assert response.status_code == 403
    assert snapshot() == before


def test_a_caseworker_cannot_move_a_household(api, make_household, personas):
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    response = api("caseworker_a").patch(f"/api/households/{household.pk}", {"version": household.version, "region": VILLAGE_B})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["region"]
    household.refresh_from_db()
    assert household.region_code == VILLAGE_A


# --- history ---------------------------------------------------------------------------------

def test_history_shows_create_and_change(api, regions, personas):
    office = api("office")
    created = office.post("/api/households", household_body())
    assert created.status_code == 201
    household_id = created.json()["id"]
    changed = office.patch(f"/api/households/{household_id}", {"version": created.json()["version"], "address": "三组"})
    assert changed.status_code == 200

    response = office.get(f"/api/households/{household_id}/history")
    assert response.status_code == 200
    entries = response.json()
    assert [(e["action"], e["object_type"]) for e in entries][0] == ("update", "household")
    assert {(e["action"], e["object_type"]) for e in entries} == {
        ("create", "household"), ("create", "member"), ("update", "household"),
    }
    update = entries[0]
    assert update["actor"] == {"id": personas["office"].pk, "name": "office"}
    assert update["before"] == {"address": ""} and update["after"] == {"address": "三组"}
    assert update["request_id"] == changed["X-Request-Id"]
    assert set(update) == {"id", "at", "actor", "action", "object_type", "object_id", "object_repr",
                           "before", "after", "request_id", "message"}
    created_member = next(e for e in entries if e["object_type"] == "member")
    assert "*" in created_member["after"]["id_number"]  # history never holds the full number


def test_history_shows_the_birth_date_and_4_characters_only_to_roles_that_may_reveal(api, regions, personas):
    created = api("office").post("/api/households", household_body())
    household_id = created.json()["id"]
    member = Member.objects.get(household_id=household_id)
    number, born = member.id_number, member.birth_date.isoformat()
    # A row written while the mask showed the last 4 characters.
    older = Change.objects.filter(object_type="member").get()
    older.after = {**older.after, "id_number": number[:4] + "*" * 10 + number[-4:]}
    older.save(update_fields=["after"])

    def member_row(persona: str) -> dict:
        entries = api(persona).get(f"/api/households/{household_id}/history").json()
        return next(e for e in entries if e["object_type"] == "member")["after"]

    office = member_row("office")
    assert office["birth_date"] == born and office["id_number"].endswith(number[-4:])
    for persona in ("county", "village_a"):
        after = member_row(persona)
        assert "birth_date" not in after and after["name"] == member.name
        assert after["id_number"] == number[:4] + "*" * 12 + number[-2:]
        assert born not in json.dumps(after)


# --- reveal ----------------------------------------------------------------------------------

def test_reveal_gives_the_full_value_and_records_it(api, make_household, personas):
    head = member_data(phone="13700001111")
    household = make_household(VILLAGE_A, members=[head], caseworker=personas["caseworker_a"])
    member = household.members.get()

    response = api("office").post(f"/api/members/{member.pk}/reveal", {"field": "id_number"})
    assert response.status_code == 200
    assert response.json() == {"field": "id_number", "value": head["id_number"]}
    response = api("caseworker_a").post(f"/api/members/{member.pk}/reveal", {"field": "phone"})
    assert response.json() == {"field": "phone", "value": "13700001111"}

    reveals = Change.objects.filter(action="reveal", object_type="member", object_id=member.pk).order_by("id")
    assert [(c.actor_id, c.message) for c in reveals] == [
        (personas["office"].pk, "id_number"), (personas["caseworker_a"].pk, "phone"),
    ]
    history = api("office").get(f"/api/households/{household.pk}/history").json()
    assert [e["message"] for e in history if e["action"] == "reveal"] == ["phone", "id_number"]


def test_reveal_refused_to_a_role_that_may_not_see_it(api, make_household, personas):
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    member = household.members.get()
    before = snapshot()
    response = api("caseworker_a").post(f"/api/members/{member.pk}/reveal", {"field": "id_number"})
    assert response.status_code == 403
    assert "value" not in response.json()
    assert snapshot() == before


def test_reveal_needs_a_known_field(api, make_household):
    household = make_household(VILLAGE_A)
    member = household.members.get()
    response = api("office").post(f"/api/members/{member.pk}/reveal", {"field": "bank_account"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["field"]
    response = api("office").post(f"/api/households/{household.pk}/reveal", {"field": "id_number"})
    assert response.status_code == 422 and list(response.json()["errors"]) == ["field"]


def test_household_phone_reveal(api, make_household):
    household = make_household(VILLAGE_A)
    response = api("village_a").post(f"/api/households/{household.pk}/reveal", {"field": "phone"})
    assert response.json() == {"field": "phone", "value": "13812345678"}
    assert Change.objects.filter(action="reveal", object_type="household", object_id=household.pk).count() == 1


def test_null_characters_are_a_422_not_a_database_error(api, make_household):
    """PostgreSQL refuses NUL in text, even in a WHERE; it must be refused before it gets there."""
    household = make_household(VILLAGE_A)
    office = api("office", "en")
    nul = ["Null characters are not allowed."]
    assert office.get("/api/households", q="逄\x00").json()["errors"] == {"q": nul}
    cursor = base64.urlsafe_b64encode(json.dumps([VILLAGE_A + "\x00", "1"]).encode()).decode()
    assert list(office.get("/api/households", cursor=cursor).json()["errors"]) == ["cursor"]
    response = office.patch(f"/api/households/{household.pk}", {"version": household.version, "region": "\x00"})
    assert response.json()["errors"] == {"region": nul}
    response = office.post("/api/households", household_body(members=[member_body(name="逄\x00")]))
    assert response.json()["errors"] == {"members.0.name": nul}
