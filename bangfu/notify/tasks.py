"""Background delivery of the outbox (huey): soon after a message is enqueued, and every minute
for retries."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bangfu.notify import services


@db_task()
def deliver_task() -> None:
    services.messages_deliver()


@db_periodic_task(crontab(minute="*"))
def deliver_periodic_task() -> None:
    services.messages_deliver()


@db_periodic_task(crontab(minute="*"))
def digests_close_task() -> None:
    # A window that ended sends its digest (compare-and-set: a second run closes nothing twice).
    services.digests_close()
