"""A household that changes village: its needs and the needs' numbers follow it."""

from __future__ import annotations

import uuid

import pytest

from bangfu.households.services import household_update
from bangfu.needs.models import Summary
from bangfu.needs.services import need_create, summary_refresh
from conftest import VILLAGE_A, VILLAGE_B, household_data

pytestmark = pytest.mark.django_db


def test_needs_numbers_follow_a_household_to_its_new_village(personas, regions, household_a):
    need, _created = need_create(household=household_a, category="medical", description="需要送医",
                                 client_id=uuid.uuid4(), actor=personas["office"])
    summary_refresh()
    assert Summary.objects.get(region_code=VILLAGE_A, category="medical").open == 1

    household_a.refresh_from_db()
    household_update(actor=personas["office"], household=household_a, version=household_a.version,
                     data=household_data(regions[VILLAGE_B]))

    need.refresh_from_db()
    assert need.region_code == VILLAGE_B
    assert Summary.objects.get(region_code=VILLAGE_A, category="medical").open == 0
    assert Summary.objects.get(region_code=VILLAGE_B, category="medical").open == 1
