"""Casework's panel on a household's page: its contacts, newest first, and its latest assessment."""

from __future__ import annotations

from dataclasses import dataclass

from bangfu.casework import queries
from bangfu.casework.models import Contact, HouseholdCase

PANEL_CONTACTS = 20


@dataclass
class ContactsPanel:
    household: object
    contacts: list[Contact]
    case: HouseholdCase | None
    template: str = "casework/_household_contacts.html"

    @property
    def count(self) -> int:
        return len(self.contacts)


def contacts_panel(user, household) -> ContactsPanel:
    """Two queries: the contacts (with their caseworker, campaign and assessment) and the summary row."""
    return ContactsPanel(
        household=household, contacts=queries.contacts_of(household, limit=PANEL_CONTACTS),
        case=HouseholdCase.objects.filter(pk=household.pk).first(),
    )
