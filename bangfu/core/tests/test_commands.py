"""`bangfu serve`'s checks, and how it starts the server and the task consumer."""

from __future__ import annotations

import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.core.management.commands import serve as serve_module


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """serve() collects the static files first: into this test's own folder."""
    settings.STATIC_ROOT = tmp_path / "static"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


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
