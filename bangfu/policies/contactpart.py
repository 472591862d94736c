"""The policies' part of the contact form (casework.contactform): for each policy the household is
entitled to this period, "did it arrive?", answered or left blank, saved with the contact."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from bangfu.core.permissions import can
from bangfu.policies import queries, services
from bangfu.policies.models import Answer


class PolicyCheckForm(forms.Form):
    """One optional answer per policy owed; none is chosen until the household answers."""

    def __init__(self, data=None, *, policies=(), **kwargs):
        super().__init__(data, **kwargs)
        for policy in policies:
            self.fields[policy.key] = forms.ChoiceField(
                label=policy.name, required=False, choices=Answer.choices, widget=forms.RadioSelect)

    def answers(self) -> dict[str, str]:
        return {key: value for key, value in self.cleaned_data.items() if value}


class PolicyCheckPart:
    template_name = "policies/_contact_part.html"
    order = 20

    def __init__(self, data, *, household, user):
        self.household = household
        self.user = user
        self.enabled = can(user, "policy.check")
        self.bound = data is not None
        policies: dict[str, object] = {}
        if self.enabled:
            owed = queries.household_policies(user, household).entitlements
            for entitlement, received in owed:
                policies.setdefault(entitlement.policy.key, entitlement.policy)
        self.policies = list(policies.values())
        self.enabled = self.enabled and bool(self.policies)
        self.form = PolicyCheckForm(data, policies=self.policies, prefix="policy")
        self.outcome = ""

    @property
    def open(self) -> bool:
        return self.bound and bool(self.form.errors)

    def is_valid(self) -> bool:
        return not self.enabled or not self.bound or self.form.is_valid()

    def save(self, contact) -> None:
        if not self.enabled or not self.bound:
            return
        answers = self.form.answers()
        for key, answer in answers.items():
            services.policy_check_record(actor=self.user, household=self.household, policy_key=key, answer=answer,
                                         contact=contact)
        missing = [p.name for p in self.policies if answers.get(p.key) == Answer.NOT_ARRIVED]
        if missing:
            self.outcome = str(_("Not arrived: %(names)s. It shows in the township's list of policy gaps.")) % {
                "names": "、".join(missing)}
