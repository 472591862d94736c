"""The national sheet's columns: headers and their variants, and how a cell becomes a form value.

One table (COLUMNS) is the format of import, export and the template alike. A cell is turned into
what the form would receive from a page (a string, a list for several values, "true"/"false" for
yes/no); the forms then apply the registry's rules. Cleaning here only undoes spreadsheet mess
(full-width characters, stray spaces, `="…"` wrappers, dates in five spellings, Excel serial
numbers); it never guesses a value that is not there.

How the categories map to columns (both ways):
- 户类别: any of the categories, several separated by 、 , ， ; or spaces, by their Chinese names
  (建档立卡户, 监测对象, 低保户, 特困供养户, 残疾人, 留守老人, 特殊家庭; common variants accepted).
- 脱贫户属性 (or the older 贫困户属性): the poverty attribute; a value makes the household registered_poor.
- 监测对象类别: the monitoring type; a value makes the household monitored.
With a 户类别 column, the categories are exactly its values plus those the two other columns imply.
Without it, the two other columns decide registered_poor and monitored (where they are present)
and every other category of an existing household is kept.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from bangfu.core.text import clean_text
from bangfu.households import choices

HOUSEHOLD = "household"
MEMBER = "member"
LOCATION = "location"

# Kinds of cell.
TEXT = "text"  # free text: spaces trimmed and collapsed, otherwise kept as typed
CODE = "code"  # 户编号, region codes: no spaces, full-width to half-width, never a rounded number
CHOICE = "choice"
MULTI = "multi"
BOOL = "bool"
DATE = "date"
INT = "int"
DECIMAL = "decimal"
PHONE = "phone"
ID = "id"
NAME = "name"


class CellError(ValueError):
    """A cell that cannot become a value; `message` says why, for the user."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Column:
    header: str  # the national header, as export and the template write it
    key: str  # the form field (or location part) it fills
    part: str  # HOUSEHOLD, MEMBER or LOCATION
    kind: str
    aliases: tuple[str, ...] = ()
    # For CHOICE and MULTI: what the sheet says -> what the form takes. The first spelling of each
    # value is the one written on export and offered in the template's dropdown.
    values: dict[str, str] = field(default_factory=dict)
    width: int = 12

    @property
    def options(self) -> list[str]:
        """The spellings offered in a dropdown, one per value."""
        seen, options = set(), []
        for label, value in self.values.items():
            if value not in seen:
                seen.add(value)
                options.append(label)
        return options

    def label_of(self, value: str) -> str:
        """The sheet's spelling of a stored value."""
        for label, stored in self.values.items():
            if stored == value:
                return label
        return value


def _same(enum) -> dict[str, str]:
    """Choices whose stored values are already the national terms."""
    return {value: value for value in enum.values}


YES_NO = {"是": "true", "否": "false"}
TRUE_WORDS = {"是", "√", "✓", "✔", "☑", "有", "y", "yes", "true", "t", "1", "已参加", "参加", "享受", "通", "安全"}
FALSE_WORDS = {"否", "×", "✗", "✘", "无", "n", "no", "false", "f", "0", "未参加", "不参加", "未享受", "不通", "不安全"}

