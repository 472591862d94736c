"""Operator commands of accounts: `bangfu user add`, `bangfu user list` and `bangfu token create`."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.accounts.models import ApiToken, User
from bangfu.accounts.services import token_user
from bangfu.core.permissions import Role
from conftest import VILLAGE_A


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


# --- user add --------------------------------------------------------------------------------

def test_user_add_prints_the_generated_password_which_works(regions):
    out = run("user", "add", "sunlei", "--role", "caseworker", "--region", VILLAGE_A, "--name", "孙磊")
    user = User.objects.get(username="sunlei")
    assert (user.role, user.region_id, user.display_name) == (Role.CASEWORKER, VILLAGE_A, "孙磊")
    # The password follows a label ("Password:" or "密码：") on its own line.
    candidates = [re.split(r"[:：]\s*", line, maxsplit=1)[-1].strip() for line in out.splitlines()]
    assert any(user.check_password(candidate) for candidate in candidates)
    assert "戴家庄村" in out


def test_user_add_with_a_given_password_does_not_print_it(regions):
    out = run("user", "add", "office2", "--role", "township_office", "--region", "370215010",
              "--password", "long-enough-pass")
    assert "long-enough-pass" not in out
    assert User.objects.get(username="office2").check_password("long-enough-pass")


def test_user_add_admin_needs_no_region(regions):
    run("user", "add", "root", "--role", "admin")
    root = User.objects.get(username="root")
    assert root.is_superuser and root.region_id is None


@pytest.mark.parametrize("args, fragment", [
    (["--role", "boss", "--region", VILLAGE_A], "role"),
    (["--role", "caseworker", "--region", "999999999999"], "999999999999"),
    (["--role", "village", "--region", "370215010"], "region"),  # a village cadre belongs to a village
    (["--role", "caseworker"], "--region"),
    (["--role", "admin", "--region", VILLAGE_A], "--region"),
    (["--role", "caseworker", "--region", VILLAGE_A, "--password", "123"], "password"),
])
def test_user_add_refuses_bad_input_and_writes_nothing(regions, args, fragment):
    with pytest.raises(CommandError) as raised:
        run("user", "add", "newbie", *args)
    assert fragment in str(raised.value)
    assert raised.value.returncode == 1
    assert not User.objects.filter(username="newbie").exists()


def test_user_add_refuses_a_duplicate(personas):
    before = User.objects.get(username="office").password
    with pytest.raises(CommandError) as raised:
        run("user", "add", "office", "--role", "county", "--region", "370215")
    assert "office" in str(raised.value)
    assert User.objects.get(username="office").password == before
    assert User.objects.get(username="office").role == Role.TOWNSHIP_OFFICE


def test_user_list_shows_everyone(personas):
    out = run("user", "list")
    assert all(name in out for name in personas)


# --- token create ----------------------------------------------------------------------------

def test_token_create_prints_a_token_that_authenticates(personas):
    secret = run("token", "create", "caseworker_a", "--name", "phone").strip()
    assert secret.startswith("bf_") and "\n" not in secret
    assert token_user(secret) == personas["caseworker_a"]
    token = ApiToken.objects.get(user=personas["caseworker_a"])
    assert token.name == "phone" and secret not in token.key_hash


def test_token_create_refuses_an_unknown_or_inactive_user(personas):
    with pytest.raises(CommandError):
        run("token", "create", "nobody")
    User.objects.filter(username="county").update(is_active=False)
    with pytest.raises(CommandError):
        run("token", "create", "county")
    assert not ApiToken.objects.exists()
