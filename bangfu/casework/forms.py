"""The pages' forms: one-screen contact form (with the campaign's own questions), campaign start,
schedules. They turn a request into a service's keyword arguments; the services check the rules."""

from __future__ import annotations

import datetime as dt
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.casework.models import CONDITIONS, Campaign, CampaignKind, Channel, NotReachedReason
from bangfu.core import bounds
from bangfu.core.dates import local_today
from bangfu.households import choices as household_choices
from bangfu.regions.models import Region

CONDITION_LABELS = {
    "supplies_ok": _("Living supplies sufficient"),
    "prevention_ok": _("Prevention measures in place"),
    "medical_access_ok": _("Access to medical care"),
    "living_ok": _("Living conditions good"),
}
REACHED = "reached"
YES_NO = [("true", _("Yes")), ("false", _("No"))]


def yes_no_field(label, *, required: bool = False) -> forms.NullBooleanField:
    """A yes/no question that starts unanswered: two radio buttons, neither ticked, so an untouched
    answer is None, never a silent yes (or no)."""
    return forms.NullBooleanField(label=label, required=required, widget=forms.RadioSelect(choices=YES_NO))


class ContactForm(forms.Form):
    """One attempt to reach a household. The outcome is the button pressed: "reached, save" or one
    of the reasons it was not, so that logging a call is a tap to open and a tap to save."""

    # Made when the form is rendered: a double submit or a retry of this form is stored once.
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    followup = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.ID.form())
    # No channel is preselected: a call saved as a home visit because the follow-up asked for one
    # would cover a visit that never happened.
    channel = forms.ChoiceField(label=_("How"), choices=Channel.choices, widget=forms.RadioSelect,
                                error_messages={"required": _("How was the household contacted? Choose one.")})
    campaign = forms.TypedChoiceField(label=_("Campaign"), required=False, coerce=int, empty_value=None)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=bounds.LONG_TEXT,
                            widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("Write here what you learned")}))
    outcome = forms.ChoiceField(choices=[(REACHED, _("Reached")), *NotReachedReason.choices], required=False)
    at = forms.DateTimeField(label=_("When"), required=False, validators=[bounds.PAST_EVENT],
                             widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                             help_text=_("Leave as it is for a contact just now."))

    def __init__(self, data=None, *, campaigns: list[Campaign], campaign: Campaign | None = None,
                 followup_id: int | None = None):
        initial = {"client_id": uuid.uuid4(), "followup": followup_id, "campaign": campaign.pk if campaign else None}
        super().__init__(data, initial=initial)
        self.campaigns = {c.pk: c for c in campaigns}
        self.fields["campaign"].choices = [("", _("None")), *((c.pk, c.name) for c in campaigns)]
        if not campaigns:
            self.fields["campaign"].widget = forms.HiddenInput()
        for name in CONDITIONS:
            # Required when the household was reached (see clean): checked there, not here, because
            # "not reached" buttons submit the same form with the conditions left unanswered.
            self.fields[name] = yes_no_field(CONDITION_LABELS[name])
            self.fields[f"{name}_note"] = forms.CharField(
                label=_("What is wrong"), required=False, max_length=bounds.ANSWER,
                widget=forms.TextInput(attrs={"placeholder": _("If not: what is wrong")}))
        # The campaign's own questions (of the chosen one, or the only running one).
        self.questions = []
        chosen = self._chosen_campaign(data) or campaign
        for question in (chosen.questions if chosen else []):
            name = f"answer_{question['key']}"
            kind = question["kind"]
            if kind == "yesno":
                field = yes_no_field(question["label"])
            elif kind == "choice":
                field = forms.ChoiceField(label=question["label"], required=False, widget=forms.RadioSelect,
                                          choices=[(c, c) for c in question["choices"]])
            elif kind == "number":
                field = forms.DecimalField(label=question["label"], required=False, **bounds.ANSWER_NUMBER.form())
            else:
                field = forms.CharField(label=question["label"], required=False, max_length=bounds.ANSWER)
            self.fields[name] = field
            self.questions.append((question["key"], name))

    def _chosen_campaign(self, data) -> Campaign | None:
        if not data:
            return None
        try:
            return self.campaigns.get(int(data.get("campaign") or 0))
        except (TypeError, ValueError):
            return None

    @property
    def question_fields(self):
        return [self[name] for _key, name in self.questions]

    @property
    def condition_fields(self):
        return [(self[name], self[f"{name}_note"]) for name in CONDITIONS]

    def clean_campaign(self):
        value = self.cleaned_data.get("campaign")
        if value is not None and value not in self.campaigns:
            raise forms.ValidationError(_("Choose one of the running campaigns."))
        return value

    def clean_outcome(self):
        return self.cleaned_data.get("outcome") or REACHED

    def clean(self):
        data = super().clean()
        if (data.get("outcome") or REACHED) != REACHED:
            return data
        chosen = self.campaigns.get(data.get("campaign")) if data.get("campaign") else None
        answered = [name for name in CONDITIONS if data.get(name) is not None]
        # A campaign that does not ask the four conditions may leave them all unanswered (then no
        # assessment is stored); otherwise each one is answered, yes or no, by the caseworker.
        if chosen is not None and not chosen.assess and not answered:
            return data
        for name in CONDITIONS:
            if data.get(name) is None and name not in self.errors:
                self.add_error(name, _("%(condition)s: answer yes or no.") % {"condition": CONDITION_LABELS[name]})
        return data

    def clean_at(self):
        value = self.cleaned_data.get("at")
        if value is not None and value > timezone.now() + dt.timedelta(minutes=10):
            raise forms.ValidationError(_("A contact cannot be in the future."))
        return value

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        reached = data["outcome"] == REACHED
        assessment = None
        if reached and any(data.get(name) is not None for name in CONDITIONS):
            assessment = {}
            for name in CONDITIONS:
                assessment[name] = data.get(name)
                assessment[f"{name}_note"] = data.get(f"{name}_note") or ""
        answers = {}
        for key, name in self.questions:
            value = data.get(name)
            if value not in (None, ""):
                answers[key] = float(value) if isinstance(value, (int, float)) or hasattr(value, "as_tuple") else value
        return {
            "client_id": data["client_id"], "channel": data["channel"], "reached": reached,
            "not_reached_reason": "" if reached else data["outcome"], "notes": data.get("notes") or "",
            "campaign": self.campaigns.get(data["campaign"]) if data.get("campaign") else None,
            "assessment": assessment, "answers": answers, "at": data.get("at"),
        }


