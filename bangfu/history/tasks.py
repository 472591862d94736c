"""Background tasks (huey): fold the counts of changes by area (history.pagecache) so that reading
an area's version stays short. Safe to run twice at once: folding never lowers a version."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.history import services


@db_periodic_task(crontab(minute="*/10"))
def area_changes_fold_task() -> None:
    services.area_changes_fold()
