"""The field rules of the work app, shared by its pages, the API, the contact part and imports."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.dates import local_today
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.work.areas import place_code_problem
from bangfu.work.models import WITH_PLACE, WITH_REASON, Activity, Area, DriveTargetRule, Outcome, Transport

BLANK = [("", "---------")]
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
# The months a status may be recorded for: from 2000 to next month (a status said at a month's end).
FIRST_MONTH = dt.date(2000, 1, 1)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


class MonthField(forms.CharField):
    """A month typed as YYYY-MM, cleaned to its first day."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 7)
        kwargs.setdefault("widget", forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value.strftime("%Y-%m") if isinstance(value, dt.date) else value

    def clean(self, value):
        if isinstance(value, dt.date):
            value = value.strftime("%Y-%m")
        text = super().clean(value)
        if not text:
            return None
        text = text.strip()
        try:
            if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit():
                month = dt.date(int(text[:4]), int(text[5:]), 1)  # the usual case, without strptime's cost
            else:
                month = dt.datetime.strptime(text, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM.")) from None
        if month < FIRST_MONTH or month > next_month(local_today()):
            raise forms.ValidationError(_("Enter a month from 2000-01 to next month."))
        return month


def _text(value) -> str:
    return clean_text(value or "").strip()


class StatusForm(forms.Form):
    """One labourer's status for a month: what they do, where (a division code, from which the
    地域 is derived), for whom, the wage, since when; or why not at work."""

    month = MonthField(label=_("month"))
    activity = forms.ChoiceField(label=_("status"), choices=BLANK + list(Activity.choices))
    reason = forms.CharField(label=_("why"), max_length=bounds.ADDRESS, required=False,
                             help_text=_("Why not at work, or why they cannot go out."))
    place_code = forms.CharField(label=_("place code"), max_length=bounds.CODE, required=False,
                                 help_text=_("The division code of the place of work: 44 广东省, 440300 深圳市."))
    place_name = forms.CharField(label=_("place"), max_length=bounds.TITLE, required=False)
    employer = forms.CharField(label=_("employer"), max_length=bounds.TITLE, required=False)
    job = forms.CharField(label=_("job"), max_length=bounds.TITLE, required=False)
    wage = YuanField(label=_("monthly wage (yuan)"), fen=bounds.COST_FEN)
    started_on = forms.DateField(label=_("started on"), required=False, validators=[bounds.PAST_EVENT],
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        activity = data.get("activity")
        for key in ("reason", "place_code", "place_name", "employer", "job"):
            if key in data:
                data[key] = _text(data[key])
        if not activity:
            return data
        code = data.get("place_code", "")
        if activity in WITH_PLACE:
            if activity == Activity.MIGRANT and not code:
                self.add_error("place_code", _("Say where they work, as a division code."))
            elif code and (problem := place_code_problem(code)):
                self.add_error("place_code", problem)
        else:
            data["place_code"] = data["place_name"] = ""
            data["employer"] = data["job"] = ""
            data["wage"] = None
            data["started_on"] = data.get("started_on") if activity == Activity.WELFARE_POST else None
        if activity in WITH_REASON and not data.get("reason"):
            self.add_error("reason", _("Say why."))
        return data


class StatusImportForm(StatusForm):
    """An imported row: the labourer named by their ID number (the rest as StatusForm)."""

    id_number = forms.CharField(label=_("ID number"), max_length=bounds.ID_NUMBER)


class DriveForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=bounds.TITLE)
    township = forms.CharField(label=_("township"), max_length=bounds.CODE, required=False, widget=forms.HiddenInput)
    start = forms.DateField(label=_("start"), validators=[bounds.PLANNED], widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("end"), validators=[bounds.PLANNED], widget=forms.DateInput(attrs={"type": "date"}))
    rule = forms.ChoiceField(label=_("who it targets"), choices=BLANK + list(DriveTargetRule.choices))

    def clean(self):
        data = super().clean()
        data["title"] = _text(data.get("title"))
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot be before the start."))
        return data


class OutcomeForm(forms.Form):
    """What became of a labourer a drive targets."""

    outcome = forms.ChoiceField(label=_("back-to-work outcome"), choices=BLANK + list(Outcome.choices))
    returned_on = forms.DateField(label=_("back at work on"), required=False, validators=[bounds.PAST_EVENT],
                                  widget=forms.DateInput(attrs={"type": "date"}))
    place_code = forms.CharField(label=_("place code"), max_length=bounds.CODE, required=False)
    place_name = forms.CharField(label=_("place"), max_length=bounds.TITLE, required=False)
    reason = forms.CharField(label=_("why"), max_length=bounds.ADDRESS, required=False)
    transport = forms.ChoiceField(label=_("transport arranged"), required=False,
                                  choices=BLANK + list(Transport.choices))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.VERSION.form())

    def clean(self):
        data = super().clean()
        for key in ("place_code", "place_name", "reason"):
            data[key] = _text(data.get(key))
        outcome = data.get("outcome")
        code, reason = data["place_code"], data["reason"]
        if outcome in (Outcome.RETURNED, Outcome.NEARBY):
            if not data.get("returned_on"):
                self.add_error("returned_on", _("Say on which day they were back at work."))
            if outcome == Outcome.RETURNED and not code:
                self.add_error("place_code", _("Say where they work, as a division code."))
            elif code and (problem := place_code_problem(code)):
                self.add_error("place_code", problem)
        else:
            data["returned_on"] = None
            data["place_code"] = data["place_name"] = ""
        if outcome in (Outcome.NOT_YET, Outcome.NOT_GOING) and not reason:
            self.add_error("reason", _("Say why."))
        return data


class RatesForm(forms.Form):
    """A county's yearly employment subsidy by 地域, in yuan."""

    outside_province = YuanField(label=Area.OUTSIDE_PROVINCE.label, fen=bounds.COST_FEN, required=True)
    outside_city = YuanField(label=Area.OUTSIDE_CITY.label, fen=bounds.COST_FEN, required=True)
    outside_county = YuanField(label=Area.OUTSIDE_COUNTY.label, fen=bounds.COST_FEN, required=True)


class SubsidyListForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class AccountForm(forms.Form):
    """The bank card (一卡通) a labourer's subsidy is paid to."""

    account = forms.RegexField(label=_("bank card number"), max_length=30, regex=r"^[0-9]{12,30}$",
                               error_messages={"invalid": _("Enter the card number: 12 to 30 digits.")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.VERSION.form())


class StatusPageForm(StatusForm):
    """The status form on a phone: its client id makes a resent form one record."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)


class OutcomePageForm(OutcomeForm):
    client_id = forms.UUIDField(widget=forms.HiddenInput, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Sheet of monthly statuses"),
                           help_text=_("An .xlsx or .csv file with the columns 证件号码, 月份, 就业状态, 原因, "
                                       "务工地点代码, 务工地点, 单位, 岗位, 月工资, 务工时间."))
    dry_run = forms.BooleanField(label=_("Only check the file, record nothing"), required=False)
