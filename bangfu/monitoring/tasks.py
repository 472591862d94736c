"""Background tasks (huey): escalate overdue identification steps, once each (safe to run twice)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.monitoring import services


@db_periodic_task(crontab(minute="*/15"))
def leads_escalate_task() -> None:
    services.leads_escalate()


@db_periodic_task(crontab(hour="2", minute="30"))
def flags_refresh_task() -> None:
    """Nightly: every household's rule flags (rules.RULES) raised or cleared."""
    from bangfu.monitoring.rules import flags_refresh

    flags_refresh()
