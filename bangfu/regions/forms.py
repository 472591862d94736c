"""Adding a village under a township, or a group under a village, within the user's area."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.codes import TOWNSHIP_LENGTH, Level


class RegionAddForm(forms.Form):
    parent = forms.ChoiceField(label=_("Under"))
    number = forms.RegexField(
        label=_("Last 3 digits of the code"), regex=r"^[0-9]{3}$", max_length=3, required=False,
        error_messages={"invalid": _("Three digits, e.g. 012.")},
        help_text=_("From the statistical division code; the township's or village's code comes before them. "
                    "Left empty for a village, the township's next own number (900-999) is taken."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [
            (r.code, f"{r.name}（{r.code}）" if r.level == Level.TOWNSHIP else f"　{r.name}（{r.code}）")
            for r in parents
        ]

    def clean(self):
        data = super().clean()
        parent = data.get("parent") or ""
        if parent and len(parent) != TOWNSHIP_LENGTH and not data.get("number"):
            self.add_error("number", _("A group's number is required."))
        return data

    @property
    def code(self) -> str:
        """The new region's code; a township's code alone when the number is left to be chosen."""
        return self.cleaned_data["parent"] + (self.cleaned_data.get("number") or "")


class VillagesLoadForm(forms.Form):
    """The national list's villages of an area: an office's own township (the code may be left out),
    or a county or township an administrator types."""

    prefix = forms.RegexField(
        label=_("County or township code"), regex=r"^[0-9]{6}([0-9]{3})?$", max_length=9, required=False,
        error_messages={"invalid": _("6 digits for a county, 9 for a township, e.g. 370215010.")},
    )
