"""visible_to(user): the one scope door, for every role."""

from __future__ import annotations

from bangfu.households.models import Household
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER


def test_each_role_sees_its_own_area(make_household, personas):
    a = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    b = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    other = make_household(VILLAGE_OTHER)

    def seen(persona):
        return set(Household.objects.visible_to(personas[persona]).values_list("pk", flat=True))

    assert seen("admin") == {a.pk, b.pk, other.pk}
    assert seen("county") == {a.pk, b.pk}
    assert seen("office") == {a.pk, b.pk}
    assert seen("village_a") == {a.pk}
    assert seen("caseworker_a") == {a.pk}
    assert seen("caseworker_b") == {b.pk}
    assert seen("outsider_office") == {other.pk}


def test_caseworker_sees_only_assigned_households_of_own_village(make_household, personas):
    unassigned = make_household(VILLAGE_A)
    assert not Household.objects.visible_to(personas["caseworker_a"]).filter(pk=unassigned.pk).exists()


def test_caseworker_sees_village_when_deployment_allows(make_household, personas, settings):
    settings.CASEWORKER_SEES_VILLAGE = True
    unassigned = make_household(VILLAGE_A)
    assert Household.objects.visible_to(personas["caseworker_a"]).filter(pk=unassigned.pk).exists()
    assert not Household.objects.visible_to(personas["caseworker_b"]).filter(pk=unassigned.pk).exists()
