"""The field rules of FIELDS.md, as the forms apply them (pages, the API and imports bind these)."""

from __future__ import annotations

import pytest
from django.utils import translation

from bangfu.households.forms import HouseholdForm, MemberForm, member_set_errors
from conftest import VILLAGE_A, person_id


def member_post(**overrides):
    data = {
        "name": "逄珍波", "relation": "户主", "id_type": "居民身份证", "id_number": person_id(sex="M"),
        "ethnicity": "汉族", "education": "初中", "health": ["健康"], "labor_skill": "普通劳动力",
        "political_status": "群众", "pension_insured": "true", "medical_insured": "true",
        "critical_illness_insured": "unknown",
    }
    data.update(overrides)
    return data


def test_valid_member_derives_sex_and_birth_date():
    number = person_id(sex="F")
    form = MemberForm(data=member_post(id_number=number.lower()))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sex"] == "F"
    assert form.cleaned_data["birth_date"].isoformat() == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    assert form.cleaned_data["id_number"] == number.upper()


def test_checksum_error_is_on_the_id_field_in_chinese_by_default():
    number = person_id()
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    form = MemberForm(data=member_post(id_number=wrong))
    assert not form.is_valid()
    assert list(form.errors) == ["id_number"]
    with translation.override("en"):
        form = MemberForm(data=member_post(id_number=wrong))
        assert form.errors["id_number"] == ["The check digit is wrong."]


def test_sex_must_agree_with_the_id():
    form = MemberForm(data=member_post(id_number=person_id(sex="M"), sex="F"))
    assert not form.is_valid()
    assert "sex" in form.errors


def test_birth_date_must_agree_with_the_id():
    form = MemberForm(data=member_post(id_number=person_id(sex="M"), birth_date="1999-01-01"))
    assert not form.is_valid()
    assert "birth_date" in form.errors


def test_disability_number_needs_its_id_type():
    number = person_id() + "11"
    assert not MemberForm(data=member_post(id_number=number)).is_valid()
    assert MemberForm(data=member_post(id_number=number, id_type="残疾人证")).is_valid()


@pytest.mark.parametrize("education,school", [("", ""), ("初中", "小学")])
def test_exactly_one_of_education_and_school_status(education, school):
    form = MemberForm(data=member_post(education=education, school_status=school))
    assert not form.is_valid()
    assert "education" in form.errors


def test_healthy_excludes_illness():
    form = MemberForm(data=member_post(health=["健康", "残疾"]))
    assert "health" in form.errors


@pytest.mark.parametrize("phone,ok", [("13812345678", True), ("1381234567", False), ("0532-88881234", True)])
def test_member_phone(phone, ok):
    assert MemberForm(data=member_post(phone=phone)).is_valid() is ok


def test_one_head_at_most_one_spouse_of_the_other_sex():
    head = {"relation": "户主", "sex": "M", "id_number": person_id(sex="M")}
    spouse = {"relation": "配偶", "sex": "M", "id_number": person_id(sex="M")}
    second_spouse = {"relation": "配偶", "sex": "F", "id_number": person_id(sex="F")}
    errors = member_set_errors([head, spouse, second_spouse])
    assert "members.1.sex" in errors
    assert "members.2.relation" in errors
    assert "members" in member_set_errors([spouse])
    assert "members.1.relation" in member_set_errors([head, dict(head, id_number=person_id())])


def test_same_id_twice_in_one_household():
    number = person_id()
    errors = member_set_errors([
        {"relation": "户主", "sex": "M", "id_number": number},
        {"relation": "之子", "sex": "M", "id_number": number},
    ])
    assert "members.1.id_number" in errors


def household_post(**overrides):
    data = {"region": VILLAGE_A, "status": "active", "categories": ["registered_poor"], "phone": "13812345678"}
    data.update(overrides)
    return data


def test_household_form_valid(regions):
    form = HouseholdForm(data=household_post(wage_income="1234.5"))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["wage_income"] == 123450  # fen


def test_monitored_needs_a_type(regions):
    form = HouseholdForm(data=household_post(categories=["monitored"]))
    assert "monitor_type" in form.errors
    assert HouseholdForm(data=household_post(categories=["monitored"], monitor_type="marginal")).is_valid()


def test_at_most_two_other_causes_and_not_the_main_one(regions):
    form = HouseholdForm(data=household_post(other_causes=["因病", "因残", "因学"]))
    assert "other_causes" in form.errors
    form = HouseholdForm(data=household_post(main_cause="因病", other_causes=["因病"]))
    assert "other_causes" in form.errors


def test_dilapidated_housing_needs_its_grade(regions):
    assert "dilapidation_level" in HouseholdForm(data=household_post(dilapidated="true")).errors
    assert HouseholdForm(data=household_post(dilapidated="true", dilapidation_level="D级")).is_valid()


def test_household_phone_format(regions):
    assert "phone" in HouseholdForm(data=household_post(phone="12345")).errors