CATEGORY_LABELS = {
    "建档立卡户": choices.Category.REGISTERED_POOR,
    "建档立卡贫困户": choices.Category.REGISTERED_POOR,
    "贫困户": choices.Category.REGISTERED_POOR,
    "脱贫户": choices.Category.REGISTERED_POOR,
    "监测对象": choices.Category.MONITORED,
    "监测户": choices.Category.MONITORED,
    "防返贫监测对象": choices.Category.MONITORED,
    "低保户": choices.Category.MINIMUM_LIVING,
    "低保": choices.Category.MINIMUM_LIVING,
    "特困供养户": choices.Category.EXTREME_HARDSHIP,
    "特困户": choices.Category.EXTREME_HARDSHIP,
    "特困供养": choices.Category.EXTREME_HARDSHIP,
    "五保户": choices.Category.EXTREME_HARDSHIP,
    "残疾人": choices.Category.DISABLED,
    "残疾人户": choices.Category.DISABLED,
    "残疾户": choices.Category.DISABLED,
    "留守老人": choices.Category.ELDERLY_ALONE,
    "独居老人": choices.Category.ELDERLY_ALONE,
    "留守老人户": choices.Category.ELDERLY_ALONE,
    "特殊家庭": choices.Category.SPECIAL_FAMILY,
}
MONITOR_TYPE_LABELS = {label: value for value, label in choices.MONITOR_TYPE_NATIONAL.items()} | {
    "脱贫不稳定": choices.MonitorType.UNSTABLE,
    "边缘易致贫": choices.MonitorType.MARGINAL,
    "突发严重困难": choices.MonitorType.SUDDEN_HARDSHIP,
}
STATUS_LABELS = {
    "正常": choices.Status.ACTIVE,
    "已脱贫": choices.Status.LIFTED,
    "风险已消除": choices.Status.RISK_ELIMINATED,
    "已销户": choices.Status.CLOSED,
    "脱贫": choices.Status.LIFTED,
    "销户": choices.Status.CLOSED,
}
SEX_LABELS = {"男": "M", "女": "F", "男性": "M", "女性": "F", "m": "M", "f": "F"}
ID_TYPE_LABELS = _same(choices.IdType) | {"身份证": choices.IdType.RESIDENT_ID, "残疾证": choices.IdType.DISABILITY}
RELATION_LABELS = _same(choices.Relation) | {
    "本人": choices.Relation.HEAD, "妻子": choices.Relation.SPOUSE, "丈夫": choices.Relation.SPOUSE,
    "妻": choices.Relation.SPOUSE, "夫": choices.Relation.SPOUSE, "儿子": choices.Relation.SON,
    "女儿": choices.Relation.DAUGHTER, "儿媳": choices.Relation.DAUGHTER_IN_LAW,
}
# 在校生状况 and 文化程度 share the word 小学; each column has its own table.
HEALTH_LABELS = _same(choices.Health) | {"长期慢性病患者": choices.Health.CHRONIC, "大病": choices.Health.SERIOUS}
FUEL_LABELS = _same(choices.FuelType) | {"其他": choices.FuelType.OTHER}

