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


@pytest.mark.parametrize("fast", [True, False], ids=["regex", "expat"])
@pytest.mark.parametrize("name", ["national.xlsx", "bad_rows.xlsx", "two_level_header.xlsx", "id_as_number.xlsx"])
def test_the_streaming_reader_reads_what_calamine_reads(name, fast, monkeypatch):
    monkeypatch.setattr(readers.XlsxStreamSheet, "fast", fast)
    calamine = readers.open_table(FILES / name, reader="calamine")
    stream = readers.open_table(FILES / name, reader="stream")
    assert isinstance(calamine.sheet, readers.CalamineSheet)
    assert isinstance(stream.sheet, readers.XlsxStreamSheet)
    assert (stream.header_row, stream.headers) == (calamine.header_row, calamine.headers)
    assert _rows(stream) == _rows(calamine)


def _trimmed(values: list) -> list:
    values = [None if cols.is_blank(v) else v for v in values]
    while values and values[-1] is None:
        values.pop()
    return values


def _handmade_xlsx(path, sheet_data: str, *, prefix: str = "") -> None:
    """An .xlsx whose sheet XML is written by hand: a shared string table of two, style 1 a date."""
    import zipfile

    x = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns{":" + prefix if prefix else ""}="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"),
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}">'
            '<sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{rel}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"),
        "xl/styles.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}">'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>'),
        "xl/sharedStrings.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{main}" count="2" uniqueCount="2">'
            "<si><t>户编号</t></si><si><t>姓名</t></si></sst>"),
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><{x}worksheet {xmlns}><{x}dimension ref="A1:D6"/>'
            f"<{x}sheetData>{sheet_data}</{x}sheetData></{x}worksheet>"),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)


@pytest.mark.parametrize("prefix", ["", "x"])
def test_the_fast_streaming_path_reads_every_way_of_writing_a_cell_as_expat_does(tmp_path, monkeypatch, prefix):
    x = f"{prefix}:" if prefix else ""
    rows = "".join(row.replace("<", f"<{x}").replace(f"<{x}/", f"</{x}") for row in [
        '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
        '<row r="2"/>',  # an empty row, self-closing
        '<row r="3"><c r="A3" s="1"><v>32875</v></c><c r="B3" t="inlineStr"><is><t>王&amp;秀&lt;英&gt;</t></is></c>'
        '<c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#N/A</v></c></row>',
        # what the fast path leaves to expat: a formula, rich text, attributes in another order, no r
        '<row r="4"><c r="A4" t="str"><f>B4&amp;"x"</f><v>甲x</v></c><c r="B4" t="inlineStr"><is><r><t>甲</t></r>'
        '<r><t>乙</t></r></is></c><c t="n" r="C4"><v>6</v></c></row>',
        '<row><c><v>7</v></c><c r="B5" s="1"><v>32875.5</v></c></row>',
        '<row r="6"><c r="A6" t="inlineStr"><is><t xml:space="preserve"> 空格 </t></is></c><c r="B6"/>'
        '<c r="C6"></c><c r="D6"><v></v></c></row>',
    ])
    path = tmp_path / f"tricky{prefix}.xlsx"
    _handmade_xlsx(path, rows, prefix=prefix)
    read = {}
    for fast in (True, False):
        monkeypatch.setattr(readers.XlsxStreamSheet, "fast", fast)
        read[fast] = list(readers.XlsxStreamSheet(path, "成员", "xl/worksheets/sheet1.xml").rows())
    assert read[True] == read[False] == [
        (1, ["户编号", "姓名"]),
        (3, [dt.date(1990, 1, 2), "王&秀<英>", True, "#N/A"]),
        (4, ["甲x", "甲乙", 6.0]),
        (5, [7.0, dt.datetime(1990, 1, 2, 12, 0)]),
        (6, [" 空格 "]),
    ]
    calamine = next(readers._calamine_sheets(path, "xlsx"))  # which reads an error cell (#N/A) as blank
    assert [(n, _trimmed(v)) for n, v in calamine.rows() if _trimmed(v)] == [
        (n, v[:3] if n == 3 else v) for n, v in read[True]]


def test_a_streamed_sheet_cut_short_is_damaged_not_read_in_part(tmp_path):
    import zipfile

    good = tmp_path / "good.xlsx"
    _handmade_xlsx(good, '<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>')
    cut = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(cut, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[:data.index(b'<row r="2">') + 20]
            target.writestr(info.filename, data)
    for fast in (True, False):
        readers.XlsxStreamSheet.fast = fast
        try:
            with translation.override("en"), pytest.raises(readers.FileError, match="damaged"):
                list(readers.XlsxStreamSheet(cut, "成员", "xl/worksheets/sheet1.xml").rows())
        finally:
            readers.XlsxStreamSheet.fast = True


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
