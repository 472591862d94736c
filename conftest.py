"""Shared test fixtures: a small region tree and the fixed personas of STYLE.md.

caseworker_a (戴家庄村), caseworker_b (北郝家庄村, another village), village_a (cadre of 戴家庄村),
office (蓝村街道 township office), county (即墨区), admin, and outsider_office (送庄镇, another
province).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from bangfu.accounts.models import Role
from bangfu.accounts.services import user_add

# Playwright fixtures, once for the whole suite: a second session-scoped browser would start a
# second Playwright inside the first one's event loop.
from bangfu.core.tests.browser import browser, phone_page  # noqa: E402, F401
from bangfu.households import choices
from bangfu.households.synthetic import make_id_number
from bangfu.regions.models import Level, Region

REGIONS = [
    ("37", "山东省", Level.PROVINCE, None),
    ("3702", "青岛市", Level.CITY, "37"),
    ("370215", "即墨区", Level.COUNTY, "3702"),
    ("370215010", "蓝村街道", Level.TOWNSHIP, "370215"),
    ("370215010001", "戴家庄村", Level.VILLAGE, "370215010"),
    ("370215010002", "北郝家庄村", Level.VILLAGE, "370215010"),
    ("41", "河南省", Level.PROVINCE, None),
    ("4103", "洛阳市", Level.CITY, "41"),
    ("410308", "孟津区", Level.COUNTY, "4103"),
    ("410308103", "送庄镇", Level.TOWNSHIP, "410308"),
    ("410308103001", "送庄村", Level.VILLAGE, "410308103"),
]

VILLAGE_A = "370215010001"
VILLAGE_B = "370215010002"
VILLAGE_OTHER = "410308103001"


@pytest.fixture(autouse=True)
def _pages_forgotten():
    """Each test's database starts again from empty, and with it history's counts of changes by
    area: pages a previous test kept (bangfu.history.pagecache) must not be served to this one."""
    from django.core.cache import caches

    caches["pages"].clear()
    yield


@pytest.fixture
def regions(db):
    for code, name, level, parent in REGIONS:
        Region.objects.create(code=code, name=name, level=level, parent_id=parent)
    return {code: Region.objects.get(code=code) for code, *_ in REGIONS}


def _user(username, role, region):
    user, _password = user_add(username=username, role=role, region_code=region, password="pw-" + username,
                               display_name=username, check_password=False)
    return user


@pytest.fixture
def personas(regions):
    return {
        "admin": _user("admin", Role.ADMIN, None),
        "province": _user("province", Role.PROVINCE, "37"),
        "county": _user("county", Role.COUNTY, "370215"),
        "office": _user("office", Role.TOWNSHIP_OFFICE, "370215010"),
        "village_a": _user("village_a", Role.VILLAGE, VILLAGE_A),
        "caseworker_a": _user("caseworker_a", Role.CASEWORKER, VILLAGE_A),
        "caseworker_b": _user("caseworker_b", Role.CASEWORKER, VILLAGE_B),
        "outsider_office": _user("outsider_office", Role.TOWNSHIP_OFFICE, "410308103"),
    }


_sequence = itertools.count()


def person_id(*, sex: str = "M", birth: dt.date = dt.date(1970, 5, 17), area: str = "370215") -> str:
    """A fresh valid ID number, different on every call."""
    n = next(_sequence)
    return make_id_number(area, birth + dt.timedelta(days=n // 50), n % 50, sex)


def member_data(**overrides) -> dict:
    """A member as a form's cleaned data; pass `id_number` and `sex` to control the person."""
    sex = overrides.pop("sex", "M")
    birth = overrides.pop("birth_date", dt.date(1970, 5, 17))
    data = {
        "name": "逄珍波", "relation": choices.Relation.HEAD, "id_type": choices.IdType.RESIDENT_ID,
        "id_number": person_id(sex=sex, birth=birth), "ethnicity": "汉族", "phone": "",
        "education": choices.Education.JUNIOR, "school_status": "", "health": [choices.Health.HEALTHY],
        "labor_skill": choices.LaborSkill.ORDINARY, "work_status": "", "work_months": None, "work_place": "",
        "employer": "", "political_status": choices.PoliticalStatus.MASSES, "minimum_living": False,
        "extreme_hardship": False, "pension_insured": True, "medical_insured": True,
        "critical_illness_insured": None, "disability_category": "", "welfare_post_type": "",
        "welfare_post_months": None,
    }
    data.update(overrides)
    from bangfu.households.identity import parse_id_number

    parsed = parse_id_number(data["id_number"])
    data.setdefault("sex", parsed.sex)
    data["sex"] = parsed.sex
    data["birth_date"] = parsed.birth_date
    return data


def household_data(region, **overrides) -> dict:
    data = {
        "region": region, "number": "", "address": "", "phone": "13812345678", "status": choices.Status.ACTIVE,
        "categories": [choices.Category.REGISTERED_POOR], "monitor_type": "",
        "identification_standard": choices.IdentificationStandard.NATIONAL,
        "poverty_attribute": choices.PovertyAttribute.GENERAL, "main_cause": choices.PovertyCause.ILLNESS,
        "other_causes": [], "risks": [], "risk_elimination_method": "", "risk_eliminated_on": None,
        "farmland_mu": None, "road_type": "", "housing_area": None, "dilapidated": None,
        "dilapidation_level": "", "safe_water": True, "electricity": True, "sanitary_toilet": None,
        "fuel_type": "", "wage_income": None, "business_income": None, "property_income": None,
        "transfer_income": None, "business_expense": None,
    }
    data.update(overrides)
    return data


@pytest.fixture
def make_household(regions, personas):
    """make_household(village_code, members=[...], caseworker=user, **household fields)."""
    from bangfu.households.services import assignment_set, household_create

    def make(village=VILLAGE_A, *, members=None, caseworker=None, actor=None, **fields):
        actor = actor or personas["admin"]
        members = members if members is not None else [member_data()]
        household = household_create(actor=actor, data=household_data(regions[village], **fields), members=members)
        if caseworker is not None:
            assignment_set(actor=actor, households=[household], caseworker=caseworker)
            household.refresh_from_db()
        return household

    return make


@pytest.fixture
def volunteer_a(regions):
    """A village volunteer of 戴家庄村: the daily checks of the village, nothing else."""
    return _user("volunteer_a", Role.VOLUNTEER, VILLAGE_A)
