#!/usr/bin/env python3
"""Benchmark of the household import, on one database, in one run:

  (a) bangfu: dry run, commit, and the same file again (all unchanged);
  (b) django-import-export importing the same rows into the same models (households, members);
  (c) the database's own bulk insert of the same rows, already validated and encrypted
      (executemany on SQLite, COPY on PostgreSQL): the floor; beside it, the same insert with the
      history rows the import writes (one per household and member, as the commit in (a) wrote
      them), which the rules require of any import and the floor leaves out;
  (d) with --memory-rows N: peak memory of a dry run of an N-row file (in a child process).

    .venv/bin/python bench/import.py [--rows 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/import.py
    .venv/bin/python bench/import.py --rows 0 --memory-rows 1000000 --memory-format csv
    .venv/bin/python bench/import.py --rows 0 --memory-rows 1000000 --memory-format xlsx --reader stream

Needs the `bench` extra (django-import-export). Files and the SQLite database go to bench/out/.
Big xlsx files are written straight into the zip (write_xlsx), checked against openpyxl first.
The PostgreSQL database named in DATABASE_URL is emptied of households first: use one of its own
(createdb -h 127.0.0.1 -U postgres bench_import; bench/households.py uses `bench`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gc
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

VILLAGES = 20
TOWNSHIP = "370215010"


def setup_django(database_url: str | None) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BANGFU_DATA_DIR", str(OUT / "data"))
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.setdefault("DATABASE_URL", f"sqlite:///{OUT / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def prepare_regions_and_user():
    from bangfu.accounts.models import Role, User
    from bangfu.regions.models import Level, Region

    tree = [("37", "山东省", Level.PROVINCE, None), ("3702", "青岛市", Level.CITY, "37"),
            ("370215", "即墨区", Level.COUNTY, "3702"), (TOWNSHIP, "蓝村街道", Level.TOWNSHIP, "370215")]
    tree += [(f"{TOWNSHIP}{i:03d}", f"第{i}村", Level.VILLAGE, TOWNSHIP) for i in range(1, VILLAGES + 1)]
    for code, name, level, parent in tree:
        Region.objects.update_or_create(code=code, defaults={"name": name, "level": level, "parent_id": parent})
    user = User.objects.filter(username="bench").first()
    if user is None:
        user = User.objects.create_user(username="bench", password="bench-password", role=Role.ADMIN)
    return user


# --- the sheet -------------------------------------------------------------------------------

def national_rows(count: int, seed: int = 7):
    """`count` member rows in the national format: households of 1 to 6, all columns filled the
    way the national export fills them."""
    from bangfu.households import choices
    from bangfu.households.synthetic import make_id_number
    from bangfu.imports import columns as cols

    rng = random.Random(seed)
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    given = "秀英建国玉兰桂芝明华立强志军海燕淑珍丽娟文静国庆红梅小雨佳怡子轩浩然春生秋菊"
    headers = [c.header for c in cols.COLUMNS]
    start = dt.date(1935, 1, 1)
    person = 0
    household = 0
    written = 0
    while written < count:
        household += 1
        village = f"{TOWNSHIP}{rng.randint(1, VILLAGES):03d}"
        size = min(rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 6]), count - written)
        surname = rng.choice(surnames)
        monitored = rng.random() < 0.3
        base = {
            "户编号": f"{village}{household:06d}", "省": "山东省", "市": "青岛市", "县": "即墨区", "乡(镇)": "蓝村街道",
            "村": f"第{int(village[-3:])}村", "行政区划代码": village, "联系电话": f"13{rng.randint(100000000, 999999999)}",
            "户类别": "建档立卡户" + ("、监测对象" if monitored else "") + ("、低保户" if rng.random() < 0.2 else ""),
            "户状态": "正常", "识别标准": "国家标准", "脱贫户属性": rng.choice(["一般脱贫户", "低保脱贫户"]),
            "主要致贫原因": rng.choice(["因病", "因残", "缺技术", "缺劳力"]),
            "监测对象类别": rng.choice(["脱贫不稳定户", "边缘易致贫户"]) if monitored else "",
            "耕地面积(亩)": round(rng.random() * 5, 1), "入户路类型": "水泥路", "住房面积(㎡)": rng.randint(40, 160),
            "是否危房": "否", "饮水是否安全": "是", "是否通生活用电": "是", "有无卫生厕所": rng.choice(["有", "无"]),
            "主要燃料类型": rng.choice(["柴草", "煤炭", "清洁能源"]), "工资性收入": rng.randint(0, 40000),
            "转移性收入": rng.randint(0, 8000),
        }
        names = []
        for index in range(size):
            relation = ("户主" if index == 0 else "配偶" if index == 1 else rng.choice(["之子", "之女", "之孙子", "之孙女"]))
            sex = ("M" if index == 0 else "F") if index < 2 else ("M" if relation in ("之子", "之孙子") else "F")
            birth = start + dt.timedelta(days=person // 50)
            id_number = make_id_number("370215", birth, person % 50, sex)
            person += 1
            name = surname + "".join(rng.choice(given) for _ in range(2)) if index != 1 else rng.choice(surnames) + rng.choice(given)
            names.append(name)
            student = index >= 2 and rng.random() < 0.4
            row = dict(base)
            row.update({
                "户主姓名": names[0], "姓名": name, "性别": choices.SEX_NATIONAL[sex], "出生日期": birth,
                "证件类型": "居民身份证", "证件号码": id_number, "民族": "汉族",
                "成员联系电话": f"15{rng.randint(100000000, 999999999)}" if rng.random() < 0.5 else "",
                "与户主关系": relation, "文化程度": "" if student else rng.choice(["小学", "初中", "高中"]),
                "在校生状况": rng.choice(["小学", "七年级", "普通高中一年级"]) if student else "",
                "健康状况": rng.choice(["健康", "健康", "长期慢性病", "残疾,长期慢性病"]),
                "劳动技能": rng.choice(["普通劳动力", "弱劳动力或半劳动力", "无劳动力"]),
                "务工状况": rng.choice(["", "乡镇内务工", "省外务工"]), "务工时间（月）": rng.randint(0, 12),
                "政治面貌": "群众", "是否享受低保": rng.choice(["是", "否"]), "是否特困供养人员": "否",
                "是否参加城乡居民基本养老保险": "是", "是否参加城乡居民基本医疗保险": "是", "是否参加大病保险": "是",
            })
            yield [row.get(h, "") for h in headers]
            written += 1


def write_sheet(path: Path, count: int) -> None:
    from bangfu.imports import columns as cols

    headers = [c.header for c in cols.COLUMNS]
    started = time.perf_counter()
    if path.suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headers)
            for row in national_rows(count):
                writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    else:
        write_xlsx(path, headers, national_rows(count), count)
    print(f"  wrote {path.name} ({count} rows) in {time.perf_counter() - started:.0f} s", flush=True)


def write_xlsx_openpyxl(path: Path, headers: list[str], rows) -> None:
    """The same sheet through openpyxl (write-only): the reference the fast writer is checked against."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("成员")
    ws.append(headers)
    for row in rows:
        ws.append([None if v == "" else v for v in row])
    wb.save(path)


