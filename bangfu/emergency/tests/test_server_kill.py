"""A server killed without warning (SIGKILL) in the middle of a burst of daily checks loses and
doubles nothing: `bangfu serve` on a database file (or a PostgreSQL database of its own when the
suite runs on PostgreSQL), a client that keeps each submission until it is acknowledged (as the
page's outbox does), the server killed and started again, the rest sent again with the same client
ids and bodies."""

from __future__ import annotations

import http.client
import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
BURST = 80
KILL_AFTER = 15  # acknowledged submissions before the kill
SENDERS = 4

SETUP = """
import json
from bangfu.accounts.services import token_create, user_add
from bangfu.emergency.models import HealthCheck
from bangfu.emergency.services import check_people, checks_generate, emergency_open
from bangfu.households.services import household_create
from bangfu.regions.models import Region
from conftest import REGIONS, VILLAGE_A, household_data, member_data

for code, name, level, parent in REGIONS:
    Region.objects.create(code=code, name=name, level=level, parent_id=parent)
office = user_add(username="office", role="township_office", region_code="370215010", password="pw-office-1234",
                  display_name="office", check_password=False)[0]
for i in range(6):
    household_create(actor=office, data=household_data(Region.objects.get(code=VILLAGE_A)),
                     members=[member_data(name="住户" + str(i))])
from bangfu.core.dates import local_today
emergency_open(region=Region.objects.get(code="370215010"), kind="epidemic", title="疫情防控",
               start=local_today(), actor=office)
checks_generate()
checks = [[c.pk, check_people(c)[0][0]] for c in HealthCheck.objects.order_by("pk")]
print(json.dumps({"token": token_create(user=office), "checks": checks}))
"""

COUNT = """
import json
from bangfu.emergency.models import CheckSubmission
rows = CheckSubmission.objects.filter(client_id__startswith="k9-").values("client_id", "check_row_id")
counts = {}
for row in rows:
    counts.setdefault(row["client_id"], []).append(row["check_row_id"])
print(json.dumps(counts))
"""


def _bangfu(env, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "bangfu", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env, port: int) -> subprocess.Popen:
    """`bangfu serve` in a process group of its own (granian and its worker), listening."""
    server = subprocess.Popen(
        [sys.executable, "-m", "bangfu", "serve", "--no-tasks", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    for _attempt in range(600):  # a guard, not a timing: at most a minute
        assert server.poll() is None, f"bangfu serve stopped ({server.returncode})"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.1)
    os.killpg(server.pid, signal.SIGKILL)
    pytest.fail("bangfu serve did not listen within a minute")


def _kill(server: subprocess.Popen) -> None:
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    server.wait(timeout=30)


class Outbox:
    """The page's outbox as the server sees it: every submission keeps its client id and body and
    stays until a 200/201 acknowledges it; a refused one (4xx) would be a bug here."""

    def __init__(self, token: str, checks: list[list]):
        self.token = token
        self.pending: dict[str, tuple[int, dict]] = {}
        self.acknowledged: list[str] = []
        self.refused: list[str] = []
        self.lock = threading.Lock()
        for index in range(BURST):
            check_id, person = checks[index % len(checks)]
            client_id = f"k9-{uuid.uuid4()}"
            self.pending[client_id] = (check_id, {
                "client_id": client_id, "temperatures": {person: f"36.{index % 10}"}, "disinfection": True,
                "symptoms": False, "supplies_enough": True, "help_needed": False, "note": f"第{index}次"})

    def send(self, port: int, client_id: str) -> bool:
        check_id, body = self.pending[client_id]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            connection.request("POST", f"/api/checks/{check_id}", json.dumps(body),
                               {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            return False  # no answer: kept, to send again
        finally:
            connection.close()
        with self.lock:
            if response.status in (200, 201):
                self.acknowledged.append(client_id)
                del self.pending[client_id]
                return True
            if 400 <= response.status < 500:
                self.refused.append(f"{response.status} {answer[:300]!r}")
        return False


@pytest.fixture
def server_env(tmp_path):
    """The environment of a server of its own: a data directory, and a database file (or, when the
    suite runs on PostgreSQL, a database made for this test and dropped after it)."""
    env = {**os.environ, "BANGFU_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "bangfu.settings",
           "PYTHONPATH": str(ROOT)}
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        yield env
        return
    import psycopg

    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_kill_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        yield env
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_server_killed_mid_burst_stores_every_submission_exactly_once(server_env):
    _bangfu(server_env, "migrate", "--verbosity", "0")
    setup = json.loads(_bangfu(server_env, "shell", "-c", SETUP).strip().splitlines()[-1])
    outbox = Outbox(setup["token"], setup["checks"])
    every = list(outbox.pending)

    port = _free_port()
    server = _serve(server_env, port)
    try:
        work: queue.Queue[str] = queue.Queue()
        for client_id in every:
            work.put(client_id)

        def sender():
            while True:
                try:
                    client_id = work.get_nowait()
                except queue.Empty:
                    return
                outbox.send(port, client_id)

        senders = [threading.Thread(target=sender, daemon=True) for _ in range(SENDERS)]
        for thread in senders:
            thread.start()
        for _attempt in range(3000):  # a guard: at most five minutes
            if len(outbox.acknowledged) >= KILL_AFTER or not any(t.is_alive() for t in senders):
                break
            time.sleep(0.1)
        _kill(server)  # in the middle of the burst, without warning
        for thread in senders:
            thread.join(120)
    finally:
        _kill(server)
    acknowledged_before = list(outbox.acknowledged)
    assert not outbox.refused, outbox.refused
    assert len(acknowledged_before) >= KILL_AFTER
    assert outbox.pending, "the kill came after the burst: nothing was left to send again"

    # Started again; the outbox sends what was not acknowledged, with the same ids and bodies.
    port = _free_port()
    server = _serve(server_env, port)
    try:
        for client_id in list(outbox.pending):
            assert outbox.send(port, client_id), (client_id, outbox.refused)
    finally:
        _kill(server)
    assert not outbox.pending and not outbox.refused
    assert sorted(outbox.acknowledged) == sorted(every)

    stored = json.loads(_bangfu(server_env, "shell", "-c", COUNT).strip().splitlines()[-1])
    # Every submission, acknowledged before the kill or only after the resend, is stored exactly
    # once, on its own check.
    assert sorted(stored) == sorted(every)
    for client_id in every:
        assert stored[client_id] == [outbox_check(setup, every, client_id)], client_id


def outbox_check(setup, every: list[str], client_id: str) -> int:
    return setup["checks"][every.index(client_id) % len(setup["checks"])][0]
