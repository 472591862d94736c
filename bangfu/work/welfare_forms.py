"""Forms of the public-welfare posts shared by the pages and the API: a day's attendance mark, a post."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.work.welfare_models import ExitReason, Funding, Mark, PostType


class AttendanceForm(forms.Form):
    """An appointee's mark for a day (the page's day is today)."""

    appointment = forms.IntegerField(label=_("appointee"), **bounds.ID.form())
    day = forms.DateField(label=_("day"), validators=[bounds.PAST_EVENT])
    mark = forms.ChoiceField(label=_("attendance"), choices=Mark.choices)
    client_id = forms.CharField(max_length=bounds.CLIENT_ID, required=False)


BLANK = [("", "---------")]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PostForm(forms.Form):
    """A village's public-welfare post."""

    village = forms.CharField(label=_("village"), max_length=bounds.CODE)
    post_type = forms.ChoiceField(label=_("post"), choices=BLANK + list(PostType.choices))
    places = forms.IntegerField(label=_("places"), **bounds.QUANTITY.form())
    pay_fen = YuanField(label=_("monthly pay (yuan)"), fen=bounds.COST_FEN, required=True)
    funding = forms.ChoiceField(label=_("funding source"), choices=BLANK + list(Funding.choices))
    duties = forms.CharField(label=_("duties"), max_length=bounds.ADDRESS, required=False)



class AppointForm(forms.Form):
    """A village's person put on a post's list of appointees (拟聘名单), with the contract period
    and the bank card the pay goes to."""

    member = forms.IntegerField(label=_("appointee"), **bounds.ID.form())
    published_on = forms.DateField(label=_("list published on"), validators=[bounds.PLANNED], widget=DATE)
    start = forms.DateField(label=_("contract start"), validators=[bounds.PLANNED], widget=DATE)
    end = forms.DateField(label=_("contract end"), validators=[bounds.PLANNED], widget=DATE)
    account = forms.RegexField(label=_("bank card (一卡通)"), max_length=30, regex=r"^[0-9]{12,30}$",
                               required=False,
                               error_messages={"invalid": _("Enter the card number: 12 to 30 digits.")})


class ExitForm(forms.Form):
    """An appointee leaving the post, and why."""

    exit_reason = forms.ChoiceField(label=_("why they left"), choices=BLANK + list(ExitReason.choices))
    exited_on = forms.DateField(label=_("left on"), validators=[bounds.PAST_EVENT], widget=DATE)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.VERSION.form())


class AppointeeAccountForm(forms.Form):
    """The bank card (一卡通) an appointee's pay goes to."""

    account = forms.RegexField(label=_("bank card (一卡通)"), max_length=30, regex=r"^[0-9]{12,30}$",
                               error_messages={"invalid": _("Enter the card number: 12 to 30 digits.")})
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, **bounds.VERSION.form())


class RulesForm(forms.Form):
    """A county's rules for public-welfare posts."""

    max_age = forms.IntegerField(label=_("oldest age at appointment"), min_value=16, max_value=65,
                                 help_text=_("60 by default; at most 65."))
    minimum_wage_fen = YuanField(label=_("local minimum monthly wage (yuan)"), fen=bounds.COST_FEN, required=True)
    village_weight = forms.IntegerField(label=_("points for the village's attendance"), **bounds.PERCENT.form())
    township_weight = forms.IntegerField(label=_("points for the township's assessment"), **bounds.PERCENT.form())
    review_weight = forms.IntegerField(label=_("points for the villagers' review"), **bounds.PERCENT.form())
    publicity_days = forms.IntegerField(label=_("days the list of appointees is published"),
                                        **bounds.NOTICE_DAYS.form())
