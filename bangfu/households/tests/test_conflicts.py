"""Edits made on an old version: applied when nobody changed the same fields since, otherwise held
for review; the review list, "apply mine" and "keep current", their history and their scope."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households import services
from bangfu.households.models import ConflictStatus, EditConflict, Household, Member
from bangfu.notify.models import Message
from conftest import VILLAGE_A, household_data, member_data


def edit(actor, household, version, **changes):
    """A page's edit: every field as it was read at `version` (the household's data now), with `changes`."""
    data = household_data(household.region, **{
        name: getattr(household, name) for name in services.HOUSEHOLD_FIELDS}, number=household.number,
        phone=household.phone, categories=household.category_values())
    data.update(changes)
    return services.household_edit(actor=actor, household=household, version=version, data=data)


@pytest.fixture
def household(make_household, personas):
    return make_household(VILLAGE_A, caseworker=personas["caseworker_a"], address="一组 3 号")


def fresh(household) -> Household:
    return Household.objects.get(pk=household.pk)


def test_an_edit_on_the_current_version_is_applied(household, personas):
    outcome = edit(personas["caseworker_a"], household, household.version, address="二组 5 号")
    assert not outcome.held
    assert fresh(household).address == "二组 5 号" and fresh(household).version == household.version + 1


def test_a_stale_edit_of_other_fields_is_applied_and_keeps_the_newer_change(household, personas):
    read = fresh(household)  # what the caseworker's form was opened on
    edit(personas["office"], fresh(household), household.version, address="二组 5 号")
    outcome = edit(personas["caseworker_a"], read, read.version, road_type="砂石路", wage_income=120000)
    assert not outcome.held
    now = fresh(household)
    assert (now.address, now.road_type, now.wage_income) == ("二组 5 号", "砂石路", 120000)
    assert now.version == read.version + 2
    last = Change.objects.filter(object_type="household", object_id=household.pk).order_by("-id").first()
    assert last.actor == personas["caseworker_a"] and set(last.changed_fields) == {"road_type", "wage_income"}
    assert not EditConflict.objects.exists()


def test_a_stale_edit_of_the_same_field_is_held_and_nothing_is_applied(household, personas):
    read = fresh(household)
    edit(personas["office"], fresh(household), household.version, address="二组 5 号")
    outcome = edit(personas["caseworker_a"], read, read.version, address="三组 8 号", road_type="砂石路",
                   phone="13900002222")
    assert outcome.held
    now = fresh(household)
    assert (now.address, now.road_type, now.phone) == ("二组 5 号", "", "13812345678")
    conflict = outcome.conflict
    assert conflict.fields == ["address", "phone", "road_type"] and conflict.overlap == ["address"]
    assert conflict.base == {"address": "一组 3 号", "phone": "138****5678", "road_type": ""}
    assert conflict.held["address"] == "二组 5 号" and conflict.mine["address"] == "三组 8 号"
    # Personal values are kept sealed; shown masked.
    assert "13900002222" not in str(conflict.submitted) and conflict.mine["phone"] == "139****2222"
    assert conflict.submitted_by == personas["caseworker_a"] and conflict.status == ConflictStatus.OPEN
    held = Change.objects.get(object_type="edit_conflict", object_id=conflict.pk)
    assert held.action == "create" and held.household_id == household.pk
    # The township office and the caseworker (who made it here, so not told) -- the office is.
    assert Message.objects.filter(dedupe_key=f"edit-conflict:{conflict.pk}", recipient_role="township_office").exists()


def test_a_stale_edit_to_the_same_value_is_no_conflict(household, personas):
    read = fresh(household)
    edit(personas["office"], fresh(household), household.version, address="二组 5 号")
    outcome = edit(personas["caseworker_a"], read, read.version, address="二组 5 号")
    assert not outcome.held and fresh(household).version == read.version + 1


def test_a_stale_edit_is_held_when_history_cannot_tell_what_changed(household, personas):
    read = fresh(household)
    edit(personas["office"], fresh(household), household.version, address="二组 5 号")
    # A version without its row of history (written before every change had one).
    Household.objects.filter(pk=household.pk).update(version=household.version + 2)
    outcome = edit(personas["caseworker_a"], read, read.version, road_type="砂石路")
    assert outcome.held and outcome.conflict.base is None
    # The form's address (as it was read) differs from the current one: whose change it is, history
    # cannot tell, so it is in question too.
    assert outcome.conflict.overlap == ["address", "road_type"]


def test_a_stale_member_edit_of_the_same_field_is_held(household, personas):
    member = household.members.get()
    data = {**member_data(id_number=member.id_number), "name": "逄振波"}
    services.member_edit(actor=personas["office"], member=member, version=member.version, data=data)
    outcome = services.member_edit(actor=personas["caseworker_a"], member=member, version=member.version,
                                   data={**data, "name": "逄珍博", "employer": "港务局"})
    assert outcome.held and outcome.conflict.member_id == member.pk
    assert outcome.conflict.fields == ["name", "employer"] and outcome.conflict.overlap == ["name"]
    assert Member.objects.get(pk=member.pk).name == "逄振波"


def held(household, personas):
    read = fresh(household)
    edit(personas["office"], fresh(household), household.version, address="二组 5 号", road_type="水泥路")
    return edit(personas["caseworker_a"], read, read.version, address="三组 8 号", phone="13900002222").conflict


def test_apply_mine_applies_the_held_values_on_the_current_version_with_history(household, personas):
    conflict = held(household, personas)
    version = fresh(household).version
    services.conflict_apply(actor=personas["office"], conflict=conflict)
    now = fresh(household)
    assert (now.address, now.phone, now.road_type) == ("三组 8 号", "13900002222", "水泥路")
    assert now.version == version + 1
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.APPLIED and conflict.resolved_by == personas["office"]
    rows = list(Change.objects.filter(household_id=household.pk).order_by("-id")[:2])
    assert [(r.object_type, r.action) for r in rows] == [("edit_conflict", "update"), ("household", "update")]
    assert rows[0].after["status"] == "applied" and rows[1].actor == personas["office"]
    with pytest.raises(ValidationError):
        services.conflict_keep_current(actor=personas["office"], conflict=conflict)


def test_keep_current_closes_it_and_changes_nothing(household, personas):
    conflict = held(household, personas)
    before = fresh(household)
    services.conflict_keep_current(actor=personas["caseworker_a"], conflict=conflict)
    now = fresh(household)
    assert (now.address, now.phone, now.version) == (before.address, before.phone, before.version)
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.KEPT and conflict.resolved_by == personas["caseworker_a"]
    assert Change.objects.filter(object_type="edit_conflict", object_id=conflict.pk, action="update").exists()
    with pytest.raises(ValidationError):
        services.conflict_apply(actor=personas["office"], conflict=conflict)


def test_apply_mine_refuses_a_held_edit_invalid_on_the_current_record(make_household, personas):
    household = make_household(VILLAGE_A, categories=["registered_poor", "monitored"], monitor_type="unstable")
    read = fresh(household)
    edit(personas["office"], fresh(household), household.version, monitor_type="marginal")
    conflict = edit(personas["caseworker_a"], read, read.version, monitor_type="sudden_hardship").conflict
    assert conflict.overlap == ["monitor_type"]
    # Then the office takes the household out of the monitored category: the held monitoring type
    # without it is refused by the household form, on the field it names, and nothing is written.
    edit(personas["office"], fresh(household), fresh(household).version, categories=["registered_poor"],
         monitor_type="")
    version = fresh(household).version
    with pytest.raises(ValidationError) as error:
        services.conflict_apply(actor=personas["office"], conflict=conflict)
    assert "categories" in error.value.message_dict
    assert fresh(household).version == version and fresh(household).monitor_type == ""
    conflict.refresh_from_db()
    assert conflict.status == ConflictStatus.OPEN


def test_review_needs_the_permission(household, personas):
    conflict = held(household, personas)
    for persona in ("village_a", "county"):
        with pytest.raises(PermissionDenied):
            services.conflict_keep_current(actor=personas[persona], conflict=conflict)
    assert EditConflict.objects.get(pk=conflict.pk).status == ConflictStatus.OPEN


# --- the review list ---------------------------------------------------------------------------

def login(client, user):
    client.force_login(user)


def test_review_list_shows_both_values_masked_for_the_office_and_the_caseworker(client, household, personas):
    conflict = held(household, personas)
    for persona in ("office", "caseworker_a"):
        login(client, personas[persona])
        response = client.get(reverse("households:conflicts"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "二组 5 号" in html and "三组 8 号" in html and "一组 3 号" in html
        assert "139****2222" in html and "13900002222" not in html
        assert f'action="{reverse("households:conflict_apply", args=[conflict.pk])}"' in html


def test_review_list_and_actions_are_scoped(client, household, personas, make_household):
    conflict = held(household, personas)
    # caseworker_b (another village) and the office of another township see nothing of it: 404.
    for persona in ("caseworker_b", "outsider_office"):
        login(client, personas[persona])
        assert "三组 8 号" not in client.get(reverse("households:conflicts")).content.decode()
        for name in ("households:conflict_apply", "households:conflict_keep"):
            assert client.post(reverse(name, args=[conflict.pk])).status_code == 404
    login(client, personas["village_a"])
    assert client.get(reverse("households:conflicts")).status_code == 403
    assert EditConflict.objects.get(pk=conflict.pk).status == ConflictStatus.OPEN


def test_review_actions_from_the_page(client, household, personas):
    conflict = held(household, personas)
    login(client, personas["caseworker_a"])
    response = client.post(reverse("households:conflict_apply", args=[conflict.pk]), follow=True)
    assert "已采用这条修改" in response.content.decode()
    assert fresh(household).address == "三组 8 号"
    assert "没有待核对的修改" in response.content.decode()


def test_the_edit_form_shows_stored_yes_no_answers_so_sending_it_back_changes_nothing(client, household, personas):
    # safe_water and electricity are yes, sanitary_toilet unknown (conftest.household_data).
    login(client, personas["caseworker_a"])
    html = client.get(reverse("households:edit", args=[household.pk])).content.decode()
    for name, chosen in (("safe_water", "true"), ("electricity", "true"), ("sanitary_toilet", "unknown")):
        select = html[html.index(f'name="{name}"'):]
        select = select[:select.index("</select>")]
        assert f'value="{chosen}" selected' in select, name


def test_the_same_value_written_otherwise_is_no_change(household, personas):
    edit(personas["office"], fresh(household), household.version, categories=["registered_poor", "disabled"])
    read = fresh(household)
    edit(personas["office"], fresh(household), read.version, categories=["registered_poor", "disabled"],
         address="二组 5 号")
    # The categories in another order, an area with another number of decimals: not changes.
    outcome = edit(personas["caseworker_a"], read, read.version, address="二组 5 号",
                   categories=["disabled", "registered_poor"])
    assert not outcome.held and not EditConflict.objects.exists()
    services.household_update(actor=personas["office"], household=fresh(household), version=fresh(household).version,
                              data={"farmland_mu": Decimal("2.50")})
    stale = fresh(household)
    edit(personas["office"], fresh(household), stale.version, address="三组")
    outcome = edit(personas["caseworker_a"], stale, stale.version, farmland_mu=Decimal("2.5"), road_type="砂石路")
    assert not outcome.held
    assert fresh(household).road_type == "砂石路" and fresh(household).address == "三组"


def test_apply_refused_on_the_page_names_the_field(client, make_household, personas):
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"],
                               categories=["registered_poor", "monitored"], monitor_type="unstable")
    read = fresh(household)
    edit(personas["office"], fresh(household), household.version, monitor_type="marginal")
    conflict = edit(personas["caseworker_a"], read, read.version, monitor_type="sudden_hardship").conflict
    edit(personas["office"], fresh(household), fresh(household).version, categories=["registered_poor"],
         monitor_type="")
    login(client, personas["office"])
    response = client.post(reverse("households:conflict_apply", args=[conflict.pk]), follow=True)
    assert "类别：" in response.content.decode()
    assert EditConflict.objects.get(pk=conflict.pk).status == ConflictStatus.OPEN
