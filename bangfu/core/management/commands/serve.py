"""`bangfu serve`: serve the application with granian (WSGI), static files through whitenoise."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from bangfu.core.plugins import declared
from bangfu.core.staticstorage import static_collect_if_stale


def unapplied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    connection = connections[alias]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def nothing_migrated(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """A database no migration was ever applied to: a fresh install, safe to create at once."""
    return not MigrationExecutor(connections[alias]).loader.applied_migrations


def first_run_steps(*, base_url: str) -> list[str]:
    """What each app does before the server starts (`serve_steps` on its AppConfig: the division
    tree loaded when missing, the first administrator's setup link); the lines they print."""
    lines: list[str] = []
    for step in declared("serve_steps"):
        lines += import_string(step.function)(base_url=base_url) or []
    return lines


def granian_command(*, host: str, port: int, workers: int, threads: int, access_log: bool) -> list[str]:
    """The granian command line: the same on Linux, macOS and Windows (granian runs on all three)."""
    command = [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads), "--no-ws",
        "--log-level", "warning" if not access_log else "info",
    ]
    if access_log:
        command.append("--access-log")
    return [*command, "bangfu.wsgi:application"]


def consumer_command() -> list[str]:
    """The background task consumer (huey), run beside the web server: imports, big exports."""
    return [sys.executable, "-m", "bangfu", "run_huey", "--quiet"]


def _stop(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a child to finish what it is doing (SIGINT: huey finishes its running tasks), then insist."""
    if process.poll() is not None:
        return
    try:
        process.send_signal(signal.SIGINT if os.name == "posix" else signal.SIGTERM)
        process.wait(timeout=timeout)
    except (subprocess.TimeoutExpired, KeyboardInterrupt):
        process.kill()
        process.wait()


def default_threads() -> int:
    """Threads per worker: enough to overlap database waits, not so many that they fight for the GIL."""
    return min(8, 2 * (os.cpu_count() or 1) + 1)


def port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.create_server((host, port), family=family):
            return True
    except OSError:
        return False


def serve(*, host: str, port: int, workers: int, threads: int, access_log: bool = False, tasks: bool = True,
          stdout=None) -> int:
    """Run granian in a child process until it stops or we are interrupted, and (with `tasks`) the
    task consumer in another, stopped with it; returns granian's exit code."""
    command = granian_command(host=host, port=port, workers=workers, threads=threads, access_log=access_log)
    # The child inherits the environment: settings module, DATABASE_URL, BANGFU_DATA_DIR.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    # Hashed, compressed static files, collected again only when their sources changed (an upgrade),
    # before the server's processes start and read them.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    static_collect_if_stale()
    for connection in connections.all():
        connection.close()
    child = subprocess.Popen(command)
    consumer = subprocess.Popen(consumer_command()) if tasks else None
    forwarded = []
    if os.name == "posix":
        # A supervisor's SIGTERM (or SIGHUP) to this process must stop the server too, not orphan it.
        def forward(signum, _frame):
            forwarded.append(signum)
            child.send_signal(signum)

        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, forward)
    try:
        return child.wait()
    except KeyboardInterrupt:
        # Ctrl-C in a terminal reaches granian as well; an interrupt sent to this process alone does
        # not, so pass it on (twice is harmless). Then give granian time to finish its requests.
        if os.name == "posix" and child.poll() is None:
            child.send_signal(signal.SIGINT)
        try:
            return child.wait(timeout=15)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.kill()
            return child.wait()
    finally:
        if consumer is not None:
            _stop(consumer)


class Command(BaseCommand):
    help = "Serve bangfu with granian (WSGI). Refuses to start while migrations are unapplied, unless --migrate."
    requires_system_checks = "__all__"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1",
                            help="address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
        parser.add_argument("--threads", type=int, default=default_threads(),
                            help="threads per worker, each with its own database connection "
                                 "(default: twice the CPU cores plus one, at most 8)")
        parser.add_argument("--migrate", action="store_true", help="apply unapplied migrations first")
        parser.add_argument("--access-log", action="store_true", help="log every request")
        parser.add_argument("--no-tasks", action="store_true",
                            help="do not start the background task consumer (run 'bangfu run_huey' apart)")

    def handle(self, *args, host, port, workers, threads, migrate, access_log, no_tasks, **options):
        if workers < 1 or threads < 1:
            raise CommandError(_("--workers and --threads are at least 1."))
        pending = unapplied_migrations()
        # A fresh data folder (or an empty database) is created at once; an upgrade's migrations wait
        # for the operator's word (--migrate or 'bangfu migrate'), as other servers may still run.
        if pending and (migrate or nothing_migrated()):
            from django.core.management import call_command

            call_command("migrate", interactive=False, verbosity=1)
        elif pending:
            raise CommandError(
                _("The database has %(count)d unapplied migrations (%(first)s ...). "
                  "Run 'bangfu migrate' first, or start with 'bangfu serve --migrate'.")
                % {"count": len(pending), "first": pending[0]}
            )
        if not port_free(host, port):
            raise CommandError(_("Port %(port)d on %(host)s is already in use (another server?). "
                                 "Choose another with --port.") % {"port": port, "host": host})
        lines = first_run_steps(base_url=f"http://{shown_host(host)}:{port}")
        self.stdout.write(serving_banner(host=host, port=port, workers=workers, threads=threads))
        for line in lines:
            self.stdout.write(line)
        code = serve(host=host, port=port, workers=workers, threads=threads, access_log=access_log,
                     tasks=not no_tasks)
        if code not in (0, -signal.SIGINT, -signal.SIGTERM, 130):
            raise CommandError(_("The server stopped with exit code %(code)s.") % {"code": code})


def shown_host(host: str) -> str:
    """The host as a browser on this machine reaches it, in a URL."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"[{shown}]" if ":" in shown else shown


def serving_banner(*, host: str, port: int, workers: int, threads: int) -> str:
    shown = shown_host(host)
    lines = [
        _("Serving bangfu on http://%(host)s:%(port)d/ (granian, %(workers)d worker(s) x %(threads)d threads). "
          "Ctrl-C stops it.") % {"host": shown, "port": port, "workers": workers, "threads": threads},
    ]
    if host in ("0.0.0.0", "::") or host not in ("127.0.0.1", "localhost", "::1"):
        lines.append(_("Other machines reach it by this machine's address; add that address to ALLOWED_HOSTS "
                       "(now: %(hosts)s).") % {"hosts": ", ".join(settings.ALLOWED_HOSTS)})
    return "\n".join(lines)