# The parts of a minimal workbook, as openpyxl and Excel write them: one sheet, strings in a
# shared-strings table (as in real exports, so the reader's memory includes that table), dates as
# serial numbers in a cell style with the format yyyy-mm-dd.
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>\
</Types>"""
_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
_WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="成员" sheetId="1" r:id="rId1"/></sheets></workbook>"""
_WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>\
</Relationships>"""
_STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
_EPOCH = dt.date(1899, 12, 30)


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def write_xlsx(path: Path, headers: list[str], rows, count: int) -> None:
    """Write the sheet's XML straight into the zip, row by row (openpyxl took over half an hour for
    1,000,000 rows). Strings go to a shared-strings table written after the sheet."""
    import zipfile
    from xml.sax.saxutils import escape

    letters = [_letters(i) for i in range(len(headers))]
    strings: dict[str, int] = {}

    def cells(number: int, values) -> str:
        out = [f'<row r="{number}">']
        for column, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{letters[column]}{number}"
            if isinstance(value, str):
                index = strings.get(value)
                if index is None:
                    index = strings[value] = len(strings)
                out.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
            elif isinstance(value, dt.date):
                out.append(f'<c r="{ref}" s="1"><v>{(value - _EPOCH).days}</v></c>')
            elif isinstance(value, bool):
                out.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            else:
                out.append(f'<c r="{ref}"><v>{value!r}</v></c>')
        out.append("</row>")
        return "".join(out)

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
            handle.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                          f'<dimension ref="A1:{letters[-1]}{count + 1}"/><sheetData>').encode())
            batch = [cells(1, headers)]
            for number, values in enumerate(rows, start=2):
                batch.append(cells(number, values))
                if len(batch) >= 1000:
                    handle.write("".join(batch).encode())
                    batch.clear()
            handle.write(("".join(batch) + "</sheetData></worksheet>").encode())
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as handle:
            handle.write(('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                          '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                          f'uniqueCount="{len(strings)}">').encode())
            batch = []
            for text in strings:  # in insertion order: the index each cell refers to
                space = ' xml:space="preserve"' if text != text.strip() else ""
                batch.append(f"<si><t{space}>{escape(text)}</t></si>")
                if len(batch) >= 4096:
                    handle.write("".join(batch).encode())
                    batch.clear()
            handle.write(("".join(batch) + "</sst>").encode())


def check_xlsx_writer(user, rows: int = 3000) -> None:
    """The fast writer against openpyxl on a small file: the same cells read back by openpyxl and
    by calamine, and the same dry-run counts through both of the import's xlsx readers."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    from bangfu.imports import columns as cols
    from bangfu.imports.services import households_import

    headers = [c.header for c in cols.COLUMNS]
    fast, reference = OUT / f"check_fast_{rows}.xlsx", OUT / f"check_openpyxl_{rows}.xlsx"
    write_xlsx(fast, headers, national_rows(rows), rows)
    write_xlsx_openpyxl(reference, headers, national_rows(rows))

    def by_openpyxl(path):
        wb = load_workbook(path, read_only=True)
        values = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        return wb.sheetnames, values

    def by_calamine(path):
        wb = CalamineWorkbook.from_path(str(path))
        return wb.sheet_names, wb.get_sheet_by_index(0).to_python(skip_empty_area=False)

    def strip(values):  # trailing empty cells: one writer leaves them out, the other pads the row
        out = []
        for row in values:
            row = list(row)
            while row and row[-1] in (None, ""):
                row.pop()
            out.append(row)
        return out

    assert by_openpyxl(fast)[0] == by_openpyxl(reference)[0] == ["成员"]
    assert strip(by_openpyxl(fast)[1]) == strip(by_openpyxl(reference)[1]), "openpyxl reads the files differently"
    assert strip(by_calamine(fast)[1]) == strip(by_calamine(reference)[1]), "calamine reads the files differently"
    assert len(by_openpyxl(fast)[1]) == rows + 1
    summaries = set()
    for path in (fast, reference):
        for reader in ("calamine", "stream"):
            result = households_import(actor=user, source=path, region_code=TOWNSHIP, dry_run=True, reader=reader)
            assert not result.errors, [str(e) for e in result.errors[:3]]
            summaries.add((result.rows, result.summary()))
    assert len(summaries) == 1, summaries
    print(f"  xlsx writer checked against openpyxl on {rows} rows (cells by openpyxl and calamine, dry runs "
          f"by both readers): {summaries.pop()[1]}", flush=True)


