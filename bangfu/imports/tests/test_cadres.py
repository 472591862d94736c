"""Adding users from a sheet of cadres (姓名, 手机号, 村, 角色): real .xlsx and .csv files, all rows or
none, each bad row named by its row and column, the one-time passwords shown once."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bangfu.accounts.models import User
from bangfu.history.models import Change
from conftest import VILLAGE_A, VILLAGE_B

TOWNSHIP_A = "370215010"


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["蓝村街道帮扶干部名单"])  # a title above the header, as such sheets have
    sheet.append(["姓名", "手机号", "村", "角色"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("干部.xlsx", out.getvalue())


def _post(user, upload, township=TOWNSHIP_A):
    client = Client()
    client.force_login(user)
    return client.post(reverse("cadres:upload"), {"file": upload, "township": township})


def test_a_sheet_of_cadres_adds_each_with_a_one_time_password(personas):
    response = _post(personas["office"], _xlsx([
        ["李红", 13912345678, "戴家庄村", "帮扶干部"],  # a number, as Excel keeps a phone typed in
        ["王强", "13912345679", "北郝家庄村", "村干部"],
        ["赵敏", "13912345670", "", ""],
    ]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    added = {user.username: (user, password) for user, password in response.context["added"]}
    assert set(added) == {"13912345678", "13912345679", "13912345670"}
    li, wang, zhao = (added[n][0] for n in ("13912345678", "13912345679", "13912345670"))
    assert (li.role, li.region_id, li.display_name) == ("caseworker", VILLAGE_A, "李红")
    assert (wang.role, wang.region_id) == ("village", VILLAGE_B)
    assert (zhao.role, zhao.region_id) == ("caseworker", TOWNSHIP_A)
    for user, password in added.values():
        user.refresh_from_db()
        assert user.must_change_password and user.check_password(password)
        assert password in response.content.decode()
    assert Change.objects.filter(object_type="user", object_id__in=[li.pk, wang.pk, zhao.pk]).count() == 3


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_added(personas):
    before = User.objects.count()
    response = _post(personas["office"], _xlsx([
        ["李红", "13912345678", "戴家庄村", "帮扶干部"],
        ["", "1391234", "东山头村", "县领导"],
        ["王强", "13912345678", "北郝家庄村", "系统管理员"],
        ["office", "caseworker_b", "戴家庄村", ""],
    ]))
    assert response.status_code == 200
    report = [str(error) for error in response.context["errors"]]
    assert report == [
        "第4行 姓名：这个字段是必填项。",
        "第4行 手机号：1391234不是11位手机号码。",
        "第4行 角色：未知角色 县领导；可选：乡镇扶贫办, 村干部, 帮扶干部, 村级志愿者。",
        "第4行 村：蓝村街道没有名为东山头村的村。",
        "第5行 手机号：与第3行的号码相同。",
        "第5行 角色：您不能添加角色为系统管理员的用户。",
        "第6行 手机号：caseworker_b不是11位手机号码。",
    ]
    assert User.objects.count() == before
    assert "没有添加任何用户" in response.content.decode()


def test_a_gbk_csv_without_village_and_role_columns_adds_township_caseworkers(personas):
    text = "姓名,手机号\n孙丽,13800000001\n".encode("gb18030")
    response = _post(personas["office"], SimpleUploadedFile("干部.csv", text))
    (user, _password), = response.context["added"]
    assert (user.display_name, user.role, user.region_id) == ("孙丽", "caseworker", TOWNSHIP_A)


def test_a_sheet_without_the_headers_says_which(personas):
    response = _post(personas["office"], SimpleUploadedFile("x.csv", "名字,电话号\n孙丽,1\n".encode()))
    assert [str(e) for e in response.context["errors"]] == ["第1行 手机号：前30行中没有包含姓名和手机号的表头行。"]


@pytest.mark.parametrize("caller, township, status", [
    ("office", "410308103", 403),  # another township: never
    ("outsider_office", TOWNSHIP_A, 403),
    ("county", TOWNSHIP_A, 403),
    ("caseworker_a", TOWNSHIP_A, 403),
    ("admin", TOWNSHIP_A, 200),
])
def test_only_an_administrator_or_the_township_s_office_adds_its_cadres(personas, regions, caller, township, status):
    before = User.objects.count()
    response = _post(personas[caller], _xlsx([["李红", "13912345678", "戴家庄村", "帮扶干部"]]), township)
    assert response.status_code == status
    assert User.objects.count() == before + (1 if status == 200 else 0)