QUESTION_ROWS = 3


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=bounds.TITLE,
                           widget=forms.TextInput(attrs={"placeholder": _("e.g. 电话随访暖心")}))
    region_codes = forms.MultipleChoiceField(label=_("Areas"), widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(
        label=_("Only these categories"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=household_choices.Category.choices, help_text=_("None ticked: every household in the areas."))
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE,
                                widget=forms.RadioSelect)
    kind = forms.ChoiceField(label=_("Campaign kind"), choices=CampaignKind.choices, widget=forms.RadioSelect,
                             required=False,
                             help_text=_("A periodic risk check (排查) records what it finds as monitoring leads."))
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[bounds.PLANNED])
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          validators=[bounds.PLANNED])
    assess = forms.BooleanField(label=_("Ask the four conditions"), required=False, initial=True)

    def __init__(self, data=None, *, areas: list[Region]):
        today = local_today()
        super().__init__(data, initial={"start": today, "end": today + dt.timedelta(days=6),
                                        "region_codes": [areas[0].code] if len(areas) == 1 else []})
        self.fields["region_codes"].choices = [(r.code, r.name) for r in areas]
        for n in range(1, QUESTION_ROWS + 1):
            self.fields[f"q{n}_label"] = forms.CharField(label=_("Question %(n)d") % {"n": n}, required=False,
                                                         max_length=bounds.QUESTION)
            self.fields[f"q{n}_kind"] = forms.ChoiceField(label=_("Answer"), required=False, choices=[
                ("yesno", _("Yes / no")), ("choice", _("Choice")), ("number", _("Number")), ("text", _("Text"))])
            self.fields[f"q{n}_choices"] = forms.CharField(
                label=_("Answers to choose from"), required=False, max_length=bounds.QUESTION_CHOICES,
                help_text=_("For a choice: separated by commas or 、"))

    @property
    def main_fields(self):
        return [self[name] for name in ("name", "kind", "region_codes", "categories", "channel", "start", "end",
                                            "assess")]

    @property
    def question_rows(self):
        return [(self[f"q{n}_label"], self[f"q{n}_kind"], self[f"q{n}_choices"]) for n in range(1, QUESTION_ROWS + 1)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        questions = []
        for n in range(1, QUESTION_ROWS + 1):
            raw = (data.get(f"q{n}_choices") or "").replace("，", ",").replace("、", ",")
            questions.append({"label": data.get(f"q{n}_label") or "", "kind": data.get(f"q{n}_kind") or "yesno",
                              "choices": [c for c in raw.split(",") if c.strip()]})
        return {
            "name": data["name"], "region_codes": data["region_codes"], "categories": data.get("categories") or [],
            "channel": data["channel"], "start": data["start"], "end": data["end"], "assess": data.get("assess", False),
            "questions": questions, "kind": data.get("kind") or CampaignKind.FOLLOW_UP,
        }


class ExtendForm(forms.Form):
    end = forms.DateField(label=_("New end"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          validators=[bounds.PLANNED])


class ScheduleForm(forms.Form):
    """One row per category: every so many days (empty: no regular contact), and how."""

    def __init__(self, data=None, *, current: dict[str, tuple[int, str]]):
        super().__init__(data)
        self.rows = []
        for value, label in household_choices.Category.choices:
            interval, channel = current.get(value, (0, Channel.PHONE))
            self.fields[f"{value}_days"] = forms.IntegerField(
                label=label, required=False, **bounds.SCHEDULE_DAYS.form(), initial=interval or None,
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
            self.fields[f"{value}_channel"] = forms.ChoiceField(label=_("How"), choices=Channel.choices,
                                                                initial=channel)
            self.rows.append((value, label, self[f"{value}_days"], self[f"{value}_channel"]))

    def changes(self, current: dict[str, tuple[int, str]]) -> list[tuple[str, int | None, str]]:
        result = []
        for value, _label in household_choices.Category.choices:
            days = self.cleaned_data.get(f"{value}_days")
            channel = self.cleaned_data.get(f"{value}_channel")
            if (days or 0, channel) != (current.get(value, (0, Channel.PHONE))[0], current.get(value, (0, ""))[1]):
                result.append((value, days, channel))
        return result
