"""Import forms: the households app's own forms, bound once per sheet row.

The rules stay in households.forms; what differs for an import is only how often they run (once
per row, a hundred thousand times), so:
- a form is built once and re-bound for each row (building one deep-copies all its fields, which
  costs more than the checks themselves);
- a field's cleaning is a pure function of the cell, so its result is remembered for the values a
  column repeats (relations, yes/no, education...), up to a limit per field; columns of unique
  values (names, ID numbers) simply stop being remembered;
- the model-level re-validation a ModelForm runs after its own fields (`_post_clean`) is skipped:
  every model field these forms cover is already checked by the form field built from it, and
  uniqueness (of 户编号 and of ID numbers) is checked for the whole sheet at once by the importer;
- fields are cleaned by Django's own loop minus the BoundField it builds per field (an import binds
  a plain dict: no prefix, no files, no disabled field).
tests/test_forms.py holds both paths to the same answers.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form, Widget
from django.forms.utils import ErrorDict
from django.forms.widgets import ChoiceWidget

from bangfu.households.forms import HouseholdForm, MemberForm

MEMO_LIMIT = 2000


class _ImportBinding:
    """What the import changes in how a form runs (not in what it checks)."""

    def _clean_fields(self):
        # Django's own loop, without building a BoundField per field and row: an import binds a
        # plain dict with no prefix, no files and no disabled field.
        data, files, cleaned = self.data, self.files, self.cleaned_data
        for name, form_field in self.fields.items():
            try:
                cleaned[name] = form_field.clean(form_field.widget.value_from_datadict(data, files, name))
                method = getattr(self, f"clean_{name}", None)
                if method is not None:
                    cleaned[name] = method()
            except ValidationError as error:
                self.add_error(name, error)

    def _post_clean(self):
        pass  # the model's checks repeat the form fields'; uniqueness is checked for the whole sheet


class HouseholdImportForm(_ImportBinding, HouseholdForm):
    pass


class MemberImportForm(_ImportBinding, MemberForm):
    pass


def _remembering(clean, limit: int = MEMO_LIMIT):
    """Wrap a field's clean(value) so that each distinct value is cleaned once."""
    cache: dict = {}
    active = True

    def clean_remembered(value):
        nonlocal active
        if not active:
            return clean(value)
        key = tuple(value) if isinstance(value, list) else value
        try:
            ok, result = cache[key]
        except KeyError:
            try:
                ok, result = True, clean(value)
            except ValidationError as error:
                ok, result = False, error
            if len(cache) >= limit:
                active = False
                cache.clear()
            else:
                cache[key] = (ok, result)
        except TypeError:  # an unhashable value
            return clean(value)
        if ok:
            return result
        raise ValidationError(result.error_list)

    return clean_remembered


class RowForm:
    """One form, bound to row after row: validate(data) -> (cleaned_data, errors by field).

    It runs what full_clean runs (each field's clean and clean_<name>, then the form's clean),
    with the per-row lookups done once: the field, its widget's reader and its clean_<name>
    method are found when the form is built, not for every field of every row."""

    def __init__(self, form_class: type[Form], **kwargs):
        self.form = form = form_class(data={}, **kwargs)
        self.steps = []
        for name, form_field in form.fields.items():
            form_field.clean = _remembering(form_field.clean)
            method = getattr(form, f"clean_{name}", None)
            # A widget that reads its value as data.get(name) (Widget's own, and a single choice's)
            # is read directly below.
            reader = type(form_field.widget).value_from_datadict
            plain = reader is Widget.value_from_datadict or (
                reader is ChoiceWidget.value_from_datadict and not form_field.widget.allow_multiple_selected)
            self.steps.append((name, form_field.clean, None if plain else form_field.widget.value_from_datadict,
                               method))

    def validate(self, data: dict) -> tuple[dict, dict[str, list[str]]]:
        form = self.form
        form.data = data
        form._errors = ErrorDict(renderer=form.renderer)
        form.cleaned_data = cleaned = {}
        get = data.get
        for name, clean, value_from, method in self.steps:
            try:
                cleaned[name] = clean(get(name) if value_from is None else value_from(data, None, name))
                if method is not None:
                    cleaned[name] = method()
            except ValidationError as error:
                form.add_error(name, error)
        form._clean_form()
        form._post_clean()
        if not form._errors:
            return form.cleaned_data, {}
        errors = {name: [str(message) for message in messages] for name, messages in form._errors.items()}
        return form.cleaned_data, errors
