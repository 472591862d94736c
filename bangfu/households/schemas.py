"""Typed shapes of the households API: what comes in (then bound to the forms) and what goes out
(masked). The rules themselves live in forms.py; these types only say what a value looks like."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Annotated, Any, get_args

from django.db import models
from django.utils import translation
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, ValidationInfo, create_model, field_validator
from pydantic_core import PydanticCustomError, core_schema

from bangfu.core import bounds
from bangfu.history.models import Action as ActionChoices
from bangfu.households import choices
from bangfu.households.forms import HouseholdForm, MemberForm

# Big enough for any id, small enough for a 64-bit column (a larger one would be a 500 in the database).
MAX_ID = 2**63 - 1
MAX_PAGE_SIZE = 200


def _api_enum(choices_class: type[models.TextChoices], doc: str) -> type[enum.StrEnum]:
    """A str enum for the OpenAPI document, with the same values as the model's choices and
    each value's (English) meaning listed in its description."""
    result = enum.StrEnum(choices_class.__name__, {member.name: member.value for member in choices_class})
    with translation.override(None):
        meanings = "\n".join(f"- `{member.value}`: {member.label}" for member in choices_class)
    result.__doc__ = f"{doc}\n\n{meanings}"
    return result


Category = _api_enum(choices.Category, "A household's category; a household may have several.")
Status = _api_enum(choices.Status, "Where the household stands.")
MonitorType = _api_enum(choices.MonitorType, "The kind of monitored household (category `monitored`).")
IdentificationStandard = _api_enum(choices.IdentificationStandard, "识别标准: the standard it was identified by.")
PovertyAttribute = _api_enum(choices.PovertyAttribute, "贫困户属性 / 脱贫户属性.")
PovertyCause = _api_enum(choices.PovertyCause, "致贫原因: a cause of poverty.")
Risk = _api_enum(choices.Risk, "风险: a risk of falling (back) into poverty.")
RiskEliminationMethod = _api_enum(choices.RiskEliminationMethod, "风险消除方式.")
RoadType = _api_enum(choices.RoadType, "入户路类型: the road to the house.")
DilapidationLevel = _api_enum(choices.DilapidationLevel, "危房级别.")
FuelType = _api_enum(choices.FuelType, "主要燃料类型.")
Sex = _api_enum(choices.Sex, "性别.")
IdType = _api_enum(choices.IdType, "证件类型.")
Relation = _api_enum(choices.Relation, "与户主关系: relation to the head of the household.")
Education = _api_enum(choices.Education, "文化程度 (empty for a student; see `school_status`).")
SchoolStatus = _api_enum(choices.SchoolStatus, "在校生状况.")
Health = _api_enum(choices.Health, "健康状况; several may apply.")
LaborSkill = _api_enum(choices.LaborSkill, "劳动技能.")
WorkStatus = _api_enum(choices.WorkStatus, "务工状况.")
PoliticalStatus = _api_enum(choices.PoliticalStatus, "政治面貌.")
DisabilityGrade = _api_enum(choices.DisabilityGrade, "残疾等级: 一级 (most severe) to 四级.")
Action = _api_enum(ActionChoices, "What a history entry records.")


class RevealField(enum.StrEnum):
    """Which personal value to reveal."""

    id_number = "id_number"
    phone = "phone"


def _blank_is_none(value: Any) -> Any:
    return None if value == "" else value


class _BlankIsNull:
    """On an optional choice, "" (what the forms and exports use for "not given") is read as null,
    and the document says that "" is taken."""

    def __get_pydantic_core_schema__(self, source, handler):
        return core_schema.no_info_before_validator_function(_blank_is_none, handler(source))

    def __get_pydantic_json_schema__(self, schema, handler):
        stated = handler(schema)
        options = stated.pop("anyOf", None)
        if options is None:
            return {"anyOf": [stated, {"const": ""}]}
        return {**stated, "anyOf": [*options, {"const": ""}]}


Blank = _BlankIsNull()


def _no_null_characters(value: str) -> str:
    # PostgreSQL cannot store or even compare a NUL; refused here, it is a 422 and not a 500.
    if "\x00" in value:
        raise PydanticCustomError("null_characters", "Null characters are not allowed.")
    return value


