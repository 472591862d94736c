"""Forms only the pages need: the list's filters, edits that never show personal data in full,
assignment and make-head choices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.accounts.models import User
from bangfu.core import bounds
from bangfu.core.codes import Level, township_of
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households import choices, identity
from bangfu.households.forms import HouseholdForm, MemberForm
from bangfu.households.queries import HouseholdFilter
from bangfu.regions.models import Region


class HouseholdFilterForm(forms.Form):
    """The list's search box and filters, read from the query string. A value that does not
    parse is ignored rather than reported: a filter is never an error."""

    q = forms.CharField(
        label=_("Search"), required=False, max_length=50,
        widget=forms.TextInput(attrs={
            "type": "search", "autocomplete": "off", "enterkeyhint": "search",
            "placeholder": _("Name, pinyin, tail digits or number"),
        }),
    )
    village = forms.ChoiceField(label=_("village"), required=False)
    category = forms.ChoiceField(
        label=_("category"), required=False, choices=[("", _("All categories")), *choices.Category.choices],
    )
    caseworker = forms.TypedChoiceField(label=_("caseworker"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(
        label=_("status"), required=False, choices=[("", _("All statuses")), *choices.Status.choices],
    )
    request_id = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, villages: Iterable[Region], caseworkers: Iterable[User] | None,
                 townships: dict[str, str] | None = None):
        super().__init__(data)
        self.fields["village"].choices = [("", _("All villages")), *_village_choices(villages, townships or {})]
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            self.fields["caseworker"].choices = [("", _("All caseworkers")), *((u.pk, str(u)) for u in caseworkers)]

    def household_filter(self) -> HouseholdFilter:
        self.is_valid()
        data = self.cleaned_data
        request_id = data.get("request_id")
        return HouseholdFilter(
            q=(data.get("q") or "").strip(), village=data.get("village") or "",
            category=data.get("category") or "", caseworker=data.get("caseworker"),
            status=data.get("status") or "", request_id=str(request_id) if request_id else "",
        )


def _village_choices(villages: Iterable[Region], townships: dict[str, str]) -> list:
    """Villages, grouped under their township's name when they span more than one township."""
    villages = list(villages)
    groups: dict[str, list[tuple[str, str]]] = {}
    for village in villages:
        groups.setdefault(township_of(village.code), []).append((village.code, village.name))
    if len(groups) <= 1:
        return [pair for pairs in groups.values() for pair in pairs]
    return [(townships.get(code, code), pairs) for code, pairs in groups.items()]


class _PageForm:
    """Edit forms start with the phone (and ID) inputs empty, showing the masked value instead:
    opening a form must not reveal what a reveal would record. Empty keeps the stored value."""

    def _dash_for_empty_choice(self) -> None:
        for field in self.fields.values():
            choices_ = getattr(field, "choices", None)
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = "—"
            elif choices_ and list(choices_)[0] == ("", "---------"):
                field.choices = [("", "—"), *list(choices_)[1:]]

    def _keep_phone(self, stored: str) -> None:
        self.initial["phone"] = ""
        if stored:
            masked = identity.mask_phone(stored)
            self.fields["phone"].widget.attrs["placeholder"] = masked
            self.fields["phone"].help_text = _("Leave empty to keep %(value)s.") % {"value": masked}
        else:
            del self.fields["phone_clear"]

    def _phone_or_kept(self, data: dict, stored: str) -> None:
        if "phone" in self.errors:
            return
        if not data.get("phone") and not data.get("phone_clear"):
            data["phone"] = stored
        data.pop("phone_clear", None)


class HouseholdPageForm(_PageForm, HouseholdForm):
    phone_clear = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def __init__(self, *args, user: User, **kwargs):
        regions = (
            Region.objects.within(user.scope).filter(level__in=[Level.VILLAGE, Level.GROUP])
            .select_related("parent").order_by("code")
        )
        super().__init__(*args, regions=regions, **kwargs)
        self._dash_for_empty_choice()
        self.fields["region"].label_from_instance = _region_choice_label
        self.fields["region"].empty_label = _("Choose a village")
        self.fields["number"].required = False
        if self.instance.pk:
            self.fields["number"].help_text = ""
            self._keep_phone(self.instance.phone)
            if user.role == Role.CASEWORKER:
                # Moving a household to another village is the village's or the office's decision.
                self.fields["region"].disabled = True
        else:
            del self.fields["phone_clear"]
            only = list(regions[:2])
            if len(only) == 1:  # a village cadre registers in their own village
                self.initial.setdefault("region", only[0].code)
        self.order_fields(["region", "number", "address", "phone", "phone_clear"])

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._phone_or_kept(data, self.instance.phone)
        return data


def _region_choice_label(region: Region) -> str:
    if region.level == Level.GROUP and region.parent is not None:
        return f"{region.parent.name} {region.name}"
    return region.name


class MemberPageForm(_PageForm, MemberForm):
    phone_clear = forms.BooleanField(label=_("Remove the phone number"), required=False)

    def __init__(self, *args, head: bool = False, household_has_head: bool = True, birth_date_shown: bool = True,
                 **kwargs):
        """`birth_date_shown` False (a role that may not reveal the ID number, editing a member):
        no birth date field, neither its value nor a check against the kept ID number (which
        names the right date, or tells a guess from it); the date is taken from the ID number."""
        super().__init__(*args, **kwargs)
        if self.instance.pk and not birth_date_shown:
            del self.fields["birth_date"]
        self._dash_for_empty_choice()
        relation = self.fields["relation"]
        if head or (self.instance.pk and self.instance.is_head):
            relation.initial = choices.Relation.HEAD
            self.initial["relation"] = choices.Relation.HEAD
            relation.disabled = True
            if self.instance.pk:
                relation.help_text = _("To change the head, use “make head” on another member.")
        elif household_has_head:
            relation.choices = [c for c in relation.choices if c[0] != choices.Relation.HEAD]
        if self.instance.pk:
            stored_id = self.instance.id_number
            self.initial["id_number"] = ""
            self.fields["id_number"].required = False
            masked = identity.mask_id(stored_id)
            self.fields["id_number"].widget.attrs["placeholder"] = masked
            self.fields["id_number"].help_text = _("Leave empty to keep %(value)s.") % {"value": masked}
            self._keep_phone(self.instance.phone)
        else:
            del self.fields["phone_clear"]
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.order_fields(["name", "relation", "id_type", "id_number", "sex", "birth_date", "ethnicity",
                           "phone", "phone_clear"])

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number")
        if not value and self.instance.pk:
            return self.instance.id_number
        return value

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            self._phone_or_kept(data, self.instance.phone)
        data.pop("phone_clear", None)
        return data


class VersionForm(forms.Form):
    """The version an edit was based on (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput, **bounds.VERSION.form())


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(
        label=_("caseworker"), queryset=User.objects.none(), required=False,
        empty_label=_("Nobody (end the current assignment)"),
    )
    start = forms.DateField(label=_("from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[bounds.PAST_EVENT])

    def __init__(self, *args, caseworkers, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start", local_today())
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers

    def clean_start(self):
        start: dt.date = self.cleaned_data["start"]
        if start > local_today():
            raise ValidationError(_("The date is in the future."), code="future")
        return start


class MakeHeadForm(forms.Form):
    former_head_relation = forms.ChoiceField(label=_("New relation of the former head"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["former_head_relation"].choices = [
            ("", "—"), *(c for c in choices.Relation.choices if c[0] != choices.Relation.HEAD)
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
