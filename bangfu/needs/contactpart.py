"""The needs' part of the contact form (casework.contactform): a need heard on this call or visit,
recorded on the same screen and in the same transaction as the contact, linked to it, and reported
to the township office with it unless the caseworker keeps it to solve themselves."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core.permissions import OFFICE_UP, can
from bangfu.needs import services
from bangfu.needs.forms import NeedForm
from bangfu.needs.models import Category, Status


class ContactNeedForm(NeedForm):
    """The need form, optional as a whole: left empty, no need is recorded. Its own client id
    makes no difference to retries (the contact is created once, and the need with it); it is
    kept so the need is the same row as if recorded on its own page."""

    category = forms.ChoiceField(label=pgettext_lazy("need", "category"), required=False,
                                 choices=[("", "---------"), *Category.choices])
    description = forms.CharField(
        label=_("description"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("What does the household need? Who, what, since when.")}),
    )

    # Ticked, the need stays with whoever recorded it instead of going to the office.
    solve_myself = forms.BooleanField(
        label=_("I solve it myself (do not report it to the township office)"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # A contact form posted without the part (an older page, a script) records no need.
        self.fields["client_id"].required = False
        self.fields["urgency"].required = False

    def clean(self):
        data = super().clean()
        if data.get("description", "").strip() and not data.get("category"):
            self.add_error("category", _("Choose what the need is about."))
        if data.get("category") and not data.get("description", "").strip():
            self.add_error("description", _("Say what the household needs."))
        return data

    @property
    def has_need(self) -> bool:
        return bool(self.cleaned_data.get("description", "").strip())


class NeedPart:
    template_name = "needs/_contact_part.html"
    order = 10

    def __init__(self, data, *, household, user):
        self.household = household
        self.user = user
        self.enabled = can(user, "need.create")
        self.bound = data is not None
        self.form = ContactNeedForm(data, prefix="need")
        if user.role in OFFICE_UP:  # what the office records is with the office already
            del self.form.fields["solve_myself"]
        self.outcome = ""

    @property
    def open(self) -> bool:
        """Unfolded when it holds something (an error, or a need typed in)."""
        return self.bound and (bool(self.form.errors) or bool(self.form.data.get("need-description", "").strip()))

    def is_valid(self) -> bool:
        return not self.enabled or not self.bound or self.form.is_valid()

    def save(self, contact) -> None:
        if not self.enabled or not self.bound or not self.form.has_need:
            return
        data = self.form.cleaned_data
        keep = bool(data.get("solve_myself")) and self.user.role not in OFFICE_UP
        description = data["description"].strip()
        if keep:
            description = f"{description}\n{_('Kept by the caseworker to solve themselves; not reported.')}"
        need, _created = services.need_create(
            household=self.household, category=data["category"], description=description,
            urgency=data.get("urgency") or "normal", client_id=data["client_id"] or uuid.uuid4(), actor=self.user,
            contact=contact,
            recorded_at=contact.at,
            report=not keep,
        )
        self.outcome = (_("The need is reported to the township office.") if need.status != Status.RECORDED
                        else _("The need stays with you to solve; resolve it on its page when done."))
