"""Forms: the one place the registry's field rules live. Pages, the API and imports all bind them."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.households import choices, identity
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region


class IdNumberField(forms.CharField):
    """Normalises (full-width, spaces, lower-case x) and checks an ID or disability number."""

    def to_python(self, value):
        return clean_text(value).upper()

    def validate(self, value):
        super().validate(value)
        if value:
            try:
                identity.parse_id_number(value)
            except identity.IdentityError as error:
                raise ValidationError(error.message, code="id_number") from None


class PhoneField(forms.CharField):
    def to_python(self, value):
        text = clean_text(value)
        if not text:
            return ""
        try:
            return identity.normalise_phone(text)
        except identity.IdentityError as error:
            raise ValidationError(error.message, code="phone") from None


class _YesNoUnknownSelect(forms.Select):
    """Shows a stored yes or no as chosen (a plain Select compares "True" with "true" and chose
    nothing, so an edit form sent the field back as unknown); nothing stored shows "—"."""

    def format_value(self, value):
        if value in (True, "true", "True"):
            return ["true"]
        if value in (False, "false", "False"):
            return ["false"]
        return ["unknown"]


class NullBooleanSelect(forms.NullBooleanField):
    widget = _YesNoUnknownSelect(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))])


class HouseholdForm(forms.ModelForm):
    region = forms.ModelChoiceField(
        queryset=Region.objects.filter(level__in=[Level.VILLAGE, Level.GROUP]),
        label=_("village"), to_field_name="code",
    )
    number = forms.CharField(label=_("household number"), max_length=40, required=False,
                             help_text=_("Leave empty to number it automatically."))
    phone = PhoneField(label=_("phone"), required=False, max_length=bounds.PHONE)
    categories = forms.MultipleChoiceField(
        label=_("categories"), choices=choices.Category.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_causes = forms.MultipleChoiceField(
        label=_("other causes of poverty"), choices=choices.PovertyCause.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    risks = forms.MultipleChoiceField(
        label=_("risks"), choices=choices.Risk.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    risk_eliminated_on = forms.DateField(
        label=_("risk eliminated on"), required=False, validators=[bounds.PAST_EVENT],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    farmland_mu = forms.DecimalField(label=_("farmland (mu)"), required=False, max_digits=8, decimal_places=2,
                                     **bounds.FARMLAND_MU.form())
    housing_area = forms.DecimalField(label=_("housing area (m²)"), required=False, max_digits=8, decimal_places=2,
                                      **bounds.HOUSING_AREA_M2.form())
    wage_income = YuanField(label=_("wage income (yuan)"), fen=bounds.INCOME_FEN)
    business_income = YuanField(label=_("business income (yuan)"), fen=bounds.INCOME_FEN)
    property_income = YuanField(label=_("property income (yuan)"), fen=bounds.INCOME_FEN)
    transfer_income = YuanField(label=_("transfer income (yuan)"), fen=bounds.INCOME_FEN)
    business_expense = YuanField(label=_("business expenses (yuan)"), fen=bounds.INCOME_FEN)
    dilapidated = NullBooleanSelect(label=_("dilapidated housing"), required=False)
    safe_water = NullBooleanSelect(label=_("safe drinking water"), required=False)
    electricity = NullBooleanSelect(label=_("household electricity"), required=False)
    sanitary_toilet = NullBooleanSelect(label=_("sanitary toilet"), required=False)

    class Meta:
        model = Household
        fields = [
            "region", "number", "address", "phone", "status", "categories", "monitor_type",
            "identification_standard", "poverty_attribute", "main_cause", "other_causes", "risks",
            "risk_elimination_method", "risk_eliminated_on", "farmland_mu", "road_type", "housing_area",
            "dilapidated", "dilapidation_level", "safe_water", "electricity", "sanitary_toilet", "fuel_type",
            "wage_income", "business_income", "property_income", "transfer_income", "business_expense",
        ]

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions
        if self.instance.pk:
            self.initial.setdefault("phone", self.instance.phone)
            self.initial.setdefault("categories", self.instance.category_values())
            self.initial.setdefault("region", self.instance.region_id)

    def clean_number(self):
        return clean_text(self.cleaned_data.get("number"))

    def clean_other_causes(self):
        causes = self.cleaned_data.get("other_causes") or []
        if len(causes) > 2:
            raise ValidationError(_("At most two other causes."), code="too_many")
        return causes

    def clean_risks(self):
        risks = self.cleaned_data.get("risks") or []
        if len(risks) > 5:
            raise ValidationError(_("At most five risks."), code="too_many")
        return risks

    def clean(self):
        data = super().clean()
        categories = data.get("categories") or []
        if data.get("main_cause") and data.get("main_cause") in (data.get("other_causes") or []):
            self.add_error("other_causes", _("The main cause cannot also be another cause."))
        if choices.Category.MONITORED in categories and not data.get("monitor_type"):
            self.add_error("monitor_type", _("A monitored household needs its monitoring type."))
        if data.get("monitor_type") and choices.Category.MONITORED not in categories:
            self.add_error("categories", _("A household with a monitoring type is in the monitored category."))
        if data.get("dilapidated") and not data.get("dilapidation_level"):
            self.add_error("dilapidation_level", _("Give the grade of the dilapidated housing."))
        if data.get("dilapidation_level") and data.get("dilapidated") is False:
            self.add_error("dilapidation_level", _("Only dilapidated housing has a grade."))
        if data.get("risk_eliminated_on") and data["risk_eliminated_on"] > local_today():
            self.add_error("risk_eliminated_on", _("The date is in the future."))
        if bool(data.get("risk_elimination_method")) != bool(data.get("risk_eliminated_on")):
            field = "risk_eliminated_on" if data.get("risk_elimination_method") else "risk_elimination_method"
            self.add_error(field, _("The way and the date of risk elimination go together."))
        return data


# Typed in yuan, stored in fen.
MONEY_FIELDS = tuple(name for name, field in HouseholdForm.base_fields.items() if isinstance(field, YuanField))


class MemberForm(forms.ModelForm):
    id_number = IdNumberField(label=_("ID number"), max_length=bounds.ID_NUMBER)
    phone = PhoneField(label=_("phone"), required=False, max_length=bounds.PHONE)
    sex = forms.ChoiceField(label=_("sex"), choices=[("", "—"), *choices.Sex.choices], required=False,
                            help_text=_("Taken from the ID number when left empty."))
    birth_date = forms.DateField(label=_("date of birth"), required=False, validators=[bounds.BIRTH],
                                 widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                 help_text=_("Taken from the ID number when left empty."))
    health = forms.MultipleChoiceField(
        label=_("health"), choices=choices.Health.choices, required=False, widget=forms.CheckboxSelectMultiple,
    )
    pension_insured = NullBooleanSelect(label=_("basic pension insurance"), required=False)
    medical_insured = NullBooleanSelect(label=_("basic medical insurance"), required=False)
    critical_illness_insured = NullBooleanSelect(label=_("critical illness insurance"), required=False)
    work_months = forms.IntegerField(label=_("months worked"), required=False, **bounds.MONTHS.form())
    welfare_post_months = forms.IntegerField(label=_("welfare post months"), required=False, **bounds.MONTHS.form())

    class Meta:
        model = Member
        fields = [
            "name", "relation", "id_type", "id_number", "sex", "birth_date", "ethnicity", "phone",
            "education", "school_status", "health", "labor_skill", "work_status", "work_months",
            "work_place", "employer", "political_status", "minimum_living", "extreme_hardship",
            "pension_insured", "medical_insured", "critical_illness_insured", "disability_category",
            "welfare_post_type", "welfare_post_months", "disability_grade",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("id_number", self.instance.id_number)
            self.initial.setdefault("phone", self.instance.phone)

    def clean_name(self):
        name = clean_text(self.cleaned_data.get("name"))
        if not name:
            raise ValidationError(_("This field is required."), code="required")
        return name

    def clean_health(self):
        health = self.cleaned_data.get("health") or []
        if choices.Health.HEALTHY in health and len(health) > 1:
            raise ValidationError(_("Healthy cannot be combined with an illness or a disability."), code="health")
        return health

    def clean(self):
        data = super().clean()
        raw = data.get("id_number")
        if raw and "id_number" not in self.errors:
            parsed = identity.parse_id_number(raw)
            if parsed.is_disability_number and data.get("id_type") != choices.IdType.DISABILITY:
                self.add_error("id_number", _(
                    "A 20 or 22 character number is a disability certificate number; choose that ID type."
                ))
            if data.get("sex") and data["sex"] != parsed.sex:
                self.add_error("sex", _("The sex does not agree with the ID number (its 17th digit)."))
            if data.get("birth_date") and data["birth_date"] != parsed.birth_date:
                self.add_error("birth_date", _("The date of birth does not agree with the ID number (%(date)s).")
                               % {"date": parsed.birth_date.isoformat()})
            data["sex"] = data.get("sex") or parsed.sex
            data["birth_date"] = data.get("birth_date") or parsed.birth_date
        if bool(data.get("education")) == bool(data.get("school_status")):
            self.add_error("education", _("Fill in exactly one of education and school status."))
        return data


def member_set_errors(members: list[dict]) -> dict[str, list[str]]:
    """Checks that need all members of a household together. Keys are `members.N.field`."""
    errors: dict[str, list[str]] = {}
    heads = [i for i, m in enumerate(members) if m.get("relation") == choices.Relation.HEAD]
    spouses = [i for i, m in enumerate(members) if m.get("relation") == choices.Relation.SPOUSE]
    if not heads:
        errors.setdefault("members", []).append(str(_("A household needs exactly one head; none is given.")))
    for i in heads[1:]:
        errors.setdefault(f"members.{i}.relation", []).append(
            str(_("A household has exactly one head; this is a second one."))
        )
    for i in spouses[1:]:
        errors.setdefault(f"members.{i}.relation", []).append(
            str(_("A household has at most one spouse; this is a second one."))
        )
    if heads and spouses:
        head, spouse = members[heads[0]], members[spouses[0]]
        if head.get("sex") and spouse.get("sex") and head["sex"] == spouse["sex"]:
            errors.setdefault(f"members.{spouses[0]}.sex", []).append(
                str(_("The spouse's sex must differ from the head's."))
            )
    seen: dict[str, int] = {}
    for i, member in enumerate(members):
        raw = member.get("id_number")
        if not raw:
            continue
        base = raw[:18]
        if base in seen:
            errors.setdefault(f"members.{i}.id_number", []).append(
                str(_("The same ID number as member %(n)d.") % {"n": seen[base] + 1})
            )
        else:
            seen[base] = i
    return errors
