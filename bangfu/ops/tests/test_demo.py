"""The demo data keep the promises of the source reports, and `bangfu demo` sets it all up."""

from __future__ import annotations

import math
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TestCase

from bangfu.accounts.models import User
from bangfu.accounts.services import ROLE_LEVELS
from bangfu.core.permissions import Role
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.identity import parse_id_number
from bangfu.households.models import Assignment, Household, HouseholdCategory, Member
from bangfu.households.queries import HouseholdFilter, households_filtered
from bangfu.core.codes import Level
from bangfu.ops import demo as demo_module
from bangfu.ops.demo import LANCUN, PZB, SONGZHUANG, TOWNSHIPS, demo_load, demo_password
from bangfu.regions.models import Region
from bangfu.regions.queries import national_villages

DAIJIAZHUANG = LANCUN.code + demo_module.DAIJIAZHUANG.suffix


def registered_poor_in(township_code: str) -> int:
    return HouseholdCategory.objects.filter(
        category=choices.Category.REGISTERED_POOR, household__region_code__startswith=township_code
    ).count()


class DemoDataTests(TestCase):
    """One load for all these checks (about 2 s), each test in a savepoint around it."""

    @classmethod
    def setUpTestData(cls):
        cls.demo = demo_load()

    def test_65_registered_poor_households_in_lancun_and_60_in_songzhuang(self):
        assert registered_poor_in(LANCUN.code) == 65
        assert registered_poor_in(SONGZHUANG.code) == 60
        assert self.demo.registered_poor == {"蓝村街道": 65, "送庄镇": 60}
        assert Household.objects.count() == sum(self.demo.households.values())


    def test_the_special_groups_are_there_too(self):
        for township in (LANCUN.code, SONGZHUANG.code):
            present = Counter(HouseholdCategory.objects.filter(household__region_code__startswith=township)
                              .values_list("category", flat=True))
            for category in choices.Category.values:
                assert present[category] >= 1, (township, category)
        monitored = Household.objects.filter(categories__category=choices.Category.MONITORED)
        assert monitored.exists() and not monitored.filter(monitor_type="").exists()
        # Outside the category, only a household whose risk was cleared keeps the type it was monitored as.
        assert not (Household.objects.exclude(categories__category=choices.Category.MONITORED)
                    .exclude(monitor_type="").filter(risk_eliminated_on__isnull=True).exists())


    def test_pzb_heads_a_household_in_daijiazhuang_that_search_finds(self):
        office = User.objects.get(username=LANCUN.office[0])
        found = list(households_filtered(office, HouseholdFilter(q="pzb")))
        assert [h.head_name for h in found] == [PZB]
        household = found[0]
        assert household.region_id == DAIJIAZHUANG and household.region.name == "戴家庄村"
        assert household.address.startswith("戴家庄村")
        assert household.members.get(relation=choices.Relation.HEAD).name == PZB
        assert list(households_filtered(office, HouseholdFilter(q=PZB))) == [household]
        # Looked after by 孙磊 since February 2020, and by someone else before.
        assert household.caseworker.display_name == "孙磊"
        assert Assignment.objects.filter(household=household).count() == 2
        assert Assignment.objects.get(household=household, end__isnull=True).caseworker.display_name == "孙磊"


    def test_every_caseworker_has_8_to_15_households_of_their_village(self):
        caseworkers = User.objects.filter(role=Role.CASEWORKER)
        assert caseworkers.count() >= 10
        for caseworker in caseworkers:
            mine = Household.objects.visible_to(caseworker)
            assert 8 <= mine.count() <= 15, caseworker
            assert not mine.exclude(region_code__startswith=caseworker.region_id).exists()
            assert set(mine) == set(Household.objects.filter(caseworker=caseworker))
        # Every registered-poor household has a responsible cadre (明确帮包责任人).
        assert not Household.objects.filter(categories__category=choices.Category.REGISTERED_POOR,
                                             caseworker__isnull=True).exists()


    def test_one_user_of_each_role_in_the_right_kind_of_region(self):
        users = {login.username: User.objects.get(username=login.username) for login in self.demo.logins}
        assert {u.role for u in users.values()} == set(Role.values)
        assert users["jimo"].region_id == "370215"
        assert users["lancun"].region_id == LANCUN.code and users["songzhuang"].region_id == SONGZHUANG.code
        assert users["daijiazhuang"].region_id == DAIJIAZHUANG
        assert users["zhiyuan"].role == Role.VOLUNTEER and users["zhiyuan"].region_id == DAIJIAZHUANG
        for user in users.values():
            if user.role != Role.ADMIN:
                assert user.region.level in ROLE_LEVELS[user.role], user


    def test_every_login_works(self):
        assert len(self.demo.logins) >= 15
        for login in self.demo.logins:
            assert login.password == demo_password(login.username)
            client = Client()
            assert client.login(username=login.username, password=login.password), login.username


    def test_members_are_valid_people(self):
        heads = Counter()
        spouses = {}
        for member in Member.objects.select_related("household"):
            parsed = parse_id_number(member.id_number)
            assert parsed.base[:6] in {"370215", "410308", *LANCUN.spouse_areas, *SONGZHUANG.spouse_areas}
            assert (parsed.sex, parsed.birth_date) == (member.sex, member.birth_date)
            assert parsed.base[14] == "9"  # the synthetic marker
            assert bool(member.education) != bool(member.school_status), member
            if member.relation == choices.Relation.HEAD:
                heads[member.household_id] += 1
                assert member.household.head_name == member.name
            if member.relation == choices.Relation.SPOUSE:
                spouses[member.household_id] = member.sex
        assert set(heads.values()) == {1} and len(heads) == Household.objects.count()
        for household_id, sex in spouses.items():
            assert Member.objects.get(household_id=household_id, relation=choices.Relation.HEAD).sex != sex
        assert Member.objects.values("id_hash").distinct().count() == Member.objects.count()


    def test_history_was_written_by_the_services(self):
        for household in Household.objects.all():
            actions = set(Change.objects.filter(household_id=household.pk).values_list("object_type", "action"))
            assert ("household", "create") in actions and ("member", "create") in actions
            if household.caseworker_id:
                assert ("assignment", "create") in actions
        assert Change.objects.values("request_id").distinct().count() == 1


    def test_songzhuangs_fund_has_the_reports_figures(self):
        from bangfu.fund.models import Agreement, Council, Entry, EntryKind

        # 4 个理事会, 51 份协议, 29,800 元 (送庄镇's report).
        councils = Council.objects.filter(region_code__startswith=SONGZHUANG.code)
        assert councils.count() == 4
        assert Agreement.objects.filter(council__in=councils).count() == 51
        assert sum(Entry.objects.filter(council__in=councils, kind=EntryKind.CONTRIBUTION)
                   .values_list("amount", flat=True)) == 29_800 * 100

    def test_songzhuangs_greenhouses_produce_the_morels_and_vegetables_sold(self):
        from bangfu.sales.models import Product

        for product, greenhouse in (("羊肚菌（鲜品）", "送庄村羊肚菌大棚（12座）"),
                                    ("大棚西红柿", "梁凹村蔬菜大棚（8座）"), ("大棚黄瓜", "梁凹村蔬菜大棚（8座）")):
            found = Product.objects.select_related("asset").get(name=product, region_code__startswith=SONGZHUANG.code)
            assert found.asset is not None and found.asset.name == greenhouse, product
            assert found.asset.region_code == found.region_code and found.sales.exists()

    def test_the_fever_found_at_todays_check_is_with_the_office(self):
        from bangfu.needs.models import Need, Status

        need = Need.objects.get(category="medical", urgency="urgent", description__contains="38.2")
        assert need.status == Status.REPORTED and need.reported_at is not None
        assert "户主发热伴咳嗽" in need.description

    def test_the_demo_loads_without_the_region_tree(self):
        assert Region.objects.filter(code__in=["37", "3702", "370215", LANCUN.code, "41", "4103", "410308",
                                               SONGZHUANG.code]).count() == 8
        # Each township's whole official list, and 蓝村's own 戴家庄村.
        own = sum(village.local for village in LANCUN.villages)
        assert own == 1 and Region.objects.filter(parent_id=LANCUN.code).count() == len(national_villages(LANCUN.code)) + own
        assert Region.objects.filter(parent_id=SONGZHUANG.code).count() == len(national_villages(SONGZHUANG.code))

    def test_the_villages_are_the_national_lists_and_daijiazhuang_is_lancuns_own(self):
        for plan in TOWNSHIPS:
            official = dict(national_villages(plan.code))
            assert len(official) >= 10
            tree = {r.code: r for r in Region.objects.filter(level=Level.VILLAGE, parent_id=plan.code)}
            # Every official village is there under its code and name, most without households.
            for code, name in official.items():
                assert (tree[code].name, tree[code].local) == (name, False)
            for village in plan.villages:
                region = tree[plan.code + village.suffix]
                assert region.name == village.name
                if village.local:
                    assert region.code not in official and region.local
                    assert 900 <= int(village.suffix) <= 999
                else:
                    assert official[region.code] == village.name and not region.local
                    assert Household.objects.filter(region=region).count() == village.poor + village.others
        # The report's village: not in the national list (merged into a community since), 蓝村's own.
        daijiazhuang = Region.objects.get(code=DAIJIAZHUANG)
        assert (daijiazhuang.name, daijiazhuang.local) == ("戴家庄村", True)
        assert DAIJIAZHUANG[-3] == "9" and DAIJIAZHUANG not in dict(national_villages(LANCUN.code))
        assert "戴家庄村" not in {village_name for _code, village_name in national_villages(LANCUN.code)}
        # The names the source reports give, as the national list writes them.
        assert Region.objects.get(code=SONGZHUANG.code + "209").name == "东山头村村民委员会"
        assert Region.objects.get(code=SONGZHUANG.code + "211").name == "负图村村民委员会"
        assert not Region.objects.filter(level=Level.VILLAGE, name__in=["送庄村", "凤凰台村", "朱仓村", "后李村"]).exists()

    def test_loading_the_national_list_again_leaves_the_demo_as_it_is(self):
        before = list(Region.objects.filter(level=Level.VILLAGE).values_list("code", "name", "local", "parent_id"))
        daijiazhuang_households = Household.objects.filter(region_id=DAIJIAZHUANG).count()
        out = StringIO()
        call_command("regions", "load", "--villages", LANCUN.code, stdout=out)
        official = len(national_villages(LANCUN.code))
        assert out.getvalue().startswith(f"villages: created 0, existing {official} in ")
        assert "kept" not in out.getvalue()
        assert list(Region.objects.filter(level=Level.VILLAGE)
                    .values_list("code", "name", "local", "parent_id")) == before
        assert Region.objects.filter(code=DAIJIAZHUANG, name="戴家庄村", local=True).exists()
        assert Household.objects.filter(region_id=DAIJIAZHUANG).count() == daijiazhuang_households > 0


    def test_caseworker_count_matches_villages(self):
        for plan in (LANCUN, SONGZHUANG):
            for village in plan.villages:
                code = plan.code + village.suffix
                assigned = Household.objects.filter(region_code=code, caseworker__isnull=False).count()
                assert User.objects.filter(role=Role.CASEWORKER, region_id=code).count() == math.ceil(assigned / 15)


    def test_each_township_has_its_work_group_to_copy_from(self):
        from bangfu.notify.models import Channel, Event

        groups = Channel.objects.order_by("region_code")
        assert [g.region_code for g in groups] == sorted([LANCUN.code, SONGZHUANG.code])
        assert all(g.vendor == "wechat" and g.events == list(Event.values) for g in groups)


