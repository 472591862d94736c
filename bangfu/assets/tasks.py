"""Scheduled work for assets (huey): escalate the fixes past their fix-by day, once."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.assets import services


@db_periodic_task(crontab(minute="17", hour="*"))
def findings_escalate_task() -> None:
    services.findings_escalate()
