"""Villages named in a sheet: matched to the official name whatever suffix or width, loaded from the
national list when not in the tree yet, and a name nobody knows said so with the closest known
villages, or added as the township's own village when the office chooses."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bangfu.households.models import Household
from bangfu.imports.tests.support import write_xlsx
from bangfu.regions.models import Region
from bangfu.regions.services import villages_load
from conftest import VILLAGE_A, person_id

HEADERS = ["户编号", "乡(镇)", "村", "姓名", "证件号码", "与户主关系", "文化程度"]


def sheet(tmp_path, villages: list[str], *, township: str = "蓝村街道", name: str = "sheet.xlsx"):
    rows = [[f"3702150109{i:02d}001", township, village, "钱进", person_id(), "户主", "初中"]
            for i, village in enumerate(villages)]
    return write_xlsx(tmp_path / name, HEADERS, rows)


def messages(result) -> list[str]:
    return [str(error) for error in result.errors]


@pytest.fixture
def loaded(regions):
    villages_load(prefix="370215010")


@pytest.mark.parametrize("written", ["振兴村", "振兴村村民委员会", "振兴村村委会", "振兴", "振兴村 ", "振 兴 村",
                                     "振兴村\u3000村委会"])
def test_a_name_matches_the_official_one_whatever_its_suffix_or_spaces(run_import, tmp_path, loaded, written):
    result = run_import(sheet(tmp_path, [written]))
    assert result.committed, messages(result)
    assert Household.objects.get().region_code == "370215010203"


def test_community_suffixes_and_a_full_width_township(run_import, tmp_path, loaded):
    result = run_import(sheet(tmp_path, ["阳辉路社区", "政和路居委会", "稻香村"], township="蓝村\u3000街道"))
    assert result.committed, messages(result)
    assert sorted(Household.objects.values_list("region_code", flat=True)) == [
        "370215010007", "370215010008", "370215010206"]


def test_a_village_of_the_national_list_is_loaded_on_the_fly(run_import, tmp_path, regions):
    assert not Region.objects.filter(code="370215010253").exists()
    dry = run_import(sheet(tmp_path, ["挪城村"]), dry_run=True)
    assert dry.ok and dry.villages_loaded == [("370215010253", "挪城村村民委员会")]
    assert not Region.objects.filter(code="370215010253").exists()  # a dry run writes nothing
    result = run_import(sheet(tmp_path, ["挪城村"]))
    assert result.committed
    village = Region.objects.get(code="370215010253")
    assert village.name == "挪城村村民委员会" and not village.local
    assert Household.objects.get().region_code == "370215010253"


def test_an_unknown_name_lists_the_closest_known_villages(run_import, tmp_path, regions):
    with translation.override("zh-hans"):
        result = run_import(sheet(tmp_path, ["戴家村", "戴家村", "王演庄村"]), dry_run=True)
    # Close is not the same: 王演庄村 is not 王演庄新村, 戴家村 not 戴家庄村.
    assert len(result.errors) == 3
    first = result.errors[0].message
    assert first.startswith("蓝村街道没有名为“戴家村”的村；已知的村有：戴家庄村、")
    assert "不在您的管辖范围内" not in first
    assert result.unknown_villages == {("370215010", "戴家村"): 2, ("370215010", "王演庄村"): 1}
    assert not Household.objects.exists()


def test_ambiguous_names_are_refused(run_import, tmp_path, regions):
    Region.objects.create(code="370215010901", name="振兴社区", level="village", parent_id="370215010", local=True)
    villages_load(prefix="370215010")
    with translation.override("en"):
        result = run_import(sheet(tmp_path, ["振兴"]))
        assert messages(result) == [
            "Row 2 村: Several villages in your area are called 振兴; add the 乡(镇) column or a 行政区划代码 column."]


def test_the_office_adds_unknown_names_as_its_own_villages(run_import, tmp_path, regions):
    path = sheet(tmp_path, ["戴家村", "新华村", "戴家村"])
    chosen = run_import(path, add_villages=["370215010:戴家村"], dry_run=True)
    assert chosen.villages_created == [("370215010900", "戴家村")]
    assert chosen.unknown_villages == {("370215010", "新华村"): 1} and not chosen.ok
    result = run_import(path, add_villages=True)
    assert result.committed, messages(result)
    assert result.villages_created == [("370215010900", "戴家村"), ("370215010901", "新华村")]
    assert Region.objects.get(code="370215010900").local
    assert Household.objects.filter(region_code="370215010900").count() == 2
    # A later load of the national list leaves them as they are.
    villages_load(prefix="370215010")
    assert Region.objects.get(code="370215010901").name == "新华村"


def test_a_village_cadre_may_not_add_villages(run_import, tmp_path, regions):
    result = run_import(sheet(tmp_path, ["新华村"]), actor="village_a", region=VILLAGE_A, add_villages=True)
    assert not result.committed and not Region.objects.filter(name="新华村").exists()


def test_the_command_adds_villages_when_asked(personas, tmp_path):
    path = sheet(tmp_path, ["新华村"])
    with pytest.raises(CommandError):
        call_command("import", "households", str(path), "--region", "370215010", "--as", "office")
    call_command("import", "households", str(path), "--region", "370215010", "--as", "office", "--add-villages")
    assert Household.objects.get().region.name == "新华村"


def test_the_page_lists_unknown_names_and_the_office_adds_them_before_confirming(
        client, personas, tmp_path, django_capture_on_commit_callbacks):
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from bangfu.imports.models import ImportJob, JobStatus

    path = sheet(tmp_path, ["戴家村", "戴家村", "挪城村"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    client.force_login(personas["office"])
    response = client.post(reverse("imports:upload"), {
        "file": SimpleUploadedFile("sheet.xlsx", path.read_bytes()), "region": "370215010"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.status == JobStatus.CHECKED and job.error_count == 2
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    assert "戴家村 · 2 行" in page and 'value="370215010:戴家村"' in page
    assert "挪城村村民委员会" in page  # loaded from the national list on the way
    client.post(reverse("imports:recheck", args=[job.pk]), {"add_villages": ["370215010:戴家村"]})
    job.refresh_from_db()
    assert job.error_count == 0 and job.status == JobStatus.CHECKED, job.errors
    assert not Region.objects.filter(name="戴家村").exists()  # a check writes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.message
    village = Region.objects.get(name="戴家村")
    assert village.code == "370215010900" and village.local
    assert Household.objects.filter(region=village).count() == 2


def test_a_recheck_of_someone_elses_job_or_without_a_choice_changes_nothing(client, personas, tmp_path):
    from django.urls import reverse

    from bangfu.imports.models import ImportJob, JobKind

    job = ImportJob.objects.create(owner=personas["office"], kind=JobKind.IMPORT, status="checked",
                                   result={"unknown_villages": [{"key": "370215010:戴家村", "township": "370215010",
                                                                 "name": "戴家村", "rows": 1}]})
    client.force_login(personas["admin"])
    assert client.post(reverse("imports:recheck", args=[job.pk]), {"add_villages": ["370215010:戴家村"]}).status_code == 404
    client.force_login(personas["office"])
    assert client.post(reverse("imports:recheck", args=[job.pk]), {"add_villages": ["x:y"]}).status_code == 302
    job.refresh_from_db()
    assert job.status == "checked" and not job.options


def test_the_report_names_unknown_and_loaded_villages(run_import, tmp_path, regions):
    from bangfu.imports.tests.support import sheet_rows

    report = tmp_path / "report.xlsx"
    with translation.override("zh-hans"):
        run_import(sheet(tmp_path, ["戴家村", "挪城村"]), report=report)
    summary = dict(row[:2] for row in sheet_rows(report, sheet=1))
    assert summary["未知的村"] == "戴家村：1 行"
    assert summary["从全国名单载入的村"] == "370215010253 挪城村村民委员会"


def test_a_county_import_names_the_rows_township_and_its_closest_villages(run_import, tmp_path, regions):
    with translation.override("zh-hans"):
        result = run_import(sheet(tmp_path, ["王演庄村"]), actor="admin", region="370215", dry_run=True)
        outside = run_import(sheet(tmp_path, ["送庄村"], township="送庄镇", name="far.xlsx"), actor="admin",
                             region="370215", dry_run=True)
    # The national list's villages not loaded yet are known too, the closest first.
    assert result.errors[0].message.startswith("蓝村街道没有名为“王演庄村”的村；已知的村有：王演庄新村村民委员会、")
    assert [e.message for e in outside.errors] == ["送庄镇不在您的管辖范围内。"]
