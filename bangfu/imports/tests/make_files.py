"""Write the sheets in tests/files/: real .xlsx, a legacy .xls, UTF-8 and GBK .csv, each with the
mess that real sheets carry. Run it again after changing it (the files are committed):

    .venv/bin/python bangfu/imports/tests/make_files.py

Needs xlwt for the .xls (pip install xlwt; not a dependency of bangfu). ID numbers are synthetic
(the 15th digit is 9, see households.synthetic) and fixed, so tests can name them.
"""

from __future__ import annotations

import csv
import datetime as dt
import sys
from pathlib import Path

FILES = Path(__file__).resolve().parent / "files"
sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from bangfu.households.synthetic import make_id_number  # noqa: E402

VILLAGE_A = "370215010001"  # 戴家庄村 in conftest's tree
VILLAGE_B = "370215010002"  # 北郝家庄村


def pid(birth: str, sex: str, sequence: int = 0) -> str:
    return make_id_number("370215", dt.date.fromisoformat(birth), sequence, sex)


def pid_ending_in_x(birth: str, sex: str) -> str:
    for sequence in range(50):
        number = make_id_number("370215", dt.date.fromisoformat(birth), sequence, sex)
        if number.endswith("X"):
            return number
    raise AssertionError("no X for this date")


def full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" or "A" <= ch <= "Z" else ch for ch in text)


# The people of the main file (national.xlsx); tests import these names.
IDS = {
    "head1": pid("1958-03-04", "M"),
    "spouse1": pid_ending_in_x("1960-01-02", "F"),
    "son1": pid("1985-07-09", "M"),
    "grandchild1": pid("2015-03-02", "F"),
    "head2": pid("1962-11-20", "M"),
    "wife2": pid("1964-06-30", "F"),
    "head3": pid("1949-02-14", "F"),
}

HEADERS = [
    "户编号", "县", "乡（镇）", "村", "组", "联系电话", "户主姓名", "户类别", "脱贫户属性", "监测对象类别",
    "主要致贫原因", "耕地面积（亩）", "是否危房", "饮水是否安全",
    "姓名", "性别", "出生日期", " 证件号码 ", "民族", "成员联系电话", "与户主关系", "文化程度", "在校生状况",
    "健康状况", "劳动技能", "务工状况", "务工时间（月）", "政治面貌", "是否享受低保", "是否特困供养人员",
    "是否参加城乡居民基本养老保险", "是否参加城乡居民基本医疗保险", "是否参加大病保险", "帮扶责任人", "备注",
]


def household(number, village, phone, head, categories, attribute, monitor, cause, land, dilapidated, water):
    return {
        "户编号": number, "县": "即墨区", "乡（镇）": "蓝村街道", "村": village, "组": "", "联系电话": phone,
        "户主姓名": head, "户类别": categories, "脱贫户属性": attribute, "监测对象类别": monitor,
        "主要致贫原因": cause, "耕地面积（亩）": land, "是否危房": dilapidated, "饮水是否安全": water,
    }


def member(name, sex, born, id_number, relation, education="", school="", health="健康", skill="普通劳动力",
           work="", months="", political="群众", low="否", hardship="否", pension="是", medical="是",
           critical="", phone="", ethnicity="汉族"):
    return {
        "姓名": name, "性别": sex, "出生日期": born, " 证件号码 ": id_number, "民族": ethnicity, "成员联系电话": phone,
        "与户主关系": relation, "文化程度": education, "在校生状况": school, "健康状况": health, "劳动技能": skill,
        "务工状况": work, "务工时间（月）": months, "政治面貌": political, "是否享受低保": low,
        "是否特困供养人员": hardship, "是否参加城乡居民基本养老保险": pension,
        "是否参加城乡居民基本医疗保险": medical, "是否参加大病保险": critical,
        "帮扶责任人": "张建国", "备注": "",
    }


def national_rows() -> list[dict]:
    """Three households, eight members, and the mess: full-width digits, stray spaces, lower-case
    x, ="…" wrappers, five spellings of a date, yes/no as 是/否/√/empty."""
    h1 = household("370215010001001", "戴家庄村", '="13812345678"', "逄珍波", "建档立卡户、低保户",
                   "低保脱贫户", "", "因病", 2.5, "否", "是")
    h2 = household("370215010002001", "北郝家庄", "0532-88881234", "王建军", "建档立卡户",
                   "一般脱贫户", "", "缺技术", "", "", "√")
    h3 = household("370215010001002", "戴家庄村", "", "李桂兰", "低保户,残疾人",
                   "", "边缘易致贫户", "", "1.5", "是", "")
    h3["是否危房"] = "否"
    return [
        h1 | member(" 逄珍波 ", "男", "1958-03-04", full_width(IDS["head1"]), "户主", education="小学",
                    health="长期慢性病", phone="13912345678", low="是"),
        h1 | member("王秀英", "女", "1960/1/2", IDS["spouse1"].lower(), "配 偶", education="文盲或半文盲",
                    health="残疾,长期慢性病", skill="弱劳动力或半劳动力", low="√", critical="是"),
        h1 | member("逄  立强", "男", "1985.7.9", f'="{IDS["son1"]}"', "之子", education="初中", work="省外务工",
                    months="１０", political="中共党员", pension="是", medical="是", critical="否"),
        h1 | member("逄小雨", "女", "20150302", IDS["grandchild1"], "之孙女", school="学龄前儿童", skill="无劳动力",
                    pension="", medical="是"),
        h2 | member("王建军", "男", dt.date(1962, 11, 20), IDS["head2"], "户主", education="初中"),
        h2 | member("赵淑芬", "女", 23558, IDS["wife2"], "配偶", education="小学", health="患有大病"),
        h3 | member("李桂兰", "女", "1949-2-14", IDS["head3"], "户主", education="文盲或半文盲", health="残疾",
                    skill="丧失劳动力", low="是", hardship="否", ethnicity="回族"),
    ]


