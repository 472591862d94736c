"""A county changes its policies on a page (its own row, the default untouched); the administrator
changes the defaults; others may not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.history.models import Change
from bangfu.policies import queries
from bangfu.policies.models import Policy

pytestmark = pytest.mark.django_db

FORM = {"name": "低保", "department": "区民政局", "amount": "600", "period": "monthly", "per": "member",
        "categories": ["minimum_living"], "active": "on"}


def test_county_changes_its_own_policy(client, personas, dibao_home):
    client.force_login(personas["county"])
    page = client.get(reverse("policies:list")).content.decode()
    assert "低保" in page and "雨露计划" in page
    assert client.get(reverse("policies:edit", args=["dibao"])).status_code == 200
    assert client.post(reverse("policies:edit", args=["dibao"]), FORM).status_code == 302
    own = Policy.objects.get(county_code="370215", key="dibao")
    assert (own.amount, own.department) == (60_000, "区民政局")
    assert not Policy.objects.filter(county_code="").exists()  # the default untouched
    assert Change.objects.filter(object_type="policy", action="create").count() == 1
    # The county's households are owed the new amount; another county keeps the default.
    owed = queries.entitlements_of(queries.Household.objects.filter(pk=dibao_home.pk), local_today())
    assert {e.amount for e in owed[dibao_home.pk] if e.policy.key == "dibao"} == {60_000}
    assert next(p for p in queries.policies_of_county("410308") if p.key == "dibao").amount == 50_000


def test_conditions_typed_on_the_page_are_stored_as_rules(client, personas):
    client.force_login(personas["county"])
    data = {**FORM, "key": "elderly", "name": "高龄补贴", "amount": "100", "categories": [], "age_min": "80",
            "disabled": "on", "school": ["小学"]}
    assert client.post(reverse("policies:create"), data).status_code == 302
    policy = Policy.objects.get(key="elderly")
    assert policy.conditions == [{"kind": "disabled"}, {"kind": "age_between", "min": 80, "max": None},
                                 {"kind": "in_school", "values": ["小学"]}]
    # Shown again as typed.
    page = client.get(reverse("policies:edit", args=["elderly"])).content.decode()
    assert 'value="80"' in page
    # A code taken already, and an age range upside down, are refused on their fields.
    again = client.post(reverse("policies:create"), {**data, "age_max": "70"}).content.decode()
    assert Policy.objects.filter(key="elderly").count() == 1
    assert "errorlist" in again or "aria-invalid" in again


def test_administrator_changes_the_defaults(client, personas):
    client.force_login(personas["admin"])
    assert client.post(reverse("policies:edit", args=["tekun"]), {**FORM, "name": "特困供养",
                                                                   "amount": "1200"}).status_code == 302
    assert Policy.objects.get(county_code="", key="tekun").amount == 120_000
    assert not Policy.objects.exclude(county_code="").exists()
    # Every county without its own row is owed the new default.
    assert next(p for p in queries.policies_of_county("410308") if p.key == "tekun").amount == 120_000
    # A county's own change starts from the changed default.
    client.force_login(personas["county"])
    assert client.post(reverse("policies:edit", args=["tekun"]), {**FORM, "name": "特困供养（即墨）",
                                                                   "amount": "1300"}).status_code == 302
    assert Policy.objects.get(county_code="370215", key="tekun").amount == 130_000
    assert Policy.objects.get(county_code="", key="tekun").amount == 120_000


@pytest.mark.parametrize("persona", ["office", "village_a", "caseworker_a"])
def test_others_may_not_change_policies(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(reverse("policies:list")).status_code == 200
    assert client.post(reverse("policies:edit", args=["dibao"]), FORM).status_code == 403
    assert not Policy.objects.exclude(county_code="").exists()


def test_a_disability_grade_condition_typed_on_the_page_is_stored_and_shown_again(client, personas):
    client.force_login(personas["county"])
    data = {**FORM, "key": "care", "name": "重度残疾人护理补贴", "amount": "90", "categories": [],
            "disability_grades": ["一级", "二级"]}
    assert client.post(reverse("policies:create"), data).status_code == 302
    policy = Policy.objects.get(key="care")
    assert policy.conditions == [{"kind": "disability_grade", "values": ["一级", "二级"]}]
    page = client.get(reverse("policies:edit", args=["care"])).content.decode()
    assert 'name="disability_grades" value="一级" id="id_disability_grades_0" checked' in page
    assert 'name="disability_grades" value="三级" id="id_disability_grades_2" checked' not in page
