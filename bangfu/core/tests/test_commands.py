"""Operator commands: `bangfu user add`, `bangfu token create`, and `bangfu serve`'s checks."""

from __future__ import annotations

import re
import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import VILLAGE_A
from bangfu.accounts.models import ApiToken, User
from bangfu.accounts.services import token_user
from bangfu.core.management.commands import serve as serve_module
from bangfu.core.permissions import Role


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


# --- serve -----------------------------------------------------------------------------------

def test_granian_runs_the_wsgi_application():
    command = serve_module.granian_command(host="127.0.0.1", port=8123, workers=2, threads=4, access_log=False)
    assert command[1:3] == ["-m", "granian"]
    assert command[command.index("--interface") + 1] == "wsgi"
    assert command[command.index("--port") + 1] == "8123"
    assert command[command.index("--workers") + 1] == "2"
    assert command[-1] == "bangfu.wsgi:application"


def test_serve_refuses_while_migrations_are_unapplied(db, monkeypatch):
    monkeypatch.setattr(serve_module, "unapplied_migrations", lambda: ["households.0009_new"])
    monkeypatch.setattr(serve_module, "serve", lambda **kwargs: pytest.fail("must not start"))
    with pytest.raises(CommandError, match="households.0009_new"):
        run("serve", "--port", "8123")


def test_serve_refuses_a_port_in_use(db, monkeypatch):
    monkeypatch.setattr(serve_module, "serve", lambda **kwargs: pytest.fail("must not start"))
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        assert not serve_module.port_free("127.0.0.1", port)
        with pytest.raises(CommandError, match=str(port)):
            run("serve", "--port", str(port))


def test_serve_starts_granian_when_all_is_well(db, monkeypatch):
    started = {}
    monkeypatch.setattr(serve_module, "serve", lambda **kwargs: started.update(kwargs) or 0)
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    out = run("serve", "--port", str(port), "--workers", "2")
    assert started["port"] == port and started["workers"] == 2
    assert f"http://127.0.0.1:{port}/" in out


class FakeProcess:
    """A child process that has already finished (granian) or runs until it is signalled (huey)."""

    started: list[FakeProcess] = []

    def __init__(self, command):
        self.command = command
        self.signals: list[int] = []
        self.returncode = 0 if "granian" in command else None
        FakeProcess.started.append(self)

    def poll(self):
        return self.returncode

    def wait(self, timeout=None):
        return self.returncode

    def send_signal(self, signum):
        self.signals.append(signum)
        self.returncode = -signum

    def kill(self):
        self.returncode = -9


def test_serve_runs_the_task_consumer_beside_granian_and_stops_it_with_the_server(db, monkeypatch):
    FakeProcess.started = []
    monkeypatch.setattr(serve_module.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(serve_module.signal, "signal", lambda *args: None)

    code = serve_module.serve(host="127.0.0.1", port=8123, workers=1, threads=2)

    granian, consumer = FakeProcess.started
    assert code == 0 and "granian" in granian.command
    assert consumer.command[1:4] == ["-m", "bangfu", "run_huey"]
    assert consumer.signals and consumer.poll() is not None  # stopped when the server stopped


def test_serve_without_tasks_starts_only_granian(db, monkeypatch):
    FakeProcess.started = []
    monkeypatch.setattr(serve_module.subprocess, "Popen", FakeProcess)
    monkeypatch.setattr(serve_module.signal, "signal", lambda *args: None)
    serve_module.serve(host="127.0.0.1", port=8123, workers=1, threads=2, tasks=False)
    assert len(FakeProcess.started) == 1


def test_serve_no_tasks_flag(db, monkeypatch):
    started = {}
    monkeypatch.setattr(serve_module, "serve", lambda **kwargs: started.update(kwargs) or 0)
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    run("serve", "--port", str(port), "--no-tasks")
    assert started["tasks"] is False
