"""Casework fixtures: households in the two villages of the shared region tree, each with its caseworker."""

from __future__ import annotations

import uuid

import pytest

from bangfu.households import choices
from conftest import VILLAGE_A, VILLAGE_B


@pytest.fixture
def casework(make_household, personas):
    """Three households of caseworker_a in village A (poor, elderly alone, monitored) and one of
    caseworker_b in village B (poor)."""
    a, b = personas["caseworker_a"], personas["caseworker_b"]
    C = choices.Category
    return {
        "poor_a": make_household(VILLAGE_A, caseworker=a, categories=[C.REGISTERED_POOR]),
        "elderly_a": make_household(VILLAGE_A, caseworker=a, categories=[C.ELDERLY_ALONE]),
        "monitored_a": make_household(VILLAGE_A, caseworker=a, categories=[C.MONITORED], monitor_type="marginal"),
        "poor_b": make_household(VILLAGE_B, caseworker=b, categories=[C.REGISTERED_POOR]),
    }


ALL_MET = {"supplies_ok": True, "prevention_ok": True, "medical_access_ok": True, "living_ok": True}


@pytest.fixture
def log():
    """log(actor, household, reached=True, channel="phone", **kwargs) -> Contact, with a fresh client id."""
    from bangfu.casework.services import contact_create

    def make(actor, household, *, reached=True, channel="phone", assessment="default", **kwargs):
        if assessment == "default":
            assessment = dict(ALL_MET) if reached else None
        kwargs.setdefault("not_reached_reason", "" if reached else "no_answer")
        contact, _created = contact_create(actor=actor, household=household, client_id=uuid.uuid4(), channel=channel,
                                           reached=reached, assessment=assessment, **kwargs)
        return contact

    return make
