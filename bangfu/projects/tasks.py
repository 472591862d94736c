"""Scheduled work for projects (huey): escalate projects past their stage's deadline, once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.projects import services


@db_periodic_task(crontab(minute="7", hour="*"))
def projects_escalate_task() -> None:
    # Once per project and stage however often this runs (escalated_at is set by compare-and-set).
    services.projects_escalate()
