"""Deliveries and the kept pages (history.pagecache): an errand the office gives a caseworker for a
household that is not theirs shows on their worklist at once, and their areas' version follows
their open deliveries in other villages."""

from __future__ import annotations

from django.urls import reverse

from bangfu.casework.tests.conftest import casework, log  # noqa: F401 (fixtures)
from bangfu.casework.tests.test_pagecache import KEPT, _get
from bangfu.casework.worklist import caseworker_version, work_areas
from bangfu.core.codes import township_of
from bangfu.deliveries.models import Delivery, DeliveryKind
from bangfu.deliveries.services import delivery_complete, delivery_create
from bangfu.history.services import areas_touch
from conftest import VILLAGE_A, VILLAGE_B

TOWNSHIP = township_of(VILLAGE_A)


def test_an_errand_given_for_a_household_of_another_caseworker_shows_at_once(client, personas, casework, log):
    from bangfu.accounts.services import user_add
    from bangfu.core.permissions import Role

    # A caseworker of the whole township, with no household of their own in village B.
    township_caseworker, _password = user_add(username="caseworker_t", role=Role.CASEWORKER, region_code=TOWNSHIP,
                                              password="pw-caseworker_t", check_password=False)
    client.force_login(township_caseworker)
    url = reverse("casework:worklist")
    _n, first = _get(client, url)
    log(personas["caseworker_b"], casework["poor_b"])  # nothing of theirs yet
    assert _get(client, url) == (KEPT, first)
    delivery = delivery_create(household=casework["poor_b"], kind=DeliveryKind.ERRAND, description="代购降压药",
                               actor=personas["office"], caseworker=township_caseworker)
    n, html = _get(client, url)
    assert n > KEPT and "代购降压药" in html
    assert _get(client, url) == (KEPT, html)
    delivery_complete(delivery=delivery, received_by="户主本人", actor=personas["office"])
    # Done, it is no longer theirs, and the changes counted in their areas are those of the first
    # page, which is the page again: without the errand.
    assert _get(client, url) == (KEPT, first)


def test_a_caseworkers_version_follows_their_other_work_in_other_villages(make_household, personas):
    a = personas["caseworker_a"]
    make_household(VILLAGE_A, caseworker=a)
    theirs = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    # their households, open deliveries, needs recorded until confirmed, measures assigned to them
    assert len(work_areas()) == 4

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
