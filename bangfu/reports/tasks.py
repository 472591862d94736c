"""Background tasks (huey): the incremental refresh every few minutes, the full rebuild nightly."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.reports import services


@db_periodic_task(crontab(minute="*/5"))
def figures_refresh_task() -> None:
    """The villages changed since the last run: their periods of today and before, and above."""
    services.figures_refresh()


@db_periodic_task(crontab(hour="1", minute="10"))
def figures_rebuild_task() -> None:
    """Nightly: every village, the periods of today and the ones before (backdated changes)."""
    services.figures_rebuild(previous=True)