def _without_final_newline(value: Any) -> Any:
    # A pattern in the document ends in `$`, which lets one final newline through as Python's `re`
    # (and the tools that make examples from the document) read it, and not as pydantic's engine
    # does: dropped first, such a value is accepted as the document says it is. A lone newline is
    # kept: dropped, it would leave a text shorter than the document's minLength allows, and the
    # form behind the schema refuses it as blank, on its field.
    return value[:-1] if isinstance(value, str) and value.endswith("\n") and value != "\n" else value


class _NoNulStated:
    """States in the document what `_no_null_characters` checks (unless the text has a pattern
    of its own, which leaves NUL out already)."""

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        if schema.get("type") == "string":
            schema.setdefault("pattern", "^[^\\u0000]*$")
        return schema


# Every text that comes in.
Text = Annotated[str, BeforeValidator(_without_final_newline), AfterValidator(_no_null_characters), _NoNulStated()]

Fen = Annotated[int, Field(description="Money in fen (1 yuan = 100 fen).")]
IncomeFen = Annotated[int, Field(description="Money in fen (1 yuan = 100 fen).", **bounds.INCOME_FEN.api())]


def _longest(form, name: str) -> int:
    """A text's max_length, from the form that checks it."""
    return form.base_fields[name].max_length


# --- out -------------------------------------------------------------------------------------

class RegionOut(Schema):
    code: str = Field(description="12-digit statistical division code.")
    name: str


class UserRef(Schema):
    id: int
    name: str


class HouseholdItem(Schema):
    """One row of the household list."""

    id: int
    number: str
    region: RegionOut
    head_name: str
    phone: str = Field(description="Masked, e.g. 138****5678.")
    categories: list[Category]
    status: Status
    monitor_type: Annotated[MonitorType | None, Blank]
    caseworker: UserRef | None
    version: int


class HouseholdPage(Schema):
    items: list[HouseholdItem]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")
    count: int = Field(description="How many households match, counted exactly only up to a limit.")
    count_is_exact: bool = Field(description="False when there are more than `count` (shown as \"1000+\").")


class MemberOut(Schema):
    id: int
    name: str
    relation: Relation
    id_type: IdType
    id_number: str = Field(description="Masked: the first 4 and the last 2 characters, e.g. 3702************1X.")
    sex: Sex
    birth_date: dt.date | None = Field(description=(
        "Only for the roles that may reveal ID numbers (null for the others): with the masked ID "
        "number it would narrow the number to a few candidates."))
    born: str = Field(description=(
        "The year of birth, e.g. 1965; two years (2025–2026) for a member recorded early in the "
        "year of birth or the year after it."))
    ethnicity: str
    phone: str = Field(description="Masked.")
    education: Annotated[Education | None, Blank]
    school_status: Annotated[SchoolStatus | None, Blank]
    health: list[Health]
    labor_skill: Annotated[LaborSkill | None, Blank]
    work_status: Annotated[WorkStatus | None, Blank]
    work_months: int | None
    work_place: str
    employer: str
    political_status: Annotated[PoliticalStatus | None, Blank]
    minimum_living: bool
    extreme_hardship: bool
    pension_insured: bool | None
    medical_insured: bool | None
    critical_illness_insured: bool | None
    disability_category: str
    welfare_post_type: str
    welfare_post_months: int | None
    disability_grade: Annotated[DisabilityGrade | None, Blank] = None
    version: int


class AssignmentOut(Schema):
    caseworker: UserRef
    start: dt.date
    end: dt.date | None
    assigned_by: UserRef | None


