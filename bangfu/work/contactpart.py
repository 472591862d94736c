"""The work app's part of the contact form (casework.contactform): a labourer's status for the
month, heard on the call or visit, recorded in the same transaction as the contact and linked to it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.dates import local_today
from bangfu.core.permissions import can
from bangfu.work import services
from bangfu.work.forms import StatusForm, month_start
from bangfu.work.labour import labourers
from bangfu.work.models import Source


class ContactStatusForm(StatusForm):
    """The status form, optional as a whole: without a labourer chosen, nothing is recorded."""

    member = forms.TypedChoiceField(label=_("labourer"), coerce=int, required=False, choices=[("", "---------")])

    field_order = ["member", "month", "activity"]

    def __init__(self, data=None, *, members=(), **kwargs):
        super().__init__(data, **kwargs)
        self.fields["member"].choices = [("", "---------"), *((m.pk, m.name) for m in members)]
        self.fields["month"].required = False
        self.fields["activity"].required = False

    def clean(self):
        member = self.cleaned_data.get("member")
        if not member:  # nothing about work on this contact
            return self.cleaned_data
        data = super().clean()
        if not data.get("activity"):
            self.add_error("activity", _("Choose what the labourer does this month."))
        if not data.get("month"):
            data["month"] = month_start(local_today())
        return data

    def full_clean(self):
        super().full_clean()
        if self.is_bound and not self.data.get(self.add_prefix("member")):
            self._errors = forms.utils.ErrorDict()  # an unused part is never in the way

    @property
    def has_status(self) -> bool:
        return bool(self.cleaned_data.get("member"))


class StatusPart:
    template_name = "work/_contact_part.html"
    order = 20

    def __init__(self, data, *, household, user):
        self.household = household
        self.user = user
        self.members = list(labourers(user).filter(household=household).order_by("pk")) if household else []
        self.enabled = can(user, "labour.record") and bool(self.members)
        self.bound = data is not None
        self.form = ContactStatusForm(data, prefix="work", members=self.members,
                                      initial={"month": month_start(local_today())})
        self.outcome = ""

    @property
    def open(self) -> bool:
        return self.bound and (bool(self.form.errors) or bool(self.form.data.get("work-member")))

    def is_valid(self) -> bool:
        return not self.enabled or not self.bound or self.form.is_valid()

    def save(self, contact) -> None:
        if not self.enabled or not self.bound or not self.form.has_status:
            return
        data = self.form.cleaned_data
        member = next(m for m in self.members if m.pk == data["member"])
        services.status_record(member=member, data=data, actor=self.user, source=Source.CONTACT, contact=contact)
        self.outcome = str(_("%(name)s's work this month is recorded.") % {"name": member.name})
