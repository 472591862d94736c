"""Each kind of qualification rule, fires and does not; per person and per household; the periods;
the defaults as the migration stored them."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.households import choices
from bangfu.policies import queries, rules
from bangfu.policies.defaults import DEFAULT_POLICIES
from bangfu.policies.models import Policy

DAY = dt.date(2026, 6, 15)
HOUSEHOLD = {"id": 1, "region_code": "370215010001", "dilapidated": None, "business_income": None}


def member(**fields):
    base = {"id": 10, "household_id": 1, "name": "甲", "birth_date": dt.date(1980, 1, 1), "health": ["健康"],
            "disability_category": "", "school_status": "", "welfare_post_type": "", "labor_skill": "普通劳动力",
            "disability_grade": ""}
    return {**base, **fields}


def policy(conditions=(), categories=(), per="household"):
    return Policy(key="p", name="p", categories=list(categories), conditions=list(conditions), amount=100,
                  period="monthly", per=per)


def owed(p, household=HOUSEHOLD, categories=frozenset(), members=None):
    return rules.qualifying(p, household, set(categories), [member()] if members is None else members, DAY)


def test_categories_any_of():
    p = policy(categories=["minimum_living", "extreme_hardship"])
    assert owed(p, categories={"extreme_hardship", "disabled"}) == [None]
    assert owed(p, categories={"registered_poor"}) == []
    assert owed(policy(), categories=set()) == [None]  # none listed: any household


def test_dilapidated():
    p = policy([{"kind": "dilapidated"}])
    assert owed(p, household={**HOUSEHOLD, "dilapidated": True}) == [None]
    assert owed(p, household={**HOUSEHOLD, "dilapidated": False}) == []
    assert owed(p, household={**HOUSEHOLD, "dilapidated": None}) == []


def test_business_income():
    p = policy([{"kind": "business_income"}])
    assert owed(p, household={**HOUSEHOLD, "business_income": 120_000}) == [None]
    assert owed(p, household={**HOUSEHOLD, "business_income": 0}) == []


def test_age_between_counts_whole_years_on_the_day():
    p = policy([{"kind": "age_between", "min": 18, "max": 65}], per="member")
    assert owed(p, members=[member(birth_date=dt.date(2008, 6, 15))])  # 18 today
    assert owed(p, members=[member(birth_date=dt.date(2008, 6, 16))]) == []  # 18 tomorrow
    assert owed(p, members=[member(birth_date=dt.date(1960, 6, 16))])  # 65 still
    assert owed(p, members=[member(birth_date=dt.date(1960, 6, 15))]) == []  # 66
    assert owed(policy([{"kind": "age_between", "min": 60, "max": None}]),
                members=[member(birth_date=dt.date(1950, 1, 1))]) == [None]


def test_health_any():
    p = policy([{"kind": "health_any", "values": ["患有大病", "长期慢性病"]}])
    assert owed(p, members=[member(health=["长期慢性病"])]) == [None]
    assert owed(p, members=[member(health=["健康"])]) == []


def test_disabled_by_health_or_by_category():
    p = policy([{"kind": "disabled"}], per="member")
    a, b, c = member(id=1, health=["残疾"]), member(id=2, disability_category="视力残疾"), member(id=3)
    assert owed(p, members=[a, b, c]) == [a, b]


def test_disability_grade_owes_the_nursing_subsidy_to_grades_one_and_two_only():
    care = next(d for d in DEFAULT_POLICIES if d["key"] == "disability_care")
    p = policy(care["conditions"], categories=care["categories"], per=care["per"])
    severe = [member(id=1, health=["残疾"], disability_category="肢体残疾", disability_grade=g) for g in ("一级", "二级")]
    mild = [member(id=2, health=["残疾"], disability_category="听力残疾", disability_grade=g) for g in ("三级", "四级")]
    ungraded = member(id=3, health=["残疾"], disability_category="视力残疾")
    assert owed(p, members=[*severe, *mild, ungraded]) == severe
    assert owed(p, members=[member(id=4)]) == []


def test_in_school():
    p = policy([{"kind": "in_school", "values": ["中职一年级"]}], per="member")
    pupil = member(school_status="中职一年级")
    assert owed(p, members=[pupil, member(id=11, school_status="小学")]) == [pupil]
    assert owed(p, members=[member(school_status="")]) == []


def test_welfare_post():
    p = policy([{"kind": "welfare_post"}])
    assert owed(p, members=[member(welfare_post_type="护林员")]) == [None]
    assert owed(p, members=[member()]) == []


def test_labor_any():
    p = policy([{"kind": "labor_any", "values": ["普通劳动力", "技能劳动力"]}])
    assert owed(p, members=[member(labor_skill="技能劳动力")]) == [None]
    assert owed(p, members=[member(labor_skill="丧失劳动力")]) == []


def test_member_conditions_are_met_by_one_and_the_same_member():
    p = policy([{"kind": "disabled"}, {"kind": "age_between", "min": 60, "max": None}])
    old = member(id=1, birth_date=dt.date(1950, 1, 1))
    young_disabled = member(id=2, health=["残疾"])
    assert owed(p, members=[old, young_disabled]) == []
    assert owed(p, members=[member(id=3, birth_date=dt.date(1950, 1, 1), health=["残疾"])]) == [None]


def test_per_person_without_member_conditions_is_owed_to_every_member():
    p = policy(categories=["minimum_living"], per="member")
    a, b = member(id=1), member(id=2)
    assert owed(p, categories={"minimum_living"}, members=[a, b]) == [a, b]


def test_household_conditions_and_member_conditions_together():
    p = policy([{"kind": "dilapidated"}, {"kind": "disabled"}])
    assert owed(p, household={**HOUSEHOLD, "dilapidated": True}, members=[member(health=["残疾"])]) == [None]
    assert owed(p, household={**HOUSEHOLD, "dilapidated": True}, members=[member()]) == []


def test_every_kind_is_tested_and_described():
    tested = {"dilapidated", "business_income", "age_between", "health_any", "disabled", "in_school",
              "welfare_post", "labor_any", "disability_grade"}
    assert set(rules.KINDS) == tested
    assert rules.describe({"kind": "age_between", "min": 18, "max": 65}).endswith("18–65")
    assert len(rules.check_conditions([{"kind": "disabled"}, {"kind": "nonsense"}, "text"])) == 2


def test_periods():
    assert rules.period_of("monthly", DAY) == "2026-06"
    assert rules.period_of("yearly", DAY) == "2026"
    assert rules.period_of("once", DAY) == "once"


@pytest.mark.django_db
def test_the_defaults_hold_every_listed_policy_with_valid_rules():
    served = {p.key: p for p in queries.policies_of_county("370215")}
    assert list(served) == sorted(served, key=lambda k: (served[k].name, k))
    assert set(served) == {d["key"] for d in DEFAULT_POLICIES} == {
        "dibao", "tekun", "disability", "disability_care", "medical", "education", "housing", "welfare_post", "industry",
        "microcredit"}
    for default in DEFAULT_POLICIES:
        row = served[default["key"]]
        assert (row.name, row.amount, row.period, row.per) == (default["name"], default["amount"],
                                                               default["period"], default["per"])
        assert row.categories == [str(c) for c in default["categories"]] and row.pk is None
        assert not rules.check_conditions(row.conditions)
    assert choices.SchoolStatus.VOCATIONAL_1 in served["education"].conditions[0]["values"]
    assert not Policy.objects.exists()  # nothing stored until someone changes one
