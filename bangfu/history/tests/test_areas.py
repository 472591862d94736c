"""History's counts of changes by area: what kept pages (history.pagecache) are checked against."""

from __future__ import annotations

from django.db import transaction

from bangfu.history import queries
from django.db.models import Sum

from bangfu.history.models import Action, AreaChange
from bangfu.history.services import areas_touch, change_record, changes_bulk_insert
from conftest import VILLAGE_A, VILLAGE_B

TOWNSHIP = VILLAGE_A[:9]
OTHER_VILLAGE = "410308103001"


def _versions() -> dict[str, int]:
    return dict(AreaChange.objects.values("region_code").annotate(n=Sum("count")).values_list("region_code", "n"))


def _counted(before: dict[str, int]) -> dict[str, int]:
    """The changes counted since `before` (making the personas counted theirs)."""
    return {code: n - before.get(code, 0) for code, n in _versions().items() if n != before.get(code, 0)}


def test_a_change_counts_in_its_village_and_a_village_group_counts_in_its_village(personas):
    before = _versions()
    change_record(actor=personas["office"], action=Action.UPDATE, object_type="household", object_id=1,
                  region_code=VILLAGE_A)
    change_record(actor=personas["office"], action=Action.UPDATE, object_type="household", object_id=2,
                  region_code=VILLAGE_A + "001")
    assert _counted(before) == {VILLAGE_A: 2}


def test_reading_counts_nothing(personas):
    before = _versions()
    for action in (Action.REVEAL, Action.EXPORT):
        change_record(actor=personas["office"], action=action, object_type="member", object_id=1,
                      region_code=VILLAGE_A)
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


def test_a_caseworkers_version_follows_their_other_work_in_other_villages(make_household, personas):
    from bangfu.casework.worklist import caseworker_version, other_work_areas
    from bangfu.emergency.models import Delivery, DeliveryKind

    a = personas["caseworker_a"]
    make_household(VILLAGE_A, caseworker=a)
    theirs = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    assert len(other_work_areas()) == 2  # open deliveries, needs recorded until confirmed

    def version():
        return caseworker_version(a.pk, a.region_id)

    first = version()
    areas_touch([VILLAGE_B])
    assert version() == first
    # The office gives caseworker_a an errand for a household of village B.
    delivery = Delivery.objects.create(household=theirs, region_code=VILLAGE_B, kind=DeliveryKind.ERRAND,
                                       description="买药", caseworker=a, requested_by=personas["office"],
                                       requested_at=theirs.created_at)
    given = version()
    assert given != first
    areas_touch([VILLAGE_B])  # now anything there concerns them
    assert version() != given
    touched = version()
    Delivery.objects.filter(pk=delivery.pk).update(status="delivered", done_at=theirs.created_at)  # done: not theirs now
    assert version() != touched
    done = version()
    areas_touch([VILLAGE_B])
    assert version() == done
