"""History's counts of changes by area: what kept pages (history.pagecache) are checked against."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Sum

from bangfu.core.codes import township_of
from bangfu.history import queries
from bangfu.history.models import Action, AreaChange
from bangfu.history.services import area_changes_fold, areas_touch, changes_bulk_insert, record
from conftest import VILLAGE_A, VILLAGE_B

TOWNSHIP = township_of(VILLAGE_A)
OTHER_VILLAGE = "410308103001"


def _versions() -> dict[str, int]:
    return dict(AreaChange.objects.values("region_code").annotate(n=Sum("count")).values_list("region_code", "n"))


def _counted(before: dict[str, int]) -> dict[str, int]:
    """The changes counted since `before` (making the personas counted theirs)."""
    return {code: n - before.get(code, 0) for code, n in _versions().items() if n != before.get(code, 0)}


def test_a_change_counts_in_its_village_and_a_village_group_counts_in_its_village(personas, make_household):
    household = make_household(VILLAGE_A)
    before = _versions()
    record(personas["office"], Action.UPDATE, household, before={"address": "村东"}, after={"address": "村西"})
    record(personas["office"], Action.UPDATE, household, before={"address": "村西"}, after={"address": "村北"},
           region_code=VILLAGE_A + "001")
    assert _counted(before) == {VILLAGE_A: 2}


def test_reading_counts_nothing(personas, make_household):
    member = make_household(VILLAGE_A).members.get()
    before = _versions()
    for action in (Action.REVEAL, Action.EXPORT):
        record(personas["office"], action, member, message="id_number")
    changes_bulk_insert(actor=personas["office"], message="export", rows=[
        (Action.EXPORT, "household", 1, "H1", 1, VILLAGE_A, None, None)])
    assert _counted(before) == {}


def test_bulk_rows_count_once_per_area_and_a_rolled_back_import_counts_nothing(personas):
    before = _versions()
    rows = [(Action.CREATE, "member", n, "m", n, code, None, {"n": n})
            for n, code in enumerate([VILLAGE_A, VILLAGE_A, VILLAGE_B])]
    try:
        with transaction.atomic():
            changes_bulk_insert(actor=personas["office"], message="import", rows=rows)
            assert _counted(before) == {VILLAGE_A: 1, VILLAGE_B: 1}
            raise RuntimeError("dry run")
    except RuntimeError:
        pass
    assert _counted(before) == {}
    changes_bulk_insert(actor=personas["office"], message="import", rows=rows)
    assert _counted(before) == {VILLAGE_A: 1, VILLAGE_B: 1}


def test_an_areas_version_moves_with_changes_under_it_and_above_it_only(regions):
    township = queries.area_version(TOWNSHIP)
    village = queries.area_version(VILLAGE_A)
    areas_touch([OTHER_VILLAGE])  # another province
    assert (queries.area_version(TOWNSHIP), queries.area_version(VILLAGE_A)) == (township, village)
    areas_touch([VILLAGE_B])  # a sibling village: the township's pages change, village A's do not
    assert queries.area_version(TOWNSHIP) > township and queries.area_version(VILLAGE_A) == village
    township = queries.area_version(TOWNSHIP)
    for above in ("", "37", "370215", TOWNSHIP):  # no region, the province, the county, the township
        areas_touch([above])
        assert queries.area_version(VILLAGE_A) > village
        village = queries.area_version(VILLAGE_A)
    assert queries.area_version(TOWNSHIP) == township + 4
    assert queries.area_version("") == sum(_versions().values())  # an administrator's: everything


def test_folding_keeps_every_version_and_leaves_one_row_an_area(regions):
    for code in (VILLAGE_A, VILLAGE_A, VILLAGE_B, TOWNSHIP):
        areas_touch([code])
    versions = _versions()
    seen = (queries.area_version(TOWNSHIP), queries.area_version(VILLAGE_A), queries.area_version(""))
    removed = area_changes_fold()
    assert removed > 0 and AreaChange.objects.count() == len(versions)
    assert _versions() == versions
    assert (queries.area_version(TOWNSHIP), queries.area_version(VILLAGE_A), queries.area_version("")) == seen
    assert area_changes_fold() == 0  # nothing left to fold
    areas_touch([VILLAGE_A])
    assert queries.area_version(VILLAGE_A) == seen[1] + 1
