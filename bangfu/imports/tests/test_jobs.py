"""Import and export jobs: upload, dry run, confirm, commit, exports in the background, retries, files."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households.identity import mask_id
from bangfu.households.models import Household, Member
from bangfu.households.queries import HouseholdFilter
from bangfu.imports import jobs
from bangfu.imports.models import ImportJob, JobKind, JobStatus
from bangfu.imports.tests.support import FILES, TOWNSHIP, sheet_rows
from conftest import VILLAGE_A, VILLAGE_B, member_data

NATIONAL = FILES / "national.xlsx"


def upload(path, name=None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def create(personas, path=NATIONAL, *, actor="office", region=TOWNSHIP, name=None, language="en") -> ImportJob:
    return jobs.import_job_create(actor=personas[actor], upload=upload(path, name), region_code=region,
                                  language=language)


def nothing_written() -> bool:
    return not Household.objects.exists() and not Member.objects.exists() and not Change.objects.exists()


# --- import: check, then confirm ---------------------------------------------------------------

def test_a_small_file_is_checked_at_once_and_nothing_is_written(personas):
    job = create(personas)

    assert (job.kind, job.status, job.progress) == (JobKind.IMPORT, JobStatus.CHECKED, 100)
    assert job.result["households"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert job.result["members"] == {"created": 7, "updated": 0, "unchanged": 0}
    assert job.result["unknown_columns"] == ["帮扶责任人", "备注"]
    assert job.error_count == 0 and job.errors == [] and not job.report_path
    assert job.may_confirm and job.file_name == "national.xlsx" and job.region_id == TOWNSHIP
    assert jobs.job_file(job, job.upload_path).read_bytes() == NATIONAL.read_bytes()
    assert nothing_written()


def test_confirm_commits_in_the_background_with_one_request_id(personas, django_capture_on_commit_callbacks):
    job = create(personas)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        job = jobs.import_job_confirm(actor=personas["office"], job=job)
    assert len(callbacks) == 1
    job.refresh_from_db()

    assert job.status == JobStatus.DONE and job.confirmed_at and job.finished_at
    assert job.result["households"]["created"] == 3 and job.result["members"]["created"] == 7
    assert Household.objects.count() == 3 and Member.objects.count() == 7
    assert set(Change.objects.values_list("request_id", flat=True)) == {job.request_id}

    # Confirming again (a second click, a retried request) queues nothing.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = jobs.import_job_confirm(actor=personas["office"], job=job)
    assert not callbacks and again.status == JobStatus.DONE
    assert Household.objects.count() == 3


def test_running_a_job_twice_does_the_work_once(personas, django_capture_on_commit_callbacks):
    job = create(personas)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.import_job_confirm(actor=personas["office"], job=job)
    callbacks[0]()
    callbacks[0]()  # delivered twice
    jobs.job_run(job_id=job.pk)

    assert Change.objects.values("request_id").distinct().count() == 1
    assert Household.objects.count() == 3


def test_a_file_with_errors_shows_them_has_a_report_and_cannot_be_confirmed(personas):
    job = create(personas, FILES / "bad_rows.xlsx")

    assert job.status == JobStatus.CHECKED and job.error_count == 4 and not job.may_confirm
    assert job.errors[1] == {"row": 8, "column": "证件号码", "message": "The check digit is wrong."}
    assert job.result["error_rows"] == 4
    report = jobs.job_file(job, job.report_path)
    ws = load_workbook(report).worksheets[0]
    width = len([c for c in ws[3] if c.value is not None])
    assert ws.cell(row=8, column=width).value == "证件号码: The check digit is wrong."
    assert ws.cell(row=8, column=1).fill.fgColor.rgb.endswith("FFC7CE")
    with pytest.raises(ValidationError):
        jobs.import_job_confirm(actor=personas["office"], job=job)
    assert ImportJob.objects.get(pk=job.pk).confirmed_at is None
    assert nothing_written()


def test_messages_are_in_the_owners_language(personas):
    job = create(personas, FILES / "bad_rows.xlsx", language="zh-hans")
    assert job.errors[1]["message"] == "校验位错误。"


def test_a_file_that_is_not_a_sheet_fails_with_a_message(personas):
    job = create(personas, FILES / "not_a_sheet.xlsx")
    assert job.status == JobStatus.FAILED and job.message
    assert nothing_written()


def test_a_big_file_is_checked_in_the_background(personas, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_CHECK_INLINE_BYTES = 10
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = create(personas)
    assert job.status == JobStatus.QUEUED and len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == JobStatus.CHECKED and job.result["households"]["created"] == 3


@pytest.mark.parametrize("actor, region, name, field", [
    ("office", TOWNSHIP, "national.txt", "file"),
    ("office", "410308103", None, "region"),  # another township's
    ("village_a", VILLAGE_B, None, "region"),  # the next village
    ("office", "999999999", None, "region"),
])
def test_refused_uploads_store_nothing(personas, actor, region, name, field):
    with pytest.raises(ValidationError) as raised:
        create(personas, actor=actor, region=region, name=name)
    assert field in raised.value.message_dict
    assert not ImportJob.objects.exists()
    assert nothing_written()


@pytest.mark.parametrize("actor", ["caseworker_a", "county"])
def test_roles_that_may_not_import_are_refused_and_nothing_is_stored(personas, actor):
    with pytest.raises(PermissionDenied):
        create(personas, actor=actor, region=VILLAGE_A)
    assert not ImportJob.objects.exists()
    assert nothing_written()


def test_an_empty_file_is_refused(personas):
    with pytest.raises(ValidationError):
        jobs.import_job_create(actor=personas["office"], upload=SimpleUploadedFile("a.xlsx", b""),
                               region_code=TOWNSHIP)
    assert not ImportJob.objects.exists()


def test_a_commit_that_meets_a_new_conflict_fails_and_writes_nothing(personas, make_household,
                                                                     django_capture_on_commit_callbacks):
    job = create(personas)
    # Between the check and the confirm, someone registers one of the file's households by hand.
    from bangfu.imports.tests.make_files import IDS

    make_household(VILLAGE_B, members=[member_data(id_number=IDS["head1"])])
    before = Change.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        jobs.import_job_confirm(actor=personas["office"], job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error_count >= 1 and job.report_path
    assert job.request_id is None
    assert Change.objects.count() == before and Household.objects.count() == 1


def test_an_unexpected_error_is_retried_then_fails(personas, monkeypatch, settings):
    settings.IMPORT_CHECK_INLINE_BYTES = 10
    job = create(personas)  # queued; its task waits for the commit that never comes in this test

    def boom(**kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(jobs, "households_import", boom)
    with pytest.raises(RuntimeError):
        jobs.job_run(job_id=job.pk, retries_left=1)
    assert ImportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED  # for the retry
    jobs.job_run(job_id=job.pk, retries_left=0)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "unexpected" in job.message


# --- progress ----------------------------------------------------------------------------------

def test_progress_is_read_from_the_task_store_while_running(personas):
    job = create(personas)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=0, started_at=timezone.now())
    job.refresh_from_db()
    jobs._Progress(job, span=90)(50, 100)
    assert jobs.job_progress(job) == 45
    job.status = JobStatus.CHECKED
    job.progress = 100
    assert jobs.job_progress(job) == 100


def test_a_job_left_running_by_a_stopped_worker_is_failed_when_looked_at(personas, client, settings):
    settings.JOB_STALE_SECONDS = 3600
    stuck = create(personas)
    recent = create(personas)
    long_ago = timezone.now() - dt.timedelta(hours=2)
    ImportJob.objects.filter(pk=stuck.pk).update(status=JobStatus.RUNNING, started_at=long_ago, language="en")
    ImportJob.objects.filter(pk=recent.pk).update(status=JobStatus.RUNNING, started_at=timezone.now())

    assert jobs.jobs_stale_fail(owner=personas["county"]) == 0  # someone else's jobs are not looked at
    client.force_login(personas["office"])
    page = client.get(reverse("imports:job", args=[stuck.pk]))

    stuck.refresh_from_db()
    assert (stuck.status, stuck.finished_at is not None) == (JobStatus.FAILED, True)
    assert stuck.message.startswith("The job stopped without finishing")
    assert stuck.message in page.content.decode()
    assert ImportJob.objects.get(pk=recent.pk).status == JobStatus.RUNNING
    assert jobs.jobs_stale_fail() == 0


def test_the_next_job_fails_a_stale_one_in_its_owners_language(personas):
    stuck = create(personas)
    ImportJob.objects.filter(pk=stuck.pk).update(
        status=JobStatus.RUNNING, started_at=timezone.now() - dt.timedelta(days=1), language="zh-hans")
    jobs.job_run(job_id=create(personas).pk)

    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and "任务未完成就中止了" in stuck.message


# --- exports -----------------------------------------------------------------------------------

def test_an_export_job_writes_a_masked_file(personas, make_household, django_capture_on_commit_callbacks):
    household = make_household(VILLAGE_A)
    head = household.members.get()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_job_create(actor=personas["village_a"], kind=JobKind.EXPORT,
                                     filters=HouseholdFilter(village=VILLAGE_A), total=1)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.result == {"households": 1, "members": 1, "full": False}
    rows = sheet_rows(jobs.job_file(job, job.report_path))
    assert mask_id(head.id_number) in rows[1]
    assert head.id_number not in rows[1]


def test_a_full_export_job_needs_reveal_and_is_recorded(personas, make_household, django_capture_on_commit_callbacks):
    household = make_household(VILLAGE_A)
    with pytest.raises(PermissionDenied):
        jobs.export_job_create(actor=personas["village_a"], kind=JobKind.EXPORT, filters=HouseholdFilter(), full=True)
    assert not ImportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_job_create(actor=personas["office"], kind=JobKind.EXPORT, filters=HouseholdFilter(),
                                     full=True)
    job.refresh_from_db()
    rows = sheet_rows(jobs.job_file(job, job.report_path))
    assert household.members.get().id_number in rows[1]
    assert Change.objects.filter(action="export", household_id=household.pk).count() == 1


def test_a_notice_job(personas, make_household, django_capture_on_commit_callbacks):
    make_household(VILLAGE_A, categories=["monitored"], monitor_type="marginal")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_job_create(actor=personas["office"], kind=JobKind.NOTICE,
                                     filters=HouseholdFilter(category="monitored"), title="公示")
    job.refresh_from_db()
    rows = sheet_rows(jobs.job_file(job, job.report_path))
    assert rows[0][0] == "公示" and job.result["households"] == 1


# --- housekeeping ------------------------------------------------------------------------------

def test_old_job_files_are_deleted(personas):
    old = create(personas, FILES / "bad_rows.xlsx")
    new = create(personas)
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=30))

    assert jobs.job_files_purge(days=7) == 1
    old.refresh_from_db()
    assert (old.upload_path, old.report_path) == ("", "") and not jobs.job_dir(old).exists()
    assert jobs.job_file(new, new.upload_path) is not None
    with translation.override("en"):
        assert jobs.job_files_purge(days=7) == 0


def _modes(folder) -> dict[str, int]:
    return {path.relative_to(folder).as_posix(): path.stat().st_mode & 0o777 for path in [folder, *folder.rglob("*")]}


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_job_files_are_readable_by_their_owner_alone(personas, make_household, django_capture_on_commit_callbacks):
    """Uploads, error reports and exports hold ID numbers in plain text: files 0600 in 0700 folders."""
    imported = create(personas, FILES / "bad_rows.xlsx")
    make_household(VILLAGE_A)
    with django_capture_on_commit_callbacks(execute=True):
        exported = jobs.export_job_create(actor=personas["village_a"], kind=JobKind.EXPORT,
                                          filters=HouseholdFilter(village=VILLAGE_A), total=1)
    exported.refresh_from_db()
    files = [jobs.job_file(imported, imported.upload_path), jobs.job_file(imported, imported.report_path),
             jobs.job_file(exported, exported.report_path)]
    assert all(path is not None for path in files)

    root = jobs.job_dir(imported).parent
    modes = _modes(root)
    for path in files:
        assert modes[path.relative_to(root).as_posix()] == 0o600, path.name
    assert {name: mode for name, mode in modes.items() if mode not in (0o600, 0o700)} == {}
    assert modes[jobs.job_dir(imported).name] == modes[jobs.job_dir(exported).name] == 0o700
