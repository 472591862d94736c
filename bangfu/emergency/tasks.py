"""Background tasks (huey): make the day's daily checks of open emergencies each morning
(idempotent, so a rerun or a second consumer creates nothing new)."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from bangfu.emergency import services


# 00:05 Shanghai time (huey's crontab runs in UTC here: settings.HUEY["utc"]).
@db_periodic_task(crontab(hour="16", minute="5"))
def checks_generate_task() -> None:
    services.checks_generate()


# 08:00 Shanghai time: yesterday's numbers to the township's work groups (once per day and emergency).
@db_periodic_task(crontab(hour="0", minute="0"))
def morning_numbers_task() -> None:
    services.morning_numbers_publish()
