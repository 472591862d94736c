"""Search by full pinyin and by a phone's last 4 digits, and a result that says which member matched
and how, showing an ID number only masked."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from bangfu.core.text import pinyin
from bangfu.households import choices
from bangfu.households.identity import mask_id
from bangfu.households.models import Member
from bangfu.households.queries import HouseholdFilter, MatchedBy, households_filtered, search_matches
from conftest import VILLAGE_B, member_data

pytestmark = pytest.mark.django_db


def found(user, q):
    return set(households_filtered(user, HouseholdFilter(q=q)).values_list("number", flat=True))


def test_pinyin_of_names_reads_surnames_as_surnames():
    assert pinyin("庞振波") == "pangzhenbo"
    assert pinyin("逄珍波") == "pangzhenbo"
    assert pinyin("曾小贤") == "zengxiaoxian"
    assert pinyin("单雄信") == "shanxiongxin"
    assert pinyin("吕秀兰") == "lvxiulan"
    assert pinyin("周长江") == "zhouchangjiang"
    assert pinyin("Anna李") == "annali"
    assert pinyin("") == ""


def test_full_pinyin_finds_a_member_case_and_start_alike(make_household, personas):
    pang = make_household(members=[member_data(name="庞振波")], phone="13800001111")
    lv = make_household(members=[member_data(name="吕秀兰", sex="F")], phone="13800002222")
    admin = personas["admin"]
    for q in ["pangzhenbo", "PangZhenBo", "pangzh", "pang", "pzb"]:
        assert found(admin, q) == {pang.number}, q
    assert found(admin, "lvxiulan") == {lv.number}
    assert found(admin, "lüxiulan") == {lv.number}
    assert found(admin, "pangzhenbox") == set()
    assert found(admin, "zhenbo") == set()


def test_a_phones_last_four_digits_find_its_member_and_household(make_household, personas):
    with_member_phone = make_household(members=[member_data(name="王秀英", sex="F", phone="13966664321")],
                                       phone="05328888111")
    by_household_phone = make_household(members=[member_data(name="李强")], phone="13700007777")
    other = make_household(members=[member_data(name="赵六")], phone="13700009999")
    admin = personas["admin"]
    assert found(admin, "4321") == {with_member_phone.number}
    assert found(admin, "7777") == {by_household_phone.number}
    assert other.number not in found(admin, "4321")
    # A whole phone finds its owner too (by its keyed hash, never a stored plain phone).
    assert found(admin, "13966664321") == {with_member_phone.number}
    assert found(admin, "1396666") == set()


def test_search_stays_inside_the_scope(make_household, personas):
    mine = make_household(members=[member_data(name="庞振波")], caseworker=personas["caseworker_a"],
                          phone="13800004321")
    make_household(VILLAGE_B, members=[member_data(name="庞振华")], caseworker=personas["caseworker_b"],
                   phone="13800004321")
    assert found(personas["caseworker_a"], "pangzhen") == {mine.number}
    assert found(personas["caseworker_a"], "4321") == {mine.number}


def test_matches_name_the_member_and_how(make_household, personas):
    household = make_household(members=[
        member_data(name="王秀英", sex="F"),
        member_data(name="庞振波", relation=choices.Relation.SON, phone="13966661234"),
    ], phone="05328888000")
    son = household.members.get(name="庞振波")
    head = household.members.get(name="王秀英")

    def how(q):
        rows = list(households_filtered(personas["admin"], HouseholdFilter(q=q)))
        matches = search_matches(rows, q)
        return [(m.member.name if m.member else None, m.how) for m in matches.get(household.pk, [])]

    assert how("pangzhenbo") == [("庞振波", MatchedBy.PINYIN)]
    assert how("pzb") == [("庞振波", MatchedBy.INITIALS)]
    assert how("王秀") == [("王秀英", MatchedBy.NAME)]
    assert ("庞振波", MatchedBy.PHONE_TAIL) in how("1234")
    assert how(head.id_number[-6:]) == [("王秀英", MatchedBy.ID_TAIL)]
    assert how(son.id_number[-5:]) == [("庞振波", MatchedBy.ID_TAIL)]
    assert how("8000") == [(None, MatchedBy.PHONE_TAIL)]
    assert how(household.number) == [(None, MatchedBy.NUMBER)]


def test_the_list_says_who_matched_and_shows_the_id_only_masked(client, make_household, personas):
    household = make_household(members=[
        member_data(name="王秀英", sex="F"),
        member_data(name="庞振波", relation=choices.Relation.SON, phone="13966661234"),
    ])
    son = household.members.get(name="庞振波")
    client.force_login(personas["office"])
    html = client.get(reverse("households:list"), {"q": son.id_number[-6:]}).content.decode()
    assert household.number in html
    assert "匹配" in html and "庞振波" in html and "证件号码尾号" in html
    assert mask_id(son.id_number) in html
    assert son.id_number not in html and son.id_number[:-4] not in html
    html = client.get(reverse("households:list"), {"q": "pangzhenbo"}).content.decode()
    assert "庞振波" in html and "姓名拼音" in html
    html = client.get(reverse("households:list"), {"q": "1234"}, HTTP_HX_REQUEST="true").content.decode()
    assert "电话后4位" in html and "庞振波" in html
    # No search, no column.
    assert "匹配" not in client.get(reverse("households:list")).content.decode()


def test_members_written_by_a_service_or_an_edit_carry_their_pinyin(make_household, personas):
    from bangfu.households.services import member_update

    household = make_household(members=[member_data(name="庞振波")])
    member = household.members.get()
    assert member.name_pinyin == "pangzhenbo"
    data = member_data(name="曾小贤", id_number=member.id_number)
    member_update(actor=personas["admin"], member=member, version=member.version, data=data)
    member.refresh_from_db()
    assert (member.name_pinyin, member.name_initials) == ("zengxiaoxian", "zxx")


def test_the_migration_fills_the_pinyin_of_members_already_stored(make_household):
    make_household(members=[member_data(name="庞振波")])
    make_household(members=[member_data(name="曾小贤")])
    Member.objects.update(name_pinyin="")
    migration = importlib.import_module("bangfu.households.migrations.0003_member_pinyin_phone_tail")
    migration.fill_pinyin(apps, None)
    assert sorted(Member.objects.values_list("name_pinyin", flat=True)) == ["pangzhenbo", "zengxiaoxian"]