COLUMNS: list[Column] = [
    # household: the registry's number and where it lives
    Column("户编号", "number", HOUSEHOLD, CODE, ("户码", "户编码", "家庭编号", "户号"), width=20),
    Column("省", "province", LOCATION, NAME, ("省份", "省(区、市)", "省(自治区、直辖市)")),
    Column("市", "city", LOCATION, NAME, ("市(州)", "地市", "市(地、州、盟)", "市(地、州)")),
    Column("县", "county", LOCATION, NAME, ("县(市、区)", "县(区)", "区县", "县区", "县(市、区、旗)")),
    Column("乡(镇)", "township", LOCATION, NAME, ("乡镇", "乡(镇、街道)", "乡镇(街道)", "街道", "乡(镇、办)")),
    Column("村", "village", LOCATION, NAME, ("行政村", "村(社区)", "村名", "村居", "村(居)")),
    Column("组", "group", LOCATION, NAME, ("村民小组", "组别", "小组")),
    Column("行政区划代码", "region_code", LOCATION, CODE, ("区划代码", "村代码", "行政区划编码", "村级代码"), width=16),
    Column("联系电话", "phone", HOUSEHOLD, PHONE, ("户联系电话", "家庭联系电话", "户主联系电话"), width=15),
    Column("户主姓名", "head_name", HOUSEHOLD, NAME, ("户主",)),
    Column("户类别", "categories", HOUSEHOLD, MULTI, ("户类型", "家庭类别"),
           {label: value for label, value in CATEGORY_LABELS.items()}, width=20),
    Column("户状态", "status", HOUSEHOLD, CHOICE, ("状态",), STATUS_LABELS),
    Column("识别标准", "identification_standard", HOUSEHOLD, CHOICE, (), _same(choices.IdentificationStandard)),
    Column("脱贫户属性", "poverty_attribute", HOUSEHOLD, CHOICE, ("贫困户属性",), _same(choices.PovertyAttribute), width=16),
    Column("主要致贫原因", "main_cause", HOUSEHOLD, CHOICE, (), _same(choices.PovertyCause)),
    Column("其他致贫原因", "other_causes", HOUSEHOLD, MULTI, (), _same(choices.PovertyCause)),
    Column("监测对象类别", "monitor_type", HOUSEHOLD, CHOICE, ("监测对象类型", "监测类型", "监测户类别"),
           MONITOR_TYPE_LABELS, width=16),
    Column("风险类型", "risks", HOUSEHOLD, MULTI, ("致贫返贫风险", "返贫致贫风险", "风险", "主要风险"), _same(choices.Risk)),
    Column("风险消除方式", "risk_elimination_method", HOUSEHOLD, CHOICE, (), _same(choices.RiskEliminationMethod)),
    Column("风险消除时间", "risk_eliminated_on", HOUSEHOLD, DATE, ("风险消除日期",)),
    Column("耕地面积(亩)", "farmland_mu", HOUSEHOLD, DECIMAL, ("耕地面积",)),
    Column("入户路类型", "road_type", HOUSEHOLD, CHOICE, (), _same(choices.RoadType)),
    Column("住房面积(㎡)", "housing_area", HOUSEHOLD, DECIMAL, ("住房面积", "住房面积(平方米)")),
    Column("是否危房", "dilapidated", HOUSEHOLD, BOOL, (), YES_NO),
    Column("危房级别", "dilapidation_level", HOUSEHOLD, CHOICE, ("危房等级",), _same(choices.DilapidationLevel)),
    Column("饮水是否安全", "safe_water", HOUSEHOLD, BOOL, ("是否饮水安全",), YES_NO),
    Column("是否通生活用电", "electricity", HOUSEHOLD, BOOL, ("是否通电",), YES_NO),
    Column("有无卫生厕所", "sanitary_toilet", HOUSEHOLD, BOOL, ("是否有卫生厕所",), {"有": "true", "无": "false"}),
    Column("主要燃料类型", "fuel_type", HOUSEHOLD, CHOICE, (), FUEL_LABELS),
    Column("工资性收入", "wage_income", HOUSEHOLD, DECIMAL, ()),
    Column("生产经营性收入", "business_income", HOUSEHOLD, DECIMAL, ()),
    Column("财产性收入", "property_income", HOUSEHOLD, DECIMAL, ()),
    Column("转移性收入", "transfer_income", HOUSEHOLD, DECIMAL, ()),
    Column("生产经营性支出", "business_expense", HOUSEHOLD, DECIMAL, ()),
    Column("地址", "address", HOUSEHOLD, TEXT, ("家庭住址", "详细地址", "住址"), width=24),
    # members: one row each
    Column("姓名", "name", MEMBER, NAME, ("成员姓名", "家庭成员姓名")),
    Column("性别", "sex", MEMBER, CHOICE, (), SEX_LABELS, width=6),
    Column("出生日期", "birth_date", MEMBER, DATE, ("出生年月", "出生年月日")),
    Column("证件类型", "id_type", MEMBER, CHOICE, (), ID_TYPE_LABELS),
    Column("证件号码", "id_number", MEMBER, ID,
           ("身份证号", "身份证号码", "公民身份号码", "身份证件号码", "公民身份号码或残疾号码", "证件号码(身份证号)"), width=22),
    Column("民族", "ethnicity", MEMBER, NAME, (), width=8),
    Column("成员联系电话", "member_phone", MEMBER, PHONE, ("本人联系电话", "个人联系电话", "手机号码"), width=15),
    Column("与户主关系", "relation", MEMBER, CHOICE, ("与户主的关系", "家庭关系"), RELATION_LABELS),
    Column("文化程度", "education", MEMBER, CHOICE, ("学历",), _same(choices.Education)),
    Column("在校生状况", "school_status", MEMBER, CHOICE, ("在校生情况", "在校情况"), _same(choices.SchoolStatus)),
    Column("健康状况", "health", MEMBER, MULTI, (), HEALTH_LABELS),
    Column("劳动技能", "labor_skill", MEMBER, CHOICE, ("劳动能力",), _same(choices.LaborSkill), width=16),
    Column("务工状况", "work_status", MEMBER, CHOICE, ("务工情况",), _same(choices.WorkStatus), width=16),
    Column("务工时间（月）", "work_months", MEMBER, INT, ("务工时间", "务工月数", "务工时间(月数)")),
    Column("务工所在地", "work_place", MEMBER, TEXT, ("务工地点",), width=16),
    Column("务工企业名称", "employer", MEMBER, TEXT, ("务工单位", "务工单位名称"), width=20),
    Column("政治面貌", "political_status", MEMBER, CHOICE, (), _same(choices.PoliticalStatus)),
    Column("是否享受低保", "minimum_living", MEMBER, BOOL, ("是否低保", "享受低保"), YES_NO),
    Column("是否特困供养人员", "extreme_hardship", MEMBER, BOOL, ("是否特困供养", "是否特困人员"), YES_NO),
    Column("是否参加城乡居民基本养老保险", "pension_insured", MEMBER, BOOL,
           ("是否参加养老保险", "参加城乡居民基本养老保险", "是否参加基本养老保险"), YES_NO),
    Column("是否参加城乡居民基本医疗保险", "medical_insured", MEMBER, BOOL,
           ("是否参加医疗保险", "参加城乡居民基本医疗保险", "是否参加基本医疗保险", "是否参加城乡居民基本医疗保险(新农合)"), YES_NO),
    Column("是否参加大病保险", "critical_illness_insured", MEMBER, BOOL, ("参加大病保险",), YES_NO),
    Column("残疾类别", "disability_category", MEMBER, NAME, ("残疾类型",)),
    Column("公益性岗位类型", "welfare_post_type", MEMBER, TEXT, ("公益性岗位",), width=16),
    Column("公益性岗位(月数)", "welfare_post_months", MEMBER, INT, ("公益性岗位月数", "公益性岗位(月)")),
    Column("残疾等级", "disability_grade", MEMBER, CHOICE, ("残疾级别",), _same(choices.DisabilityGrade)),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}

