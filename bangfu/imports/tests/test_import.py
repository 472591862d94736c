"""Importing the national member sheet: real files, every kind of mess, all or nothing, scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households.identity import mask_phone, parse_id_number
from bangfu.households.models import Household, Member
from bangfu.households.queries import HouseholdFilter, households_filtered
from bangfu.households.services import household_snapshot, member_snapshot
from bangfu.households.synthetic import make_id_number
from bangfu.imports.readers import FileError
from bangfu.imports.services import Counts, RowError
from bangfu.imports.tests.make_files import IDS
from bangfu.imports.tests.support import FILES, TOWNSHIP, sheet_rows, write_xlsx
from bangfu.regions.models import Region
from conftest import VILLAGE_A, VILLAGE_B, member_data, person_id

NATIONAL = FILES / "national.xlsx"
SHORT_HEADERS = ["户编号", "村", "姓名", "证件号码", "与户主关系", "文化程度", "在校生状况"]


def messages(result) -> list[str]:
    """The errors as the English interface shows them (run the import under override("en") too)."""
    with translation.override("en"):
        return [str(error) for error in result.errors]


def nothing_written() -> bool:
    return not Household.objects.exists() and not Member.objects.exists() and not Change.objects.exists()


def stored() -> list[tuple]:
    """What the registry holds, in a form that does not depend on ids or times."""
    rows = []
    for household in Household.objects.order_by("number").prefetch_related("categories", "members"):
        rows.append((
            household.number, household.region_code, household.head_name, household.phone,
            tuple(household.category_values()), household.poverty_attribute, household.monitor_type,
            household.farmland_mu, household.dilapidated, household.safe_water,
            tuple(sorted(
                (m.id_number, m.name, m.sex, m.birth_date, m.relation, m.education, m.school_status, tuple(m.health),
                 m.phone, m.minimum_living, m.pension_insured, m.critical_illness_insured, m.work_months, m.ethnicity)
                for m in household.members.all()
            )),
        ))
    return rows


# --- the national sheet and its mess ---------------------------------------------------------

def test_national_sheet_with_its_mess_is_read_without_loss(run_import, regions):
    result = run_import(NATIONAL)

    assert result.ok, messages(result)
    assert result.committed
    assert (result.households, result.members) == (Counts(created=3), Counts(created=7))
    assert result.header_row == 3  # below two title rows, merged across the sheet
    assert result.skipped_rows == 1  # 制表人：张三 under the table
    assert result.unknown_columns == ["帮扶责任人", "备注"]

    first = Household.objects.get(number="370215010001001")
    assert first.region_code == VILLAGE_A
    assert first.phone == "13812345678"  # ="13812345678"
    assert first.category_values() == ["registered_poor", "minimum_living"]  # 建档立卡户、低保户
    assert (first.poverty_attribute, first.main_cause) == ("低保脱贫户", "因病")
    assert (first.farmland_mu, first.dilapidated, first.safe_water) == (Decimal("2.5"), False, True)
    assert first.head_name == "逄珍波"
    members = {m.name: m for m in first.members.all()}
    assert set(members) == {"逄珍波", "王秀英", "逄立强", "逄小雨"}  # " 逄珍波 ", "逄  立强"
    head, spouse, son, grandchild = (members[n] for n in ("逄珍波", "王秀英", "逄立强", "逄小雨"))
    assert head.id_number == IDS["head1"]  # typed with full-width digits
    assert (head.phone, head.minimum_living, head.health) == ("13912345678", True, ["长期慢性病"])
    assert spouse.id_number == IDS["spouse1"] and spouse.id_number.endswith("X")  # a lower-case x
    assert spouse.relation == "配偶"  # "配 偶"
    assert spouse.birth_date == dt.date(1960, 1, 2)  # 1960/1/2
    assert spouse.health == ["残疾", "长期慢性病"]
    assert (spouse.minimum_living, spouse.critical_illness_insured) == (True, True)  # √, 是
    assert son.id_number == IDS["son1"]  # ="…"
    assert son.birth_date == dt.date(1985, 7, 9)  # 1985.7.9
    assert (son.work_months, son.work_status, son.political_status) == (10, "省外务工", "中共党员")  # １０
    assert son.critical_illness_insured is False
    assert grandchild.birth_date == dt.date(2015, 3, 2)  # 20150302
    assert (grandchild.school_status, grandchild.education) == ("学龄前儿童", "")
    assert grandchild.pension_insured is None  # empty: not known

    second = Household.objects.get(number="370215010002001")
    assert second.region_code == VILLAGE_B  # 北郝家庄 for 北郝家庄村
    assert second.phone == "0532-88881234"
    wife = second.members.get(name="赵淑芬")
    assert wife.birth_date == dt.date(1964, 6, 30)  # the Excel serial number 23558
    assert second.members.get(name="王建军").birth_date == dt.date(1962, 11, 20)  # a date cell

    third = Household.objects.get(number="370215010001002")
    assert third.category_values() == ["monitored", "minimum_living", "disabled"]  # 低保户,残疾人 + 监测对象类别
    assert third.monitor_type == "marginal"
    assert third.members.get().ethnicity == "回族"


def test_one_request_id_for_the_whole_import_and_the_list_filters_by_it(run_import, personas):
    result = run_import(NATIONAL)

    changes = list(Change.objects.all())
    assert len(changes) == 10  # 3 households and 7 members created
    assert {c.request_id for c in changes} == {result.request_id}
    assert {(c.actor_id, c.action, c.message) for c in changes} == {
        (personas["office"].pk, "create", "import national.xlsx")}
    listed = households_filtered(personas["office"], HouseholdFilter(request_id=str(result.request_id)))
    assert set(listed.values_list("number", flat=True)) == {"370215010001001", "370215010002001", "370215010001002"}
    # History holds masked numbers only.
    assert not any(IDS["head1"] in repr((c.before, c.after)) for c in changes)
    assert any(c.after.get("id_number") == IDS["head1"][:4] + "*" * 12 + IDS["head1"][-2:] for c in changes)


def test_importing_the_same_file_twice_changes_nothing(run_import):
    run_import(NATIONAL)
    versions = sorted(Member.objects.values_list("pk", "version", "updated_at"))
    history = Change.objects.count()

    again = run_import(NATIONAL)

    assert again.ok and again.committed
    assert (again.households, again.members) == (Counts(unchanged=3), Counts(unchanged=7))
    assert Change.objects.count() == history
    assert sorted(Member.objects.values_list("pk", "version", "updated_at")) == versions


def test_a_changed_cell_updates_that_member_only_with_its_history(run_import, tmp_path):
    run_import(NATIONAL)
    wb = load_workbook(NATIONAL)
    ws = wb.active
    column = [c.value for c in ws[3]].index("文化程度") + 1
    assert ws.cell(row=5, column=column).value == "文盲或半文盲"  # 王秀英
    ws.cell(row=5, column=column, value="小学")
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)

    result = run_import(changed)

    assert (result.households, result.members) == (Counts(unchanged=3), Counts(updated=1, unchanged=6))
    update = Change.objects.get(action="update")
    assert (update.object_repr, update.before, update.after) == ("王秀英", {"education": "文盲或半文盲"},
                                                                 {"education": "小学"})
    assert update.request_id == result.request_id
    assert Member.objects.get(name="王秀英").version == 2


def test_history_of_created_rows_is_the_snapshot_the_registry_writes(run_import):
    """The import writes new members as rows, not objects: their history is still exactly what
    households.services records for a member (masked ID number and phone, short hashes)."""
    result = run_import(NATIONAL)

    assert result.ok and result.committed
    for member in Member.objects.all():
        change = Change.objects.get(object_type="member", object_id=member.pk)
        assert (change.action, change.before, change.object_repr) == ("create", None, member.name)
        assert (change.household_id, change.region_code) == (member.household_id, member.household.region_code)
        assert change.after == member_snapshot(member)
    for household in Household.objects.all():
        change = Change.objects.get(object_type="household", object_id=household.pk)
        expected = household_snapshot(household)
        for key in ("farmland_mu", "housing_area"):  # the file's 2.5 is stored as 2.50
            if expected[key] is not None:
                assert Decimal(change.after.pop(key)) == Decimal(expected.pop(key))
        assert change.after == expected and change.object_repr == str(household)


def test_a_changed_phone_and_a_new_member_on_reimport_write_exactly_their_history(run_import, tmp_path):
    run_import(NATIONAL)
    history = Change.objects.count()
    wb = load_workbook(NATIONAL)
    ws = wb.active
    headers = [(c.value or "").strip() for c in ws[3]]
    phone = headers.index("成员联系电话") + 1
    name = ws.cell(row=5, column=headers.index("姓名") + 1).value
    old_phone = Member.objects.get(name=name).phone
    ws.cell(row=5, column=phone, value="13900001111")
    new_row = [c.value for c in ws[5]]
    new_row[headers.index("姓名")] = "王小明"  # a grandson, new to the registry
    grandson = person_id(birth=dt.date(2012, 3, 4))
    new_row[headers.index("证件号码")] = grandson
    new_row[headers.index("与户主关系")] = "之孙子"
    new_row[headers.index("性别")] = "男"
    new_row[headers.index("出生日期")] = parse_id_number(grandson).birth_date.isoformat()
    new_row[headers.index("文化程度")] = None
    new_row[headers.index("在校生状况")] = "小学"
    new_row[headers.index("成员联系电话")] = None
    new_row[headers.index("联系电话")] = "13812345678"  # as text: openpyxl would write ="…" as a formula
    ws.insert_rows(6)
    for column, value in enumerate(new_row, start=1):
        ws.cell(row=6, column=column, value=value)
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)

    result = run_import(changed)

    assert result.ok, [str(e) for e in result.errors]
    assert (result.households, result.members) == (Counts(unchanged=3), Counts(created=1, updated=1, unchanged=6))
    assert Change.objects.count() == history + 2
    update = Change.objects.get(action="update")
    member = Member.objects.get(name=name)
    assert (update.object_id, set(update.before), set(update.after)) == (member.pk, {"phone", "phone_hash"},
                                                                        {"phone", "phone_hash"})
    assert update.before["phone"] == mask_phone(old_phone) and update.after["phone"] == "139****1111"
    assert "13900001111" not in repr(update.after) and member.phone == "13900001111"
    created = Change.objects.get(action="create", request_id=result.request_id)
    assert created.after == member_snapshot(Member.objects.get(name="王小明"))


def test_csv_in_gbk_and_utf8_with_bom_hold_the_same_as_the_xlsx(run_import):
    with pytest.raises(UnicodeDecodeError):
        (FILES / "national_gbk.csv").read_bytes().decode("utf-8")
    run_import(NATIONAL)
    expected = stored()
    for name, encoding in [("national_gbk.csv", "gb18030"), ("national_utf8_bom.csv", "utf-8-sig")]:
        Household.objects.all().delete()
        result = run_import(FILES / name)
        assert result.ok, messages(result)
        assert (result.format, result.encoding) == ("csv", encoding)
        assert stored() == expected


def test_legacy_xls_is_read(run_import):
    result = run_import(FILES / "legacy.xls")

    assert result.ok, messages(result)
    assert (result.format, result.households.created, result.members.created) == ("xls", 1, 2)
    household = Household.objects.get()
    assert (household.region_code, household.monitor_type, household.category_values()) == (
        VILLAGE_B, "sudden_hardship", ["monitored"])
    assert household.members.get(name="周国庆").birth_date == dt.date(1966, 10, 1)
    assert household.members.get(name="吴丽").work_months == 8


def test_header_over_two_rows_with_merged_cells(run_import):
    result = run_import(FILES / "two_level_header.xlsx")

    assert result.ok, messages(result)
    assert result.header_row == 3
    assert Household.objects.get().members.count() == 2


# --- refusals --------------------------------------------------------------------------------

NUMBER_MESSAGE = "The ID number was stored by Excel as a number and lost its last digits; enter it as text."


@pytest.mark.parametrize("name, rows", [("id_as_number.xlsx", [2, 3]), ("id_scientific.csv", [2])])
def test_an_id_number_stored_as_a_number_is_refused_never_guessed(run_import, name, rows):
    with translation.override("en"):
        result = run_import(FILES / name)

    assert result.errors == [RowError(row=row, column="证件号码", message=NUMBER_MESSAGE) for row in rows]
    assert nothing_written()


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(run_import, tmp_path):
    report = tmp_path / "report.xlsx"
    with translation.override("en"):
        result = run_import(FILES / "bad_rows.xlsx", report=report)

    assert messages(result) == [
        "Row 7 证件号码: The same ID number as row 6.",
        "Row 8 证件号码: The check digit is wrong.",
        "Row 9 性别: The sex does not agree with the ID number (its 17th digit).",
        "Row 10 与户主关系: A household needs exactly one head; none is given.",
    ]
    assert not result.committed and result.request_id is None
    assert nothing_written()

    wb = load_workbook(report)
    ws = wb.worksheets[0]
    width = len([c for c in ws[3] if c.value is not None])
    assert ws.cell(row=3, column=width).value == "Errors"
    assert ws.cell(row=8, column=width).value == "证件号码: The check digit is wrong."
    assert ws.cell(row=10, column=width).value == "与户主关系: A household needs exactly one head; none is given."
    for row in (7, 8, 9, 10):
        assert ws.cell(row=row, column=1).fill.fgColor.rgb.endswith("FFC7CE")
        assert ws.cell(row=row, column=width).fill.fgColor.rgb.endswith("FFC7CE")
    for row in (4, 5, 6):
        assert ws.cell(row=row, column=width).value is None
        assert ws.cell(row=row, column=1).fill.fill_type is None
    assert ws.cell(row=1, column=1).value == "蓝村街道脱贫户家庭成员信息表"  # the title rows are kept
    assert ws.cell(row=4, column=1).value == "370215010001001"
    summary = dict(sheet_rows(report, 1))
    assert summary["Errors"] == 4 and summary["Result"] == "nothing written"
    assert summary["Columns ignored"] == "帮扶责任人、备注"


def test_a_missing_required_column_is_one_clear_error(run_import):
    with translation.override("en"):
        result = run_import(FILES / "missing_column.xlsx")

    assert messages(result) == ["Required columns are missing: 证件号码 (the header row found is row 3)."]
    assert nothing_written()


@pytest.mark.parametrize("content", [b"PK\x03\x04 not a zip", b"", b"\x00\x01\x02\xff\xfe\x00" * 50,
                                     "一,二\n".encode("utf-8") * 3])
def test_a_file_that_is_not_a_sheet_raises_file_error(run_import, tmp_path, content):
    path = tmp_path / "upload.bin"
    path.write_bytes(content)
    with pytest.raises(FileError) as raised:
        run_import(path)
    assert nothing_written()
    with translation.override("en"):
        message = str(raised.value.message)
    # What to do about it, in the user's words; never the library's (zip entries, XML, encodings).
    assert message and not any(word in message for word in ("zip", "Zip", "XML", "codec", "Error"))


# --- scope -----------------------------------------------------------------------------------

def test_a_row_in_a_village_outside_the_area_is_an_error_and_nothing_is_written(run_import):
    with translation.override("en"):
        result = run_import(FILES / "other_village.xlsx")

    # A township that really is outside is said to be, on its column.
    assert messages(result) == ["Row 8 乡（镇）: 送庄镇 is outside your area."]
    assert nothing_written()


def test_an_office_of_another_township_touches_nothing_here(run_import, personas):
    with pytest.raises(ValidationError):
        run_import(NATIONAL, actor="outsider_office", region=TOWNSHIP)
    result = run_import(NATIONAL, actor="outsider_office", region="410308103")
    assert result.error_rows == 3  # each household's first row: no such village in 送庄镇
    assert nothing_written()


def test_a_village_cadre_imports_their_own_village_only(run_import):
    with translation.override("en"):
        result = run_import(NATIONAL, actor="village_a", region=VILLAGE_A)

    # 北郝家庄村 is a village of the township, only not theirs: outside their area.
    assert messages(result) == ["Row 8 村: 蓝村街道 北郝家庄 is outside your area."]
    assert nothing_written()
    assert run_import(FILES / "two_level_header.xlsx", actor="village_a", region=VILLAGE_A).committed


def test_a_caseworker_may_not_import(run_import):
    with pytest.raises(PermissionDenied):
        run_import(NATIONAL, actor="caseworker_a", region=VILLAGE_A)
    assert nothing_written()


def test_an_id_number_registered_in_another_household_is_an_error_naming_it(run_import, make_household):
    other = make_household(VILLAGE_A, members=[member_data(name="赵淑芬", id_number=IDS["wife2"], sex="F")])
    history = Change.objects.count()
    with translation.override("en"):
        result = run_import(NATIONAL)

    assert messages(result) == [
        f"Row 9 证件号码: This ID number is already registered: 赵淑芬 in household {other.number} (戴家庄村)."]
    assert Household.objects.count() == 1 and Change.objects.count() == history


def test_an_id_number_registered_outside_what_the_importer_sees_is_refused_without_saying_where(
        run_import, make_household, tmp_path):
    taken = person_id()
    other = make_household(VILLAGE_B, members=[member_data(name="孙秀英", id_number=taken)])
    path = write_xlsx(tmp_path / "taken.xlsx", SHORT_HEADERS, [
        ["370215010001701", "戴家庄村", "孙秀英", taken, "户主", "初中", ""]])
    history = Change.objects.count()
    with translation.override("en"):
        hidden = run_import(path, actor="village_a", region=VILLAGE_A)
        named = run_import(path, actor="office", dry_run=True)

    assert messages(hidden) == [
        "Row 2 证件号码: This ID number is already registered in a household outside what you can see; "
        "the office above you can tell where."]
    assert messages(named) == [
        f"Row 2 证件号码: This ID number is already registered: 孙秀英 in household {other.number} (北郝家庄村)."]
    assert Household.objects.count() == 1 and Change.objects.count() == history


def test_a_household_number_of_another_area_is_refused_without_saying_where(run_import, make_household, regions):
    make_household("410308103001", number="370215010001001")
    with translation.override("en"):
        result = run_import(NATIONAL)
    assert "Row 4 户编号: Household number 370215010001001 is already in use." in messages(result)


# --- all or nothing, dry run -----------------------------------------------------------------

def many_rows(count: int, *, bad_at: int | None = None) -> list[list]:
    """`count` members in households of two (head and spouse), ids unique, in 戴家庄村."""
    rows = []
    for index in range(count):
        head = index % 2 == 0
        number = make_id_number("370215", dt.date(1930, 1, 1) + dt.timedelta(days=index // 50), index % 50,
                                "M" if head else "F")
        if index == bad_at:
            number = number[:17] + ("0" if number[17] != "0" else "1")
        rows.append([f"3702150100019{index // 2:05d}", "戴家庄村", f"成员{index}", number, "户主" if head else "配偶",
                     "初中", ""])
    return rows


def test_one_bad_row_in_ten_thousand_writes_nothing(run_import, tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(SHORT_HEADERS)
    for row in many_rows(10_000, bad_at=9_500):  # after several chunks were written, then rolled back
        ws.append(row)
    path = tmp_path / "big.xlsx"
    wb.save(path)
    with translation.override("en"):
        result = run_import(path)

    assert messages(result) == ["Row 9502 证件号码: The check digit is wrong."]
    assert result.rows == 10_000
    # What the valid households would have written: all but the one with the bad row.
    assert (result.households, result.members) == (Counts(created=4999), Counts(created=9998))
    assert nothing_written()


def test_dry_run_counts_what_would_change_and_writes_nothing(run_import, tmp_path):
    result = run_import(NATIONAL, dry_run=True)
    assert result.ok and not result.committed and result.request_id is None
    assert (result.households, result.members) == (Counts(created=3), Counts(created=7))
    assert nothing_written()

    run_import(NATIONAL)
    history = Change.objects.count()
    path = write_xlsx(tmp_path / "one.xlsx", SHORT_HEADERS, [
        ["370215010001001", "戴家庄村", "逄珍波", IDS["head1"], "户主", "初中", ""],  # was 小学
        ["370215010001003", "戴家庄村", "钱进", person_id(), "户主", "初中", ""],
    ])
    result = run_import(path, dry_run=True)
    assert (result.households, result.members) == (Counts(created=1, unchanged=1), Counts(created=1, updated=1))
    assert Change.objects.count() == history
    assert Member.objects.get(name="逄珍波").education == "小学"


def test_progress_is_reported_for_a_background_job(run_import):
    calls = []
    run_import(NATIONAL, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(7, calls[-1][1])]
    assert calls[-1][1] >= 7


# --- households and members ------------------------------------------------------------------

def test_a_new_village_is_created_from_its_code_and_name(run_import, tmp_path):
    headers = ["户编号", "行政区划代码", "村", "姓名", "证件号码", "与户主关系", "文化程度"]
    path = write_xlsx(tmp_path / "new.xlsx", headers, [
        ["370215010003001", "370215010003", "新民村", "钱进", person_id(), "户主", "初中"]])

    dry = run_import(path, dry_run=True)
    assert dry.ok and dry.villages_created == [("370215010003", "新民村")]
    assert not Region.objects.filter(code="370215010003").exists()

    result = run_import(path)
    assert result.villages_created == [("370215010003", "新民村")]
    assert Region.objects.get(code="370215010003").parent_id == TOWNSHIP
    assert Household.objects.get().region_code == "370215010003"

    nameless = write_xlsx(tmp_path / "nameless.xlsx", headers, [
        ["370215010004001", "370215010004", "", "孙进", person_id(), "户主", "初中"]])
    with translation.override("en"):
        refused = run_import(nameless)
    assert messages(refused) == [
        "Row 2 行政区划代码: There is no region 370215010004 yet; give its name in the 村 (or 组) column to create it."]


def test_a_village_code_outside_the_area_is_not_created(run_import, tmp_path):
    path = write_xlsx(tmp_path / "far.xlsx", ["户编号", "行政区划代码", "村", "姓名", "证件号码", "与户主关系", "文化程度"],
                      [["410308103009001", "410308103009", "远村", "钱进", person_id(), "户主", "初中"]])
    with translation.override("en"):
        result = run_import(path)
    assert messages(result) == ["Row 2 行政区划代码: 410308103009 is outside your area."]
    assert not Region.objects.filter(code="410308103009").exists()


def test_the_rows_of_a_household_must_be_together(run_import, tmp_path):
    path = write_xlsx(tmp_path / "scattered.xlsx", SHORT_HEADERS, [
        ["370215010001501", "戴家庄村", "钱进", person_id(), "户主", "初中", ""],
        ["370215010001502", "戴家庄村", "孙进", person_id(), "户主", "初中", ""],
        ["370215010001501", "戴家庄村", "钱小", person_id(), "之子", "初中", ""],
    ])
    with translation.override("en"):
        result = run_import(path)
    assert messages(result) == ["Row 4 户编号: The rows of household 370215010001501 are not together "
                                "(it first appears on row 2); sort the sheet by 户编号."]


def test_a_households_columns_must_agree_on_each_of_its_rows(run_import, tmp_path):
    headers = ["户编号", "村", "联系电话", "姓名", "证件号码", "与户主关系", "文化程度"]
    path = write_xlsx(tmp_path / "disagree.xlsx", headers, [
        ["370215010001501", "戴家庄村", "13800001111", "钱进", person_id(), "户主", "初中"],
        ["370215010001501", "戴家庄村", "13800002222", "钱小", person_id(), "之子", "初中"],
    ])
    with translation.override("en"):
        result = run_import(path)
    assert messages(result) == ["Row 3 联系电话: Differs from the household's first row (row 2); "
                                "a household's columns are the same on each of its rows."]


def test_a_new_head_and_the_former_one_change_places(run_import, tmp_path):
    father, son = person_id(sex="M"), person_id(sex="M", birth=dt.date(1995, 1, 1))
    first = write_xlsx(tmp_path / "before.xlsx", SHORT_HEADERS, [
        ["370215010001601", "戴家庄村", "孙明", father, "户主", "高中", ""],
        ["370215010001601", "戴家庄村", "孙乐", son, "之子", "大专", ""],
    ])
    run_import(first)
    then = write_xlsx(tmp_path / "after.xlsx", SHORT_HEADERS, [
        ["370215010001601", "戴家庄村", "孙明", father, "之父", "高中", ""],
        ["370215010001601", "戴家庄村", "孙乐", son, "户主", "大专", ""],
    ])
    result = run_import(then)

    assert result.ok, messages(result)
    assert result.members == Counts(updated=2)
    household = Household.objects.get()
    assert household.head_name == "孙乐"
    assert dict(household.members.values_list("name", "relation")) == {"孙明": "之父", "孙乐": "户主"}


def test_members_who_are_not_in_the_file_are_kept(run_import, tmp_path):
    run_import(NATIONAL)
    path = write_xlsx(tmp_path / "head.xlsx", SHORT_HEADERS, [
        ["370215010001001", "戴家庄村", "逄珍波", IDS["head1"], "户主", "小学", ""]])
    result = run_import(path)
    assert result.ok and result.members == Counts(unchanged=1)
    assert Household.objects.get(number="370215010001001").members.count() == 4


def test_a_second_head_among_registered_members_is_named(run_import, tmp_path):
    run_import(NATIONAL)
    path = write_xlsx(tmp_path / "second.xlsx", SHORT_HEADERS, [
        ["370215010001001", "戴家庄村", "钱进", person_id(), "户主", "初中", ""]])
    with translation.override("en"):
        result = run_import(path)
    assert messages(result) == ["Row 2 与户主关系: A household has exactly one head; this is a second one. "
                                "(逄珍波, already registered in this household)"]


def test_a_group_not_in_the_tree_leaves_the_household_on_its_village(run_import, tmp_path):
    path = write_xlsx(tmp_path / "group.xlsx", ["户编号", "村", "组", *SHORT_HEADERS[2:]], [
        ["370215010001701", "戴家庄村", "三组", "钱进", person_id(), "户主", "初中", ""]])
    result = run_import(path)
    assert result.ok and result.unknown_groups == {"三组": 1}
    assert Household.objects.get().region_code == VILLAGE_A


@pytest.mark.parametrize("name", ["national.xlsx", "national_gbk.csv", "legacy.xls"])
def test_an_upload_as_a_view_receives_it_imports_and_reports(run_import, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(name, (FILES / name).read_bytes())
    report = io.BytesIO()
    result = run_import(upload, dry_run=True, report=report)
    assert result.ok and result.file_name == name and result.rows in (7, 2)
    assert len(load_workbook(io.BytesIO(report.getvalue())).sheetnames) == 2  # the sheet and its summary
