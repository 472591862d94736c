"""The fields of a project, of each step and of a payment: shared by the pages and the API."""

from __future__ import annotations

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.projects.models import HandoverOwner, NoticeOutcome, ProjectType, Source

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
BUDGET_LABELS = {
    Source.CENTRAL: _("central funds (yuan)"), Source.PROVINCE: _("province funds (yuan)"),
    Source.CITY: _("city funds (yuan)"), Source.COUNTY: _("county funds (yuan)"), Source.OTHER: _("other funds (yuan)"),
}
# "indicator：target" or "indicator: target", one a line.
TARGET_LINE = re.compile(r"^\s*(?P<indicator>[^:：=]+?)\s*[:：=]\s*(?P<target>.+?)\s*$")
SEPARATORS = re.compile(r"[\s,，、;；]+")


def _target_lines(text: str) -> list[tuple[str, str]]:
    """(indicator, value) of each line "indicator: value"."""
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = TARGET_LINE.match(line)
        if match is None:
            raise forms.ValidationError(_("Line %(line)s: write “indicator: target”.") % {"line": number})
        indicator, target = match["indicator"], match["target"]
        if max(len(indicator), len(target)) > bounds.TITLE:
            raise forms.ValidationError(_("Line %(line)s: at most %(max)s characters each.") % {
                "line": number, "max": bounds.TITLE})
        rows.append((indicator, target))
    return rows


class ProjectForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=bounds.CLIENT_ID)
    name = forms.CharField(label=_("project name"), max_length=bounds.TITLE)
    type = forms.ChoiceField(label=_("project type"), choices=ProjectType.choices, widget=forms.RadioSelect)
    region = forms.ChoiceField(label=_("applied for by"))
    villages = forms.MultipleChoiceField(label=_("villages served"), widget=forms.CheckboxSelectMultiple)
    description = forms.CharField(label=_("content and scale"), max_length=bounds.LONG_TEXT, required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    budget_central = YuanField(label=BUDGET_LABELS[Source.CENTRAL], fen=bounds.INCOME_FEN)
    budget_province = YuanField(label=BUDGET_LABELS[Source.PROVINCE], fen=bounds.INCOME_FEN)
    budget_city = YuanField(label=BUDGET_LABELS[Source.CITY], fen=bounds.INCOME_FEN)
    budget_county = YuanField(label=BUDGET_LABELS[Source.COUNTY], fen=bounds.INCOME_FEN)
    budget_other = YuanField(label=BUDGET_LABELS[Source.OTHER], fen=bounds.INCOME_FEN)
    households = forms.CharField(label=_("households benefiting (household numbers)"), required=False,
                                 max_length=bounds.LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Household numbers from the registry, separated by spaces or commas."))
    benefit_households = forms.IntegerField(label=_("households benefiting"), required=False, **bounds.PEOPLE.form())
    benefit_persons = forms.IntegerField(label=_("persons benefiting"), required=False, **bounds.PEOPLE.form())
    benefit_note = forms.CharField(label=_("how farmers benefit"), max_length=bounds.ANSWER, required=False)
    meeting_date = forms.DateField(label=_("meeting date"), validators=[bounds.PAST_EVENT], **DATE)
    meeting_attendance = forms.IntegerField(label=_("attendance"), **bounds.PEOPLE.form())
    meeting_decision = forms.CharField(label=_("decision"), max_length=bounds.ANSWER,
                                       widget=forms.Textarea(attrs={"rows": 2}))
    targets = forms.CharField(label=_("performance targets"), required=False, max_length=bounds.LONG_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One a line: indicator: target, e.g. 新建道路长度: 1.2公里"))

    def __init__(self, *args, regions, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = str(uuid.uuid4())
        self.fields["region"].choices = [("", "—")] + [(r.code, r.name) for r in regions]
        self.fields["villages"].choices = [(v.code, v.name) for v in villages]

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_households(self):
        return [n for n in SEPARATORS.split(self.cleaned_data.get("households") or "") if n]

    def clean_targets(self):
        return _target_lines(self.cleaned_data.get("targets") or "")

    def budget(self) -> dict[str, int]:
        return {source: self.cleaned_data.get(f"budget_{source}") or 0 for source in Source.values}


# The fields each step asks for (a hand-over's rows are added by the form).
STEP_FIELDS = {
    "publish": ("notice_start", "notice_days", "place", "note"),
    "review": ("outcome", "objections", "note"),
    "approve": ("note",),
    "issue": ("day", "note"),
    "start": ("contractor", "started_on", "progress", "note"),
    "progress": ("progress", "note"),
    "self_check": ("notice_start", "notice_days", "place", "actuals", "note"),
    "accept": ("outcome", "objections", "note"),
    "spot_check": ("note",),
    "hand_over": ("note",),
}
ITEM_FIELDS = ("name", "value", "owner_level", "owner_name", "keeper")


class StepForm(forms.Form):
    """One step's fields (STEP_FIELDS); a hand-over adds rows of what is handed over, to whom."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.VERSION.form())
    notice_start = forms.DateField(label=_("notice from"), required=False, validators=[bounds.PLANNED], **DATE,
                                   help_text=_("Today if left empty."))
    notice_days = forms.IntegerField(label=_("notice days"), required=False, **bounds.NOTICE_DAYS.form(),
                                     help_text=_("The county's setting if left empty (7 days)."))
    place = forms.CharField(label=_("where it is posted"), required=False, max_length=bounds.TITLE,
                            help_text=_("e.g. 村务公开栏"))
    outcome = forms.ChoiceField(label=_("outcome of the notice"), choices=NoticeOutcome.choices,
                                widget=forms.RadioSelect)
    objections = forms.CharField(label=_("objections raised"), required=False, max_length=bounds.LONG_TEXT,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    day = forms.DateField(label=_("date"), required=False, validators=[bounds.PAST_EVENT], **DATE)
    contractor = forms.CharField(label=_("contractor"), required=False, max_length=bounds.TITLE)
    started_on = forms.DateField(label=_("start date"), required=False, validators=[bounds.PAST_EVENT], **DATE)
    progress = forms.IntegerField(label=_("progress (%)"), required=False, **bounds.PERCENT.form())
    actuals = forms.CharField(label=_("targets reached"), required=False, max_length=bounds.LONG_TEXT,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("One a line: indicator: actual value, e.g. 新建道路长度: 1.25公里"))
    note = forms.CharField(label=_("note"), required=False, max_length=bounds.NOTE)

    def __init__(self, *args, action: str, rows: int = 3, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        keep = {"version", *STEP_FIELDS.get(action, ())}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.rows = 0
        if action == "hand_over":
            data = args[0] if args else kwargs.get("data")
            present = {int(m[1]) for key in (data or {}) if (m := re.match(r"^item_(\d+)_name$", key))}
            self.rows = min(max([rows, *present]), 50)
            for n in range(1, self.rows + 1):
                self.fields[f"item_{n}_name"] = forms.CharField(label=_("what is handed over"), required=False,
                                                                max_length=bounds.TITLE)
                self.fields[f"item_{n}_value"] = YuanField(label=_("value (yuan)"), fen=bounds.INCOME_FEN)
                self.fields[f"item_{n}_owner_level"] = forms.ChoiceField(
                    label=_("owned by"), choices=[("", "—"), *HandoverOwner.choices], required=False)
                self.fields[f"item_{n}_owner_name"] = forms.CharField(label=_("owner"), required=False,
                                                                      max_length=bounds.TITLE)
                self.fields[f"item_{n}_keeper"] = forms.CharField(label=_("kept by"), required=False,
                                                                  max_length=bounds.TITLE)

    def clean_actuals(self):
        return dict(_target_lines(self.cleaned_data.get("actuals") or ""))

    def item_rows(self):
        return [[self[f"item_{n}_{f}"] for f in ITEM_FIELDS] for n in range(1, self.rows + 1)]

    def clean(self):
        cleaned = super().clean()
        if self.action == "hand_over":
            items = []
            for n in range(1, self.rows + 1):
                name = (cleaned.get(f"item_{n}_name") or "").strip()
                if not name:
                    continue
                row = {"name": name, "value_fen": cleaned.get(f"item_{n}_value"),
                       "owner_level": cleaned.get(f"item_{n}_owner_level") or "",
                       "owner_name": (cleaned.get(f"item_{n}_owner_name") or "").strip(),
                       "keeper": (cleaned.get(f"item_{n}_keeper") or "").strip()}
                for key, field in (("value_fen", "value"), ("owner_level", "owner_level"),
                                   ("owner_name", "owner_name"), ("keeper", "keeper")):
                    if row[key] in (None, ""):
                        self.add_error(f"item_{n}_{field}", _("Required for “%(name)s”.") % {"name": name})
                items.append(row)
            cleaned["items"] = items
        return cleaned


class PaymentForm(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=bounds.CLIENT_ID)
    source = forms.ChoiceField(label=_("funding source"), choices=Source.choices, widget=forms.RadioSelect)
    amount = YuanField(label=_("amount (yuan)"), fen=bounds.INCOME_FEN, required=True)
    day = forms.DateField(label=_("date paid"), validators=[bounds.PAST_EVENT], **DATE)
    payee = forms.CharField(label=_("paid to"), max_length=bounds.TITLE)
    note = forms.CharField(label=_("note"), required=False, max_length=bounds.NOTE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = str(uuid.uuid4())


class DeadlinesForm(forms.Form):
    """A county's deadlines for its projects' stages."""

    county = forms.ChoiceField(label=_("county"))
    notice_days = forms.IntegerField(label=_("notice days"), **bounds.NOTICE_DAYS.form())
    stage_days = forms.IntegerField(label=_("days for each stage"), **bounds.SCHEDULE_DAYS.form(),
                                    help_text=_("From the day a stage begins (or its notice ends) to its deadline."))
    start_by_month = forms.TypedChoiceField(label=_("start by: month"), coerce=int,
                                            choices=[("", "—"), *((m, m) for m in range(1, 13))])
    start_by_day = forms.TypedChoiceField(label=_("start by: day"), coerce=int,
                                          choices=[("", "—"), *((d, d) for d in range(1, 32))],
                                          help_text=_("Funds issued to a project not started by this day are withdrawn."))

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.code, c.name) for c in counties]
