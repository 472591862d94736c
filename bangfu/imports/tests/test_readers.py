"""Reading sheets: cells, headers, encodings, and the two .xlsx readers agreeing on every file."""

from __future__ import annotations

import codecs
import datetime as dt

import pytest
from django.utils import translation

from bangfu.imports import columns as cols
from bangfu.imports import readers
from bangfu.imports.tests.make_files import IDS
from bangfu.imports.tests.support import FILES

COLUMN = cols.COLUMN_BY_KEY


@pytest.mark.parametrize("value, expected", [
    ("1990-01-02", "1990-01-02"), ("1990/1/2", "1990-01-02"), ("1990.1.2", "1990-01-02"),
    ("19900102", "1990-01-02"), ("1990年1月2日", "1990-01-02"), (" １９９０－０１－０２ ", "1990-01-02"),
    (32875, "1990-01-02"), (32875.0, "1990-01-02"), ("32875", "1990-01-02"),
    (dt.date(1990, 1, 2), "1990-01-02"), (dt.datetime(1990, 1, 2, 0, 0), "1990-01-02"), ("", ""), (None, ""),
])
def test_dates_in_every_spelling(value, expected):
    assert cols.cell_value(COLUMN["birth_date"], value) == expected


@pytest.mark.parametrize("value", ["1990-02-30", "yesterday", "1990-13-01", -5])
def test_impossible_dates_are_errors(value):
    with pytest.raises(cols.CellError):
        cols.cell_value(COLUMN["birth_date"], value)


@pytest.mark.parametrize("value, expected", [
    ("是", "true"), ("否", "false"), ("√", "true"), ("✓", "true"), ("×", "false"), ("", ""), (None, ""),
    (" 是 ", "true"), (True, "true"), (False, "false"), (1, "true"), ("Y", "true"),
])
def test_yes_and_no(value, expected):
    assert cols.cell_value(COLUMN["minimum_living"], value) == expected


def test_yes_no_with_its_own_words_and_nonsense():
    assert cols.cell_value(COLUMN["sanitary_toilet"], "有") == "true"
    assert cols.cell_value(COLUMN["sanitary_toilet"], "无") == "false"
    with translation.override("en"), pytest.raises(cols.CellError, match="neither yes nor no"):
        cols.cell_value(COLUMN["minimum_living"], "不详")


def test_id_numbers_full_width_lower_case_wrapped_and_spaced():
    number = IDS["spouse1"]
    assert cols.cell_value(COLUMN["id_number"], number.lower()) == number
    assert cols.cell_value(COLUMN["id_number"], f'="{number}"') == number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert cols.cell_value(COLUMN["id_number"], f" {full_width} ") == number
    assert cols.cell_value(COLUMN["id_number"], f"{number[:6]} {number[6:14]} {number[14:]}") == number


@pytest.mark.parametrize("value", [370215195803049011, 3.70215195803049e17, 37021519580304.0])
def test_an_id_number_cell_holding_a_number_is_refused(value):
    with translation.override("en"), pytest.raises(cols.CellError, match="stored by Excel as a number"):
        cols.cell_value(COLUMN["id_number"], value)


def test_a_masked_value_is_refused_with_the_reason():
    with translation.override("en"), pytest.raises(cols.CellError, match="masked"):
        cols.cell_value(COLUMN["id_number"], "3702**********1234")
    with pytest.raises(cols.CellError):
        cols.cell_value(COLUMN["member_phone"], "138****5678")


def test_codes_stay_text_and_a_rounded_number_is_refused():
    assert cols.cell_value(COLUMN["number"], " 3702 1501 0001 ") == "370215010001"
    assert cols.cell_value(COLUMN["number"], 370215010001.0) == "370215010001"
    with pytest.raises(cols.CellError):
        cols.cell_value(COLUMN["number"], 3702150100010001.0)  # 16 digits: Excel kept 15


def test_several_values_in_one_cell():
    assert cols.cell_value(COLUMN["categories"], "建档立卡户、低保户,残疾人 特困户") == [
        "registered_poor", "minimum_living", "disabled", "extreme_hardship"]
    assert cols.cell_value(COLUMN["health"], "残疾，长期慢性病") == ["残疾", "长期慢性病"]


def test_choices_with_their_common_variants():
    assert cols.cell_value(COLUMN["relation"], "配 偶") == "配偶"
    assert cols.cell_value(COLUMN["relation"], "子") == "之子"
    assert cols.cell_value(COLUMN["sex"], "男") == "M"
    assert cols.cell_value(COLUMN["monitor_type"], "边缘易致贫户") == "marginal"
    assert cols.cell_value(COLUMN["dilapidation_level"], "Ｃ级") == "C级"
    assert cols.cell_value(COLUMN["relation"], "邻居") == "邻居"  # the form says it is not a choice


