"""The field rules of leads, steps, drops and settings that the pages, the API and the public form share."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.codes import Level, prefix_q
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.households import choices as household_choices
from bangfu.households.forms import IdNumberField, PhoneField
from bangfu.monitoring.models import Channel, Department, MeasureStatus, Source
from bangfu.regions.models import Region

SOURCE_CHOICES = [("", "—"), (Source.APPLICATION.value, Source.APPLICATION.label),
                  (Source.CADRE.value, Source.CADRE.label)]
STAFF_CHANNELS = [("", "—")] + [(c.value, c.label) for c in Channel if c not in (Channel.QR, Channel.DEPARTMENT)]
YES_NO = [("", "—"), ("yes", _("Yes")), ("no", _("No"))]


class TextField(forms.CharField):
    def to_python(self, value):
        return clean_text(super().to_python(value))


def village_field(queryset=None, **kwargs) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=queryset if queryset is not None else
                                  Region.objects.filter(level=Level.VILLAGE).order_by("code"),
                                  to_field_name="code", label=_("village"), **kwargs)


class LeadForm(forms.Form):
    """A lead recorded by staff: an application taken in person or by phone, or one a cadre found."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    source = forms.ChoiceField(label=_("source"), choices=SOURCE_CHOICES)
    channel = forms.ChoiceField(label=_("channel"), choices=STAFF_CHANNELS)
    village = village_field(required=False)
    name = TextField(label=_("name"), max_length=bounds.NAME, required=False)
    id_number = IdNumberField(label=_("ID number"), max_length=bounds.ID_NUMBER, required=False)
    phone = PhoneField(label=_("phone"), required=False, max_length=bounds.PHONE)
    indicator = TextField(label=_("warning indicator"), max_length=bounds.TITLE,
                          help_text=_("What the difficulty is: a large medical bill, a lost job, a disaster..."))
    value = TextField(label=_("value"), max_length=bounds.TITLE, required=False)
    difficulty = TextField(label=_("difficulty"), max_length=bounds.LONG_TEXT, required=False, widget=forms.Textarea)
    received_on = forms.DateField(label=_("received on"), required=False, validators=[bounds.PAST_EVENT],
                                  widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.region_id:
            self.fields["village"].queryset = Region.objects.filter(
                prefix_q("code", user.region_id), level=Level.VILLAGE).order_by("code")


class PublicApplicationForm(forms.Form):
    """The public form (no login): name, ID number, phone, village, difficulty."""

    name = TextField(label=_("name"), max_length=bounds.NAME)
    id_number = IdNumberField(label=_("ID number"), max_length=bounds.ID_NUMBER)
    phone = PhoneField(label=_("phone"), max_length=bounds.PHONE)
    village = village_field()
    difficulty = TextField(label=_("What difficulty does the household have?"), max_length=bounds.LONG_TEXT,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, township: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = Region.objects.filter(
            prefix_q("code", township.code), level=Level.VILLAGE).order_by("code")


def _names(value: str) -> list[str]:
    for sep in "，,、;；/ \n":
        value = value.replace(sep, "、")
    return [part for part in value.split("、") if part]


class StepForm(forms.Form):
    """Every step's fields; the service says which a step needs (and names the field when missing)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    cadres = TextField(label=_("cadres who visited"), max_length=bounds.ADDRESS, required=False,
                       help_text=_("At least two names, separated by 、"))
    findings = TextField(label=_("what the visit found"), max_length=bounds.LONG_TEXT, required=False,
                         widget=forms.Textarea(attrs={"rows": 3}))
    answers = TextField(label=_("departments' answers"), max_length=bounds.LONG_TEXT, required=False,
                        widget=forms.Textarea(attrs={"rows": 3}))
    meeting_on = forms.DateField(label=_("meeting date"), required=False, validators=[bounds.PAST_EVENT],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    attendance = forms.IntegerField(label=_("attendance"), required=False, min_value=1, max_value=10_000)
    notice_start = forms.DateField(label=_("notice from"), required=False, validators=[bounds.PAST_EVENT],
                                   widget=forms.DateInput(attrs={"type": "date"}))
    notice_end = forms.DateField(label=_("notice to"), required=False, validators=[bounds.PAST_EVENT],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    objections = TextField(label=_("objections"), max_length=bounds.LONG_TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    agreed = forms.ChoiceField(label=_("included?"), choices=YES_NO, required=False)
    monitor_type = forms.ChoiceField(label=_("monitoring type"), required=False,
                                     choices=[("", "—"), *household_choices.MonitorType.choices])
    risks = forms.MultipleChoiceField(label=_("risks"), required=False, choices=household_choices.Risk.choices,
                                      widget=forms.CheckboxSelectMultiple)
    reason = TextField(label=_("reason"), max_length=bounds.NOTE, required=False)
    note = TextField(label=_("note"), max_length=bounds.NOTE, required=False)

    def step_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["cadres"] = _names(data.get("cadres") or "")
        data["agreed"] = {"yes": True, "no": False}.get(data.get("agreed") or "")
        return data


# The fields each step shows (the page draws only these).
STEP_FIELDS = {
    "accept": ("note",),
    "verify": ("cadres", "findings"),
    "compare": ("answers",),
    "deliberate": ("meeting_on", "attendance", "agreed", "note"),
    "publicize": ("notice_start", "notice_end", "objections"),
    "review": ("agreed", "reason"),
    "decide": ("agreed", "monitor_type", "risks", "reason"),
    "exclude": ("reason",),
}


class DropForm(forms.Form):
    department = forms.ChoiceField(label=_("department"), choices=[("", "—"), *Department.choices])
    file = forms.FileField(label=_("file"), help_text=_(
        "An .xlsx, .xls or .csv file with the columns 姓名, 身份证号 and, for medical insurance, 自付金额 (yuan)."))


class SettingsForm(forms.Form):
    accept_days = forms.IntegerField(label=_("accept within (days)"), **bounds.NORMAL_DAYS.form())
    verify_days = forms.IntegerField(label=_("verify within (days)"), **bounds.NORMAL_DAYS.form())
    compare_days = forms.IntegerField(label=_("compare within (days)"), **bounds.NORMAL_DAYS.form())
    total_days = forms.IntegerField(label=_("whole identification within (days)"), **bounds.NORMAL_DAYS.form())
    medical_poor_fen = YuanField(fen=bounds.INCOME_FEN, required=True,
                                 label=_("self-paid medical cost, formerly poor (yuan)"))
    medical_other_fen = YuanField(fen=bounds.INCOME_FEN, required=True, label=_("self-paid medical cost, others (yuan)"))
    line_fen = YuanField(fen=bounds.INCOME_FEN, required=True, label=_("monitoring line per person (yuan a year)"))
    stable_months = forms.IntegerField(label=_("income above the line for (months)"), min_value=1, max_value=36)


# --- the plan per household and risk clearance -----------------------------------------------------

def _plan_type_choices():
    from bangfu.needs.models import MeasureType

    return [("", "—")] + [(t.value, t.label) for t in MeasureType if t not in (MeasureType.SUPPLIES, MeasureType.ERRAND)]


class MeasureForm(forms.Form):
    """A measure of a household's plan; `client_id` made when the form is drawn (a retry stores it once)."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    type = forms.ChoiceField(label=_("measure"), choices=_plan_type_choices)
    content = TextField(label=_("planned measure"), max_length=bounds.ANSWER)
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None, empty_label="—")
    due_on = forms.DateField(label=_("due date"), validators=[bounds.PLANNED],
                             widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, owners=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)
        from bangfu.accounts.models import User

        self.fields["owner"].queryset = owners if owners is not None else User.objects.none()


class MeasureStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=[("", "—"), *MeasureStatus.choices])
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.VERSION.form())


class ClearanceStartForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    method = forms.ChoiceField(label=_("risk elimination method"),
                               choices=[("", "—"), *household_choices.RiskEliminationMethod.choices])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)


class ClearanceStepForm(forms.Form):
    """Every clearance step's fields; the service says which a step needs."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4, required=False)
    cadres = TextField(label=_("cadres who visited"), max_length=bounds.ADDRESS, required=False,
                       help_text=_("At least two names, separated by 、"))
    findings = TextField(label=_("what the visit found"), max_length=bounds.LONG_TEXT, required=False,
                         widget=forms.Textarea(attrs={"rows": 3}))
    stable_since = forms.DateField(label=_("income above the line since"), required=False,
                                   validators=[bounds.PAST_EVENT], widget=forms.DateInput(attrs={"type": "date"}))
    meeting_on = forms.DateField(label=_("meeting date"), required=False, validators=[bounds.PAST_EVENT],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    notice_start = forms.DateField(label=_("notice from"), required=False, validators=[bounds.PAST_EVENT],
                                   widget=forms.DateInput(attrs={"type": "date"}))
    notice_end = forms.DateField(label=_("notice to"), required=False, validators=[bounds.PAST_EVENT],
                                 widget=forms.DateInput(attrs={"type": "date"}))
    objections = TextField(label=_("objections"), max_length=bounds.LONG_TEXT, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    agreed = forms.ChoiceField(label=_("risk cleared?"), choices=YES_NO, required=False)
    reason = TextField(label=_("reason"), max_length=bounds.NOTE, required=False)

    def step_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["cadres"] = _names(data.get("cadres") or "")
        data["agreed"] = {"yes": True, "no": False}.get(data.get("agreed") or "")
        return data


CLEARANCE_STEP_FIELDS = {
    "verify": ("cadres", "findings", "stable_since"),
    "publicize": ("meeting_on", "notice_start", "notice_end", "objections"),
    "review": ("agreed", "reason"),
    "decide": ("agreed", "reason"),
}
