"""Exports read back with openpyxl: national columns, text where numbers must stay text, masking,
formula neutralising, scope, the round trip, the public notice and the template."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from bangfu.core import requestid
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.households.identity import mask_id
from bangfu.households.models import Household
from bangfu.households.queries import HouseholdFilter
from bangfu.imports import columns as cols
from bangfu.imports.services import (
    NOTICE_HEADERS,
    Counts,
    households_export,
    households_notice_export,
    import_template_write,
)
from bangfu.imports.tests.support import FILES, sheet_rows
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, member_data, person_id

HEADERS = tuple(column.header for column in cols.COLUMNS)
INDEX = {header: i for i, header in enumerate(HEADERS)}


def rich_household(make_household, village=VILLAGE_A, **fields):
    """A household using every kind of column, through the households services."""
    head = person_id(sex="M", birth=dt.date(1958, 3, 4))
    data = dict(
        members=[
            member_data(name="逄珍波", id_number=head, phone="0532-88881234", health=["残疾", "长期慢性病"],
                        disability_category="肢体", work_status="省外务工", work_months=10, work_place="青岛",
                        employer="青岛某某有限公司", welfare_post_type="保洁", welfare_post_months=6,
                        minimum_living=True, critical_illness_insured=False),
            member_data(name="王秀英", relation="配偶", sex="F", education="", school_status="",
                        id_type=choices.IdType.DISABILITY, id_number=person_id(sex="F") + "12",
                        political_status=choices.PoliticalStatus.PARTY_MEMBER, pension_insured=None),
            member_data(name="逄小雨", relation="之孙女", sex="F", birth_date=dt.date(2015, 3, 2), education="",
                        school_status="学龄前儿童", labor_skill=choices.LaborSkill.NONE, ethnicity="回族"),
        ],
        categories=["registered_poor", "monitored", "disabled"], monitor_type="unstable",
        poverty_attribute="低保脱贫户", other_causes=["因残", "缺技术"], risks=["因病", "住房安全"],
        risk_elimination_method="帮扶消除", risk_eliminated_on=dt.date(2023, 6, 1), farmland_mu=Decimal("2.50"),
        road_type="水泥路", housing_area=Decimal("86"), dilapidated=True, dilapidation_level="C级",
        electricity=True, sanitary_toilet=False, fuel_type="其它", wage_income=1234560, transfer_income=5000,
        business_expense=0, address="戴家庄村 3 号", status="lifted",
    )
    data["members"][1]["education"] = "小学"
    data.update(fields)
    return make_household(village, **data), head


def test_export_has_the_national_headers_and_masks_by_default(make_household, personas, tmp_path):
    household, head = rich_household(make_household)
    out = tmp_path / "export.xlsx"

    result = households_export(actor=personas["office"], out=out)

    assert (result.households, result.members, result.full) == (1, 3, False)
    rows = sheet_rows(out)
    assert rows[0] == HEADERS
    row = rows[1]
    assert row[INDEX["户编号"]] == household.number
    assert row[INDEX["证件号码"]] == mask_id(head) and "*" in row[INDEX["证件号码"]]
    assert row[INDEX["联系电话"]] == "138****5678"
    assert row[INDEX["成员联系电话"]] == "0532-****1234"
    ws = load_workbook(out).active
    for header in ("户编号", "行政区划代码", "联系电话", "证件号码", "成员联系电话"):
        cell = ws.cell(row=2, column=INDEX[header] + 1)
        assert cell.number_format == "@" and cell.data_type == "s"
    assert not Change.objects.filter(action="export").exists()


def test_full_export_keeps_whole_numbers_as_text_and_is_recorded(make_household, personas, tmp_path):
    household, head = rich_household(make_household)
    out = tmp_path / "full.xlsx"
    with requestid.bound() as request_id:
        households_export(actor=personas["office"], out=out, full=True)

    ws = load_workbook(out).active
    cell = ws.cell(row=2, column=INDEX["证件号码"] + 1)
    assert (cell.value, cell.data_type, cell.number_format) == (head, "s", "@")  # never 3.70215E+17
    assert ws.cell(row=2, column=INDEX["联系电话"] + 1).value == "13812345678"
    export = Change.objects.get(action="export")
    assert (export.household_id, export.actor, export.request_id) == (household.pk, personas["office"], request_id)


@pytest.mark.parametrize("persona", ["caseworker_a", "village_a", "county"])
def test_full_export_needs_a_role_that_may_reveal_id_numbers(make_household, personas, tmp_path, persona):
    rich_household(make_household, caseworker=personas["caseworker_a"])
    with pytest.raises(PermissionDenied):
        households_export(actor=personas[persona], out=tmp_path / "full.xlsx", full=True)
    assert not Change.objects.filter(action="export").exists()


def test_export_then_import_changes_nothing(make_household, personas, tmp_path, run_import):
    rich_household(make_household)
    rich_household(make_household, village=VILLAGE_B, categories=["minimum_living"], monitor_type="",
                   poverty_attribute="", risks=[], risk_elimination_method="", risk_eliminated_on=None, phone="")
    out = tmp_path / "full.xlsx"
    households_export(actor=personas["office"], out=out, full=True)
    history = Change.objects.count()

    result = run_import(out)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.households, result.members) == (Counts(unchanged=2), Counts(unchanged=6))
    assert Change.objects.count() == history


def test_national_file_imported_exported_and_imported_again_is_a_no_op(personas, tmp_path, run_import):
    run_import(FILES / "national.xlsx")
    out = tmp_path / "full.xlsx"
    households_export(actor=personas["office"], out=out, full=True)
    result = run_import(out)
    assert (result.households, result.members) == (Counts(unchanged=3), Counts(unchanged=7))


def test_cells_that_a_spreadsheet_would_run_are_neutralised(make_household, personas, tmp_path, run_import):
    rich_household(make_household, address='=HYPERLINK("http://evil.example","点击")')
    member = Household.objects.get().members.get(name="逄珍波")
    member.employer, member.work_place = "+1+cmd|' /C calc'!A0", "@SUM(A1)"
    member.save()
    out = tmp_path / "full.xlsx"
    households_export(actor=personas["office"], out=out, full=True)

    ws = load_workbook(out).active
    values = {ws.cell(row=1, column=c).value: ws.cell(row=2, column=c) for c in range(1, ws.max_column + 1)}
    assert values["地址"].value == '\'=HYPERLINK("http://evil.example","点击")'
    assert values["务工企业名称"].value == "'+1+cmd|' /C calc'!A0"
    assert values["务工所在地"].value == "'@SUM(A1)"
    assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)
    result = run_import(out)  # and the apostrophe goes again on the way back in
    assert result.members == Counts(unchanged=3)


def test_export_as_an_out_of_scope_user_holds_only_their_own_households(make_household, personas, tmp_path):
    a = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    b = make_household(VILLAGE_B, caseworker=personas["caseworker_b"])
    other = make_household(VILLAGE_OTHER)

    def exported(persona, **filters):
        out = tmp_path / f"{persona}.xlsx"
        households_export(actor=personas[persona], out=out, filters=HouseholdFilter(**filters))
        return {row[0] for row in sheet_rows(out)[1:]}

    assert exported("caseworker_b") == {b.number}
    assert exported("outsider_office") == {other.number}
    assert exported("county") == {a.number, b.number}
    assert exported("county", village=VILLAGE_A) == {a.number}
    assert exported("caseworker_b", village=VILLAGE_A) == set()


def test_export_streams_many_households_in_village_and_number_order(run_import, personas, tmp_path):
    path = tmp_path / "many.csv"
    lines = ["户编号,村,姓名,证件号码,与户主关系,文化程度"]
    for index in range(1100):
        village = ("戴家庄村", "北郝家庄村")[index % 2]
        lines.append(f"37021501000{index % 2 + 1}8{index:04d},{village},成员{index},{person_id()},户主,初中")
    path.write_text("\n".join(lines), encoding="utf-8")
    assert run_import(path).ok
    out = tmp_path / "export.xlsx"

    result = households_export(actor=personas["office"], out=out)

    numbers = [row[0] for row in sheet_rows(out)[1:]]
    assert result.households == len(numbers) == 1100
    assert numbers == sorted(numbers, key=lambda n: (n[:12], n))


def test_public_notice_has_no_id_phone_bank_or_health_columns(make_household, personas, tmp_path):
    _household, head = rich_household(make_household)
    make_household(VILLAGE_A)  # not monitored: not on the notice
    out = tmp_path / "notice.xlsx"

    result = households_notice_export(actor=personas["office"], out=out)

    rows = sheet_rows(out)
    assert rows[1] == tuple(NOTICE_HEADERS)
    assert not {"证件号码", "联系电话", "成员联系电话", "健康状况", "残疾类别", "银行账号"} & set(rows[1])
    assert result.households == 1 and rows[2] == (1, "蓝村街道", "戴家庄村", None, "逄珍波", 3, "脱贫不稳定户")
    text = " ".join(str(v) for row in rows for v in row if v is not None)
    assert head not in text and head[-6:] not in text and "5678" not in text and "1234" not in text
    assert not re.search(r"\d{6,}", text)
    assert not any(word in text for word in ("残疾", "慢性病", "大病"))

    elsewhere = tmp_path / "elsewhere.xlsx"
    assert households_notice_export(actor=personas["outsider_office"], out=elsewhere).households == 0
    assert len(sheet_rows(elsewhere)) == 2  # the title and the header, no household of 蓝村街道


def test_template_has_the_national_headers_and_a_dropdown_for_every_enumerated_column(tmp_path, run_import):
    out = tmp_path / "template.xlsx"
    import_template_write(out=out, rows=50)

    wb = load_workbook(out)
    ws = wb.worksheets[0]
    assert tuple(c.value for c in ws[1]) == HEADERS
    assert wb["options"].sheet_state == "hidden"
    validated = {str(dv.sqref).split(":")[0].rstrip("0123456789"): dv for dv in ws.data_validations.dataValidation}
    for index, column in enumerate(cols.COLUMNS, start=1):
        letter = ws.cell(row=1, column=index).column_letter
        if column.kind in (cols.CHOICE, cols.MULTI, cols.BOOL):
            assert letter in validated, column.header
            sheet, cells = validated[letter].formula1.split("!")
            first_column, first_row, _last_column, last_row = range_boundaries(cells.replace("$", ""))
            listed = [wb[sheet].cell(row=r, column=first_column).value for r in range(first_row, last_row + 1)]
            assert listed == column.options, column.header
        else:
            assert letter not in validated, column.header
    assert ws.cell(row=2, column=INDEX["证件号码"] + 1).number_format == "@"
    assert validated[ws.cell(row=1, column=INDEX["与户主关系"] + 1).column_letter].showErrorMessage

    # Filled in as a cadre would, it imports.
    for header, value in {"户编号": "370215010001901", "村": "戴家庄村", "姓名": "钱进", "证件号码": person_id(),
                          "与户主关系": "户主", "文化程度": "初中", "健康状况": "健康", "是否享受低保": "否"}.items():
        ws.cell(row=2, column=INDEX[header] + 1, value=value)
    wb.save(out)
    result = run_import(out)
    assert result.ok and result.households.created == 1
