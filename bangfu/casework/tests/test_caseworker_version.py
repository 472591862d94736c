"""A caseworker's version (casework.worklist.caseworker_version): the changes in the villages of their
households and other work, which their kept pages (history.pagecache) are checked against."""

from __future__ import annotations

from django.db.models import Sum

from bangfu.casework.worklist import caseworker_version
from bangfu.core.codes import township_of
from bangfu.history import queries
from bangfu.history.models import AreaChange
from bangfu.history.services import area_changes_fold, areas_touch
from conftest import VILLAGE_A, VILLAGE_B

TOWNSHIP = township_of(VILLAGE_A)
OTHER_VILLAGE = "410308103001"


def _versions() -> dict[str, int]:
    return dict(AreaChange.objects.values("region_code").annotate(n=Sum("count")).values_list("region_code", "n"))


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


def test_folding_keeps_every_version_and_leaves_one_row_an_area(make_household, personas):
    a = personas["caseworker_a"]
    make_household(VILLAGE_A, caseworker=a)
    for code in (VILLAGE_A, VILLAGE_A, VILLAGE_B, TOWNSHIP):
        areas_touch([code])
    versions = _versions()
    seen = (queries.area_version(TOWNSHIP), queries.area_version(VILLAGE_A), queries.area_version(""),
            caseworker_version(a.pk, a.region_id))
    removed = area_changes_fold()
    assert removed > 0 and AreaChange.objects.count() == len(versions)
    assert _versions() == versions
    assert (queries.area_version(TOWNSHIP), queries.area_version(VILLAGE_A), queries.area_version(""),
            caseworker_version(a.pk, a.region_id)) == seen
    assert area_changes_fold() == 0  # nothing left to fold
    areas_touch([VILLAGE_A])
    assert queries.area_version(VILLAGE_A) == seen[1] + 1
