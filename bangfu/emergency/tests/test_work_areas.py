"""A caseworker's version follows the deliveries the office gives them (casework.worklist)."""

from __future__ import annotations

from bangfu.casework.worklist import caseworker_version, work_areas
from bangfu.emergency.models import Delivery, DeliveryKind
from bangfu.history.services import areas_touch
from conftest import VILLAGE_A, VILLAGE_B


def test_a_caseworkers_version_follows_their_other_work_in_other_villages(make_household, personas):
    a = personas["caseworker_a"]
    make_household(VILLAGE_A, caseworker=a)
    theirs = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    assert len(work_areas()) == 3  # their households, open deliveries, needs recorded until confirmed

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
