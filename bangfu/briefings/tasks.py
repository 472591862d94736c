"""Background work of the briefings app (huey): a village's files printed into one PDF."""

from __future__ import annotations

from huey.contrib.djhuey import db_task

from bangfu.briefings import services


@db_task()
def print_job_task(job_id: int) -> None:
    # Safe to run twice: the service claims the job (queued -> running) first.
    services.print_job_run(job_id=job_id)