# Without these a sheet cannot be imported; the location needs 村 or 行政区划代码 besides.
REQUIRED_KEYS = ("number", "name", "id_number", "relation")

# Member form fields whose column key differs (the household and the member both have a phone).
MEMBER_FIELD = {"member_phone": "phone"}


# --- headers ---------------------------------------------------------------------------------

_UNIT_RE = re.compile(r"\(元\)$")


def normalise_header(text: object) -> str:
    """What a header means, whatever its spelling: full-width to half-width, no spaces, no
    required-field stars, no trailing colon or "(元)"."""
    if text is None:
        return ""
    value = unicodedata.normalize("NFKC", str(text))
    value = "".join(ch for ch in value if not ch.isspace())
    value = value.strip("*:").replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    value = _UNIT_RE.sub("", value)
    return value.lower()


HEADER_INDEX: dict[str, Column] = {}
for _column in COLUMNS:
    for _spelling in (_column.header, *_column.aliases):
        HEADER_INDEX.setdefault(normalise_header(_spelling), _column)


def column_for(header: object) -> Column | None:
    return HEADER_INDEX.get(normalise_header(header))


# --- cells -----------------------------------------------------------------------------------

_WRAPPED_RE = re.compile(r'^="(.*)"$', re.DOTALL)
_SPACES_RE = re.compile(r"\s+")
_SPLIT_RE = re.compile(r"[、,，;；/／|\s]+")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def _number_text(value: float | int) -> str:
    """A number as people write it: 6.0 -> "6", 1.5 -> "1.5" (shortest form, no exponent)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    if "e" in text or "E" in text:
        text = format(value, "f").rstrip("0").rstrip(".")
    return text


def unwrap(text: str) -> str:
    """Undo what spreadsheets and our own export wrap text in: `="0123"` and a leading
    apostrophe before a formula character (how the export neutralises formulas)."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_CHARS:
        text = text[1:]
    match = _WRAPPED_RE.match(text)
    if match:
        text = match.group(1)
    return text


def _text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return unwrap(value.strip())
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _squeeze(value: object) -> str:
    """A cell's text cleaned as typed text is: NFKC, every space and invisible format character removed."""
    return clean_text(_text_of(value))


