"""Background tasks (huey): make the day's due follow-ups each morning (idempotent, so a rerun or a
second consumer creates nothing new)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.casework import services


# 05:10 Shanghai time (huey's crontab runs in UTC here: settings.HUEY["utc"]).
@db_periodic_task(crontab(hour="21", minute="10"))
def followups_generate_task() -> None:
    services.followups_generate()
