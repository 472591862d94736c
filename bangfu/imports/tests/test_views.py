"""The import and export pages: who may, real files up and down (read back with openpyxl), scope,
and every page in both languages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.identity import mask_id
from bangfu.households.models import Household, Member
from bangfu.households.tests.test_pages_i18n import english_words
from bangfu.imports import columns as cols
from bangfu.imports.models import ImportJob, JobKind, JobStatus
from bangfu.imports.services import NOTICE_HEADERS
from bangfu.imports.tests.support import FILES, TOWNSHIP
from conftest import VILLAGE_A, VILLAGE_B, member_data

HEADERS = [column.header for column in cols.COLUMNS]
UPLOAD = reverse("imports:upload")
EXPORT = reverse("imports:export")


def sheet(path_or_name, name=None) -> SimpleUploadedFile:
    path = FILES / path_or_name
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def upload(client, user, file="national.xlsx", region=TOWNSHIP, **extra):
    client.force_login(user)
    return client.post(UPLOAD, {"file": sheet(file), "region": region}, **extra)


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def nothing_written() -> bool:
    return not Household.objects.exists() and not Member.objects.exists() and not Change.objects.exists()


@pytest.fixture
def zh(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


# --- who may -----------------------------------------------------------------------------------

def test_anonymous_is_sent_to_log_in(client, personas):
    job = ImportJob.objects.create(owner=personas["office"], kind=JobKind.IMPORT)
    for url in [UPLOAD, reverse("imports:jobs"), reverse("imports:template"), reverse("imports:job", args=[job.pk]),
                reverse("imports:download", args=[job.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url
    for url in [EXPORT, reverse("imports:confirm", args=[job.pk])]:
        response = client.post(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("persona", ["caseworker_a", "county"])
def test_roles_without_import_get_403_and_nothing_is_written(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(UPLOAD).status_code == 403
    response = upload(client, personas[persona], region=VILLAGE_A)
    assert response.status_code == 403
    assert not ImportJob.objects.exists()
    assert nothing_written()
    assert f'href="{UPLOAD}"' not in client.get(reverse("households:list")).content.decode()


def test_the_nav_links_the_upload_for_roles_that_may_import(client, personas):
    for persona in ("admin", "office", "village_a"):
        client.force_login(personas[persona])
        assert f'href="{UPLOAD}"' in client.get(reverse("households:list")).content.decode(), persona


def test_someone_elses_job_is_404_and_stays_as_it_was(client, personas):
    upload(client, personas["office"], "bad_rows.xlsx")
    job = ImportJob.objects.get()
    mine = upload(client, personas["office"])  # a good one, confirmable
    good = ImportJob.objects.exclude(pk=job.pk).get()
    assert mine.status_code == 302
    for other in ("outsider_office", "village_a", "admin"):
        client.force_login(personas[other])
        assert client.get(reverse("imports:job", args=[job.pk])).status_code == 404
        assert client.get(reverse("imports:download", args=[job.pk])).status_code == 404
        assert client.post(reverse("imports:confirm", args=[good.pk])).status_code == 404
    good.refresh_from_db()
    assert good.status == JobStatus.CHECKED and good.confirmed_at is None
    assert nothing_written()


def test_an_area_outside_the_users_is_refused(client, personas):
    response = upload(client, personas["village_a"], region=VILLAGE_B)
    assert response.status_code == 200 and not ImportJob.objects.exists()
    response = upload(client, personas["office"], region="410308103")
    assert response.status_code == 200 and response.context["form"].errors["region"]
    assert not ImportJob.objects.exists()


def test_a_file_that_is_not_a_sheet_by_name_is_refused(client, personas):
    client.force_login(personas["office"])
    response = client.post(UPLOAD, {"file": SimpleUploadedFile("list.docx", b"hello"), "region": TOWNSHIP})
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


# --- upload, preview, confirm, result ----------------------------------------------------------

def test_upload_shows_the_dry_run_then_confirm_writes_with_one_request_id(
        zh, personas, django_capture_on_commit_callbacks):
    client = zh
    client.force_login(personas["office"])
    page = client.get(UPLOAD).content.decode()
    assert "戴家庄村" in page and "蓝村街道" in page  # the areas to import into

    response = upload(client, personas["office"])
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.context["result"]["households"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert page.context["result"]["members"]["created"] == 7
    assert "确认导入" in html and "帮扶责任人" in html and "备注" in html  # columns ignored are listed
    assert nothing_written()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:confirm", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert Household.objects.count() == 3 and Member.objects.count() == 7
    assert set(Change.objects.values_list("request_id", flat=True)) == {job.request_id}

    page = client.get(reverse("imports:job", args=[job.pk]))
    html = page.content.decode()
    assert "本次导入改动的农户" in html and "<progress" not in html
    listed = client.get(page.context["list_url"])
    assert listed.context["page"].count == 3
    assert {h.number for h in listed.context["page"].rows} == {
        "370215010001001", "370215010002001", "370215010001002"}


def test_a_running_job_polls_with_a_progress_bar_and_htmx_gets_the_fragment(client, personas):
    client.force_login(personas["office"])
    job = ImportJob.objects.create(owner=personas["office"], kind=JobKind.IMPORT, status=JobStatus.RUNNING,
                                   file_name="big.xlsx", progress=40, started_at=timezone.now())
    html = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in html and '<progress value="40" max="100"' in html
    fragment = client.get(reverse("imports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="job"') and "<html" not in fragment
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="broken")
    fragment = client.get(reverse("imports:job", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "broken" in fragment  # polling stops


def test_a_bad_file_shows_its_errors_and_the_report_downloads(zh, personas):
    client = zh
    response = upload(client, personas["office"], "bad_rows.xlsx")
    job = ImportJob.objects.get()
    html = client.get(response["Location"]).content.decode()
    assert "第8行 证件号码：校验位错误。" in html
    assert "确认导入" not in html
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 302
    assert ImportJob.objects.get().confirmed_at is None and nothing_written()

    report = client.get(reverse("imports:download", args=[job.pk]))
    wb = workbook(report)
    ws = wb.worksheets[0]
    width = len([c for c in ws[3] if c.value is not None])
    assert ws.cell(row=8, column=width).value == "证件号码: 校验位错误。"
    assert ws.cell(row=8, column=1).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(row=4, column=width).value is None


def test_a_file_that_is_not_a_sheet_says_so(zh, personas):
    response = upload(zh, personas["office"], "not_a_sheet.xlsx")
    job = ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    html = zh.get(response["Location"]).content.decode()
    assert job.message in html and "verdict-error" in html


def test_a_big_upload_is_checked_in_the_background(client, personas, settings, django_capture_on_commit_callbacks):
    settings.IMPORT_CHECK_INLINE_BYTES = 100
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(client, personas["office"])
    job = ImportJob.objects.get()
    assert job.status == JobStatus.QUEUED
    assert 'hx-trigger="every 1s"' in client.get(response["Location"]).content.decode()
    for callback in callbacks:
        callback()
    html = client.get(response["Location"]).content.decode()
    assert "hx-trigger" not in html and ImportJob.objects.get().status == JobStatus.CHECKED


def test_the_template_downloads_with_national_headers_and_dropdowns(client, personas):
    client.force_login(personas["caseworker_a"])
    wb = workbook(client.get(reverse("imports:template")))
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]][: len(HEADERS)] == HEADERS
    assert ws.data_validations.dataValidation  # dropdown lists


def test_the_job_list_shows_only_ones_own(client, personas):
    upload(client, personas["office"])
    ImportJob.objects.create(owner=personas["village_a"], kind=JobKind.EXPORT)
    client.force_login(personas["office"])
    assert [j.owner_id for j in client.get(reverse("imports:jobs")).context["jobs"]] == [personas["office"].pk]
    assert "national.xlsx" in client.get(UPLOAD).content.decode()


# --- export from the list ----------------------------------------------------------------------

@pytest.fixture
def two_villages(make_household, personas):
    a = make_household(VILLAGE_A, caseworker=personas["caseworker_a"], phone="13812345678",
                       categories=[choices.Category.MONITORED], monitor_type=choices.MonitorType.MARGINAL,
                       members=[member_data(name="逄珍波", phone="13912345678", health=["残疾"]),
                                member_data(name="王秀英", relation="配偶", sex="F")])
    b = make_household(VILLAGE_B, caseworker=personas["caseworker_b"], members=[member_data(name="郝建国")])
    return a, b


def test_the_list_has_export_buttons_with_its_filters(client, personas, two_villages):
    client.force_login(personas["office"])
    html = client.get(reverse("households:list") + f"?village={VILLAGE_A}").content.decode()
    assert f'action="{EXPORT}"' in html and f'name="village" value="{VILLAGE_A}"' in html
    assert 'name="full"' in html
    client.force_login(personas["village_a"])
    html = client.get(reverse("households:list")).content.decode()
    assert f'action="{EXPORT}"' in html and 'name="full"' not in html  # no member.reveal_id


def test_export_downloads_the_filtered_list_masked_as_text(client, personas, two_villages):
    a, _b = two_villages
    client.force_login(personas["office"])
    before = Change.objects.count()
    wb = workbook(client.post(EXPORT, {"kind": "export", "village": VILLAGE_A}))
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert len(rows) == 3 and {r[HEADERS.index("户编号")] for r in rows[1:]} == {a.number}
    ids = {m.id_number for m in a.members.all()}
    id_column = HEADERS.index("证件号码") + 1
    for row in range(2, 4):
        cell = ws.cell(row=row, column=id_column)
        assert cell.value in {mask_id(i) for i in ids} and "*" in cell.value
        assert cell.data_type == "s" and cell.number_format == "@"
    assert Change.objects.count() == before  # a masked export is not recorded


def test_full_export_only_for_roles_that_may_reveal_and_recorded(client, personas, two_villages):
    a, _b = two_villages
    client.force_login(personas["village_a"])
    before = Change.objects.count()
    assert client.post(EXPORT, {"kind": "export", "full": "1"}).status_code == 403
    assert Change.objects.count() == before

    client.force_login(personas["office"])
    wb = workbook(client.post(EXPORT, {"kind": "export", "full": "1", "village": VILLAGE_A}))
    column = HEADERS.index("证件号码")
    assert {r[column] for r in list(wb.worksheets[0].iter_rows(values_only=True))[1:]} == \
        {m.id_number for m in a.members.all()}
    assert Change.objects.filter(action="export", household_id=a.pk).count() == 1


def test_a_caseworker_exports_only_their_households(client, personas, two_villages):
    a, b = two_villages
    client.force_login(personas["caseworker_a"])
    rows = list(workbook(client.post(EXPORT, {"kind": "export", "village": VILLAGE_B})).worksheets[0]
                .iter_rows(values_only=True))
    assert len(rows) == 1  # 北郝家庄村 is not theirs: headers only
    rows = list(workbook(client.post(EXPORT, {"kind": "export"})).worksheets[0].iter_rows(values_only=True))
    assert {r[HEADERS.index("户编号")] for r in rows[1:]} == {a.number}


def test_public_notice_has_no_id_phone_or_health(zh, personas, two_villages):
    a, _b = two_villages
    zh.force_login(personas["office"])
    response = zh.post(EXPORT, {"kind": "notice", "full": "1"})  # full is ignored for a notice
    wb = workbook(response)
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert "监测对象" in rows[0][0]  # the title names the category
    assert list(rows[1]) == NOTICE_HEADERS
    assert [r[4] for r in rows[2:]] == ["逄珍波"]  # monitored households only, by default
    text = repr(rows)
    for member in a.members.all():
        assert member.id_number not in text and mask_id(member.id_number) not in text
    assert "13812345678" not in text and "138****5678" not in text and "残疾" not in text
    assert not any(h in NOTICE_HEADERS for h in ("证件号码", "联系电话", "健康状况"))
    assert not Change.objects.filter(action="export").exists()


def test_a_long_list_exports_in_the_background(client, personas, two_villages, settings,
                                                django_capture_on_commit_callbacks):
    settings.EXPORT_INLINE_HOUSEHOLDS = 1
    client.force_login(personas["office"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {"kind": "export"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    assert job.kind == JobKind.EXPORT and job.total == 2
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    html = client.get(response["Location"]).content.decode()
    assert reverse("imports:download", args=[job.pk]) in html
    rows = list(workbook(client.get(reverse("imports:download", args=[job.pk]))).worksheets[0]
                .iter_rows(values_only=True))
    assert len(rows) == 4  # headers, two members of one household, one of the other
    client.force_login(personas["county"])
    assert client.get(reverse("imports:download", args=[job.pk])).status_code == 404


# --- both languages ----------------------------------------------------------------------------

@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_page_renders_in_both_languages(client, personas, two_villages, language, settings,
                                              django_capture_on_commit_callbacks):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    office = personas["office"]
    upload(client, office, "bad_rows.xlsx")
    upload(client, office)
    upload(client, office, "not_a_sheet.xlsx")
    bad, good, broken = ImportJob.objects.order_by("pk")
    running = ImportJob.objects.create(owner=office, kind=JobKind.IMPORT, status=JobStatus.RUNNING,
                                       file_name="big.xlsx", region_id=TOWNSHIP, progress=30)
    queued = ImportJob.objects.create(owner=office, kind=JobKind.EXPORT, total=5000)
    pages = {
        "upload": UPLOAD,
        "jobs": reverse("imports:jobs"),
        "bad": reverse("imports:job", args=[bad.pk]),
        "good": reverse("imports:job", args=[good.pk]),
        "broken": reverse("imports:job", args=[broken.pk]),
        "running": reverse("imports:job", args=[running.pk]),
        "queued export": reverse("imports:job", args=[queued.pk]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[good.pk]))
        client.post(EXPORT, {"kind": "notice"})
    settings.EXPORT_INLINE_HOUSEHOLDS = 0
    with django_capture_on_commit_callbacks(execute=True):
        client.post(EXPORT, {"kind": "export"})
        client.post(EXPORT, {"kind": "notice"})
    export_job, notice_job = ImportJob.objects.filter(kind__in=["export", "notice"], status="done").order_by("pk")
    pages["done"] = reverse("imports:job", args=[good.pk])
    pages["export done"] = reverse("imports:job", args=[export_job.pk])
    pages["notice done"] = reverse("imports:job", args=[notice_job.pk])
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, name
        if language == "zh-hans":
            # A file that is not a sheet says so in Chinese only (the reader's own words go to the log).
            # The uploaded file's own names (national.xlsx) are not the interface's words.
            # The uploaded files' own names, file types and commands are not the interface's words.
            assert not english_words(html) - {"xlsx", "xls", "csv", "Excel", "national", "bad_rows", "not_a_sheet",
                                              "big", "bangfu", "run_huey", "serve"}, (name, english_words(html))


def test_an_administrator_types_the_area_code(client, personas):
    client.force_login(personas["admin"])
    html = client.get(UPLOAD).content.decode()
    assert 'name="region"' in html and 'inputmode="numeric"' in html  # no list of 40,000 villages
    response = upload(client, personas["admin"], region=TOWNSHIP)
    assert response.status_code == 302
    assert ImportJob.objects.get().region_id == TOWNSHIP


def test_a_village_cadre_imports_into_their_village_only(client, personas):
    client.force_login(personas["village_a"])
    form = client.get(UPLOAD).context["form"]
    assert form.fields["region"].choices == [(VILLAGE_A, "戴家庄村")]


def test_a_job_nobody_picks_up_says_the_consumer_is_not_running(zh, personas):
    zh.force_login(personas["office"])
    job = ImportJob.objects.create(owner=personas["office"], kind=JobKind.EXPORT)
    assert "run_huey" not in zh.get(reverse("imports:job", args=[job.pk])).content.decode()
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=5))
    assert "run_huey" in zh.get(reverse("imports:job", args=[job.pk])).content.decode()