class HouseholdOut(Schema):
    """A household with its members. Money is in fen; ID numbers and phones are masked."""

    id: int
    number: str
    region: RegionOut
    address: str
    head_name: str
    phone: str = Field(description="Masked.")
    status: Status
    categories: list[Category]
    monitor_type: Annotated[MonitorType | None, Blank]
    identification_standard: Annotated[IdentificationStandard | None, Blank]
    poverty_attribute: Annotated[PovertyAttribute | None, Blank]
    main_cause: Annotated[PovertyCause | None, Blank]
    other_causes: list[PovertyCause]
    risks: list[Risk]
    risk_elimination_method: Annotated[RiskEliminationMethod | None, Blank]
    risk_eliminated_on: dt.date | None
    # living conditions
    farmland_mu: float | None
    road_type: Annotated[RoadType | None, Blank]
    housing_area: float | None
    dilapidated: bool | None
    dilapidation_level: Annotated[DilapidationLevel | None, Blank]
    safe_water: bool | None
    electricity: bool | None
    sanitary_toilet: bool | None
    fuel_type: Annotated[FuelType | None, Blank]
    # income of last year, in fen
    wage_income: Fen | None
    business_income: Fen | None
    property_income: Fen | None
    transfer_income: Fen | None
    business_expense: Fen | None
    net_income: Fen | None = Field(description="Income less business expenses, in fen (derived).")
    net_income_per_person: Fen | None = Field(description="Net income per member, in fen (derived, rounded).")
    # who looks after it
    caseworker: UserRef | None
    assignment: AssignmentOut | None = Field(description="The current assignment (帮包关系), if any.")
    assignments: list[AssignmentOut] = Field(description="All assignments, newest first.")
    members: list[MemberOut] = Field(description="The head first, then the spouse, then by age.")
    version: int = Field(description="Send it back with a change; a stale one is refused (409).")
    created_at: dt.datetime
    updated_at: dt.datetime


class ChangeOut(Schema):
    id: int
    at: dt.datetime
    actor: UserRef | None
    action: Action
    object_type: str
    object_id: int | None
    object_repr: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: uuid.UUID
    message: str


class RevealOut(Schema):
    field: RevealField
    value: str


# --- in --------------------------------------------------------------------------------------

def _numeric(annotation: Any) -> bool:
    """Whether a field's type takes a number (int or float, perhaps optional or annotated)."""
    if annotation in (int, float):
        return True
    return any(_numeric(arg) for arg in get_args(annotation) if arg is not bool)


