"""The national columns follow the households' forms: every form field has its column, of the kind
its form field reads, with a spelling for every value the form takes."""

from __future__ import annotations

from django import forms

from bangfu.households.forms import HouseholdForm, IdNumberField, MemberForm, PhoneField
from bangfu.imports import columns as cols

# What a form field becomes in a sheet: the first class that matches (subclasses first).
KINDS = [
    (PhoneField, {cols.PHONE}),
    (IdNumberField, {cols.ID}),
    (forms.MultipleChoiceField, {cols.MULTI}),
    (forms.ChoiceField, {cols.CHOICE}),
    (forms.BooleanField, {cols.BOOL}),  # NullBooleanField too
    (forms.DateField, {cols.DATE}),
    (forms.DecimalField, {cols.DECIMAL}),
    (forms.IntegerField, {cols.INT}),
    (forms.CharField, {cols.TEXT, cols.NAME, cols.CODE}),
]


def form_fields():
    """(column key, form field) of every field the import fills; the village is found from the
    location columns."""
    for name, field in HouseholdForm.base_fields.items():
        if name != "region":
            yield name, cols.HOUSEHOLD, field
    form_names = {form_name: key for key, form_name in cols.MEMBER_FIELD.items()}
    for name, field in MemberForm.base_fields.items():
        yield form_names.get(name, name), cols.MEMBER, field


def test_every_form_field_has_a_column_of_its_kind():
    for key, part, field in form_fields():
        column = cols.COLUMN_BY_KEY.get(key)
        assert column is not None and column.part == part, key
        kinds = next(kinds for field_class, kinds in KINDS if isinstance(field, field_class))
        assert column.kind in kinds, (key, column.kind, type(field).__name__)


def test_every_choice_has_a_spelling_and_every_spelling_is_a_choice():
    for key, _part, field in form_fields():
        column = cols.COLUMN_BY_KEY[key]
        if column.kind not in (cols.CHOICE, cols.MULTI):
            continue
        valid = {str(value) for value, _label in field.choices if value != ""}
        assert set(column.values.values()) <= valid, key
        assert valid <= set(column.values.values()), (key, valid - set(column.values.values()))
