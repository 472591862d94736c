"""Monitoring's part of the contact form (casework.contactform): on a contact made during a periodic
risk check (a casework campaign of kind 排查), what the caseworker found becomes a monitoring lead
of source 干部排查, saved in the same transaction as the contact, once (its client id is derived
from the contact's)."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.casework.models import CampaignKind
from bangfu.casework.queries import running_campaigns_of
from bangfu.core import bounds
from bangfu.core.dates import local_today
from bangfu.core.permissions import can
from bangfu.monitoring import services
from bangfu.monitoring.models import Channel, Source

LEAD_OF_CONTACT = uuid.UUID("5f0c6a4e-8a49-4f55-9c31-2f7b1d0c9e21")


class ScreeningForm(forms.Form):
    found = forms.BooleanField(label=_("A risk of falling back into poverty was found"), required=False)
    indicator = forms.CharField(label=_("warning indicator"), required=False, max_length=bounds.TITLE,
                                widget=forms.TextInput(attrs={"placeholder": _("e.g. 大病支出, 务工收入骤减")}))
    difficulty = forms.CharField(label=_("difficulty"), required=False, max_length=bounds.LONG_TEXT,
                                 widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("found") and not (data.get("indicator") or "").strip():
            self.add_error("indicator", _("Say what risk was found."))
        return data


class ScreeningPart:
    template_name = "monitoring/_contact_part.html"
    order = 30

    def __init__(self, data, *, household, user):
        self.household = household
        self.user = user
        self.campaigns = [c for c in running_campaigns_of(household, local_today())
                          if c.kind == CampaignKind.SCREENING] if household is not None else []
        self.enabled = can(user, "lead.create") and bool(self.campaigns)
        self.bound = data is not None
        self.form = ScreeningForm(data, prefix="screening")
        self.outcome = ""

    @property
    def open(self) -> bool:
        return self.bound and (bool(self.form.errors) or bool(self.form.data.get("screening-found")))

    def is_valid(self) -> bool:
        return not self.enabled or not self.bound or self.form.is_valid()

    def save(self, contact) -> None:
        if not self.enabled or not self.bound or not self.form.cleaned_data.get("found"):
            return
        data = self.form.cleaned_data
        campaign = contact.campaign if contact.campaign_id and contact.campaign.kind == CampaignKind.SCREENING \
            else self.campaigns[0]
        lead, created = services.lead_create(
            actor=self.user, client_id=uuid.uuid5(LEAD_OF_CONTACT, str(contact.client_id)), source=Source.CADRE,
            channel=Channel.CAMPAIGN, village=None, household=self.household, indicator=data["indicator"].strip(),
            difficulty=(data.get("difficulty") or "").strip(), source_note=campaign.name)
        if created:
            self.outcome = str(_("A monitoring lead is recorded: the village verifies it at home by %(due)s.")
                               % {"due": lead.due_on.isoformat() if lead.due_on else ""})
