"""Forms of the public-welfare posts shared by the pages and the API: a day's attendance mark."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.work.welfare_models import Mark


class AttendanceForm(forms.Form):
    """An appointee's mark for a day (the page's day is today)."""

    appointment = forms.IntegerField(label=_("appointee"), **bounds.ID.form())
    day = forms.DateField(label=_("day"), validators=[bounds.PAST_EVENT])
    mark = forms.ChoiceField(label=_("attendance"), choices=Mark.choices)
    client_id = forms.CharField(max_length=bounds.CLIENT_ID, required=False)
