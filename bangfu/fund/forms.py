"""The fund's forms, shared by the pages and the API: a council, an agreement with its supporters,
a contribution recorded on a phone, a payout to the elder."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.fund.models import AgreementStatus, Frequency
from bangfu.households.identity import IdentityError, normalise_phone

# The most one ledger line or one month's support may be: a million yuan.
FUND_FEN = bounds.Range(1, bounds.COST_FEN.max)
# The county's match, in percent.
MATCH_PERCENT = bounds.Range(Decimal(0), Decimal(100))
# Rows of supporters an agreement form offers (the API takes a list of the same length at most).
SUPPORTER_ROWS = 4


def _date(label, window, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, validators=[window], widget=forms.DateInput(attrs={"type": "date"}), **kwargs)


class CouncilForm(forms.Form):
    village = forms.ChoiceField(label=_("village"), choices=())
    name = forms.CharField(label=_("name"), max_length=bounds.TITLE,
                           help_text=_("e.g. 送庄村孝心养老理事会"))
    founded_on = _date(_("founded on"), bounds.PAST_EVENT)
    members = forms.CharField(label=_("council members"), max_length=bounds.LONG_TEXT, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("One a line: name and role, e.g. 李建国（会长）."))

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—"), *[(v.code, v.name) for v in villages]]

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_members(self):
        return [clean_text(line) for line in self.cleaned_data["members"].splitlines() if line.strip()]


class SupporterForm(forms.Form):
    name = forms.CharField(label=_("supporter's name"), max_length=bounds.NAME, required=False)
    relation = forms.CharField(label=_("relation to the elder"), max_length=20, required=False,
                               help_text=_("e.g. 长子, 次女, 儿媳"))
    phone = forms.CharField(label=_("phone"), max_length=bounds.PHONE, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel"}))
    address = forms.CharField(label=_("address"), max_length=bounds.ADDRESS, required=False)

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except IdentityError as error:
            raise forms.ValidationError(str(error.message)) from None

    def clean(self):
        data = super().clean()
        if any(data.get(key) for key in ("phone", "address", "relation")) and not data.get("name"):
            self.add_error("name", _("Enter the supporter's name."))
        if data.get("name") and not data.get("relation"):
            self.add_error("relation", _("Enter the relation to the elder."))
        return data

    @property
    def filled(self) -> bool:
        return bool(self.is_valid() and self.cleaned_data.get("name"))


class AgreementForm(forms.Form):
    elder = forms.TypedChoiceField(label=_("elder"), coerce=int, choices=(),
                                   help_text=_("Members of the village aged 60 or more."))
    monthly_amount = YuanField(label=_("monthly amount (yuan)"), fen=FUND_FEN, required=True,
                               widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    starts_on = _date(_("due from (month)"), bounds.PLANNED)
    in_kind = forms.CharField(label=_("in-kind support"), max_length=bounds.NOTE, required=False,
                              help_text=_("e.g. 每年粮食300斤、冬季取暖煤1吨"))
    visits = forms.CharField(label=_("visits"), max_length=bounds.ADDRESS, required=False,
                             help_text=_("e.g. 每月至少看望两次"))
    signed_on = _date(_("signed on"), bounds.PAST_EVENT)
    witnesses = forms.CharField(label=_("witnesses"), max_length=bounds.ADDRESS,
                                help_text=_("Who signed for the Party branch and the village committee."))

    def __init__(self, *args, elders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["elder"].choices = [("", "—"), *[(m.pk, f"{m.name}（{m.birth_date.year}）") for m in elders]]
        prefix = kwargs.get("prefix")
        data = args[0] if args else kwargs.get("data")
        self.supporters = [SupporterForm(data, prefix=f"{prefix + '-' if prefix else ''}s{i}")
                           for i in range(SUPPORTER_ROWS)]

    def clean_witnesses(self):
        return clean_text(self.cleaned_data["witnesses"])

    def is_valid(self) -> bool:
        valid = super().is_valid()
        supporters_valid = all(s.is_valid() for s in self.supporters)
        if valid and supporters_valid and not any(s.filled for s in self.supporters):
            self.supporters[0].add_error("name", _("Name at least one child who supports the elder."))
            supporters_valid = False
        return valid and supporters_valid


class AgreementChangeForm(forms.Form):
    monthly_amount = YuanField(label=_("monthly amount (yuan)"), fen=FUND_FEN, required=True)
    in_kind = forms.CharField(label=_("in-kind support"), max_length=bounds.NOTE, required=False)
    visits = forms.CharField(label=_("visits"), max_length=bounds.ADDRESS, required=False)
    witnesses = forms.CharField(label=_("witnesses"), max_length=bounds.ADDRESS)
    status = forms.ChoiceField(label=_("status"), choices=AgreementStatus.choices, widget=forms.RadioSelect)
    version = forms.IntegerField(widget=forms.HiddenInput, **bounds.VERSION.form())


class ContributionForm(forms.Form):
    amount = YuanField(label=_("amount received (yuan)"), fen=FUND_FEN, required=True,
                       widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    frequency = forms.ChoiceField(label=_("covers"), choices=Frequency.choices, widget=forms.RadioSelect)
    on = _date(pgettext_lazy("fund contribution", "received on"), bounds.PAST_EVENT)
    payer = forms.CharField(label=_("paid by"), max_length=bounds.NAME, required=False)
    note = forms.CharField(label=_("note"), max_length=bounds.ADDRESS, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("client_id", uuid.uuid4().hex)


class PayoutForm(forms.Form):
    amount = YuanField(label=_("amount paid (yuan)"), fen=FUND_FEN, required=True,
                       widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    month = _date(_("for the month"), bounds.PLANNED, help_text=_("Any day of the month."))
    on = _date(_("paid on"), bounds.PAST_EVENT)
    note = forms.CharField(label=_("note"), max_length=bounds.ADDRESS, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("client_id", uuid.uuid4().hex)


class MatchForm(forms.Form):
    county = forms.ChoiceField(label=_("county"), choices=())
    match_percent = forms.DecimalField(label=_("match (%)"), max_digits=5, decimal_places=2,
                                       min_value=MATCH_PERCENT.min, max_value=MATCH_PERCENT.max,
                                       help_text=_("Added by the council or the government to each contribution."))

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "—"), *[(c.code, c.name) for c in counties]]
