"""Page forms for deliveries and errands (the request, assigning, marking delivered or failed) and
for planning a distribution."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core import bounds
from bangfu.core.forms import YuanField
from bangfu.deliveries.models import DeliveryKind, DeliveryStatus, GoodsSource
from bangfu.households.choices import Category
from bangfu.supplies.forms import ItemChoiceField

# What the caseworker picks first: the three kinds of request, each one choice.
WHAT_CHOICES = [
    ("stock", _("Goods from the township's stock")),
    ("bought", _("Goods bought for the household")),
    ("errand", _("An errand (帮办代办)")),
]
WHAT = {"stock": (DeliveryKind.GOODS, GoodsSource.STOCK), "bought": (DeliveryKind.GOODS, GoodsSource.BOUGHT),
        "errand": (DeliveryKind.ERRAND, "")}


class DeliveryForm(forms.Form):
    what = forms.ChoiceField(label=_("request"), choices=WHAT_CHOICES, widget=forms.RadioSelect, initial="stock")
    item = ItemChoiceField(label=_("item"), queryset=None, required=False, empty_label="—")
    quantity = forms.IntegerField(label=_("quantity"), required=False, **bounds.QUANTITY.form())
    description = forms.CharField(
        label=_("what to do or buy"), max_length=bounds.NOTE, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For bought goods or an errand, e.g. 代购降压药一盒, 代缴电费."),
    )
    cost = YuanField(label=_("cost (yuan)"), fen=bounds.COST_FEN, max_digits=10)
    caseworker = forms.ModelChoiceField(label=_("caseworker"), queryset=None, required=False,
                                        empty_label=_("The household's caseworker"))
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, items, caseworkers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        self.fields["quantity"].widget.attrs["inputmode"] = "numeric"
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            self.fields["caseworker"].queryset = caseworkers
        self.initial.setdefault("client_id", uuid.uuid4().hex)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kind, source = WHAT[data["what"]]
        return {
            "kind": kind, "source": source, "item": data.get("item"), "quantity": data.get("quantity"),
            "description": data.get("description") or "", "cost": data.get("cost"),
            "caseworker": data.get("caseworker"), "client_id": data.get("client_id") or None,
        }


class AssignForm(forms.Form):
    caseworker = forms.ModelChoiceField(label=_("caseworker"), queryset=None, empty_label=None)

    def __init__(self, *args, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["caseworker"].queryset = caseworkers


class ReopenForm(forms.Form):
    """Try a failed delivery again: assigned to a caseworker at once, or left to be assigned."""

    caseworker = forms.ModelChoiceField(label=_("caseworker"), queryset=None, required=False,
                                        empty_label=_("— assign later —"))

    def __init__(self, *args, caseworkers, **kwargs):
        """`caseworkers`: whom it may go to; None for a caseworker, who tries it again themselves."""
        super().__init__(*args, **kwargs)
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            self.fields["caseworker"].queryset = caseworkers


class CompleteForm(forms.Form):
    received_by = forms.CharField(label=_("received by"), max_length=bounds.NAME,
                                  help_text=_("The person who took the goods, e.g. 本人, 其子."))


class FailForm(forms.Form):
    failure_reason = forms.CharField(label=_("reason it failed"), max_length=bounds.ADDRESS,
                                     help_text=_("e.g. 家中无人, 药店缺货."))


STATUS_FILTERS = [
    ("open", _("Open")),
    (DeliveryStatus.DELIVERED, DeliveryStatus.DELIVERED.label),
    (DeliveryStatus.FAILED, DeliveryStatus.FAILED.label),
    ("all", _("All")),
]


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=STATUS_FILTERS, required=False)
    kind = forms.ChoiceField(label=_("kind"), required=False,
                             choices=[("", _("Goods and errands")), *DeliveryKind.choices])
    village = forms.ChoiceField(label=_("village"), required=False)
    caseworker = forms.TypedChoiceField(label=_("caseworker"), required=False, coerce=int, empty_value=None)
    priority = forms.BooleanField(label=_("priority only"), required=False)

    def __init__(self, *args, villages, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", _("All villages")), *[(v.code, v.name) for v in villages]]
        if caseworkers is None:
            del self.fields["caseworker"]
        else:
            self.fields["caseworker"].choices = [("", _("All caseworkers")), *[(c.pk, str(c)) for c in caseworkers]]


class DistributionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=bounds.TITLE, help_text=_("e.g. 疫情期间生活物资发放（第一批）"))
    item = ItemChoiceField(label=_("item"), queryset=None, empty_label=None)
    quantity = forms.IntegerField(label=_("quantity per household"), **bounds.QUANTITY.form())
    villages = forms.MultipleChoiceField(label=_("villages"), required=False, widget=forms.CheckboxSelectMultiple,
                                         help_text=_("None ticked: every village of the township."))
    categories = forms.MultipleChoiceField(
        label=_("households in these categories"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=Category.choices, help_text=_("None ticked: every household served."),
    )
    supplies_short = forms.BooleanField(
        label=_("only households short of supplies"), required=False,
        help_text=_("Those whose latest assessment found living supplies not sufficient."),
    )
    note = forms.CharField(label=_("note"), max_length=bounds.ADDRESS, required=False)
    # A fresh id each time the form is shown: a double tap or a resent POST is stored once.
    client_id = forms.CharField(widget=forms.HiddenInput, required=False, max_length=bounds.CLIENT_ID)

    def __init__(self, *args, items, villages, **kwargs):
        super().__init__(*args, **kwargs)
        # The first item is required; up to EXTRA_LINES more (大米, 面粉, 食用油 in one plan).
        for n in range(2, EXTRA_LINES + 2):
            self.fields[f"item_{n}"] = ItemChoiceField(label=_("item %(n)d") % {"n": n}, queryset=items,
                                                       required=False, empty_label="—")
            self.fields[f"quantity_{n}"] = forms.IntegerField(label=_("quantity per household"), required=False,
                                                              **bounds.QUANTITY.form())
        self.order_fields(["title", *[name for n in range(1, EXTRA_LINES + 2)
                                      for name in (_line_names(n))]])
        self.fields["item"].queryset = items
        self.fields["villages"].choices = [(v.code, v.name) for v in villages]
        for name, field in self.fields.items():
            if name.startswith("quantity"):
                field.widget.attrs["inputmode"] = "numeric"
        self.initial.setdefault("client_id", uuid.uuid4().hex)

    def clean(self):
        data = super().clean()
        seen = {}
        for n in range(1, EXTRA_LINES + 2):
            item_name, quantity_name = _line_names(n)
            item, quantity = data.get(item_name), data.get(quantity_name)
            if n > 1 and item is None and quantity is None:
                continue
            if item is not None and quantity is None and quantity_name not in self.errors:
                self.add_error(quantity_name, _("Give the quantity per household of this item."))
            elif quantity is not None and item is None and item_name not in self.errors:
                self.add_error(item_name, _("Choose the item for this quantity."))
            elif item is not None:
                if item.pk in seen:
                    self.add_error(item_name, _("%(item)s is listed twice: give it once, with the whole quantity.")
                                   % {"item": item.name})
                seen[item.pk] = True
        return data

    def lines(self) -> list:
        from bangfu.deliveries.services import PlanLine

        data = self.cleaned_data
        return [PlanLine(item=data[item_name], quantity=data[quantity_name])
                for item_name, quantity_name in map(_line_names, range(1, EXTRA_LINES + 2))
                if data.get(item_name) is not None and data.get(quantity_name) is not None]


EXTRA_LINES = 3


def _line_names(n: int) -> tuple[str, str]:
    return ("item", "quantity") if n == 1 else (f"item_{n}", f"quantity_{n}")
