"""Scheduled work for needs (huey): escalate overdue needs, and keep the summary rows current."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.needs import services


@db_periodic_task(crontab(minute="*/5"))
def needs_escalate_task() -> None:
    # Once per need however often this runs (escalated_at is set by compare-and-set).
    services.needs_escalate()


@db_periodic_task(crontab(minute="*/15"))
def summary_refresh_task() -> None:
    # Needs become overdue with time alone: recount so the numbers say so.
    services.summary_refresh()