def sheet(count: int, suffix: str = ".xlsx") -> Path:
    path = OUT / f"national_{count}{suffix}"
    if not path.exists():
        write_sheet(path, count)
    return path


# --- helpers ---------------------------------------------------------------------------------

def wipe() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("history_change", "households_member", "households_householdcategory",
                      "households_assignment", "households_household"):
            cursor.execute(f"DELETE FROM {table}")
    if connection.vendor == "postgresql":  # the next run starts from fresh statistics, not dead rows
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE households_household, households_member, history_change")


def counts() -> tuple[int, int]:
    from bangfu.households.models import Household, Member

    return Household.objects.count(), Member.objects.count()


def timed(label: str, function):
    """Wall time (returned) and this process's CPU time (shown too: on a shared machine the wall
    time also counts other processes, the CPU time does not, nor the database server's)."""
    gc.collect()
    started, cpu = time.perf_counter(), time.process_time()
    value = function()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    CPU[label] = cpu
    print(f"  {label}: {seconds:.2f} s (CPU of this process {cpu:.2f} s; load average {os.getloadavg()[0]:.1f})",
          flush=True)
    return seconds, value


CPU: dict[str, float] = {}  # CPU time of this process per timed step


def peak_mb() -> float:
    """Peak resident memory of this process. VmHWM, not ru_maxrss: on Linux a child started with
    fork and exec keeps in ru_maxrss the parent's peak at the fork (a parent that has just written a
    big sheet would be counted); VmHWM belongs to the new program's memory alone."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- (a) bangfu ------------------------------------------------------------------------------

def run_bangfu(user, path: Path, *, dry_run: bool):
    from bangfu.imports.services import households_import

    result = households_import(actor=user, source=path, region_code=TOWNSHIP, dry_run=dry_run)
    if result.errors:
        raise SystemExit(f"unexpected errors: {[str(e) for e in result.errors[:5]]}")
    return result


def warm_up(user) -> None:
    """Load the code paths once (pypinyin's dictionaries, form classes...) before any clock starts."""
    from bangfu.imports.services import households_import

    households_import(actor=user, source=ROOT / "bangfu/imports/tests/files/national.xlsx", region_code=TOWNSHIP,
                      dry_run=True)


# --- (b) django-import-export ----------------------------------------------------------------

def import_export_resources():
    from import_export import fields, resources, widgets

    from bangfu.core import crypto
    from bangfu.core.text import initials
    from bangfu.households import identity
    from bangfu.households.models import Household, Member
    from bangfu.regions.models import Region

    class YesNo(widgets.BooleanWidget):
        TRUE_VALUES = ["是", "有", True]
        FALSE_VALUES = ["否", "无", False]

    class Yuan(widgets.Widget):
        def clean(self, value, row=None, **kwargs):
            return None if value in (None, "") else int(round(float(value) * 100))

    class Choice(widgets.Widget):
        def __init__(self, mapping=None):
            self.mapping = mapping or {}

        def clean(self, value, row=None, **kwargs):
            value = "" if value is None else str(value).strip()
            return self.mapping.get(value, value)

    class HouseholdResource(resources.ModelResource):
        number = fields.Field(attribute="number", column_name="户编号")
        region = fields.Field(attribute="region", column_name="行政区划代码",
                              widget=widgets.ForeignKeyWidget(Region, field="code"))
        status = fields.Field(attribute="status", column_name="户状态", widget=Choice({"正常": "active"}))
        identification_standard = fields.Field(attribute="identification_standard", column_name="识别标准", widget=Choice())
        poverty_attribute = fields.Field(attribute="poverty_attribute", column_name="脱贫户属性", widget=Choice())
        main_cause = fields.Field(attribute="main_cause", column_name="主要致贫原因", widget=Choice())
        monitor_type = fields.Field(attribute="monitor_type", column_name="监测对象类别",
                                    widget=Choice({"脱贫不稳定户": "unstable", "边缘易致贫户": "marginal"}))
        farmland_mu = fields.Field(attribute="farmland_mu", column_name="耕地面积(亩)", widget=widgets.DecimalWidget())
        road_type = fields.Field(attribute="road_type", column_name="入户路类型", widget=Choice())
        housing_area = fields.Field(attribute="housing_area", column_name="住房面积(㎡)", widget=widgets.DecimalWidget())
        dilapidated = fields.Field(attribute="dilapidated", column_name="是否危房", widget=YesNo())
        safe_water = fields.Field(attribute="safe_water", column_name="饮水是否安全", widget=YesNo())
        electricity = fields.Field(attribute="electricity", column_name="是否通生活用电", widget=YesNo())
        sanitary_toilet = fields.Field(attribute="sanitary_toilet", column_name="有无卫生厕所", widget=YesNo())
        fuel_type = fields.Field(attribute="fuel_type", column_name="主要燃料类型", widget=Choice())
        wage_income = fields.Field(attribute="wage_income", column_name="工资性收入", widget=Yuan())
        transfer_income = fields.Field(attribute="transfer_income", column_name="转移性收入", widget=Yuan())
        head_name = fields.Field(attribute="head_name", column_name="户主姓名")

        class Meta:
            model = Household
            import_id_fields = ("number",)
            fields = ("number", "region", "status", "identification_standard", "poverty_attribute", "main_cause",
                      "monitor_type", "farmland_mu", "road_type", "housing_area", "dilapidated", "safe_water",
                      "electricity", "sanitary_toilet", "fuel_type", "wage_income", "transfer_income", "head_name")
            skip_unchanged = True
            clean_model_instances = True

        def before_save_instance(self, instance, row, **kwargs):
            instance.region_code = instance.region_id
            phone = identity.normalise_phone(row["联系电话"])
            instance.phone_encrypted = crypto.encrypt(phone)
            instance.phone_hash = crypto.keyed_hash(identity.phone_lookup_key(phone))
            instance.phone_tail = phone[-4:]

    class MemberResource(resources.ModelResource):
        id_hash = fields.Field(attribute="id_hash", column_name="id_hash")
        household = fields.Field(attribute="household", column_name="户编号",
                                 widget=widgets.ForeignKeyWidget(Household, field="number"))
        name = fields.Field(attribute="name", column_name="姓名")
        sex = fields.Field(attribute="sex", column_name="性别", widget=Choice({"男": "M", "女": "F"}))
        birth_date = fields.Field(attribute="birth_date", column_name="出生日期", widget=widgets.DateWidget())
        id_type = fields.Field(attribute="id_type", column_name="证件类型", widget=Choice())
        ethnicity = fields.Field(attribute="ethnicity", column_name="民族")
        relation = fields.Field(attribute="relation", column_name="与户主关系", widget=Choice())
        education = fields.Field(attribute="education", column_name="文化程度", widget=Choice())
        school_status = fields.Field(attribute="school_status", column_name="在校生状况", widget=Choice())
        labor_skill = fields.Field(attribute="labor_skill", column_name="劳动技能", widget=Choice())
        work_status = fields.Field(attribute="work_status", column_name="务工状况", widget=Choice())
        work_months = fields.Field(attribute="work_months", column_name="务工时间（月）", widget=widgets.IntegerWidget())
        political_status = fields.Field(attribute="political_status", column_name="政治面貌", widget=Choice())
        minimum_living = fields.Field(attribute="minimum_living", column_name="是否享受低保", widget=YesNo())
        extreme_hardship = fields.Field(attribute="extreme_hardship", column_name="是否特困供养人员", widget=YesNo())
        pension_insured = fields.Field(attribute="pension_insured", column_name="是否参加城乡居民基本养老保险", widget=YesNo())
        medical_insured = fields.Field(attribute="medical_insured", column_name="是否参加城乡居民基本医疗保险", widget=YesNo())
        critical_illness_insured = fields.Field(attribute="critical_illness_insured", column_name="是否参加大病保险",
                                                widget=YesNo())

        class Meta:
            model = Member
            import_id_fields = ("id_hash",)
            fields = ("id_hash", "household", "name", "sex", "birth_date", "id_type", "ethnicity", "relation",
                      "education", "school_status", "labor_skill", "work_status", "work_months", "political_status",
                      "minimum_living", "extreme_hardship", "pension_insured", "medical_insured",
                      "critical_illness_insured")
            skip_unchanged = True
            clean_model_instances = True

        def before_import(self, dataset, **kwargs):
            # Members are matched by the keyed hash of their ID number, as bangfu matches them.
            dataset.append_col(
                [crypto.keyed_hash(identity.parse_id_number(n).base) for n in dataset["证件号码"]], header="id_hash")

        def before_save_instance(self, instance, row, **kwargs):
            parsed = identity.parse_id_number(row["证件号码"])
            instance.id_number_encrypted = crypto.encrypt(parsed.full)
            instance.id_tail_reversed = parsed.base[-6:][::-1]
            instance.name_initials = initials(instance.name)
            instance.health = [part for part in str(row["健康状况"] or "").split(",") if part]
            phone = row["成员联系电话"]
            if phone:
                phone = identity.normalise_phone(phone)
                instance.phone_encrypted = crypto.encrypt(phone)
                instance.phone_hash = crypto.keyed_hash(phone)
                instance.phone_tail = phone[-4:]

    return HouseholdResource(), MemberResource()


def run_import_export(path: Path, rows: int | None = None) -> tuple[float, float]:
    import tablib

    started = time.perf_counter()
    with open(path, "rb") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="xlsx" if path.suffix == ".xlsx" else "csv")
    if rows:
        dataset = dataset.subset(rows=range(rows))
    loaded = time.perf_counter() - started
    households, members = import_export_resources()
    result = households.import_data(dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(f"import-export households: {result.invalid_rows[:3]} {result.row_errors()[:3]}")
    result = members.import_data(dataset, dry_run=False)
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(f"import-export members: {result.invalid_rows[:3]} {result.row_errors()[:3]}")
    return loaded, time.perf_counter() - started


def read_only(path: Path, reader: str = "auto") -> int:
    """Open the sheet and go through its rows as the import does, doing nothing with them."""
    from bangfu.imports.readers import open_table

    table = open_table(path, reader=reader)
    count = sum(1 for _row in table.data_rows())
    table.sheet.close()
    return count


# --- (c) the floor ---------------------------------------------------------------------------

def validated_rows(path: Path):
    """The rows as bangfu writes them (checked, encrypted), built before the clock starts."""
    from bangfu.core import crypto
    from bangfu.core.text import initials
    from bangfu.households import identity
    from bangfu.imports.readers import open_table

    table = open_table(path)
    index = {column.header: position for position, column in table.columns.items()}
    now = dt.datetime.now(dt.timezone.utc)
    households, categories, members = [], [], []
    by_number: dict[str, int] = {}
    for _number, values in table.data_rows():
        def get(header, values=values):
            return values[index[header]]

        number = get("户编号")
        if number not in by_number:
            pk = 10_000_000 + len(households)
            by_number[number] = pk
            phone = str(get("联系电话"))
            households.append((
                pk, number, get("行政区划代码"), get("行政区划代码"), "", get("户主姓名"), crypto.encrypt(phone),
                crypto.keyed_hash(phone), phone[-4:], "active", "", "国家标准", get("脱贫户属性"), get("主要致贫原因"),
                "[]", "[]", "", None, str(get("耕地面积(亩)")), "水泥路", str(get("住房面积(㎡)")), False, None, True,
                True, get("有无卫生厕所") == "有", get("主要燃料类型"), int(get("工资性收入")) * 100, None, None,
                int(get("转移性收入")) * 100, None, None, 1, now, now,
            ))
            categories.append((pk, "registered_poor"))
        parsed = identity.parse_id_number(get("证件号码"))
        phone = get("成员联系电话") or ""
        members.append((
            by_number[number], get("姓名"), initials(get("姓名")), "M" if get("性别") == "男" else "F",
            parsed.birth_date, "居民身份证", crypto.encrypt(parsed.full), crypto.keyed_hash(parsed.base),
            parsed.base[-6:][::-1], "汉族", crypto.encrypt(phone), crypto.keyed_hash(phone), phone[-4:],
            get("与户主关系"), get("文化程度") or "", get("在校生状况") or "", '["健康"]', get("劳动技能"),
            get("务工状况") or "", int(get("务工时间（月）") or 0), "", "", "群众", get("是否享受低保") == "是", False,
            True, True, True, "", "", None, 1, now, now,
        ))
    return households, categories, members


HOUSEHOLD_COLUMNS = ("id, number, region_id, region_code, address, head_name, phone_encrypted, phone_hash, phone_tail, "
                     "status, monitor_type, identification_standard, poverty_attribute, main_cause, other_causes, risks, "
                     "risk_elimination_method, risk_eliminated_on, farmland_mu, road_type, housing_area, dilapidated, "
                     "dilapidation_level, safe_water, electricity, sanitary_toilet, fuel_type, wage_income, "
                     "business_income, property_income, transfer_income, business_expense, caseworker_id, version, "
                     "created_at, updated_at")
MEMBER_COLUMNS = ("household_id, name, name_initials, sex, birth_date, id_type, id_number_encrypted, id_hash, "
                  "id_tail_reversed, ethnicity, phone_encrypted, phone_hash, phone_tail, relation, education, "
                  "school_status, health, labor_skill, work_status, work_months, work_place, employer, political_status, "
                  "minimum_living, extreme_hardship, pension_insured, medical_insured, critical_illness_insured, "
                  "disability_category, welfare_post_type, welfare_post_months, version, created_at, updated_at")


def bulk_insert(households, categories, members) -> None:
    from django.db import connection, transaction

    def fix(row):  # dilapidation_level is text, never NULL
        return row[:22] + ("",) + row[23:]

    households = [fix(r) for r in households]
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY households_household ({HOUSEHOLD_COLUMNS}) FROM STDIN") as copy:
                for row in households:
                    copy.write_row(row)
            with raw.copy("COPY households_householdcategory (household_id, category) FROM STDIN") as copy:
                for row in categories:
                    copy.write_row(row)
            with raw.copy(f"COPY households_member ({MEMBER_COLUMNS}) FROM STDIN") as copy:
                for row in members:
                    copy.write_row(row)
        else:
            def marks(n):
                return ", ".join(["%s"] * n)

            cursor.executemany(f"INSERT INTO households_household ({HOUSEHOLD_COLUMNS}) VALUES ({marks(36)})",
                               households)
            cursor.executemany("INSERT INTO households_householdcategory (household_id, category) VALUES (%s, %s)",
                               categories)
            cursor.executemany(f"INSERT INTO households_member ({MEMBER_COLUMNS}) VALUES ({marks(34)})", members)


def history_of(result) -> list[tuple]:
    """The history rows a commit wrote, as history.services.changes_bulk_insert takes them."""
    from bangfu.history.models import Change
    from bangfu.history.services import CHANGE_ROW

    return list(Change.objects.filter(request_id=result.request_id).order_by("pk").values_list(*CHANGE_ROW))


def bulk_insert_with_history(user, households, categories, members, history) -> None:
    """The floor, and in the same transaction the history rows the import writes for those rows."""
    from django.db import transaction

    from bangfu.history.services import changes_bulk_insert

    with transaction.atomic():
        bulk_insert(households, categories, members)
        changes_bulk_insert(actor=user, message="import", rows=history)


# --- where the time goes --------------------------------------------------------------------

def phases(user, path: Path) -> None:
    """A commit with CPU time summed per step of the importer (steps nest: 'write' holds 'history')."""
    import collections

    from bangfu.imports import forms, services

    spent: collections.Counter = collections.Counter()

    def measure(owner, name, label):
        original = getattr(owner, name)

        def measured(*args, **kwargs):
            started = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[label] += time.process_time() - started

        setattr(owner, name, measured)
        return owner, name, original

    patches = [
        measure(services._Import, "parse", "read cells into form values"),
        measure(services._Import, "add_member", "member row: parse cells, ID number, in-file duplicates"),
        measure(forms.RowForm, "validate", "forms (HouseholdForm, MemberForm)"),
        measure(services._Import, "load_existing", "load existing households and members"),
        measure(services._Import, "plan_household", "plan writes: objects, encryption, snapshots"),
        measure(services, "changes_bulk_insert", "history rows (history.services.changes_bulk_insert)"),
        measure(services.bulk, "insert", "insert households (core.bulk.insert)"),
        measure(services.bulk, "insert_rows", "insert categories, members (core.bulk.insert_rows)"),
        measure(services._Import, "write", "write (all of it)"),
    ]
    patches.append(measure(services._Import, "run", "the whole import"))
    started = time.process_time()
    try:
        run_bangfu(user, path, dry_run=True)
    finally:
        for owner, name, original in patches:
            setattr(owner, name, original)
    total = time.process_time() - started
    print(f"  CPU time of a dry run by step ({total:.1f} s in all):")
    for label, seconds in spent.most_common():
        print(f"    {seconds:7.2f} s  {seconds / total:5.1%}  {label}")


# --- (d) memory ------------------------------------------------------------------------------

def memory_child(path: Path, reader: str) -> None:
    """Run in a fresh process: a dry run of `path`, then print time and peak memory."""
    user = prepare_regions_and_user()
    from bangfu.imports import readers
    from bangfu.imports.services import households_import

    before = peak_mb()
    if path.suffix == ".xlsx":  # which reader "auto" picks (the rule of readers._xlsx_sheets)
        size = max(size for *_, size in readers._xlsx_parts(path))
        print(f"  the sheet's XML: {size / 2**20:.0f} MB; auto streams above "
              f"{readers.STREAM_ABOVE_BYTES / 2**20:.0f} MB", flush=True)
    started, cpu = time.perf_counter(), time.process_time()
    result = households_import(actor=user, source=path, region_code=TOWNSHIP, dry_run=True, reader=reader)
    print(f"  dry run of {result.rows} rows ({path.suffix}, reader {reader}): "
          f"{time.perf_counter() - started:.0f} s (CPU {time.process_time() - cpu:.0f} s; load average "
          f"{os.getloadavg()[0]:.1f}), peak RSS {peak_mb():.0f} MB (after Django start-up {before:.0f} MB); "
          f"errors {len(result.errors)}; {result.summary()}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="member rows in the timed file (0: skip)")
    parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--reader", choices=["auto", "calamine", "stream"], default="auto")
    parser.add_argument("--skip-import-export", action="store_true", help="skip (b), which is slow")
    parser.add_argument("--ie-rows", type=int, default=0,
                        help="run (b) on the first N rows only and scale its time (it is linear: row by row)")
    parser.add_argument("--memory-rows", type=int, default=0, help="also measure a dry run of this many rows")
    parser.add_argument("--memory-format", choices=["xlsx", "csv"], default="xlsx")
    parser.add_argument("--phases", action="store_true", help="also show where (a)'s time goes")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    setup_django(None)
    from django.db import connection

    if args.child:
        memory_child(Path(args.child), args.reader)
        return
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; python {sys.version.split()[0]}",
          flush=True)
    user = prepare_regions_and_user()
    wanted = [(args.rows, args.format), (args.memory_rows, args.memory_format)]
    if any(rows and fmt == "xlsx" and not (OUT / f"national_{rows}.xlsx").exists() for rows, fmt in wanted):
        check_xlsx_writer(user)  # before a big xlsx is written by it
    if args.rows:
        path = sheet(args.rows, f".{args.format}")
        wipe()
        print(f"(a) bangfu, {args.rows} member rows from {path.name}", flush=True)
        from bangfu.imports import readers

        if args.reader != "auto":
            readers.STREAM_ABOVE_BYTES = 0 if args.reader == "stream" else 1 << 62
        warm_up(user)
        dry, result = timed("dry run", lambda: run_bangfu(user, path, dry_run=True))
        print(f"    {result.summary()}")
        commit, result = timed("commit", lambda: run_bangfu(user, path, dry_run=False))
        print(f"    {result.summary()}")
        history = history_of(result)
        print(f"    history rows written: {len(history)}")
        again, result = timed("same file again", lambda: run_bangfu(user, path, dry_run=False))
        print(f"    {result.summary()}")
        households_count, members_count = counts()
        wipe()
        if args.phases:
            phases(user, path)
        ie = None
        if not args.skip_import_export:
            ie_rows = min(args.ie_rows or args.rows, args.rows)
            print(f"(b) django-import-export, the same {ie_rows} rows, same models (households, then members)",
                  flush=True)
            _seconds, (loaded, total) = timed("load + import", lambda: run_import_export(path, ie_rows))
            print(f"    of which loading the sheet with tablib: {loaded:.2f} s; rows now {counts()}")
            # The whole sheet is loaded either way; the import itself is row by row, so it scales.
            ie = loaded + (total - loaded) * args.rows / ie_rows
            if ie_rows < args.rows:
                print(f"    loading + import scaled to {args.rows} rows (it imports row by row): {ie:.0f} s")
            wipe()
        print("(c) the database's own bulk insert of the same validated rows", flush=True)
        reading, _rows = timed("for reference: reading the sheet alone (no checks, no writes)", lambda: read_only(path))
        fastest = "csv" if path.suffix == ".csv" else "calamine"
        reading_fast, _rows = timed(f"for reference: reading the sheet alone with {fastest}",
                                    lambda: read_only(path, fastest))
        households, categories, members = validated_rows(path)
        floor, _none = timed("bulk insert", lambda: bulk_insert(households, categories, members))
        assert counts() == (households_count, members_count), (counts(), households_count, members_count)
        wipe()
        floor_history, _none = timed("bulk insert with the import's history rows", lambda: bulk_insert_with_history(
            user, households, categories, members, history))
        assert counts() == (households_count, members_count), (counts(), households_count, members_count)
        wipe()
        print("ratios:")
        if ie:
            print(f"  django-import-export / bangfu commit = {ie / commit:.1f}x (target >= 10x)")
        print(f"  bangfu commit / bulk insert = {commit / floor:.1f}x (target <= 3x)")
        print(f"  bangfu dry run / bulk insert = {dry / floor:.1f}x")
        print(f"  reading the sheet alone / bulk insert = {reading / floor:.1f}x")
        print(f"  reading the sheet alone with {fastest} / bulk insert = {reading_fast / floor:.1f}x")
        print(f"  bulk insert with the import's history rows / bulk insert = {floor_history / floor:.1f}x")
        print(f"  reading ({fastest}) + bulk insert with history, one after the other / bulk insert = "
              f"{(reading_fast + floor_history) / floor:.1f}x (what any import that keeps history pays before a check)")
        print(f"  bangfu commit / bulk insert with history = {commit / floor_history:.1f}x")
        print(f"  bangfu same file again (all unchanged) / bulk insert = {again / floor:.1f}x")
        if connection.vendor == "sqlite":  # all of the work is in this process: CPU times compare
            floor_cpu = CPU["bulk insert"]
            reading_cpu = CPU["for reference: reading the sheet alone (no checks, no writes)"]
            print(f"  by CPU time of this process: commit / floor = {CPU['commit'] / floor_cpu:.1f}x, dry run / floor = "
                  f"{CPU['dry run'] / floor_cpu:.1f}x, same file again / floor = {CPU['same file again'] / floor_cpu:.1f}x, "
                  f"reading alone / floor = {reading_cpu / floor_cpu:.1f}x")
        print(f"  per member row: bangfu commit {commit / args.rows * 1e6:.0f} us, "
              f"floor {floor / args.rows * 1e6:.0f} us" + (f", import-export {ie / args.rows * 1e6:.0f} us" if ie else ""))
    if args.memory_rows:
        import subprocess

        path = sheet(args.memory_rows, f".{args.memory_format}")
        print(f"(d) memory, {args.memory_rows} rows", flush=True)
        subprocess.run([sys.executable, __file__, "--child", str(path), "--reader", args.reader], check=True)


if __name__ == "__main__":
    main()
