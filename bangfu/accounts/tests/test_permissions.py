"""The one table of who may do what."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from bangfu.accounts.models import Role
from bangfu.accounts.permissions import PERMISSIONS, can


@pytest.mark.parametrize("persona,action,allowed", [
    ("caseworker_a", "household.view", True),
    ("caseworker_a", "household.create", False),
    ("caseworker_a", "household.change", True),
    ("caseworker_a", "household.delete", False),
    ("caseworker_a", "member.reveal_phone", True),
    ("caseworker_a", "member.reveal_id", False),
    ("village_a", "household.assign", True),
    ("village_a", "member.reveal_id", False),
    ("office", "member.reveal_id", True),
    ("office", "household.delete", True),
    ("county", "household.view", True),
    ("county", "household.change", False),
    ("admin", "user.manage", True),
    ("caseworker_a", "household.import", False),
    ("county", "household.import", False),
    ("village_a", "household.import", True),
    ("office", "household.import", True),
    ("admin", "household.import", True),
    ("office", "user.manage", False),
])
def test_role_table(personas, persona, action, allowed):
    assert can(personas[persona], action) is allowed


@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_a_volunteer_may_only_do_the_daily_checks(volunteer_a, action):
    assert can(volunteer_a, action) is (action in {"check.view", "check.submit", "check.menu"})


def test_a_volunteer_belongs_to_a_village(regions):
    from django.core.exceptions import ValidationError

    from bangfu.accounts.services import user_add

    with pytest.raises(ValidationError) as error:
        user_add(username="v", role=Role.VOLUNTEER, region_code="370215010", password="x", check_password=False)
    assert "region" in error.value.message_dict


def test_anonymous_and_inactive_may_do_nothing(personas):
    user = personas["office"]
    user.is_active = False
    for action in PERMISSIONS:
        assert not can(AnonymousUser(), action)
        assert not can(user, action)


def test_unknown_action_is_a_programming_error(personas):
    with pytest.raises(KeyError):
        can(personas["office"], "household.teleport")


def test_every_role_appears_somewhere():
    assert set().union(*PERMISSIONS.values()) == set(Role.values)
