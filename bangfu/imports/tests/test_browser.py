"""In a real browser at 360 px: the office uploads the national sheet, sees the preview, confirms,
follows the result to the households it changed, exports the list; a running job's page polls."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from bangfu.core.tests.browser import log_in
from bangfu.households.models import Household
from bangfu.imports.models import ImportJob, JobKind, JobStatus
from bangfu.imports.tests.support import FILES, TOWNSHIP

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_office_imports_a_sheet_and_follows_the_result_to_the_list(phone_page, live_server, personas, tmp_path):
    page = phone_page
    log_in(page, live_server.url, "office", "pw-office")
    # On a phone the whole menu, Import included, is behind one button.
    page.locator("details.phonemenu > summary").click()
    page.locator(".phonemenu-panel").get_by_role("link", name="导入", exact=True).click()
    page.wait_for_url(f"{live_server.url}/imports/")
    assert page.locator("h1").inner_text() == "导入农户"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_input_files("input[type=file]", str(FILES / "national.xlsx"))
    page.select_option("select[name=region]", TOWNSHIP)
    page.get_by_role("button", name="上传并检查").click()

    # The dry run's preview: what would be written, the columns ignored, nothing written yet.
    page.get_by_text("检查通过，没有错误").wait_for()
    counts = page.locator("table.counts")
    assert counts.locator("tbody tr").first.inner_text().split() == ["农户", "3", "0", "0"]
    assert counts.locator("tbody tr").nth(1).inner_text().split() == ["家庭成员", "7", "0", "0"]
    assert page.get_by_text("帮扶责任人").is_visible()
    assert not Household.objects.exists()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_role("button", name="确认导入").click()
    page.get_by_text("导入完成。").wait_for()
    job = ImportJob.objects.get()
    assert job.status == JobStatus.DONE and Household.objects.count() == 3

    page.get_by_role("button", name="本次导入改动的农户").click()
    page.wait_for_url(f"{live_server.url}/households/?request_id={job.request_id}")
    page.get_by_text("共 3 户").wait_for()
    assert page.get_by_text("正在显示同一次操作或导入中变更的农户").is_visible()

    # The list as filtered, exported: one household's rows, ID numbers masked.
    with page.expect_download() as download_info:
        page.get_by_role("button", name="导出Excel").click()
    path = tmp_path / "export.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 7 and all("*" in row[rows[0].index("证件号码")] for row in rows[1:])
    assert not page.errors, page.errors


def test_a_running_job_shows_its_progress_and_the_result_when_done(phone_page, live_server, personas):
    page = phone_page
    office = personas["office"]
    job = ImportJob.objects.create(
        owner=office, kind=JobKind.IMPORT, status=JobStatus.RUNNING, region_id=TOWNSHIP, file_name="大表.xlsx",
        progress=40, started_at=timezone.now(), confirmed_at=timezone.now(),
    )
    log_in(page, live_server.url, "office", "pw-office")
    page.goto(f"{live_server.url}/imports/jobs/{job.pk}/")
    assert page.get_by_text("正在导入…").is_visible()
    assert page.locator("progress").get_attribute("value") == "40"

    ImportJob.objects.filter(pk=job.pk).update(progress=70)
    from playwright.sync_api import expect

    expect(page.locator("progress")).to_have_attribute("value", "70")  # polled (htmx, every second)

    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, request_id=uuid.uuid4(), finished_at=timezone.now(),
        result={"households": {"created": 2, "updated": 1, "unchanged": 0},
                "members": {"created": 5, "updated": 0, "unchanged": 3}, "rows": 8, "header_row": 1, "sheet": "Sheet1"},
    )
    page.get_by_text("导入完成。").wait_for()
    assert not page.locator("progress").count()
    assert page.get_by_role("button", name="本次导入改动的农户").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert not page.errors, page.errors
