"""A department's payment sheet: a real .xlsx (and a .csv) matched on ID number, duplicates stored
once, strangers reported, every problem named by row and column with nothing stored."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.history.models import Change
from bangfu.imports.tests.support import write_xlsx
from bangfu.policies import queries
from bangfu.policies.models import Receipt, Source
from conftest import person_id

pytestmark = pytest.mark.django_db

HEADERS = ["序号", "姓名", "身份证号", "金额（元）", "发放日期"]


def _month():
    return f"{local_today():%Y-%m}"


def _upload(client, path, policy="dibao", period=None):
    with open(path, "rb") as handle:
        return client.post(reverse("policies:import"), {"policy": policy, "period": period or _month(),
                                                         "file": handle})


def test_a_sheet_matched_on_id_number_imported_twice_stores_once(client, tmp_path, dibao_home, plain_home, personas):
    father = dibao_home.members.get(name="戴金山")
    son = dibao_home.members.get(name="戴小军")
    stranger = person_id()
    today = local_today().isoformat()
    path = write_xlsx(tmp_path / "低保发放表.xlsx", HEADERS, [
        [1, "戴金山", father.id_number, 500, today],
        [2, "戴晓军", son.id_number.lower(), "500.00", today],  # the name spelt otherwise
        [3, "张无名", stranger, 500, today],
        [4, "戴金山", father.id_number, 500, today],  # twice in the sheet
    ])
    client.force_login(personas["office"])
    page = _upload(client, path).content.decode()
    receipts = Receipt.objects.order_by("member__name")
    assert [(r.member.name, r.amount, r.source) for r in receipts] == [
        ("戴小军", 50_000, Source.SHEET), ("戴金山", 50_000, Source.SHEET)]
    assert "已登记 2 笔到账" in page
    assert "1 行此前已登记" in page
    assert "张无名" in page and stranger not in page and stranger[-2:] in page  # reported, masked
    assert "表中为戴晓军，台账为戴小军" in page
    assert Change.objects.filter(object_type="policy_receipt").count() == 2
    assert not [g for g in queries.gaps_in_scope(personas["office"]) if g.policy_name == "低保"]

    again = _upload(client, path).content.decode()
    assert Receipt.objects.count() == 2
    assert "已登记 0 笔到账" in again and "3 行此前已登记" in again


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(client, tmp_path, dibao_home, personas):
    father = dibao_home.members.get(name="戴金山")
    bad_id = father.id_number[:-1] + ("0" if father.id_number[-1] != "0" else "1")
    path = write_xlsx(tmp_path / "发放表.xlsx", HEADERS, [
        [1, "戴金山", father.id_number, 500, local_today().isoformat()],
        [2, "戴金山", bad_id, 500, local_today().isoformat()],
        [3, "戴金山", father.id_number, "五百", local_today().isoformat()],
        [4, "戴金山", father.id_number, 500, "明天"],
        [5, "戴金山", "", "", ""],
    ])
    client.force_login(personas["office"])
    page = _upload(client, path).content.decode()
    assert "第3行 身份证号：" in page
    assert "第4行 金额（元）：请填写金额（元）。" in page
    assert "第5行 发放日期：请按 2026-03-15 的格式填写日期。" in page
    assert "第6行 身份证号：这个字段是必填项。" in page and "第6行 金额（元）：这个字段是必填项。" in page
    assert not Receipt.objects.exists()


def test_a_csv_in_gbk_and_the_household_policies(client, tmp_path, dibao_home, personas):
    father = dibao_home.members.get(name="戴金山")
    path = tmp_path / "medical.csv"
    path.write_bytes(f"姓名,身份证号,金额\n戴金山,{father.id_number},380\n".encode("gbk"))
    client.force_login(personas["county"])
    _upload(client, path, policy="medical", period=f"{local_today():%Y}")
    receipt = Receipt.objects.get()
    assert (receipt.policy_key, receipt.period, receipt.amount, receipt.paid_on) == (
        "medical", f"{local_today():%Y}", 38_000, local_today())


def test_a_period_of_the_wrong_shape_and_a_file_without_headers(client, tmp_path, dibao_home, personas):
    client.force_login(personas["office"])
    path = write_xlsx(tmp_path / "x.xlsx", HEADERS, [[1, "戴金山", dibao_home.members.first().id_number, 500,
                                                      local_today().isoformat()]])
    assert "这项政策的发放周期应写作" in _upload(client, path, period="2026").content.decode()
    empty = write_xlsx(tmp_path / "y.xlsx", ["a", "b"], [[1, 2]])
    assert "未找到表头" in _upload(client, empty).content.decode()
    assert not Receipt.objects.exists()


def test_out_of_scope_persons_are_strangers(client, tmp_path, dibao_home, personas):
    """The neighbouring village's cadre has no import; another township's office finds nobody."""
    client.force_login(personas["village_a"])
    path = write_xlsx(tmp_path / "x.xlsx", HEADERS, [[1, "戴金山", dibao_home.members.first().id_number, 500,
                                                      local_today().isoformat()]])
    assert _upload(client, path).status_code == 403
    client.force_login(personas["outsider_office"])
    page = _upload(client, path).content.decode()
    assert "1 人不在您辖区的任何农户中" in page and not Receipt.objects.exists()


def test_old_dates_are_refused(client, tmp_path, dibao_home, personas):
    client.force_login(personas["office"])
    path = write_xlsx(tmp_path / "x.xlsx", HEADERS, [[1, "戴金山", dibao_home.members.first().id_number, 500,
                                                      dt.date(1999, 1, 1)]])
    assert "第2行 发放日期：日期应在" in _upload(client, path).content.decode()
