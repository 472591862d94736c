"""A caseworker's version (casework.worklist.caseworker_version over history.queries): the changes
in the villages of their work, their own village and the areas above."""

from __future__ import annotations

from bangfu.casework.worklist import caseworker_version
from bangfu.core.codes import township_of
from bangfu.history.services import area_changes_fold, areas_touch
from conftest import VILLAGE_A, VILLAGE_B

TOWNSHIP = township_of(VILLAGE_A)
OTHER_VILLAGE = "410308103001"


def test_a_caseworkers_version_follows_their_households_wherever_they_are(make_household, personas):
    a = personas["caseworker_a"]
    household = make_household(VILLAGE_A, caseworker=a)
    first = caseworker_version(a.pk, a.region_id)
    areas_touch([OTHER_VILLAGE])
    assert caseworker_version(a.pk, a.region_id) == first
    # A household of theirs outside their township (it kept its caseworker when it moved).
    type(household).objects.filter(pk=household.pk).update(region_code=OTHER_VILLAGE)
    moved = caseworker_version(a.pk, a.region_id)
    assert moved != first
    areas_touch([OTHER_VILLAGE])
    assert caseworker_version(a.pk, a.region_id) != moved
    # Taken away from them: the set of villages changes even though no count does.
    touched = caseworker_version(a.pk, a.region_id)
    type(household).objects.filter(pk=household.pk).update(caseworker=None)
    assert caseworker_version(a.pk, a.region_id) != touched


def test_a_caseworkers_version_leaves_the_townships_other_villages_but_not_the_township(make_household, personas):
    a = personas["caseworker_a"]
    make_household(VILLAGE_A, caseworker=a)
    first = caseworker_version(a.pk, a.region_id)
    areas_touch([VILLAGE_B])  # a sibling village with none of their households
    assert caseworker_version(a.pk, a.region_id) == first
    areas_touch([TOWNSHIP])  # the township's own records: a campaign, an emergency
    assert caseworker_version(a.pk, a.region_id) != first


def test_folding_keeps_a_caseworkers_version(make_household, personas):
    a = personas["caseworker_a"]
    make_household(VILLAGE_A, caseworker=a)
    for code in (VILLAGE_A, VILLAGE_A, VILLAGE_B, TOWNSHIP):
        areas_touch([code])
    seen = caseworker_version(a.pk, a.region_id)
    assert area_changes_fold() > 0
    assert caseworker_version(a.pk, a.region_id) == seen
