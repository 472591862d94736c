"""Form pieces every app's forms share: money typed in yuan, and a service's errors on a form."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from bangfu.core.bounds import Range


class YuanField(forms.DecimalField):
    """Money typed in yuan, cleaned to integer fen; `fen` is its bound (core.bounds), in fen."""

    def __init__(self, *, fen: Range, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", Decimal(fen.min) / 100)
        kwargs.setdefault("max_value", Decimal(fen.max) / 100)
        self.fen = fen
        super().__init__(**kwargs)

    def clean(self, value):
        amount = super().clean(value)
        if amount is None:
            return None
        return int((amount * 100).to_integral_value())

    def prepare_value(self, value):
        if isinstance(value, int):
            return (Decimal(value) / 100).quantize(Decimal("0.01"))
        return value


def attach_errors(error: ValidationError, form: forms.Form, *, members: list[forms.Form] | None = None) -> None:
    """Put a service's ValidationError on the fields it names: `field` on the form, `members.N.field`
    on the N-th member form; anything else on top of the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for key, messages in error.message_dict.items():
        target, name = form, key
        if key.startswith("members.") and members:
            _prefix, index, name = key.split(".", 2)
            target = members[int(index)] if int(index) < len(members) else form
        elif key == "members" and members:
            target, name = members[0], None
        if name is not None and name not in target.fields:
            name = None  # the services' messages say what they are about
        for message in messages:
            target.add_error(name, message)