# --- the command -----------------------------------------------------------------------------

# Outside a test transaction, as `bangfu demo --wipe` runs (PostgreSQL refuses to TRUNCATE tables
# with rows written earlier in the same transaction).
@pytest.mark.django_db(transaction=True)
def test_demo_command_sets_up_everything_and_stops_with_no_serve(monkeypatch):
    from bangfu.ops.management.commands import demo as command

    monkeypatch.setattr(command, "serve", lambda **kwargs: pytest.fail("--no-serve must not serve"))
    User.objects.create(username="leftover", role=Role.ADMIN)
    out = StringIO()
    call_command("demo", "--no-serve", "--wipe", stdout=out)
    text = out.getvalue()
    assert not User.objects.filter(username="leftover").exists()
    assert Region.objects.count() > 40000  # the national tree
    assert registered_poor_in(LANCUN.code) == 65
    for username in ("admin", "jimo", "lancun", "songzhuang", "daijiazhuang", "sunlei", "zhiyuan"):
        assert f"{username}  " in text and demo_password(username) in text
    assert "蓝村街道" in text and "送庄镇" in text


def test_demo_command_never_erases_another_database_without_wipe(personas):
    before = User.objects.count()
    with pytest.raises(CommandError, match="--wipe"):
        call_command("demo", "--no-serve", stdout=StringIO())
    assert User.objects.count() == before