def write_xlsx(path: Path, rows: list[dict], *, headers=HEADERS, title_rows=True, footer=True, id_as_number=False):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "脱贫户家庭成员"
    start = 1
    if title_rows:
        ws.cell(row=1, column=1, value="蓝村街道脱贫户家庭成员信息表")
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
        ws.cell(row=2, column=1, value="填报单位：蓝村街道      填报时间：2020年2月")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=8)
        start = 3
    for index, header in enumerate(headers, start=1):
        ws.cell(row=start, column=index, value=header)
    for offset, row in enumerate(rows, start=1):
        for index, header in enumerate(headers, start=1):
            value = row.get(header, "")
            if value == "":
                continue
            if id_as_number and header.strip() == "证件号码":
                value = float(str(value).replace("x", "").replace("X", "0"))
            cell = ws.cell(row=start + offset, column=index, value=value)
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # text as pasted from a CSV export, not a formula
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    if footer:
        ws.cell(row=start + len(rows) + 2, column=1, value="制表人：张三    审核人：李四")
    wb.save(path)


def write_csv(path: Path, rows: list[dict], encoding: str, *, headers=HEADERS):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_value(row.get(h, "")) for h in headers])


def _csv_value(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_two_level_header(path: Path):
    """A header over two rows: 户编号 and 村 merged down, member columns under a merged group title."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws["A1"] = "家庭成员信息"
    ws.merge_cells("A1:H1")
    ws["A2"], ws["B2"], ws["C2"] = "户编号", "村", "家庭成员"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:H2")
    for column, header in zip("CDEFGH", ["姓名", "证件号码", "与户主关系", "文化程度", "在校生状况", "健康状况"]):
        ws[f"{column}3"] = header
    rows = [
        ["370215010001101", "戴家庄村", "孙明", pid("1970-08-08", "M", 3), "户主", "高中", "", "健康"],
        ["370215010001101", "戴家庄村", "孙乐", pid("2010-09-09", "M", 3), "之子", "", "小学", "健康"],
    ]
    for offset, row in enumerate(rows):
        for index, value in enumerate(row, start=1):
            ws.cell(row=4 + offset, column=index, value=value)
    wb.save(path)


def write_xls(path: Path):
    """A real legacy .xls (BIFF8), with date cells and numbers as the old Excel wrote them."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("成员")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    headers = ["户编号", "乡(镇)", "村", "联系电话", "户类别", "监测对象类别", "姓名", "性别", "出生日期", "证件号码",
               "与户主关系", "文化程度", "在校生状况", "健康状况", "务工时间(月)", "是否享受低保"]
    rows = [
        ["370215010002201", "蓝村街道", "北郝家庄村", "13700001111", "监测对象", "突发严重困难户", "周国庆", "男",
         dt.date(1966, 10, 1), pid("1966-10-01", "M", 5), "户主", "初中", "", "患有大病", 0, "否"],
        ["370215010002201", "蓝村街道", "北郝家庄村", "13700001111", "监测对象", "突发严重困难户", "吴丽", "女",
         dt.date(1968, 4, 5), pid("1968-04-05", "F", 5), "配偶", "小学", "", "健康", 8, "否"],
    ]
    for column, header in enumerate(headers):
        sheet.write(0, column, header)
    for offset, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(offset, column, value, date_style)
            else:
                sheet.write(offset, column, value)
    book.save(str(path))


def bad_rows() -> list[dict]:
    """Four problems in a valid frame: a wrong check digit, a household without a head, a sex that
    disagrees with the ID, and an ID already used on another row."""
    rows = national_rows()
    wrong = IDS["head2"][:17] + ("0" if IDS["head2"][17] != "0" else "1")
    rows[4] = rows[4] | {" 证件号码 ": wrong}  # row 8: check digit
    rows[6] = rows[6] | {"与户主关系": "之女"}  # row 10: no head in household 3
    rows[5] = rows[5] | {"性别": "男"}  # row 9: sex vs ID
    rows[3] = rows[2] | {"姓名": "逄立刚"}  # row 7: same ID as row 6
    return rows


def main() -> None:
    FILES.mkdir(exist_ok=True)
    rows = national_rows()
    write_xlsx(FILES / "national.xlsx", rows)
    write_csv(FILES / "national_gbk.csv", rows, "gbk")
    write_csv(FILES / "national_utf8_bom.csv", rows, "utf-8-sig")
    write_xlsx(FILES / "id_as_number.xlsx", rows[:2], title_rows=False, footer=False, id_as_number=True)
    with open(FILES / "id_scientific.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["户编号", "村", "姓名", "证件号码", "与户主关系", "文化程度"])
        writer.writerow(["370215010001301", "戴家庄村", "钱进", "3.70215E+17", "户主", "初中"])
    write_xlsx(FILES / "bad_rows.xlsx", bad_rows())
    other = [row | {"乡（镇）": "送庄镇", "村": "送庄村"} if row["户编号"] == "370215010002001" else row
             for row in national_rows()]
    write_xlsx(FILES / "other_village.xlsx", other)
    write_xlsx(FILES / "missing_column.xlsx", rows, headers=[h for h in HEADERS if h.strip() != "证件号码"])
    write_two_level_header(FILES / "two_level_header.xlsx")
    write_xls(FILES / "legacy.xls")
    (FILES / "not_a_sheet.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip archive")
    print("written:", ", ".join(sorted(p.name for p in FILES.iterdir())))


if __name__ == "__main__":
    main()
