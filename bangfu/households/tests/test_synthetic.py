"""Synthetic people: valid data, written the way the services would write it."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from django.test import TestCase

from bangfu.accounts.models import User
from bangfu.core import crypto
from bangfu.core.codes import VILLAGE_LENGTH, Level
from bangfu.core.permissions import Role
from bangfu.core.text import initials
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.forms import HouseholdForm, MemberForm, member_set_errors
from bangfu.households.identity import check_char, parse_id_number
from bangfu.households.models import Assignment, Household, HouseholdCategory, Member
from bangfu.households.synthetic import (
    IDS_PER_BIRTH_DATE_AND_SEX,
    Families,
    NameInitials,
    make_id_number,
    pick_categories,
    pick_status,
    synth_county,
)
from bangfu.regions.models import Region
from conftest import REGIONS


def form_data(values: dict) -> dict:
    """Cleaned data back into what a browser would post."""
    data = {}
    for key, value in values.items():
        if value is None:
            data[key] = ""
        elif isinstance(value, bool):
            data[key] = "true" if value else "false"
        elif isinstance(value, list):
            data[key] = value
        else:
            data[key] = str(value)
    return data


# --- people ----------------------------------------------------------------------------------

def test_make_id_number_gives_50_valid_numbers_per_birth_date_and_sex():
    born = dt.date(1970, 5, 17)
    numbers = {make_id_number("370215", born, n, sex) for n in range(IDS_PER_BIRTH_DATE_AND_SEX) for sex in "MF"}
    assert len(numbers) == 2 * IDS_PER_BIRTH_DATE_AND_SEX
    for number in numbers:
        assert check_char(number[:17]) == number[17]
        assert parse_id_number(number).birth_date == born


def test_families_pass_every_form_rule():
    families = Families(random.Random(11), area="410308", spouse_areas=("410381",))
    sizes = Counter()
    for _ in range(300):
        categories = pick_categories(families.rng)
        members = families.members(categories)
        sizes[len(members)] += 1
        assert not member_set_errors(members)
        assert members[0]["relation"] == choices.Relation.HEAD
        for member in members:
            form = MemberForm(data=form_data(member))
            assert form.is_valid(), (form.errors, member)
            parsed = parse_id_number(member["id_number"])
            assert (parsed.sex, parsed.birth_date) == (member["sex"], member["birth_date"])
        household = HouseholdForm(data=form_data(families.household_fields(
            categories, members, status=pick_status(families.rng, categories))))
        household.fields.pop("region")
        assert household.is_valid(), household.errors
    assert 2.5 < sum(k * v for k, v in sizes.items()) / 300 < 3.5  # about three people a household


def test_families_never_repeat_an_id_number_even_side_by_side():
    seen = set()
    for residue in range(5):  # five makers with the same seed, as synth's chunks are
        families = Families(random.Random(1), area="370215", sequence_residue=residue, sequence_stride=5)
        for _ in range(400):
            for member in families.members([choices.Category.REGISTERED_POOR]):
                assert member["id_number"] not in seen
                seen.add(member["id_number"])


def test_name_initials_agree_with_core_text():
    fast = NameInitials()
    names = ["逄珍波", "曾小贤", "周长顺", "单田芳", "长孙无忌", "王", "欧阳娜娜", "区志强", "朴永"]
    families = Families(random.Random(5), area="370215")
    names += [families.name(sex, year) for sex in "MF" for year in (1950, 1990) for _ in range(1500)]
    assert [fast(name) for name in names] == [initials(name) for name in names]


# --- a synthetic county ----------------------------------------------------------------------

def make_regions():
    for code, name, level, parent in REGIONS:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)


class SynthCountyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_regions()
        cls.result = synth_county(county_code="370215", households=200, seed=7, workers=1)

    def test_counts(self):
        assert self.result.households == Household.objects.count() == 200
        assert self.result.members == Member.objects.count()
        assert 2.5 < self.result.members / 200 < 3.5
        assert self.result.categories == HouseholdCategory.objects.count()
        assert self.result.assignments == Assignment.objects.count() > 180
        assert self.result.rows > 1000

    def test_members_are_valid_and_stored_like_the_services_store_them(self):
        for member in Member.objects.all():
            id_number = member.id_number
            parsed = parse_id_number(id_number)
            assert parsed.base[:6] == "370215"
            assert (parsed.sex, parsed.birth_date) == (member.sex, member.birth_date)
            assert member.id_hash == crypto.keyed_hash(parsed.base)
            assert member.id_tail_reversed == id_number[-6:][::-1]
            assert member.name_initials == initials(member.name)
            assert bool(member.education) != bool(member.school_status)
            assert isinstance(member.health, list) and member.health
            if member.phone_encrypted:
                assert member.phone_hash == crypto.keyed_hash(crypto.phone_lookup_key(member.phone))
                assert member.phone_tail == member.phone[-4:]
        assert Member.objects.values("id_hash").distinct().count() == Member.objects.count()

    def test_exactly_one_head_per_household_and_a_spouse_of_the_other_sex(self):
        heads = Counter(Member.objects.filter(relation=choices.Relation.HEAD).values_list("household_id", flat=True))
        assert len(heads) == 200 and set(heads.values()) == {1}
        for household in Household.objects.prefetch_related("members"):
            members = list(household.members.all())
            head = next(m for m in members if m.is_head)
            assert household.head_name == head.name
            spouses = [m for m in members if m.relation == choices.Relation.SPOUSE]
            assert len(spouses) <= 1 and all(s.sex != head.sex for s in spouses)

    def test_households(self):
        numbers = set()
        for household in Household.objects.prefetch_related("categories"):
            assert household.region_code == household.region_id and len(household.region_code) == VILLAGE_LENGTH
            assert household.number.startswith(household.region_code) and household.number not in numbers
            numbers.add(household.number)
            categories = household.category_values()
            assert categories
            assert bool(household.monitor_type) == (choices.Category.MONITORED in categories)
            if household.phone_encrypted:
                assert household.phone_hash == crypto.keyed_hash(crypto.phone_lookup_key(household.phone))

    def test_one_history_row_per_household_under_one_request_id(self):
        changes = Change.objects.filter(message="created by synth")
        assert changes.count() == 200
        assert {str(r) for r in changes.values_list("request_id", flat=True).distinct()} == {self.result.request_id}
        assert set(changes.values_list("household_id", flat=True)) == set(Household.objects.values_list("pk", flat=True))

    def test_assignments_and_scope(self):
        for household in Household.objects.exclude(caseworker=None).select_related("caseworker"):
            current = Assignment.objects.get(household=household, end__isnull=True)
            assert current.caseworker_id == household.caseworker_id
            assert household.caseworker.region_id == household.region_code
        caseworker = User.objects.filter(role=Role.CASEWORKER, username__startswith="synth-").first()
        mine = Household.objects.visible_to(caseworker)
        assert 5 <= mine.count() <= 20
        assert set(mine) == set(Household.objects.filter(caseworker=caseworker))
        office = User.objects.get(username="synth-370215010")
        assert office.role == Role.TOWNSHIP_OFFICE
        assert Household.objects.visible_to(office).count() == 200
        assert Household.objects.visible_to(User.objects.get(username="synth-370215")).count() == 200
        assert not caseworker.has_usable_password()

    def test_a_second_run_adds_a_fresh_batch(self):
        numbers = set(Household.objects.values_list("number", flat=True))
        again = synth_county(county_code="370215", households=150, seed=7, workers=1)
        assert again.households == 150 and Household.objects.count() == 350
        assert len(set(Household.objects.values_list("number", flat=True))) == 350
        assert numbers < set(Household.objects.values_list("number", flat=True))
        assert Member.objects.values("id_hash").distinct().count() == Member.objects.count()
        assert again.villages_created == 0 and again.users_created > 0


def _snapshot() -> list[tuple]:
    return sorted(
        (m.household.number, m.name, m.id_hash, m.relation, m.household.caseworker.username
         if m.household.caseworker else None)
        for m in Member.objects.select_related("household", "household__caseworker")
    )


def test_worker_processes_make_the_same_data(regions, monkeypatch):
    from bangfu.households import synthetic

    monkeypatch.setattr(synthetic, "MIN_CHUNK", 30)  # several chunks for two workers
    synth_county(county_code="370215", households=120, seed=3, workers=1)
    alone = _snapshot()
    Household.objects.all().delete()
    Change.objects.all().delete()
    User.objects.filter(username__startswith="synth-").delete()
    Region.objects.filter(code__startswith="370215010", code__gt="370215010200").delete()
    result = synth_county(county_code="370215", households=120, seed=3, workers=2)
    assert result.workers == 2
    assert _snapshot() == alone


def test_synth_villages_are_the_national_lists_then_the_townships_own(db, monkeypatch):
    from bangfu.households import synthetic
    from bangfu.regions.queries import national_villages

    for code, name, level, parent in REGIONS:
        if level != Level.VILLAGE:
            Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    township = "370215010"
    official = dict(national_villages(township))
    monkeypatch.setattr(synthetic, "VILLAGE_SIZE", 10)
    wanted = len(official) + 3
    result = synth_county(county_code="370215", households=10 * wanted, seed=5, workers=1)
    villages = list(Region.objects.filter(level=Level.VILLAGE, parent_id=township).order_by("code"))
    assert result.villages_created == len(villages) == wanted
    # Every official village of the township under its own code and name, then three of its own.
    assert {v.code: v.name for v in villages if not v.local} == official
    assert [v.code[-3:] for v in villages if v.local] == ["900", "901", "902"]
    assert all(Household.objects.filter(region=village).exists() for village in villages)
