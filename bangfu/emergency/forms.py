"""Page forms of emergencies: opening one with its protocol, extending it, the daily check (built
from the people of the household), registering a returnee."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.emergency.models import CheckItem, EmergencyKind, Screening, TransportMode
from bangfu.households import choices as household_choices

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EmergencyForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=bounds.TITLE, help_text=_("e.g. 新冠肺炎疫情防控, 7月汛期"))
    kind = forms.ChoiceField(label=_("kind"), choices=EmergencyKind.choices, widget=forms.RadioSelect,
                             initial=EmergencyKind.EPIDEMIC)
    region = forms.ChoiceField(label=_("region"))
    start = forms.DateField(label=_("start"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                            validators=[bounds.PLANNED])
    end = forms.DateField(label=_("end"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          validators=[bounds.PLANNED],
                          help_text=_("Leave empty: open until closed."))
    check_items = forms.MultipleChoiceField(label=_("daily checks"), choices=CheckItem.choices,
                                            widget=forms.CheckboxSelectMultiple,
                                            initial=[c.value for c in CheckItem])
    fever_threshold = forms.DecimalField(label=_("fever threshold (°C)"), initial=Decimal("37.3"),
                                         max_digits=3, decimal_places=1, **bounds.FEVER_THRESHOLD_C.form())
    quarantine_days = forms.IntegerField(label=_("quarantine days"), initial=14, **bounds.EMERGENCY_DAYS.form())
    supplies_days = forms.IntegerField(label=_("supplies enough for (days)"), initial=7, **bounds.EMERGENCY_DAYS.form())

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.code, r.name) for r in regions]


class ExtendForm(forms.Form):
    end = forms.DateField(label=_("new end"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          validators=[bounds.PLANNED],
                          help_text=_("Leave empty: open until closed."))


class CheckForm(forms.Form):
    """One temperature field per person (t_m12, t_r3), then the yes/no items the protocol asks."""

    client_id = forms.CharField(widget=forms.HiddenInput, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, emergency, people, check=None, **kwargs):
        """`check`: a check already done, whose answers and readings the form opens with (to correct)."""
        if check is not None and check.status == "done":
            kwargs.setdefault("initial", {}).update(self.earlier_answers(check))
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["client_id"].initial = str(uuid.uuid4())
        if emergency.asks(CheckItem.TEMPERATURE):
            for key, name, person in people:
                label = name if key.startswith("m") else _("%(name)s (returnee in quarantine)") % {"name": name}
                self.fields[f"t_{key}"] = forms.DecimalField(
                    label=label, required=False, **bounds.TEMPERATURE_C.form(),
                    max_digits=3, decimal_places=1,
                    widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
                    # A grey "36.5" in the box reads as a reading already taken: the hint says
                    # it is an example, under the box, not inside it.
                    help_text=_("e.g. 36.5"))
        labels = {
            CheckItem.DISINFECTION: _("Disinfection done today?"),
            CheckItem.SYMPTOMS: _("Anyone with cough, sore throat or shortness of breath?"),
            CheckItem.SUPPLIES: _("Supplies enough for the next %(n)s days?") % {"n": emergency.supplies_days},
            CheckItem.HELP: _("Does the household need help?"),
        }
        for item, label in labels.items():
            if emergency.asks(item):
                self.fields[item.value] = forms.ChoiceField(
                    label=label, choices=YES_NO, widget=forms.RadioSelect,
                    error_messages={"required": _("%(question)s Answer yes or no.") % {"question": label}})
        self.fields["note"] = forms.CharField(label=_("note"), max_length=bounds.NOTE, required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def earlier_answers(check) -> dict:
        def answer(value):
            return None if value is None else ("yes" if value else "no")

        initial = {f"t_m{r.member_id}" if r.member_id else f"t_r{r.returnee_id}": r.temperature
                   for r in check.readings.all()}
        initial.update({
            CheckItem.DISINFECTION.value: answer(check.disinfection), CheckItem.SYMPTOMS.value: answer(check.symptoms),
            CheckItem.SUPPLIES.value: answer(check.supplies_enough), CheckItem.HELP.value: answer(check.help_needed),
            "note": check.note,
        })
        return {name: value for name, value in initial.items() if value not in (None, "")}

    # What "all normal" fills in, on an explicit tap (nothing is preselected): a normal temperature
    # for each person, and the answer that needs nothing for each question.
    NORMAL_TEMPERATURE = "36.5"
    NORMAL_ANSWERS = {CheckItem.DISINFECTION.value: "yes", CheckItem.SYMPTOMS.value: "no",
                      CheckItem.SUPPLIES.value: "yes", CheckItem.HELP.value: "no"}

    def all_normal(self) -> str:
        """The fields and values the "all normal" button fills, as JSON for its data attribute."""
        values = {name: self.NORMAL_TEMPERATURE for name in self.fields if name.startswith("t_")}
        values.update({name: value for name, value in self.NORMAL_ANSWERS.items() if name in self.fields})
        return json.dumps(values)

    def temperature_fields(self):
        return [self[name] for name in self.fields if name.startswith("t_")]

    def other_fields(self):
        return [self[name] for name in self.fields if not name.startswith("t_") and name != "client_id"]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data

        def yes(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        return {
            "client_id": data["client_id"],
            "temperatures": {name[2:]: value for name, value in data.items()
                             if name.startswith("t_") and value is not None},
            "disinfection": yes("disinfection"), "symptoms": yes("symptoms"),
            "supplies_enough": yes("supplies"), "help_needed": yes("help"), "note": data.get("note", ""),
        }


class ReturneeForm(forms.Form):
    """The household they join is an existing one (its number) or, for those who may register
    households, a new one in a village of the area with the returnee as its head."""

    EXISTING, NEW = "existing", "new"

    household_kind = forms.ChoiceField(
        label=_("the household they join"), widget=forms.RadioSelect, initial=EXISTING,
        choices=[(EXISTING, _("An existing household")), (NEW, _("A new household, the returnee as its head"))])
    household = forms.CharField(label=_("household"), max_length=40, required=False,
                                help_text=_("The household they live in now: its number, the name of someone "
                                            "in it, or an ID number (in full or its last 4-6 characters)."))
    # Chosen among the households that match what was typed, when more than one does.
    household_pick = forms.IntegerField(required=False, widget=forms.HiddenInput, **bounds.ID.form())
    village = forms.ChoiceField(label=_("village of the new household"), required=False)
    address = forms.CharField(label=_("address of the new household"), max_length=bounds.ADDRESS, required=False)
    education = forms.ChoiceField(label=_("education"), required=False,
                                  choices=[("", "—"), *household_choices.Education.choices],
                                  help_text=_("For the new household's register: education, or school "
                                              "status for a pupil."))
    school_status = forms.ChoiceField(label=_("school status"), required=False,
                                      choices=[("", "—"), *household_choices.SchoolStatus.choices])
    name = forms.CharField(label=_("name"), max_length=bounds.NAME)
    id_number = forms.CharField(label=_("ID number"), max_length=bounds.ID_NUMBER)
    phone = forms.CharField(label=_("phone"), max_length=bounds.PHONE, required=False)
    origin = forms.CharField(label=_("from where"), max_length=bounds.TITLE, help_text=_("e.g. 湖北省武汉市"))
    arrival = forms.DateField(label=_("arrival date"),
                              widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                              validators=[bounds.PAST_EVENT])
    transport = forms.ChoiceField(label=_("transport"), choices=TransportMode.choices)
    screening = forms.ChoiceField(label=_("screening result"), choices=Screening.choices, initial=Screening.PENDING)
    # Yes/no answers start unanswered: an untouched one is an error, not a silent yes or no.
    quarantine = forms.ChoiceField(label=_("home quarantine"), choices=YES_NO, widget=forms.RadioSelect,
                                   error_messages={"required": _("Home quarantine: answer yes or no.")})
    home_supplies_ensured = forms.ChoiceField(
        label=_("home supplies ensured"), choices=YES_NO, widget=forms.RadioSelect,
        error_messages={"required": _("Home supplies ensured: answer yes or no.")})
    help_needed = forms.ChoiceField(label=_("help needed"), choices=YES_NO, widget=forms.RadioSelect,
                                    error_messages={"required": _("Help needed: answer yes or no.")})
    help_note = forms.CharField(label=_("what help"), max_length=bounds.ADDRESS, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, max_length=bounds.CLIENT_ID, required=False)

    NEW_HOUSEHOLD_FIELDS = ("village", "address", "education", "school_status")

    def __init__(self, *args, villages=None, **kwargs):
        """`villages`: where the user may register a new household; None when they may not."""
        super().__init__(*args, **kwargs)
        self.fields["client_id"].initial = str(uuid.uuid4())
        if villages is None:
            for name in ("household_kind", *self.NEW_HOUSEHOLD_FIELDS):
                del self.fields[name]
            self.fields["household"].required = True
            self.fields["household"].help_text = _("The household they live in now: its number, the name of "
                                                   "someone in it, or an ID number. For a new household, ask "
                                                   "the village or township office to register it.")
        else:
            self.fields["village"].choices = [("", "—"), *((r.code, r.name) for r in villages)]

    @property
    def may_add_household(self) -> bool:
        return "household_kind" in self.fields

    def household_fields(self):
        return [self[name] for name in ("household_kind", "household") if name in self.fields]

    def new_household_fields(self):
        return [self[name] for name in self.NEW_HOUSEHOLD_FIELDS if name in self.fields]

    def person_fields(self):
        skip = {"household_kind", "household", "household_pick", "client_id", *self.NEW_HOUSEHOLD_FIELDS}
        return [self[name] for name in self.fields if name not in skip]

    def joins_new_household(self) -> bool:
        return self.may_add_household and self.cleaned_data.get("household_kind") == self.NEW

    def clean(self):
        data = super().clean()
        if self.may_add_household and data.get("household_kind") == self.NEW:
            if not data.get("village"):
                self.add_error("village", _("Choose the village of the new household."))
        elif not (data.get("household") or "").strip() and not data.get("household_pick"):
            self.add_error("household", _("Enter the household they join: its number, the name of someone in "
                                          "it, or an ID number."))
        return data

    def answers(self) -> dict[str, bool]:
        return {name: self.cleaned_data.get(name) == "yes"
                for name in ("quarantine", "home_supplies_ensured", "help_needed")}
