"""Forms of the public-welfare posts shared by the pages and the API: a day's attendance mark, a post."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.work.welfare_models import Funding, Mark, PostType


class AttendanceForm(forms.Form):
    """An appointee's mark for a day (the page's day is today)."""

    appointment = forms.IntegerField(label=_("appointee"), **bounds.ID.form())
    day = forms.DateField(label=_("day"), validators=[bounds.PAST_EVENT])
    mark = forms.ChoiceField(label=_("attendance"), choices=Mark.choices)
    client_id = forms.CharField(max_length=bounds.CLIENT_ID, required=False)


BLANK = [("", "---------")]


class PostForm(forms.Form):
    """A village's public-welfare post."""

    village = forms.CharField(label=_("village"), max_length=bounds.CODE)
    post_type = forms.ChoiceField(label=_("post"), choices=BLANK + list(PostType.choices))
    places = forms.IntegerField(label=_("places"), **bounds.QUANTITY.form())
    pay_fen = YuanField(label=_("monthly pay (yuan)"), fen=bounds.COST_FEN, required=True)
    funding = forms.ChoiceField(label=_("funding source"), choices=BLANK + list(Funding.choices))
    duties = forms.CharField(label=_("duties"), max_length=bounds.ADDRESS, required=False)