def test_numbers_as_people_write_them():
    assert cols.cell_value(COLUMN["work_months"], 6.0) == "6"
    assert cols.cell_value(COLUMN["work_months"], "6个月") == "6"
    assert cols.cell_value(COLUMN["wage_income"], "12,345.60元") == "12345.60"
    assert cols.cell_value(COLUMN["farmland_mu"], 2.5) == "2.5"
    assert cols.cell_value(COLUMN["phone"], 13812345678) == "13812345678"


@pytest.mark.parametrize("header, key", [
    ("证件号码", "id_number"), (" 证件 号码 ", "id_number"), ("*证件号码", "id_number"), ("身份证号", "id_number"),
    ("务工时间(月)", "work_months"), ("务工时间（月）", "work_months"), ("乡（镇）", "township"),
    ("住房面积（㎡）", "housing_area"), ("工资性收入（元）", "wage_income"), ("贫困户属性", "poverty_attribute"),
    ("户 编 号\n", "number"),
])
def test_headers_match_whatever_their_spelling(header, key):
    assert cols.column_for(header).key == key


def test_unknown_header():
    assert cols.column_for("帮扶责任人") is None


@pytest.mark.parametrize("data, encoding", [
    (codecs.BOM_UTF8 + "户编号,姓名".encode(), "utf-8-sig"),
    ("户编号,姓名".encode(), "utf-8"),
    ("户编号,姓名".encode("gbk"), "gb18030"),
    (codecs.BOM_UTF16_LE + "户编号\t姓名".encode("utf-16-le"), "utf-16"),
])
def test_encodings_are_detected(data, encoding):
    assert readers.detect_encoding(data) == encoding


def test_a_utf16_tab_separated_file_as_excel_saves_unicode_text(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_bytes(codecs.BOM_UTF16_LE + "户编号\t村\t姓名\t证件号码\r\n3702\t戴家庄村\t王秀英\tx\r\n".encode("utf-16-le"))
    table = readers.open_table(path)
    assert table.header_row == 1
    assert list(table.data_rows()) == [(2, ["3702", "戴家庄村", "王秀英", "x"])]


def _rows(table) -> list[tuple[int, list]]:
    """Non-blank rows, blanks as None and trailing blanks dropped, so the two readers compare."""
    result = []
    for number, values in table.sheet.rows():
        values = [None if cols.is_blank(v) else v for v in values]
        while values and values[-1] is None:
            values.pop()
        if values:
            result.append((number, values))
    return result


@pytest.mark.parametrize("name", ["national.xlsx", "bad_rows.xlsx", "two_level_header.xlsx", "id_as_number.xlsx"])
def test_the_streaming_reader_reads_what_calamine_reads(name):
    calamine = readers.open_table(FILES / name, reader="calamine")
    stream = readers.open_table(FILES / name, reader="stream")
    assert isinstance(calamine.sheet, readers.CalamineSheet)
    assert isinstance(stream.sheet, readers.XlsxStreamSheet)
    assert (stream.header_row, stream.headers) == (calamine.header_row, calamine.headers)
    assert _rows(stream) == _rows(calamine)


def test_the_streaming_reader_reads_a_write_only_workbook_with_inline_strings(tmp_path):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("成员")
    ws.append(["户编号", "姓名", "证件号码", "出生日期", "务工时间（月）"])
    ws.append(["3702", "王&秀<英>", IDS["head1"], dt.date(1958, 3, 4), 6])
    path = tmp_path / "inline.xlsx"
    wb.save(path)
    calamine = readers.open_table(path, reader="calamine")
    stream = readers.open_table(path, reader="stream")
    assert _rows(stream) == _rows(calamine) == [
        (1, ["户编号", "姓名", "证件号码", "出生日期", "务工时间（月）"]),
        (2, ["3702", "王&秀<英>", IDS["head1"], dt.date(1958, 3, 4), 6.0]),
    ]


def test_a_sheet_over_the_size_limit_is_streamed(monkeypatch):
    monkeypatch.setattr(readers, "STREAM_ABOVE_BYTES", 100)
    assert isinstance(readers.open_table(FILES / "national.xlsx").sheet, readers.XlsxStreamSheet)


def test_packed_strings_give_back_what_went_in():
    strings = readers._PackedStrings()
    values = [f"值{i}" * (i % 5) for i in range(10_000)]
    for value in values:
        strings.append(value)
    strings.finish()
    assert [strings[i] for i in range(len(values))] == values


def test_the_first_sheet_with_a_header_row_is_used(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "填表说明：每个成员一行"
    data = wb.create_sheet("成员")
    data.append(["户编号", "村", "姓名", "证件号码", "与户主关系"])
    path = tmp_path / "two_sheets.xlsx"
    wb.save(path)
    assert readers.open_table(path).sheet.name == "成员"
