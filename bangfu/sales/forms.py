"""The forms of produce and sales, shared by the pages and the API's bounds: a cooperative, a
product, a buyer, a sale recorded on a phone, and the filters of the sales list."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.core.text import clean_text
from bangfu.sales.models import BuyerKind, Category, Channel

# A sale's amount: up to ten million yuan.
SALE_FEN = bounds.Range(1, 10**9)
# A sale's quantity (斤, 公斤, 箱...), to the hundredth.
SALE_QUANTITY = bounds.Range(Decimal("0.01"), Decimal("10000000"))
UNIT = 10
SEPARATORS = re.compile(r"[\s,，、;；]+")


def _date(label, window=bounds.PAST_EVENT, **kwargs) -> forms.DateField:
    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    return forms.DateField(label=label, validators=[window], widget=widget, **kwargs)


def _choices(rows, label=str) -> list[tuple[str, str]]:
    return [("", "—"), *[(str(row.pk), label(row)) for row in rows]]


class CooperativeForm(forms.Form):
    village = forms.ChoiceField(label=_("village"), choices=())
    name = forms.CharField(label=pgettext_lazy("sales", "name"), max_length=bounds.TITLE,
                           help_text=_("e.g. 送庄镇食用菌种植专业合作社"))
    contact = forms.CharField(label=pgettext_lazy("sales", "contact"), max_length=bounds.TITLE, required=False)

    def __init__(self, *args, villages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—"), *[(v.code, v.name) for v in villages]]

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])


class ProductForm(forms.Form):
    name = forms.CharField(label=_("product name"), max_length=bounds.TITLE, help_text=_("e.g. 羊肚菌, 大棚西红柿"))
    category = forms.ChoiceField(label=pgettext_lazy("sales", "category"), choices=[("", "—"), *Category.choices])
    unit = forms.CharField(label=_("unit"), max_length=UNIT, help_text=_("e.g. 斤, 公斤, 箱"))
    village = forms.ChoiceField(label=_("village"), choices=())
    cooperative = forms.ChoiceField(label=_("cooperative"), choices=(), required=False)
    household = forms.CharField(label=_("producing household (household number)"), max_length=bounds.NAME,
                                required=False, help_text=_("Or leave empty when a cooperative produces it."))
    asset = forms.ChoiceField(label=_("producing asset"), choices=(), required=False,
                              help_text=_("A greenhouse or workshop of the village, instead of a household or a "
                                          "cooperative."))

    def __init__(self, *args, villages=(), cooperatives=(), assets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "—"), *[(v.code, v.name) for v in villages]]
        self.fields["cooperative"].choices = _choices(cooperatives, lambda c: f"{c.name}（{c.village.name}）")
        self.assets = {str(a.pk): a for a in assets}
        self.fields["asset"].choices = _choices(assets, lambda a: f"{a.name}（{a.village.name}）")

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])

    def clean_unit(self):
        return clean_text(self.cleaned_data["unit"])

    def clean_household(self):
        return clean_text(self.cleaned_data.get("household") or "")

    def clean(self):
        data = super().clean()
        named = [f for f in ("household", "cooperative", "asset") if data.get(f)]
        if len(named) > 1:
            self.add_error(named[-1], _("Name one producer: a household, a cooperative or an asset."))
        asset = self.assets.get(data.get("asset") or "")
        if asset is not None and data.get("village") and asset.region_code != data["village"]:
            self.add_error("asset", _("The asset must be of the product's village."))
        return data


class BuyerForm(forms.Form):
    name = forms.CharField(label=_("buyer"), max_length=bounds.TITLE, help_text=_("e.g. 孟津区人民医院食堂, 832平台"))
    kind = forms.ChoiceField(label=_("kind of buyer"), choices=[("", "—"), *BuyerKind.choices])
    contact = forms.CharField(label=pgettext_lazy("sales", "contact"), max_length=bounds.TITLE, required=False)

    def clean_name(self):
        return clean_text(self.cleaned_data["name"])


class SaleForm(forms.Form):
    product = forms.ChoiceField(label=_("product"), choices=())
    buyer = forms.ChoiceField(label=_("buyer"), choices=())
    channel = forms.ChoiceField(label=pgettext_lazy("sales", "channel"), choices=[("", "—"), *Channel.choices])
    quantity = forms.DecimalField(label=_("quantity"), max_digits=12, decimal_places=2, **SALE_QUANTITY.form(),
                                  widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    amount = YuanField(label=_("amount (yuan)"), fen=SALE_FEN, required=True,
                       widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))
    sold_on = _date(_("date of sale"))
    beneficiary_households = forms.IntegerField(label=_("households benefiting"), required=False,
                                                **bounds.PEOPLE.form(),
                                                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    households = forms.CharField(label=_("households benefiting (household numbers)"), required=False,
                                 max_length=bounds.LONG_TEXT, widget=forms.Textarea(attrs={"rows": 2}),
                                 help_text=_("Household numbers from the registry, separated by spaces or commas."))
    note = forms.CharField(label=_("note"), max_length=bounds.NOTE, required=False)
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, products=(), buyers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("client_id", uuid.uuid4().hex)
        self.fields["product"].choices = _choices(products, lambda p: f"{p.name}（{p.village.name} · {p.unit}）")
        self.fields["buyer"].choices = _choices(buyers, lambda b: f"{b.name}（{b.get_kind_display()}）")

    def clean_households(self):
        return [n for n in SEPARATORS.split(self.cleaned_data.get("households") or "") if n]

    def clean_note(self):
        return clean_text(self.cleaned_data.get("note") or "")


class SaleFilterForm(forms.Form):
    channel = forms.ChoiceField(label=pgettext_lazy("sales", "channel"),
                                choices=[("", _("All channels")), *Channel.choices],
                                required=False)
    buyer_kind = forms.ChoiceField(label=_("kind of buyer"), choices=[("", _("All buyers")), *BuyerKind.choices],
                                   required=False)
    start = _date(_("from"), bounds.PLANNED, required=False)
    end = _date(_("to"), bounds.PLANNED, required=False)
