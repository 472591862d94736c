"""Search: what the one box finds, on either database."""

from __future__ import annotations

from bangfu.households.queries import HouseholdFilter, households_filtered
from conftest import member_data


def found(user, q):
    return set(households_filtered(user, HouseholdFilter(q=q)).values_list("number", flat=True))


def test_name_prefix_finds_and_inner_text_does_not(make_household, personas):
    pang = make_household(members=[member_data(name="逄珍波")])
    other = make_household(members=[member_data(name="逄秀英", sex="F")])
    admin = personas["admin"]
    assert found(admin, "逄珍波") == {pang.number}
    assert found(admin, "逄") == {pang.number, other.number}
    assert found(admin, "珍波") == set()


def test_initials_id_tail_and_number(make_household, personas):
    household = make_household(members=[member_data(name="逄珍波")])
    member = household.members.get()
    admin = personas["admin"]
    assert found(admin, "pzb") == {household.number}
    assert found(admin, "PZ") == {household.number}
    assert found(admin, member.id_number[-6:]) == {household.number}
    assert found(admin, member.id_number[-4:]) == {household.number}
    assert found(admin, household.number) == {household.number}
    assert found(admin, household.number[:10]) == {household.number}
    assert found(admin, "zzz") == set()
