"""Writes through the services: checks, one transaction, history, optimistic locking, personal data."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from bangfu.core import requestid
from bangfu.core.errors import ConflictError
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households import services
from bangfu.households.models import Assignment, Household, Member
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, household_data, member_data, person_id


def changes(household, **filters):
    return list(Change.objects.filter(household_id=household.pk, **filters).order_by("id"))


def test_create_writes_household_members_and_history_under_one_request(make_household, personas):
    with requestid.bound() as request_id:
        household = make_household(members=[
            member_data(name="逄珍波", sex="M"),
            member_data(name="王秀英", relation="配偶", sex="F"),
        ], actor=personas["office"])
    assert household.head_name == "逄珍波"
    assert household.number == f"{VILLAGE_A}0001"
    assert household.region_code == VILLAGE_A
    rows = changes(household)
    assert [(c.action, c.object_type) for c in rows] == [
        ("create", "household"), ("create", "member"), ("create", "member")
    ]
    assert {c.request_id for c in rows} == {request_id}
    assert all(c.actor == personas["office"] for c in rows)
    assert rows[1].after["id_number"].startswith("3702") and "*" in rows[1].after["id_number"]


def test_numbers_follow_on_within_a_village(make_household):
    first = make_household()
    second = make_household()
    assert int(second.number) == int(first.number) + 1


def test_personal_data_is_encrypted_at_rest(make_household):
    number = person_id()
    household = make_household(members=[member_data(id_number=number, phone="13912345678")], phone="13800001111")
    member = household.members.get()
    assert member.id_number == number and member.phone == "13912345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM households_member")
        raw_members = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM households_household")
        raw_households = repr(cursor.fetchall())
        cursor.execute("SELECT before, after FROM history_change")
        raw_history = repr(cursor.fetchall())
    for raw in (raw_members, raw_households, raw_history):
        assert number not in raw and number[:14] not in raw
        assert "13912345678" not in raw and "13800001111" not in raw


def test_duplicate_id_anywhere_is_refused_naming_the_other_household(make_household, regions, personas):
    number = person_id()
    first = make_household(VILLAGE_A, members=[member_data(id_number=number)])
    with pytest.raises(ValidationError) as error:
        services.household_create(
            actor=personas["admin"], data=household_data(regions[VILLAGE_OTHER]),
            members=[member_data(id_number=number.lower())],
        )
    message = " ".join(error.value.message_dict["members.0.id_number"])
    assert first.number in message and "戴家庄村" in message
    assert Household.objects.count() == 1


def test_disability_number_counts_as_the_same_person(make_household, regions, personas):
    number = person_id()
    make_household(members=[member_data(id_number=number)])
    with pytest.raises(ValidationError):
        services.household_create(
            actor=personas["admin"], data=household_data(regions[VILLAGE_B]),
            members=[member_data(id_number=number + "11", id_type="残疾人证")],
        )


def test_refused_create_writes_nothing(regions, personas):
    head = member_data()
    with pytest.raises(ValidationError):
        services.household_create(
            actor=personas["office"], data=household_data(regions[VILLAGE_A]),
            members=[head, member_data(relation="户主")],
        )
    assert not Household.objects.exists() and not Member.objects.exists() and not Change.objects.exists()


def test_create_outside_scope_is_refused(regions, personas):
    with pytest.raises(ValidationError) as error:
        services.household_create(
            actor=personas["village_a"], data=household_data(regions[VILLAGE_B]), members=[member_data()]
        )
    assert "region" in error.value.message_dict
    assert not Household.objects.exists()


def test_caseworker_may_not_create(regions, personas):
    with pytest.raises(PermissionDenied):
        services.household_create(
            actor=personas["caseworker_a"], data=household_data(regions[VILLAGE_A]), members=[member_data()]
        )
    assert not Household.objects.exists()


def test_update_records_before_and_after(make_household, personas, regions):
    household = make_household(address="一号")
    updated = services.household_update(
        actor=personas["office"], household=household, version=household.version,
        data=household_data(regions[VILLAGE_A], address="二号", categories=["registered_poor", "disabled"]),
    )
    assert updated.version == household.version + 1
    change = changes(household, action="update")[-1]
    assert change.before["address"] == "一号" and change.after["address"] == "二号"
    assert change.after["categories"] == ["registered_poor", "disabled"]
    assert "status" not in change.after  # only what changed


def test_stale_version_is_refused_and_nothing_changes(make_household, personas, regions):
    household = make_household(address="一号")
    services.household_update(actor=personas["office"], household=household, version=household.version,
                              data=household_data(regions[VILLAGE_A], address="二号"))
    with pytest.raises(ConflictError) as error:
        services.household_update(actor=personas["village_a"], household=household, version=household.version,
                                  data=household_data(regions[VILLAGE_A], address="三号"))
    assert error.value.current_version == household.version + 1
    household.refresh_from_db()
    assert household.address == "二号"
    assert len(changes(household, action="update")) == 1


def test_member_update_locking_and_history(make_household, personas):
    household = make_household()
    member = household.members.get()
    data = member_data(id_number=member.id_number, name="逄振波")
    services.member_update(actor=personas["caseworker_a"], member=member, version=member.version, data=data)
    household.refresh_from_db()
    assert household.head_name == "逄振波"
    with pytest.raises(ConflictError):
        services.member_update(actor=personas["office"], member=member, version=member.version, data=data)
    change = changes(household, object_type="member", action="update")[-1]
    assert change.before == {"name": "逄珍波"} and change.after == {"name": "逄振波"}


def test_second_head_and_second_spouse_are_refused(make_household, personas):
    household = make_household(members=[member_data(sex="M"), member_data(relation="配偶", sex="F")])
    with pytest.raises(ValidationError) as error:
        services.member_add(actor=personas["office"], household=household, data=member_data(relation="户主"))
    assert "relation" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.member_add(actor=personas["office"], household=household,
                            data=member_data(relation="配偶", sex="F"))
    assert household.members.count() == 2


def test_spouse_of_the_same_sex_is_refused(make_household, personas):
    household = make_household(members=[member_data(sex="M")])
    with pytest.raises(ValidationError) as error:
        services.member_add(actor=personas["office"], household=household,
                            data=member_data(relation="配偶", sex="M"))
    assert "sex" in error.value.message_dict


def test_make_head_swaps_roles_and_records_both(make_household, personas):
    household = make_household(members=[member_data(name="老王", sex="M"), member_data(name="小王", relation="之子", sex="M")])
    son = household.members.get(name="小王")
    services.member_make_head(actor=personas["office"], member=son, former_head_relation="之父")
    household.refresh_from_db()
    assert household.head_name == "小王"
    assert household.members.get(name="老王").relation == "之父"
    assert len(changes(household, object_type="member", action="update")) == 2


def test_head_cannot_be_removed_while_others_remain(make_household, personas):
    household = make_household(members=[member_data(sex="M"), member_data(relation="之子", sex="M")])
    head = household.members.get(relation="户主")
    with pytest.raises(ValidationError):
        services.member_remove(actor=personas["office"], member=head)
    son = household.members.get(relation="之子")
    services.member_remove(actor=personas["office"], member=son, reason="迁出")
    deleted = changes(household, action="delete")
    assert len(deleted) == 1 and deleted[0].before["relation"] == "之子" and deleted[0].message == "迁出"


def test_delete_keeps_the_history(make_household, personas):
    household = make_household()
    pk = household.pk
    services.household_delete(actor=personas["office"], household=household, reason="重复建档")
    assert not Household.objects.filter(pk=pk).exists()
    rows = Change.objects.filter(household_id=pk, action="delete")
    assert {c.object_type for c in rows} == {"household", "member"}


def test_delete_needs_the_office(make_household, personas):
    household = make_household()
    with pytest.raises(PermissionDenied):
        services.household_delete(actor=personas["village_a"], household=household)
    assert Household.objects.filter(pk=household.pk).exists()


def test_reveal_is_recorded_and_needs_the_role(make_household, personas):
    number = person_id()
    household = make_household(members=[member_data(id_number=number, phone="13912345678")])
    member = household.members.get()
    assert services.member_reveal(actor=personas["office"], member=member, field="id_number") == number
    assert services.member_reveal(actor=personas["caseworker_a"], member=member, field="phone") == "13912345678"
    with pytest.raises(PermissionDenied):
        services.member_reveal(actor=personas["caseworker_a"], member=member, field="id_number")
    reveals = changes(household, action="reveal")
    assert [(c.actor.username, c.message) for c in reveals] == [("office", "id_number"), ("caseworker_a", "phone")]


def test_assignment_history_from_and_to(make_household, personas, regions):
    from bangfu.accounts.services import user_add

    other, _ = user_add(username="caseworker_a2", role="caseworker", region_code=VILLAGE_A, password="x",
                        check_password=False)
    household = make_household()
    services.assignment_set(actor=personas["office"], households=[household],
                            caseworker=personas["caseworker_a"], start=dt.date(2020, 2, 1))
    services.assignment_set(actor=personas["office"], households=[household], caseworker=other,
                            start=dt.date(2020, 3, 1))
    rows = list(Assignment.objects.filter(household=household).order_by("start"))
    assert [(a.caseworker.username, a.start, a.end) for a in rows] == [
        ("caseworker_a", dt.date(2020, 2, 1), dt.date(2020, 3, 1)),
        ("caseworker_a2", dt.date(2020, 3, 1), None),
    ]
    household.refresh_from_db()
    assert household.caseworker == other
    kinds = [(c.object_type, c.action) for c in changes(household) if c.object_type == "assignment"]
    assert kinds == [("assignment", "create"), ("assignment", "update"), ("assignment", "create")]


def test_assigning_again_to_the_same_caseworker_changes_nothing(make_household, personas):
    household = make_household(caseworker=personas["caseworker_a"])
    before = Change.objects.count()
    assert services.assignment_set(actor=personas["office"], households=[household],
                                   caseworker=personas["caseworker_a"]) == 0
    assert Change.objects.count() == before


def test_caseworker_of_another_village_cannot_take_the_household(make_household, personas):
    household = make_household(VILLAGE_A)
    with pytest.raises(ValidationError):
        services.assignment_set(actor=personas["office"], households=[household], caseworker=personas["caseworker_b"])
    assert not Assignment.objects.exists()


def test_bulk_assignment_is_all_or_nothing(make_household, personas):
    mine = make_household(VILLAGE_A)
    theirs = make_household(VILLAGE_B)
    with pytest.raises(ValidationError):
        services.assignment_set(actor=personas["office"], households=[mine, theirs],
                                caseworker=personas["caseworker_a"])
    assert not Assignment.objects.exists()
    mine.refresh_from_db()
    assert mine.caseworker is None