class NumbersNotBooleans(Schema):
    """A number field refuses true and false (pydantic would read them as 1 and 0: `"household":
    true` would be household 1)."""

    @field_validator("*", mode="before")
    @classmethod
    def _no_boolean_for_a_number(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        if isinstance(value, bool) and field is not None and _numeric(field.annotation):
            raise PydanticCustomError("int_type", "Input should be a number, not true or false.")
        return value


class StrictSchema(NumbersNotBooleans):
    # A misspelt field is an error, not silently ignored (a PATCH would otherwise "succeed").
    model_config = ConfigDict(extra="forbid")


class HouseholdListParams(Schema):
    q: Text = Field("", description=(
        "A name; its pinyin in full (pangzhenbo) or initials (pzb), or their start; the last 4–6 characters "
        "of an ID number; the last 4 digits of a phone, or a whole phone; or a household number."))
    village: Text = Field("", pattern=r"^([0-9]{2,15})?$", description="A region code (prefix): its households and those below it.")
    category: Annotated[Category | None, Blank] = None
    caseworker: int | None = Field(None, ge=1, le=MAX_ID, description="A caseworker's user id.")
    status: Annotated[Status | None, Blank] = None
    request_id: uuid.UUID | None = Field(None, description="Households changed in this request (e.g. one import).")
    cursor: Text = Field("", description="`next_cursor` of the previous page.")
    limit: int | None = Field(None, ge=1, le=MAX_PAGE_SIZE, description="Rows a page (default BANGFU_PAGE_SIZE, at most 200).")


class MemberIn(StrictSchema):
    """A member as the member form takes it. Sex and date of birth are taken from the ID number
    when left out, and must agree with it when given."""

    name: Text = Field(max_length=_longest(MemberForm, "name"))
    relation: Relation
    id_type: IdType = IdType(choices.IdType.RESIDENT_ID)
    id_number: Text = Field(max_length=bounds.ID_NUMBER,
                            description="18 characters (20 or 22 for a disability certificate number).")
    sex: Annotated[Sex | None, Blank] = None
    birth_date: bounds.BIRTH.date() | None = None
    ethnicity: Text = Field("汉族", max_length=_longest(MemberForm, "ethnicity"))
    phone: Text = Field("", max_length=bounds.PHONE)
    education: Annotated[Education | None, Blank] = None
    school_status: Annotated[SchoolStatus | None, Blank] = None
    health: list[Health] = []
    labor_skill: Annotated[LaborSkill | None, Blank] = None
    work_status: Annotated[WorkStatus | None, Blank] = None
    work_months: int | None = Field(None, **bounds.MONTHS.api())
    work_place: Text = Field("", max_length=_longest(MemberForm, "work_place"))
    employer: Text = Field("", max_length=_longest(MemberForm, "employer"))
    political_status: Annotated[PoliticalStatus | None, Blank] = None
    minimum_living: bool = False
    extreme_hardship: bool = False
    pension_insured: bool | None = None
    medical_insured: bool | None = None
    critical_illness_insured: bool | None = None
    disability_category: Text = Field("", max_length=_longest(MemberForm, "disability_category"))
    welfare_post_type: Text = Field("", max_length=_longest(MemberForm, "welfare_post_type"))
    welfare_post_months: int | None = Field(None, **bounds.MONTHS.api())
    disability_grade: Annotated[DisabilityGrade | None, Blank] = Field(
        None, description="残疾等级 on the disability certificate: 一级 (most severe) to 四级.")


class HouseholdFields(StrictSchema):
    """A household's own fields, as the household form takes them (money in fen)."""

    region: Text = Field(max_length=bounds.CODE, description="The village (or group) code.")
    number: Text = Field("", max_length=_longest(HouseholdForm, "number"),
                         description="Empty: numbered automatically (village code + 4 digits).")
    address: Text = Field("", max_length=_longest(HouseholdForm, "address"))
    phone: Text = Field("", max_length=bounds.PHONE)
    status: Status = Status(choices.Status.ACTIVE)
    categories: list[Category] = []
    monitor_type: Annotated[MonitorType | None, Blank] = None
    identification_standard: Annotated[IdentificationStandard | None, Blank] = None
    poverty_attribute: Annotated[PovertyAttribute | None, Blank] = None
    main_cause: Annotated[PovertyCause | None, Blank] = None
    other_causes: list[PovertyCause] = Field([], description="At most two; not the main cause.")
    risks: list[Risk] = Field([], description="At most five.")
    risk_elimination_method: Annotated[RiskEliminationMethod | None, Blank] = None
    risk_eliminated_on: bounds.PAST_EVENT.date() | None = None
    # A number in the document (a Decimal would also take any string there).
    farmland_mu: float | None = Field(None, allow_inf_nan=False, **bounds.FARMLAND_MU.api())
    road_type: Annotated[RoadType | None, Blank] = None
    housing_area: float | None = Field(None, allow_inf_nan=False, **bounds.HOUSING_AREA_M2.api())
    dilapidated: bool | None = None
    dilapidation_level: Annotated[DilapidationLevel | None, Blank] = None
    safe_water: bool | None = None
    electricity: bool | None = None
    sanitary_toilet: bool | None = None
    fuel_type: Annotated[FuelType | None, Blank] = None
    wage_income: IncomeFen | None = None
    business_income: IncomeFen | None = None
    property_income: IncomeFen | None = None
    transfer_income: IncomeFen | None = None
    business_expense: IncomeFen | None = None


class HouseholdIn(HouseholdFields):
    """A new household and its members (at least the head)."""

    members: list[MemberIn] = Field(description="Exactly one with relation 户主; at most one 配偶.")


def _admits_none(annotation: Any) -> bool:
    return annotation is None or type(None) in get_args(annotation)


def _all_optional(schema: type[Schema]) -> dict[str, Any]:
    """The fields of `schema`, each optional with None for its default (and without its description,
    which speaks of a full record)."""
    fields = {}
    for name, info in schema.model_fields.items():
        annotation = info.rebuild_annotation()
        fields[name] = (annotation if _admits_none(info.annotation) else annotation | None, None)
    return fields


HouseholdPatch = create_model(
    "HouseholdPatch",
    __base__=StrictSchema,
    __module__=__name__,
    __doc__="""A change to some of a household's fields; the others keep their current values.
    Members are changed through their own routes.""",
    version=(int, Field(description="The version the change is based on (from the last read).")),
    **_all_optional(HouseholdFields),
)


class HeldOut(Schema):
    """A change made on an old version whose fields someone else had changed since: not applied,
    held for review."""

    id: int = Field(description="The held edit's id.")
    detail: str
    current_version: int = Field(description="The household's version when the change arrived.")


class RevealIn(StrictSchema):
    field: RevealField
