"""Policies' figures (bangfu.core.figures): the gaps both ways by village, each equal to a direct
count of the township's list (the gaps of every household, counted one by one)."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from django.apps import apps
from django.utils.module_loading import import_string

from bangfu.core.dates import local_today
from bangfu.households.models import Household
from bangfu.policies import queries, services

pytestmark = pytest.mark.django_db


def test_each_gap_figure_equals_a_direct_count(dibao_home, plain_home, personas):
    # Something received that the registry does not entitle: a gap the other way.
    services.receipt_record(actor=personas["office"], household=plain_home, policy_key="dibao",
                            period=f"{local_today():%Y-%m}", amount=50_000, paid_on=local_today(),
                            member=plain_home.members.get(), client_id=uuid.uuid4())
    config = apps.get_app_config("policies")
    assert {i.key for i in config.figure_indicators} == {"policies.gaps", "policies.unexpected"}
    gaps = [g for g in queries.gaps_of(Household.objects.all(), day=local_today())]
    direct = {"policies.gaps": Counter(g.region_code for g in gaps if g.kind == "missing"),
              "policies.unexpected": Counter(g.region_code for g in gaps if g.kind == "unexpected")}
    assert direct["policies.gaps"][dibao_home.region_code] == 5  # the fixture's five entitlements
    assert direct["policies.unexpected"][plain_home.region_code] == 1
    today = local_today()
    for indicator in config.figure_indicators:
        computed = import_string(indicator.compute)(villages=None, start=today, end=today)
        assert computed == dict(direct[indicator.key]), indicator.key
        village = dibao_home.region_code
        one = import_string(indicator.compute)(villages=[village], start=today, end=today)
        assert one == {k: v for k, v in direct[indicator.key].items() if k == village}, indicator.key
