"""Forms of the needs' pages and API: record a need, the transitions' inputs, the board's filters,
a township's deadlines."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.needs.models import Category, MeasureType, Status, Urgency
from bangfu.needs.queries import NeedFilter


class NeedForm(forms.Form):
    """A need as the caseworker records it. `client_id` is made when the form is rendered, so a
    submission sent twice (a double tap, a retry on a weak signal) records one need."""

    category = forms.ChoiceField(label=pgettext_lazy("need", "category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("urgency"), choices=Urgency.choices, initial=Urgency.NORMAL,
                                widget=forms.RadioSelect)
    description = forms.CharField(
        label=_("description"), max_length=bounds.LONG_TEXT,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("What does the household need? Who, what, since when.")}),
    )
    client_id = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, data=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(data, **kwargs)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("note"), required=False, max_length=bounds.NOTE,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))


class AssignForm(forms.Form):
    # No measure is chosen for the office: a default would be saved unread.
    measure_type = forms.ChoiceField(label=_("measure"), choices=[("", "---------"), *MeasureType.choices],
                                     error_messages={"required": _("Choose a measure.")})
    plan = forms.CharField(label=_("planned measure"), max_length=bounds.ANSWER,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Say what will be done.")})
    owner = forms.ModelChoiceField(label=_("owner"), queryset=None,
                                   error_messages={"required": _("Choose who carries it out.")})
    due_on = forms.DateField(label=_("due date"), widget=forms.DateInput(attrs={"type": "date"}),
                             validators=[bounds.PLANNED], error_messages={"required": _("Give a due date.")})

    def __init__(self, data=None, *, owners, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda u: f"{u} · {u.get_role_display()}"


class ResolveForm(forms.Form):
    result = forms.CharField(label=_("what was done"), max_length=bounds.LONG_TEXT,
                             widget=forms.Textarea(attrs={"rows": 3}))
    cost = YuanField(label=_("cost (yuan)"), fen=bounds.COST_FEN,
                     widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("why is the need not met?"), max_length=bounds.NOTE,
                             widget=forms.Textarea(attrs={"rows": 2}))


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False,
                               choices=[("open", pgettext_lazy("need", "Open")), ("all", _("All statuses")), *Status.choices])
    category = forms.ChoiceField(label=pgettext_lazy("need", "category"), required=False,
                                 choices=[("", _("All categories")), *Category.choices])
    village = forms.ChoiceField(label=_("village"), required=False)
    urgency = forms.ChoiceField(label=_("urgency"), required=False,
                                choices=[("", _("Any urgency")), *Urgency.choices])
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data, *, villages):
        if "status" not in data:
            data = data.copy()
            data["status"] = "open"
        super().__init__(data)
        self.fields["village"].choices = [("", _("All villages")), *((v.code, v.name) for v in villages)]

    def need_filter(self) -> NeedFilter:
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or "open"
        return NeedFilter(status="" if status == "all" else status, category=data.get("category") or "",
                          village=data.get("village") or "", urgency=data.get("urgency") or "",
                          overdue=bool(data.get("overdue")))


class DeadlineSettingsForm(forms.Form):
    urgent_hours = forms.IntegerField(label=_("Urgent need: hours"), **bounds.URGENT_HOURS.form())
    normal_days = forms.IntegerField(label=_("Normal need: days"), **bounds.NORMAL_DAYS.form(),
                                     help_text=_("Counted in Beijing calendar days: due by 24:00 of the last day."))
