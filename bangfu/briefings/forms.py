"""The briefing's forms: generating an issue (area, period) and the area's template (its name, unit
and each section's sentences with placeholders)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.briefings import defaults
from bangfu.briefings.figures import unknown_placeholders
from bangfu.core import bounds


def _date(label) -> forms.DateField:
    return forms.DateField(label=label, validators=[bounds.PAST_EVENT],
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class BriefingForm(forms.Form):
    region = forms.ChoiceField(label=_("area"), choices=())
    start = _date(pgettext_lazy("briefing period", "from"))
    end = _date(pgettext_lazy("briefing period", "to"))

    def __init__(self, *args, areas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(a.code, a.name) for a in areas]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end is before the start."))
        return data


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("briefing name (masthead)"), max_length=bounds.TITLE)
    unit = forms.CharField(label=_("issuing unit"), max_length=bounds.TITLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, heading, _text in defaults.SECTIONS:
            self.fields[f"section_{key}"] = forms.CharField(
                label=heading, max_length=bounds.LONG_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        for name, value in list(data.items()):
            if isinstance(value, str):
                # Stripped only: NFKC (core.text.clean_text) would turn the prose's full-width，。into ASCII.
                data[name] = value.strip()
                unknown = unknown_placeholders(data[name])
                if unknown:
                    self.add_error(name, _("Unknown placeholder: %(names)s")
                                   % {"names": "、".join("{%s}" % u for u in unknown)})
        return data

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"section_{key}", "") for key in defaults.TEXTS}
