"""Page forms for items and stock moves. They parse and label; the rules that need the
database (balance, scope) live in the services, whose errors land on the field they name."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.supplies.models import ItemKind, MoveKind


def _client_id_field() -> forms.CharField:
    # A fresh id each time the form is shown: a double tap or a resent POST is stored once.
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.unit}）"


class MoveForm(forms.Form):
    item = ItemChoiceField(label=_("item"), queryset=None, empty_label=None)
    quantity = forms.IntegerField(label=_("quantity"), **bounds.STOCK_CHANGE.form())
    source = forms.CharField(label=_("source"), max_length=bounds.TITLE, required=False,
                             help_text=_("Who gave or sent the goods, e.g. 区民政局调拨, 爱心企业捐赠."))
    reason = forms.CharField(label=_("reason"), max_length=bounds.ADDRESS, required=False,
                             help_text=_("Why the count changed, e.g. 盘点少2袋, 受潮报损."))
    note = forms.CharField(label=_("what for"), max_length=bounds.ADDRESS, required=False)
    client_id = _client_id_field()

    def __init__(self, *args, kind: str, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["item"].queryset = items
        self.initial.setdefault("client_id", uuid.uuid4().hex)
        if kind == MoveKind.RECEIVE:
            del self.fields["reason"], self.fields["note"]
            self.fields["source"].required = True
            self.fields["quantity"] = forms.IntegerField(label=_("quantity"), **bounds.QUANTITY.form())
            self.fields["note"] = forms.CharField(label=_("note"), max_length=bounds.ADDRESS, required=False)
        elif kind == MoveKind.ISSUE:
            del self.fields["source"], self.fields["reason"]
            self.fields["note"].required = True
            self.fields["note"].help_text = _("Who takes the goods and for what, e.g. 戴家庄村委会领取.")
            self.fields["quantity"] = forms.IntegerField(label=_("quantity"), **bounds.QUANTITY.form())
        else:
            del self.fields["source"], self.fields["note"]
            self.fields["reason"].required = True
            self.fields["quantity"].label = _("change")
            self.fields["quantity"].help_text = _("Positive adds to the stock, negative takes away (e.g. -2).")
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        if self.kind == MoveKind.ADJUST and quantity == 0:
            raise forms.ValidationError(_("Enter a change other than zero."))
        if self.kind != MoveKind.ADJUST and quantity <= 0:
            raise forms.ValidationError(_("Enter a whole number greater than zero."))
        return quantity


class ItemForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=bounds.NAME)
    kind = forms.ChoiceField(label=_("kind"), choices=ItemKind.choices, widget=forms.RadioSelect,
                             initial=ItemKind.LIVING)
    unit = forms.CharField(label=_("unit"), max_length=10, help_text=_("e.g. 袋, 箱, kg, 只"))
