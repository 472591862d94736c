"""The fields of a policy, a receipt and a payment sheet, shared by the pages and the API. A
policy's conditions are typed as plain fields here and stored as the rules' data (rules.KINDS)."""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.households import choices
from bangfu.policies.models import Per, Period

# Money of one payment: up to a million yuan.
AMOUNT = bounds.Range(1, bounds.COST_FEN.max)


class PolicyForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=bounds.TITLE)
    department = forms.CharField(label=_("paying department"), max_length=bounds.TITLE, required=False)
    amount = YuanField(label=_("amount (yuan)"), fen=AMOUNT, required=True)
    period = forms.ChoiceField(label=_("period"), choices=Period.choices, widget=forms.RadioSelect)
    per = forms.ChoiceField(label=_("paid"), choices=Per.choices, widget=forms.RadioSelect)
    categories = forms.MultipleChoiceField(
        label=_("households of these categories (none ticked: any household)"), required=False,
        choices=choices.Category.choices, widget=forms.CheckboxSelectMultiple)
    dilapidated = forms.BooleanField(label=_("the house is dilapidated"), required=False)
    business_income = forms.BooleanField(label=_("the household has business income"), required=False)
    age_min = forms.IntegerField(label=_("a member aged at least"), required=False, **bounds.AGE_YEARS.form())
    age_max = forms.IntegerField(label=_("a member aged at most"), required=False, **bounds.AGE_YEARS.form())
    disabled = forms.BooleanField(label=_("a disabled member"), required=False)
    disability_grades = forms.MultipleChoiceField(
        label=_("a disabled member of this grade"), required=False, choices=choices.DisabilityGrade.choices,
        widget=forms.CheckboxSelectMultiple)
    health = forms.MultipleChoiceField(label=_("a member in this health"), required=False,
                                       choices=choices.Health.choices, widget=forms.CheckboxSelectMultiple)
    school = forms.MultipleChoiceField(label=_("a member at this stage of school"), required=False,
                                       choices=choices.SchoolStatus.choices, widget=forms.CheckboxSelectMultiple)
    welfare_post = forms.BooleanField(label=_("a member on a public welfare post"), required=False)
    labor = forms.MultipleChoiceField(label=_("a member with this labour ability"), required=False,
                                      choices=choices.LaborSkill.choices, widget=forms.CheckboxSelectMultiple)
    active = forms.BooleanField(label=_("in force"), required=False)

    def clean(self):
        data = super().clean()
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and low > high:
            self.add_error("age_max", _("Not below the lowest age."))
        return data

    def policy_data(self) -> dict:
        """The cleaned fields as a policy stores them."""
        d = self.cleaned_data
        conditions: list[dict] = []
        for flag in ("dilapidated", "business_income", "disabled", "welfare_post"):
            if d.get(flag):
                conditions.append({"kind": flag})
        if d.get("age_min") is not None or d.get("age_max") is not None:
            conditions.append({"kind": "age_between", "min": d.get("age_min"), "max": d.get("age_max")})
        for field, kind in (("health", "health_any"), ("school", "in_school"), ("labor", "labor_any"),
                            ("disability_grades", "disability_grade")):
            if d.get(field):
                conditions.append({"kind": kind, "values": list(d[field])})
        return {"name": d["name"], "department": d.get("department", ""), "amount": d["amount"],
                "period": d["period"], "per": d["per"], "categories": list(d.get("categories") or []),
                "conditions": conditions, "active": bool(d.get("active"))}

    @staticmethod
    def initial_of(policy) -> dict:
        initial = {f: getattr(policy, f) for f in ("name", "department", "amount", "period", "per", "active")}
        initial["categories"] = list(policy.categories)
        for condition in policy.conditions:
            kind = condition["kind"]
            if kind in ("dilapidated", "business_income", "disabled", "welfare_post"):
                initial[kind] = True
            elif kind == "age_between":
                initial["age_min"], initial["age_max"] = condition.get("min"), condition.get("max")
            else:
                field = {"health_any": "health", "in_school": "school", "labor_any": "labor",
                         "disability_grade": "disability_grades"}[kind]
                initial[field] = list(condition.get("values", []))
        return initial


class NewPolicyForm(PolicyForm):
    key = forms.SlugField(label=_("code"), max_length=40,
                          help_text=_("Letters, digits and _ only; it names the policy in payment sheets and the API."))

    field_order = ["key"]


class ReceiptForm(forms.Form):
    """A receipt written down by hand. `client_id` is made when the form is shown, so a form sent
    twice (a lost answer on a phone, a double tap) stores one receipt."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    policy = forms.ChoiceField(label=_("policy"), choices=())
    member = forms.ChoiceField(label=pgettext_lazy("policy receipt", "received by"), choices=(), required=False)
    period = forms.CharField(label=_("period"), max_length=7,
                             help_text=_("2026-03 for a monthly payment, 2026 for a yearly one, once for a one-off."))
    amount = YuanField(label=_("amount (yuan)"), fen=AMOUNT, required=True)
    paid_on = forms.DateField(label=_("paid on"), validators=[bounds.PAST_EVENT],
                              widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, *, policies=(), members=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(data, **kwargs)
        self.fields["policy"].choices = [("", "---------"), *[(p.key, p.name) for p in policies]]
        self.fields["member"].choices = [("", _("the household")), *[(str(m.pk), m.name) for m in members]]


class ImportForm(forms.Form):
    policy = forms.ChoiceField(label=_("policy"), choices=())
    period = forms.CharField(label=_("period"), max_length=7,
                             help_text=_("2026-03 for a monthly payment, 2026 for a yearly one, once for a one-off."))
    file = forms.FileField(label=_("payment sheet (.xlsx, .xls or .csv)"),
                           help_text=_("Columns 身份证号 and 金额 (yuan); 姓名 and 发放日期 are read when present."))

    def __init__(self, data=None, files=None, *, policies=(), **kwargs):
        super().__init__(data, files, **kwargs)
        self.fields["policy"].choices = [("", "---------"), *[(p.key, p.name) for p in policies]]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


class GapFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("gap"), required=False, choices=[
        ("", _("Both")), ("missing", _("Entitled, nothing received")), ("unexpected", _("Received, not entitled"))])
    village = forms.ChoiceField(label=_("village"), required=False, choices=())

    def __init__(self, data=None, *, villages=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["village"].choices = [("", _("All")), *[(v.code, v.name) for v in villages]]
