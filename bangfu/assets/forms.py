"""The asset register's forms, shared by the pages and the API: an asset, an inspection on a phone
(its kind's checklist, a finding, photos), a fix, an income or cost line, a distribution plan and a
payout."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.assets import defaults
from bangfu.assets.models import AssetClass, AssetKind, IncomeCategory, OwnerLevel, Share
from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
# An asset's value: up to ten million yuan... an income line up to a million.
VALUE_FEN = bounds.INCOME_FEN
LINE_FEN = bounds.Range(1, bounds.COST_FEN.max)
READING = bounds.Range(Decimal(0), Decimal(10**9))
YEAR = bounds.Range(2000, 2100)


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (a list of uploads), at most PHOTOS_MAX."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PhotosInput(attrs={"accept": "image/*", "multiple": True}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        files = [super(PhotosField, self).clean(item, initial) for item in files if item]
        if len(files) > defaults.PHOTOS_MAX:
            raise forms.ValidationError(_("At most %(count)s photos an inspection.") % {"count": defaults.PHOTOS_MAX})
        for item in files:
            if item.size > defaults.PHOTO_MAX_BYTES:
                raise forms.ValidationError(_("A photo may be at most %(mb)s MB; “%(name)s” is %(size)s MB.") % {
                    "mb": defaults.PHOTO_MAX_BYTES // (1024 * 1024), "name": item.name,
                    "size": f"{item.size / 1024 / 1024:.1f}"})
        return files


class ClientIdMixin(forms.Form):
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("client_id", uuid.uuid4().hex)

    def clean_client_id(self):
        value = self.cleaned_data["client_id"]
        if not value:
            return uuid.uuid4()
        try:
            return uuid.UUID(value)
        except ValueError:
            raise forms.ValidationError(_("Not a valid submission id.")) from None


class AssetForm(forms.Form):
    name = forms.CharField(label=_("asset name"), max_length=bounds.TITLE, help_text=_("e.g. 戴家庄村光伏电站（一期）"))
    asset_class = forms.ChoiceField(label=_("asset class"), choices=[("", "—"), *AssetClass.choices])
    kind = forms.ChoiceField(label=_("kind"), choices=[("", "—"), *AssetKind.choices])
    village = forms.ChoiceField(label=_("village"), choices=())
    location = forms.CharField(label=_("location"), max_length=bounds.ADDRESS, required=False)
    value = YuanField(label=_("asset value (yuan)"), fen=VALUE_FEN)
    owner_level = forms.ChoiceField(label=_("owned by"), choices=[("", "—"), *OwnerLevel.choices])
    owner_name = forms.CharField(label=pgettext_lazy("asset", "owner"), max_length=bounds.TITLE, help_text=_("e.g. 戴家庄村股份经济合作社"))
    household = forms.CharField(label=_("household number (when a household owns it)"), max_length=30,
                                required=False)
    keeper = forms.CharField(label=_("kept by (管护主体)"), max_length=bounds.TITLE)
    inspector = forms.ChoiceField(label=_("inspected by"), choices=(), required=False)

    def __init__(self, *args, villages=(), inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—"), *[(v.code, v.name) for v in villages]]
        self.fields["inspector"].choices = [("", "—"), *[(str(u.pk), u.display_name or u.username) for u in inspectors]]

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_owner_name(self):
        return clean_text(self.cleaned_data["owner_name"])

    def clean_keeper(self):
        return clean_text(self.cleaned_data["keeper"])


class AssetEditForm(forms.Form):
    location = forms.CharField(label=_("location"), max_length=bounds.ADDRESS, required=False)
    value = YuanField(label=_("asset value (yuan)"), fen=VALUE_FEN)
    keeper = forms.CharField(label=_("kept by (管护主体)"), max_length=bounds.TITLE)
    inspector = forms.ChoiceField(label=_("inspected by"), choices=(), required=False)

    def __init__(self, *args, inspectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspector"].choices = [("", "—"), *[(str(u.pk), u.display_name or u.username) for u in inspectors]]


class InspectionForm(ClientIdMixin):
    """The kind's checklist (a tick each, a reading as a number), a note, a finding with its fix-by
    day, and photos (File fields are kept by the phone's outbox too)."""

    day = forms.DateField(label=_("inspected on"), validators=[bounds.PAST_EVENT], **DATE)
    note = forms.CharField(label=_("note"), max_length=bounds.NOTE, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
    finding = forms.CharField(label=_("to be fixed (整改)"), max_length=bounds.NOTE, required=False,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("What is wrong; leave empty when all is in order."))
    fix_by = forms.DateField(label=_("fix by"), required=False, validators=[bounds.PLANNED], **DATE)
    photos = PhotosField(label=_("photos"), required=False,
                         help_text=format_lazy(_("Up to {count} photos, taken now or chosen."),
                                               count=defaults.PHOTOS_MAX))

    def __init__(self, *args, kind: str = "other", **kwargs):
        super().__init__(*args, **kwargs)
        self.checks = []
        for key, label, type_ in defaults.CHECKLISTS.get(kind, defaults.CHECKLISTS["other"]):
            name = f"c_{key}"
            if type_ == defaults.CHECK:
                self.fields[name] = forms.BooleanField(label=label, required=False)
            else:
                self.fields[name] = forms.DecimalField(label=label, required=False, max_digits=12, decimal_places=2,
                                                       **READING.form(),
                                                       widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
            self.checks.append(name)
        self.order_fields(["day", *self.checks, "note", "finding", "fix_by", "photos"])

    def checklist(self) -> dict:
        return {name[2:]: (float(value) if isinstance(value, Decimal) else value)
                for name in self.checks if (value := self.cleaned_data.get(name)) is not None}


class FixForm(forms.Form):
    fixed_on = forms.DateField(label=_("fixed on"), validators=[bounds.PAST_EVENT], **DATE)
    note = forms.CharField(label=_("how it was fixed"), max_length=bounds.NOTE)


class IncomeForm(ClientIdMixin):
    month = forms.DateField(label=_("month"), validators=[bounds.PAST_EVENT], **DATE,
                            help_text=_("Any day of the month."))
    category = forms.ChoiceField(label=_("item"), choices=[("", "—"), *IncomeCategory.choices])
    amount = YuanField(label=_("amount (yuan)"), fen=LINE_FEN, required=True)
    note = forms.CharField(label=_("note"), max_length=bounds.NOTE, required=False)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("year"), **YEAR.form())
    welfare_percent = forms.IntegerField(label=_("public-welfare post pay (%)"), **bounds.PERCENT.form())
    collective_percent = forms.IntegerField(label=_("village collective (%)"), initial=0, **bounds.PERCENT.form())
    households_percent = forms.IntegerField(label=_("households (%)"), initial=0, **bounds.PERCENT.form())
    reinvest_percent = forms.IntegerField(label=_("reinvestment (%)"), initial=0, **bounds.PERCENT.form())
    meeting = forms.CharField(label=_("decided by"), max_length=bounds.NOTE, required=False,
                              help_text=_("e.g. 村民代表大会 2025-01-10, 32 people"))

    def shares(self) -> dict[str, int]:
        return {share: self.cleaned_data.get(f"{share}_percent") or 0 for share in Share.values}


class PayoutForm(ClientIdMixin):
    share = forms.ChoiceField(label=_("share"), choices=[("", "—"), *Share.choices])
    amount = YuanField(label=_("amount (yuan)"), fen=LINE_FEN, required=True)
    day = forms.DateField(label=_("paid on"), validators=[bounds.PAST_EVENT], **DATE)
    payee = forms.CharField(label=_("paid to"), max_length=bounds.TITLE)


INTERVAL_DAYS = bounds.Range(1, 366)


class AssetSettingForm(forms.Form):
    """A county's rules: the least share to public-welfare posts and the days between inspections."""

    county = forms.ChoiceField(label=_("county"), choices=())
    welfare_min_percent = forms.IntegerField(label=_("least share to public-welfare posts (%)"),
                                             **bounds.PERCENT.form())

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [(c.code, c.name) for c in counties]
        for kind, label in AssetKind.choices:
            self.fields[f"days_{kind}"] = forms.IntegerField(
                label=format_lazy(_("days between inspections: {kind}"), kind=label), **INTERVAL_DAYS.form())

    def intervals(self) -> dict[str, int]:
        return {kind: self.cleaned_data[f"days_{kind}"] for kind in AssetKind.values}
