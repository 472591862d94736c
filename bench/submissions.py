#!/usr/bin/env python3
"""Throughput of daily-check submissions against `bangfu serve`, as a ratio to a trivial write.

    .venv/bin/python bench/submissions.py [--households 400] [--requests 300] [--clients 1,10,50]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_submissions .venv/bin/python bench/submissions.py

Builds a database in a temporary data directory (SQLite there, or the PostgreSQL database named in
DATABASE_URL, which is flushed: give it one of its own): `bangfu migrate`, `bangfu regions load`,
`bangfu synth --households N --county 370215`, an emergency over the county and today's checks,
and an API token for each synthetic caseworker of the county. Then starts `bangfu serve` (granian,
as deployed, on a free port of 127.0.0.1, with BANGFU_BENCH_ROUTES on) and, for each N of
--clients, sends from N concurrent clients (one thread and one kept-alive connection each):

- `POST /api/bench/trivial`: a write that does nothing, behind the same middleware and token auth;
- `POST /api/checks/{id}`: the daily check as the phone sends it, each with its own client id
  (a temperature for the head, the other answers), on the checks of the client's caseworker's
  households: the first of a check records it, the next ones correct it; every one is a write.

Each kind gets --requests requests at each N (spread over the clients), after a few to warm up.
Prints requests per second for both, the ratio checks / trivial (target: at least 0.5 at every N)
and the errors (any answer but 200/201, or no answer within 30 s; target 0).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COUNTY = "370215"
TIMEOUT = 30.0


def bangfu(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "bangfu", *args], check=True, capture_output=True, text=True,
                          cwd=ROOT, env=env)
    return done.stdout.strip()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(households: int, env: dict[str, str]) -> tuple[list[tuple[str, list[tuple[int, str]]]], str]:
    """The database with an emergency and today's checks; per caseworker, a token and their checks
    (check id, the person key of the head)."""
    started = time.perf_counter()
    bangfu("migrate", "--verbosity", "0", env=env)
    bangfu("regions", "load", env=env)
    synth = bangfu("synth", "--households", str(households), "--county", COUNTY, env=env)
    built = time.perf_counter() - started
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import datetime as dt

    from bangfu.accounts.models import User
    from bangfu.accounts.services import token_create
    from bangfu.core.dates import local_today
    from bangfu.core.permissions import Role
    from bangfu.emergency.models import HealthCheck
    from bangfu.emergency.services import check_people, checks_generate, emergency_open
    from bangfu.regions.models import Region

    county = User.objects.get(username=f"synth-{COUNTY}")
    emergency_open(region=Region.objects.get(code=COUNTY), kind="epidemic", title="bench 疫情防控",
                   start=local_today() - dt.timedelta(days=1), actor=county)
    checks_generate()
    work = []
    for caseworker in User.objects.filter(role=Role.CASEWORKER, username__startswith="synth-").order_by("pk"):
        checks = list(HealthCheck.objects.filter(household__caseworker=caseworker, day=local_today())
                      .select_related("household").order_by("pk"))
        items = []
        for check in checks:
            people = check_people(check)
            if people:
                items.append((check.pk, people[0][0]))
        if items:
            work.append((token_create(user=caseworker, name="bench"), items))
    from django.db import connections

    connections.close_all()
    return work, f"built in {built:.1f} s: {synth.splitlines()[-1] if synth else ''}; {len(work)} caseworkers"


class Client(threading.Thread):
    """One phone: a kept-alive connection, `count` requests of one kind, its errors."""

    def __init__(self, port: int, kind: str, token: str, checks: list[tuple[int, str]], count: int, start: int):
        super().__init__(daemon=True)
        self.port, self.kind, self.token, self.checks, self.count, self.start_at = port, kind, token, checks, count, start
        self.errors: list[str] = []
        self.done = 0

    def request(self, connection: http.client.HTTPConnection, index: int) -> None:
        client_id = f"bench-{uuid.uuid4()}"
        if self.kind == "trivial":
            path, body = "/api/bench/trivial", {"client_id": client_id}
        else:
            check_id, person = self.checks[index % len(self.checks)]
            path = f"/api/checks/{check_id}"
            body = {"client_id": client_id, "temperatures": {person: 36.5}, "disinfection": True,
                    "symptoms": False, "supplies_enough": True, "help_needed": False, "note": ""}
        connection.request("POST", path, json.dumps(body), {
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        response = connection.getresponse()
        payload = response.read()
        if response.status not in (200, 201):
            self.errors.append(f"{response.status} {payload[:200]!r}")

    def run(self) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        for index in range(self.start_at, self.start_at + self.count):
            try:
                self.request(connection, index)
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
            self.done += 1
        connection.close()


def measure(port: int, kind: str, work, clients: int, requests: int, offset: int) -> tuple[float, list[str]]:
    """Requests per second of `requests` requests of `kind` from `clients` concurrent clients."""
    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    threads = [Client(port, kind, *work[i % len(work)], count=share[i], start=offset + share[i] * (i // len(work)))
               for i in range(clients) if share[i]]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT * (max(share) + 1))
    elapsed = time.perf_counter() - started
    errors = [error for thread in threads for error in thread.errors]
    errors += [f"{thread.name}: no answer" for thread in threads if thread.is_alive()]
    return sum(thread.done for thread in threads) / elapsed, errors


def wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bangfu serve stopped with exit code {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bangfu serve did not listen on port {port} within {seconds:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=400)
    parser.add_argument("--requests", type=int, default=300, help="requests of each kind at each N")
    parser.add_argument("--clients", default="1,10,50", help="the numbers of concurrent clients")
    parser.add_argument("--threads", type=int, default=None, help="passed to bangfu serve")
    parser.add_argument("--keep", action="store_true", help="keep the temporary data directory")
    args = parser.parse_args()
    clients = [int(n) for n in args.clients.split(",")]

    data_dir = Path(tempfile.mkdtemp(prefix="bangfu-bench-submissions-"))
    env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "BANGFU_BENCH_ROUTES": "1",
           "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
    env.setdefault("DATABASE_URL", f"sqlite:///{data_dir / 'bench.sqlite3'}")
    if not env["DATABASE_URL"].startswith("sqlite"):
        bangfu("migrate", "--verbosity", "0", env=env)
        bangfu("flush", "--no-input", env=env)
    server = None
    try:
        work, built = prepare(args.households, env)
        port = free_port()
        command = [sys.executable, "-m", "bangfu", "serve", "--no-tasks", "--host", "127.0.0.1", "--port", str(port)]
        if args.threads:
            command += ["--threads", str(args.threads)]
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
        wait_for(port, server)
        database = "SQLite" if env["DATABASE_URL"].startswith("sqlite") else "PostgreSQL"
        print(f"bangfu serve on 127.0.0.1:{port}, {database}; {built}")
        print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {args.requests} requests of each kind "
              f"at each N")
        measure(port, "trivial", work, 2, 20, 0)  # warm up: imports, connections, caches
        measure(port, "checks", work, 2, 20, 0)
        rows = [("N", "trivial req/s", "checks req/s", "checks / trivial", "errors trivial", "errors checks")]
        offset = 20
        failures = []
        for n in clients:
            trivial, trivial_errors = measure(port, "trivial", work, n, args.requests, offset)
            checks, check_errors = measure(port, "checks", work, n, args.requests, offset)
            offset += args.requests
            rows.append((str(n), f"{trivial:.0f}", f"{checks:.0f}", f"{checks / trivial:.2f}",
                         str(len(trivial_errors)), str(len(check_errors))))
            failures += trivial_errors[:3] + check_errors[:3]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(cell.rjust(width) for cell, width in zip(row, widths, strict=True)))
        for failure in failures:
            print("error:", failure)
        met = all(float(row[3]) >= 0.5 and row[4] == row[5] == "0" for row in rows[1:])
        print("target (checks >= 0.5 x trivial at every N, 0 errors):", "met" if met else "NOT met")
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            print("data directory kept:", data_dir)


if __name__ == "__main__":
    main()
