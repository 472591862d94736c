"""Background tasks (huey): run an import or export job; delete old job files each night."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from bangfu.imports import jobs


@db_task(retries=2, retry_delay=10, context=True)
def job_run_task(job_id: int, task=None) -> None:
    # Claims the job first (queued -> running): a task delivered twice does the work once.
    jobs.job_run(job_id=job_id, retries_left=task.retries if task is not None else 0)


@db_periodic_task(crontab(hour="3", minute="17"))
def job_files_purge_task() -> None:
    jobs.job_files_purge()
