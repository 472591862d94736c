"""A household or member field is declared once, in its form: every other place that lists the
fields (services, API schemas and output, edit pages, display, synth) follows it, so a new field
cannot be forgotten in one of them."""

from __future__ import annotations

import random

import pytest

from bangfu.core.forms import YuanField
from bangfu.history import timeline
from bangfu.households import display, services, views
from bangfu.households.forms import MONEY_FIELDS, HouseholdForm, MemberForm
from bangfu.households.models import Household, Member
from bangfu.households.schemas import HouseholdFields, HouseholdIn, HouseholdOut, HouseholdPatch, MemberIn, MemberOut
from bangfu.households.synthetic import Families, pick_categories, pick_status

HOUSEHOLD = list(HouseholdForm.Meta.fields)
MEMBER = list(MemberForm.Meta.fields)
# The detail page shows these above its sections.
HOUSEHOLD_HEADER = {"region", "number", "address", "phone", "status", "categories"}


def test_the_services_copy_every_field_they_do_not_write_themselves():
    assert set(HOUSEHOLD) - set(services.HOUSEHOLD_FIELDS) == {"region", "number", "phone", "categories"}
    assert set(MEMBER) - set(services.MEMBER_FIELDS) == {"id_number", "phone"}
    assert set(services.HOUSEHOLD_FIELDS) <= set(HOUSEHOLD) and set(services.MEMBER_FIELDS) <= set(MEMBER)


def test_money_fields_are_the_forms_yuan_fields():
    assert MONEY_FIELDS == ("wage_income", "business_income", "property_income", "transfer_income", "business_expense")
    assert all(isinstance(HouseholdForm.base_fields[name], YuanField) for name in MONEY_FIELDS)
    assert set(MONEY_FIELDS) <= Household.history.keys.money


def test_the_api_takes_the_forms_fields_in_their_order():
    assert list(HouseholdFields.model_fields) == HOUSEHOLD
    assert list(HouseholdIn.model_fields) == [*HOUSEHOLD, "members"]
    assert list(HouseholdPatch.model_fields) == ["version", *HOUSEHOLD]
    assert list(MemberIn.model_fields) == MEMBER


def test_the_patch_has_every_field_optional():
    assert HouseholdPatch.model_fields["version"].is_required()
    for name in HOUSEHOLD:
        assert not HouseholdPatch.model_fields[name].is_required(), name
        assert HouseholdPatch.model_validate({"version": 1, name: None}).model_dump(exclude_unset=True) == {
            "version": 1, name: None}
    with pytest.raises(ValueError):
        HouseholdPatch.model_validate({"version": 1, "not_a_field": 1})


def test_the_api_gives_back_every_field():
    assert set(HOUSEHOLD) <= set(HouseholdOut.model_fields)
    assert set(MEMBER) <= set(MemberOut.model_fields)


def test_every_field_is_on_the_edit_pages():
    for spec, names in ((views._household_spec(), HOUSEHOLD), (views._member_spec(), MEMBER)):
        placed = [name for _slug, _title, section in spec for name in section]
        assert set(names) <= set(placed)


def test_every_field_has_a_label_and_a_place_on_the_detail_page():
    for model, names in ((Household, HOUSEHOLD), (Member, MEMBER)):
        for name in names:
            # A model field is labelled by its verbose name; any other by its form's label.
            assert name in timeline.registry().keys.labels or timeline._model_field(model, name) is not None, name
    assert timeline.field_label(Household, "region") == str(HouseholdForm.base_fields["region"].label)
    assert timeline.field_label(Member, "id_number") == str(MemberForm.base_fields["id_number"].label)
    household = Household()
    shown = {fact.label for section in display.household_sections(household, []) for fact in section.facts}
    for name in set(HOUSEHOLD) - HOUSEHOLD_HEADER:
        assert timeline.field_label(Household, name) in shown, name


def test_synth_fills_every_field():
    families = Families(random.Random(3), area="370215")
    categories = pick_categories(families.rng)
    members = families.members(categories)
    assert list(members[0]) == MEMBER
    fields = families.household_fields(categories, members, status=pick_status(families.rng, categories))
    assert set(fields) == set(HOUSEHOLD) - {"region", "number"}