def _date(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _serial_date(value)
    text = _squeeze(value)
    if not text:
        return ""
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))).isoformat()
        except ValueError:
            raise CellError(_("%(value)s is not a real date.") % {"value": text}) from None
    if re.fullmatch(r"\d{1,5}(\.0+)?", text):
        return _serial_date(float(text))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", text):
        return text[:10]
    raise CellError(_("%(value)s is not a date; write it as 1990-01-02.") % {"value": text})


def _serial_date(serial: float) -> str:
    """An Excel date serial number (days since 1899-12-30, as Windows Excel counts them)."""
    if not 1 <= serial < 2958466:
        raise CellError(_("%(value)s is not a date; write it as 1990-01-02.") % {"value": _number_text(serial)})
    return (EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()


def _bool(value: object, column: Column) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = _squeeze(value).lower()
    if not text:
        return ""
    if text in column.values:
        return column.values[text]
    if text in TRUE_WORDS:
        return "true"
    if text in FALSE_WORDS:
        return "false"
    raise CellError(_("%(value)s is neither yes nor no; write 是 or 否.") % {"value": _text_of(value)})


def _code(value: object) -> str:
    if isinstance(value, float) and not value.is_integer():
        raise CellError(_("%(value)s is not a code.") % {"value": _number_text(value)})
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = int(value)
        # Excel keeps 15 significant digits: a longer code typed as a number has lost its end.
        if len(str(abs(number)).rstrip("0")) > 15 or number >= 10**15:
            raise CellError(_(
                "Excel stored this code as a number and may have lost its last digits; enter it as text."
            ))
        return str(number)
    return _squeeze(value)


def _id(value: object) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # An 18-digit number does not survive as a number (Excel keeps 15 digits): never guess.
        raise CellError(_(
            "The ID number was stored by Excel as a number and lost its last digits; enter it as text."
        ))
    text = _squeeze(value).upper()
    if "*" in text:
        raise CellError(_("This value is masked (with *); export with full values to import it again."))
    return text


def _phone(value: object) -> str:
    text = _squeeze(value)
    if "*" in text:
        raise CellError(_("This value is masked (with *); export with full values to import it again."))
    return text


def _choice(value: object, column: Column) -> str:
    text = _squeeze(value)
    if not text:
        return ""
    found = column.values.get(text) or column.values.get(text.lower())
    if found is not None:
        return found
    if column.key == "relation" and "之" + text in column.values:
        return column.values["之" + text]
    return text  # the form says it is not a valid choice


def _multi(value: object, column: Column) -> list[str]:
    text = unicodedata.normalize("NFKC", _text_of(value))
    parts = [part for part in _SPLIT_RE.split(text) if part]
    result: list[str] = []
    for part in parts:
        found = column.values.get(part, part)
        if found not in result:
            result.append(found)
    return result


def _integer(value: object) -> str:
    text = _squeeze(value)
    for unit in ("个月", "月", "天"):
        if text.endswith(unit):
            text = text[: -len(unit)]
    return text


def _decimal(value: object) -> str:
    text = _squeeze(value).replace(",", "")
    for unit in ("元", "亩", "m2", "平方米"):
        if text.endswith(unit) and _NUMBER_RE.match(text[: -len(unit)]):
            return text[: -len(unit)]
    return text


def cell_value(column: Column, value: object) -> str | list[str]:
    """The form value for one cell; raises CellError for a cell that cannot be read."""
    kind = column.kind
    if kind == CHOICE:
        return _choice(value, column)
    if kind == TEXT:
        return _SPACES_RE.sub(" ", _text_of(value)).strip()
    if kind == NAME:
        return _squeeze(value)
    if kind == CODE:
        return _code(value)
    if kind == BOOL:
        return _bool(value, column)
    if kind == DATE:
        return _date(value)
    if kind == ID:
        return _id(value)
    if kind == PHONE:
        return _phone(value)
    if kind == MULTI:
        return _multi(value, column)
    if kind == INT:
        return _integer(value)
    if kind == DECIMAL:
        return _decimal(value)
    raise AssertionError(kind)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def neutralise(value: str) -> str:
    """Text that a spreadsheet would run as a formula (= + - @, tab, CR first) gets a leading '."""
    if value and value[0] in FORMULA_CHARS:
        return "'" + value
    return value
