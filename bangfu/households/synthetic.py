"""Synthetic people for the demo, benchmarks and tests: valid-checksum ID numbers and plausible names.

Never real persons: the 15th digit of every synthetic ID number is 9, and names are drawn at random.
`Families` makes whole households (members as a form's cleaned data, and the household's own
fields) that pass every rule of the registry: checksums, sex and birth date agreeing with the ID,
one head, a spouse of the other sex, exactly one of education and school status, and so on.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from operator import mul

from django.core.exceptions import ImproperlyConfigured

from bangfu.core import bulk, crypto
from bangfu.core.codes import COUNTY_LENGTH, TOWNSHIP_LENGTH, city_of
from bangfu.core.text import pinyin
from bangfu.households import choices
from bangfu.households.identity import CHECK_CHARS, WEIGHTS

# How many distinct ID numbers make_id_number gives for one area, birth date and sex.
IDS_PER_BIRTH_DATE_AND_SEX = 50


def make_id_number(area: str, birth: dt.date, sequence: int, sex: str) -> str:
    """An 18-character ID with a valid check digit: 6-digit area, birth date, then the order code
    "9", sequence % 10, and a 17th digit odd for "M" and even for "F" (sequence // 10 picks it)."""
    if len(area) != COUNTY_LENGTH or not area.isdigit():
        raise ValueError("area is the 6-digit county code")
    if not 0 <= sequence < IDS_PER_BIRTH_DATE_AND_SEX:
        raise ValueError(f"sequence is 0..{IDS_PER_BIRTH_DATE_AND_SEX - 1}")
    seventeenth = (sequence // 10) * 2 + (1 if sex == "M" else 0)
    first17 = f"{area}{birth.year:04d}{birth.month:02d}{birth.day:02d}9{sequence % 10}{seventeenth}"
    return first17 + CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def _plain(enum) -> type:
    """The choices of a TextChoices as plain strings on a simple namespace: enum attribute access
    costs about half a microsecond, which adds up over a few hundred thousand people."""
    return type(enum.__name__, (), {member.name: member.value for member in enum})


Category = _plain(choices.Category)
Relation = _plain(choices.Relation)
Health = _plain(choices.Health)
LaborSkill = _plain(choices.LaborSkill)
WorkStatus = _plain(choices.WorkStatus)
PoliticalStatus = _plain(choices.PoliticalStatus)
School = _plain(choices.SchoolStatus)
Education = _plain(choices.Education)
Cause = _plain(choices.PovertyCause)
Risk = _plain(choices.Risk)
Attribute = _plain(choices.PovertyAttribute)
Status = _plain(choices.Status)
MonitorType = _plain(choices.MonitorType)
RESIDENT_ID = choices.IdType.RESIDENT_ID.value
NATIONAL_STANDARD = choices.IdentificationStandard.NATIONAL.value
CATEGORY_ORDER = tuple(choices.Category.values)
ROAD_TYPES = tuple(choices.RoadType.values)
FUEL_TYPES = tuple(choices.FuelType.values)
DILAPIDATION_LEVELS = tuple(choices.DilapidationLevel.values)
RISK_ELIMINATION_METHODS = tuple(choices.RiskEliminationMethod.values)


# --- names -----------------------------------------------------------------------------------

# Common surnames of rural Shandong and Henan, roughly by frequency (the first ones come up more).
SURNAMES = (
    "王李张刘孙杨赵于周姜郭高徐陈黄宋林曲胡隋马朱韩吕崔常史贾梁乔牛郝戴逄袁毛董范"
    "程谢唐冯许邓曹彭田任潘蒋蔡杜丁魏薛叶阎余"
)
# Characters of given names, older and younger generations apart (born before or after 1985).
GIVEN_OLD = {
    "M": "建国军伟强明华志勇海涛刚平东林峰成福德永春庆文学金山宝兴顺和玉忠新利洪正江守振长友全",
    "F": "秀英兰芳梅玉凤霞丽红琴敏静燕娟桂珍云华萍艳翠莲春荣美慧花香娥素爱淑",
}
GIVEN_YOUNG = {
    "M": "子浩宇轩博梓一泽睿宸俊杰晨航鑫豪磊鹏凯旭彬硕然昊哲铭皓",
    "F": "涵诺欣怡雨萱可馨思嘉佳晨悦婷雪琳妍彤璐倩瑶月颖楠",
}

# Earlier surnames come up more: weights 1/(rank + 4) give 王 about 9%, as in the region.
_SURNAME_WEIGHTS = [1 / (rank + 4) for rank in range(len(SURNAMES))]

DISABILITY_GRADES = tuple(choices.DisabilityGrade.values)
DISABILITY_CATEGORIES = ("视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾")
WELFARE_POSTS = ("保洁员", "护林员", "巡河员", "公益性岗位", "光伏电站管护员", "村级协管员")
FAR_WORK_PLACES = ("江苏省苏州市", "浙江省宁波市", "广东省深圳市", "北京市", "天津市", "上海市")
EMPLOYERS = ("建筑工地", "食品加工厂", "服装厂", "物流公司", "电子厂", "家政服务公司", "")
MOBILE_PREFIXES = ("134", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158", "159",
                   "130", "131", "132", "155", "156", "185", "186", "133", "153", "180", "189", "177")


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint without its argument checks (a few times faster, same spread)."""
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, options):
    return options[int(rng.random() * len(options))]


class _Weighted:
    """A weighted choice with the cumulative weights worked out once (rng.choices redoes them)."""

    __slots__ = ("options", "cumulative", "total")

    def __init__(self, options, weights):
        self.options = tuple(options)
        self.cumulative = list(accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random):
        return self.options[bisect(self.cumulative, rng.random() * self.total)]


def age_at(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _school_status_for(age: int, rng: random.Random) -> str | None:
    """What a child or young person of this age is in, or None for someone out of school."""
    s = School
    if age < 3:
        return s.PRESCHOOL_CHILD
    if age < 6:
        return s.PRESCHOOL
    if age < 12:
        return s.PRIMARY
    if age < 15:
        return (s.GRADE_7, s.GRADE_8, s.GRADE_9)[age - 12]
    if age < 18:
        year = age - 15
        if rng.random() < 0.3:
            return (s.VOCATIONAL_1, s.VOCATIONAL_2, s.VOCATIONAL_3)[year]
        if rng.random() < 0.9:
            return (s.HIGH_1, s.HIGH_2, s.HIGH_3)[year]
        return None
    if age < 22 and rng.random() < 0.55:
        year = age - 18
        if year < 3 and rng.random() < 0.5:
            return (s.HIGHER_VOCATIONAL_1, s.HIGHER_VOCATIONAL_2, s.HIGHER_VOCATIONAL_3)[year]
        return (s.UNDERGRADUATE_1, s.UNDERGRADUATE_2, s.UNDERGRADUATE_3, s.UNDERGRADUATE_4)[year]
    return None


_EDUCATION_BY_GENERATION = (
    (1950, _Weighted((Education.ILLITERATE, Education.PRIMARY, Education.JUNIOR), (5, 4, 1))),
    (1965, _Weighted((Education.ILLITERATE, Education.PRIMARY, Education.JUNIOR, Education.SENIOR), (2, 5, 4, 1))),
    (1985, _Weighted((Education.PRIMARY, Education.JUNIOR, Education.SENIOR, Education.COLLEGE), (3, 6, 2, 0.3))),
    (9999, _Weighted((Education.JUNIOR, Education.SENIOR, Education.COLLEGE, Education.BACHELOR), (4, 3, 2, 1))),
)


def _education_for(birth_year: int, rng: random.Random) -> str:
    for before, pick in _EDUCATION_BY_GENERATION:
        if birth_year < before:
            return pick(rng)
    raise AssertionError("unreachable")


_SURNAME = _Weighted(SURNAMES, _SURNAME_WEIGHTS)
_WORK_STATUS = _Weighted((WorkStatus.LOCAL, WorkStatus.COUNTY, WorkStatus.PROVINCE, WorkStatus.OUTSIDE), (3, 3, 2, 2))
_CHILDREN = _Weighted((0, 1, 2, 3), (1, 4, 4, 1))
_GRANDCHILDREN = _Weighted((0, 1, 2), (2, 5, 3))
_ROAD_TYPE = _Weighted(ROAD_TYPES, (1, 2, 8, 2))
_FUEL_TYPE = _Weighted(FUEL_TYPES, (3, 0.2, 3, 4, 0.3))
_OTHER_CAUSES = (Cause.NO_SKILLS, Cause.NO_CAPITAL, Cause.NO_LABOR, Cause.ILLNESS, Cause.POOR_TRANSPORT)
_NEW_MONITOR_TYPES = (MonitorType.MARGINAL, MonitorType.MARGINAL, MonitorType.SUDDEN_HARDSHIP)
_RISKS = (Risk.ILLNESS, Risk.SCHOOLING, Risk.DISABILITY, Risk.NATURAL_DISASTER, Risk.ACCIDENT, Risk.UNSTABLE_WORK,
          Risk.NO_LABOR, Risk.HOUSING)
_MAIN_CAUSE = _Weighted(
    (Cause.NO_LABOR, Cause.NO_SKILLS, Cause.NO_CAPITAL, Cause.LOW_MOTIVATION, Cause.DISASTER, Cause.NO_LAND),
    (4, 3, 3, 1, 1, 1),
)


@dataclass
class Places:
    """Names used for where people work: the township, the county and the city they live in."""

    township: str = "本乡镇"
    county: str = "本县"
    city: str = "本市"


@dataclass
class Families:
    """Makes synthetic households. Deterministic for a given `rng`.

    `area` is the 6-digit county code of the ID numbers; `today` the date ages are counted at
    (fixed, so that the same seed always gives the same people); `is_taken(id_number)` lets a
    caller skip ID numbers already in the database (a second synth batch).
    """

    rng: random.Random
    area: str
    today: dt.date = dt.date(2025, 3, 1)
    places: Places = field(default_factory=Places)
    spouse_areas: tuple[str, ...] = ()
    is_taken: Callable[[str], bool] | None = None
    # Which of the 50 sequence numbers of a birth date this maker uses: those equal to
    # `sequence_residue` modulo `sequence_stride` (a divisor of 50), so that makers working side by
    # side (synth's chunks) never make the same number. `sequence_offset` shifts them all (modulo
    # 50), so that a later batch mostly misses the numbers an earlier one took.
    sequence_residue: int = 0
    sequence_stride: int = 1
    sequence_offset: int = 0
    _next_sequence: dict[tuple[str, dt.date, str], int] = field(default_factory=dict, repr=False)

    # --- single values -----------------------------------------------------------------------

    def id_number(self, birth: dt.date, sex: str, area: str | None = None) -> str:
        """A fresh ID number for this birth date and sex; moves to the next day when one is used up."""
        area = area or self.area
        while True:
            key = (area, birth, sex)
            used = self._next_sequence.get(key, 0)
            sequence = self.sequence_residue + used * self.sequence_stride
            if sequence >= IDS_PER_BIRTH_DATE_AND_SEX:
                birth += dt.timedelta(days=1)
                if birth > self.today:
                    birth -= dt.timedelta(days=400)
                continue
            self._next_sequence[key] = used + 1
            number = make_id_number(area, birth, (sequence + self.sequence_offset) % IDS_PER_BIRTH_DATE_AND_SEX, sex)
            if self.is_taken is None or not self.is_taken(number):
                return number

    def surname(self) -> str:
        return _SURNAME(self.rng)

    def given_name(self, sex: str, birth_year: int) -> str:
        pool = (GIVEN_YOUNG if birth_year >= 1985 else GIVEN_OLD)[sex]
        if self.rng.random() < 0.3:
            return _choice(self.rng, pool)
        return _choice(self.rng, pool) + _choice(self.rng, pool)

    def name(self, sex: str, birth_year: int, surname: str | None = None) -> str:
        return (surname or self.surname()) + self.given_name(sex, birth_year)

    def mobile(self) -> str:
        return _choice(self.rng, MOBILE_PREFIXES) + f"{int(self.rng.random() * 100_000_000):08d}"

    def birth_for_age(self, age: int) -> dt.date:
        """A birth date at which a person is `age` on `today`."""
        latest = dt.date(self.today.year - age, self.today.month, min(self.today.day, 28)).toordinal()
        return dt.date.fromordinal(latest - int(self.rng.random() * 365))

    # --- members -----------------------------------------------------------------------------

    def person(
        self, *, relation: str, sex: str, age: int, surname: str | None = None, name: str | None = None,
        area: str | None = None, health: Iterable[str] = (),
    ) -> dict:
        """One member as a form's cleaned data, with attributes that fit the age."""
        rng = self.rng
        birth = self.birth_for_age(age)
        id_number = self.id_number(birth, sex, area)
        birth = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
        age = age_at(birth, self.today)
        school_status = _school_status_for(age, rng) if age < 22 else None
        education = "" if school_status else _education_for(birth.year, rng)
        health = list(health)
        if not health:
            roll = rng.random()
            chronic = 0.35 if age >= 55 else 0.08 if age >= 30 else 0.01
            serious = 0.06 if age >= 40 else 0.01
            if roll < chronic:
                health = [Health.CHRONIC]
            elif roll < chronic + serious:
                health = [Health.SERIOUS]
            else:
                health = [Health.HEALTHY]
        sick = any(h in (Health.SERIOUS, Health.DISABLED) for h in health)
        if age < 16 or school_status:
            labor_skill = LaborSkill.NONE
        elif sick:
            labor_skill = _choice(rng, [LaborSkill.LOST, LaborSkill.WEAK])
        elif age >= 70:
            labor_skill = _choice(rng, [LaborSkill.LOST, LaborSkill.NONE])
        elif age >= 60 or Health.CHRONIC in health:
            labor_skill = LaborSkill.WEAK if rng.random() < 0.7 else LaborSkill.ORDINARY
        else:
            labor_skill = LaborSkill.SKILLED if rng.random() < 0.25 else LaborSkill.ORDINARY
        work_status, work_months, work_place, employer = "", None, "", ""
        if labor_skill in (LaborSkill.ORDINARY, LaborSkill.SKILLED) and 18 <= age < 60 and rng.random() < 0.65:
            work_status = _WORK_STATUS(rng)
            work_months = _randint(rng, 3, 12)
            work_place = {
                WorkStatus.LOCAL: self.places.township,
                WorkStatus.COUNTY: self.places.county,
                WorkStatus.PROVINCE: self.places.city,
            }.get(work_status) or _choice(rng, FAR_WORK_PLACES)
            employer = _choice(rng, EMPLOYERS)
        if 14 <= age <= 28 and rng.random() < 0.4:
            political = PoliticalStatus.LEAGUE
        elif age >= 25 and rng.random() < 0.05:
            political = PoliticalStatus.PARTY_MEMBER
        else:
            political = PoliticalStatus.MASSES
        has_phone = 16 <= age and (relation == Relation.HEAD and age < 80 or age < 70 and rng.random() < 0.6)
        adult_insured = age >= 16 and not school_status
        return {
            "name": name or self.name(sex, birth.year, surname),
            "relation": relation,
            "id_type": RESIDENT_ID,
            "id_number": id_number,
            "sex": sex,
            "birth_date": birth,
            "ethnicity": "回族" if rng.random() < 0.01 else "汉族",
            "phone": self.mobile() if has_phone else "",
            "education": education,
            "school_status": school_status or "",
            "health": health,
            "labor_skill": labor_skill,
            "work_status": work_status,
            "work_months": work_months,
            "work_place": work_place,
            "employer": employer,
            "political_status": political,
            "minimum_living": False,
            "extreme_hardship": False,
            "pension_insured": (rng.random() < 0.95) if adult_insured else None,
            "medical_insured": rng.random() < 0.98,
            "critical_illness_insured": rng.random() < 0.95,
            "disability_category": "",
            "welfare_post_type": "",
            "welfare_post_months": None,
            "disability_grade": "",
        }

    def _disable(self, member: dict) -> None:
        member["health"] = [Health.DISABLED] + (
            [Health.CHRONIC] if self.rng.random() < 0.3 else []
        )
        member["disability_category"] = _choice(self.rng, DISABILITY_CATEGORIES)
        # Not drawn from the generator, so the rest of the county stays as it was.
        member["disability_grade"] = DISABILITY_GRADES[member["birth_date"].day % len(DISABILITY_GRADES)]
        if member["school_status"] == "" and age_at(member["birth_date"], self.today) >= 16:
            member["labor_skill"] = _choice(self.rng, [LaborSkill.LOST, LaborSkill.WEAK])
            member["work_status"], member["work_months"], member["work_place"], member["employer"] = "", None, "", ""

    def members(
        self, categories: Iterable[str] = (), *, surname: str | None = None, head_name: str | None = None,
        head_sex: str | None = None, head_age: int | None = None,
    ) -> list[dict]:
        """A household's members, head first, shaped by its categories (an elderly person living
        alone, a couple who lost their only child, a family with a disabled member...)."""
        rng = self.rng
        categories = set(categories)
        C, R = Category, Relation
        spouse_area = lambda: _choice(rng, self.spouse_areas) if self.spouse_areas and rng.random() < 0.25 else None  # noqa: E731

        if C.ELDERLY_ALONE in categories:
            kind = "elderly"
        elif C.SPECIAL_FAMILY in categories:
            kind = "bereaved"
        elif C.EXTREME_HARDSHIP in categories:
            kind = "single"
        else:
            kind = "family"

        if head_age is None:
            head_age = {
                "elderly": _randint(rng, 68, 90),
                "bereaved": _randint(rng, 52, 78),
                "single": _randint(rng, 55, 85),
                "family": int(rng.triangular(28, 82, 55)),
            }[kind]
        if head_sex is None:
            head_sex = "F" if rng.random() < (0.35 if kind in ("elderly", "single") else 0.12) else "M"
        surname = surname or self.surname()
        head = self.person(relation=R.HEAD, sex=head_sex, age=head_age, surname=surname, name=head_name)
        members = [head]
        other_sex = "F" if head_sex == "M" else "M"

        def add_spouse(age: int) -> dict:
            spouse = self.person(relation=R.SPOUSE, sex=other_sex, age=max(18, age), area=spouse_area())
            members.append(spouse)
            return spouse

        if kind == "elderly":
            if rng.random() < 0.4:
                add_spouse(head_age + _randint(rng, -4, 3))
        elif kind == "bereaved":
            add_spouse(head_age + _randint(rng, -4, 3))
        elif kind == "family":
            # A female head is most often a widow; a male head usually has a wife.
            spouse = None
            if head_sex == "M" and rng.random() < (0.88 if head_age < 70 else 0.6):
                spouse = add_spouse(head_age + _randint(rng, -5, 2))
            if head_sex == "F":
                mother_age = head_age
            elif spouse is not None:
                mother_age = age_at(spouse["birth_date"], self.today)
            else:
                mother_age = head_age - _randint(rng, 0, 3)
            child_surname = surname if head_sex == "M" else self.surname()
            n_children = _CHILDREN(rng)
            child_age = mother_age - _randint(rng, 21, 29)
            for i in range(n_children):
                if i:
                    child_age -= _randint(rng, 2, 5)
                if child_age < 0:
                    break
                sex = _choice(rng, "MF")
                # Grown children have often moved out; a married son may stay with his family.
                if child_age >= 24 and rng.random() < 0.55:
                    continue
                child = self.person(relation=R.SON if sex == "M" else R.DAUGHTER, sex=sex, age=child_age,
                                    surname=child_surname)
                members.append(child)
                if sex == "M" and child_age >= 24 and rng.random() < 0.6 and not any(
                    m["relation"] == R.DAUGHTER_IN_LAW for m in members
                ):
                    members.append(self.person(relation=R.DAUGHTER_IN_LAW, sex="F",
                                               age=child_age + _randint(rng, -3, 2), area=spouse_area()))
                    for _ in range(_GRANDCHILDREN(rng)):
                        grandchild_age = child_age - _randint(rng, 22, 30)
                        if grandchild_age < 0:
                            break
                        gsex = _choice(rng, "MF")
                        members.append(self.person(relation=R.GRANDSON if gsex == "M" else R.GRANDDAUGHTER,
                                                   sex=gsex, age=grandchild_age, surname=child_surname))
            if head_age <= 52 and rng.random() < 0.35:
                parent_age = head_age + _randint(rng, 23, 32)
                if parent_age <= 92:
                    if rng.random() < 0.6:
                        members.append(self.person(relation=R.FATHER if head_sex == "M" else R.FATHER_IN_LAW_H,
                                                   sex="M", age=parent_age, surname=surname if head_sex == "M" else None))
                    if rng.random() < 0.8:
                        members.append(self.person(relation=R.MOTHER if head_sex == "M" else R.MOTHER_IN_LAW_H,
                                                   sex="F", age=parent_age + _randint(rng, -4, 1)))

        if C.DISABLED in categories:
            adults = [m for m in members if not m["school_status"]]
            self._disable(_choice(rng, adults or members))
        if C.MINIMUM_LIVING in categories:
            for member in members:
                member["minimum_living"] = True
        if C.EXTREME_HARDSHIP in categories:
            for member in members:
                member["extreme_hardship"] = True
                member["minimum_living"] = False
        if C.REGISTERED_POOR in categories and rng.random() < 0.12:
            able = [m for m in members if m["labor_skill"] in (LaborSkill.WEAK, LaborSkill.ORDINARY)
                    and 18 <= age_at(m["birth_date"], self.today) < 65]
            if able:
                worker = _choice(rng, able)
                worker["welfare_post_type"] = _choice(rng, WELFARE_POSTS)
                worker["welfare_post_months"] = _randint(rng, 6, 12)
        return members

    # --- the household's own fields ----------------------------------------------------------

    def household_fields(
        self, categories: Iterable[str], members: list[dict], *, status: str | None = None,
        monitor_type: str | None = None,
    ) -> dict:
        """The household's fields (as a HouseholdForm's cleaned data, without region and number).
        A monitored household gets `monitor_type`, or one that fits (脱贫不稳定户 for a registered one)."""
        rng = self.rng
        categories = [c for c in CATEGORY_ORDER if c in set(categories)]
        C = Category
        poor = C.REGISTERED_POOR in categories
        status = status or Status.ACTIVE
        lifted = status == Status.LIFTED

        risks = []
        if C.MONITORED not in categories:
            monitor_type = ""
        else:
            monitor_type = monitor_type or (MonitorType.UNSTABLE if poor else _choice(rng, _NEW_MONITOR_TYPES))
            risks = rng.sample(_RISKS, _choice(rng, (1, 1, 2, 3)))
        risk_method, risk_on = "", None
        if status == Status.RISK_ELIMINATED:
            risk_method = _choice(rng, RISK_ELIMINATION_METHODS)
            risk_on = self.today - dt.timedelta(days=_randint(rng, 30, 700))

        health = [h for m in members for h in m["health"]]
        students_far = any(m["school_status"].startswith(("本科", "高职", "普通高中")) for m in members)
        if C.DISABLED in categories or Health.DISABLED in health:
            main_cause = Cause.DISABILITY
        elif Health.SERIOUS in health or Health.CHRONIC in health and rng.random() < 0.6:
            main_cause = Cause.ILLNESS
        elif students_far and rng.random() < 0.6:
            main_cause = Cause.SCHOOLING
        else:
            main_cause = _MAIN_CAUSE(rng)
        other_causes = []
        if poor:
            other_causes = [c for c in rng.sample(_OTHER_CAUSES, _choice(rng, (0, 0, 1, 2))) if c != main_cause]

        attribute = ""
        if poor:
            if C.EXTREME_HARDSHIP in categories:
                attribute = (Attribute.EXTREME_HARDSHIP if lifted
                             else Attribute.EXTREME_HARDSHIP_POOR)
            elif C.MINIMUM_LIVING in categories:
                attribute = (Attribute.MINIMUM_LIVING if lifted
                             else Attribute.MINIMUM_LIVING_POOR)
            else:
                attribute = Attribute.GENERAL if lifted else Attribute.GENERAL_POOR

        dilapidated = rng.random() < 0.04
        workers = [m for m in members if m["work_status"]]
        wage = sum(_randint(rng, 1500, 4500) * (m["work_months"] or 0) for m in workers)
        welfare = sum(_randint(rng, 400, 800) * (m["welfare_post_months"] or 0) for m in members)
        transfer = _randint(rng, 1200, 3600) * len(members) + (
            4000 * len(members) if C.MINIMUM_LIVING in categories or C.EXTREME_HARDSHIP in categories else 0)
        farmland = round(rng.uniform(0.5, 6.0) * (1 if rng.random() > 0.1 else 0), 1)
        business = int(farmland * _randint(rng, 600, 1400))
        head = members[0]
        return {
            "address": "",
            "phone": head["phone"] or next((m["phone"] for m in members if m["phone"]), ""),
            "status": status,
            "categories": categories,
            "monitor_type": monitor_type,
            "identification_standard": NATIONAL_STANDARD if poor else "",
            "poverty_attribute": attribute,
            "main_cause": main_cause if poor else "",
            "other_causes": other_causes if poor else [],
            "risks": risks,
            "risk_elimination_method": risk_method,
            "risk_eliminated_on": risk_on,
            "farmland_mu": _decimal(farmland),
            "road_type": _ROAD_TYPE(rng),
            "housing_area": _decimal(_randint(rng, 45, 160)),
            "dilapidated": dilapidated,
            "dilapidation_level": _choice(rng, DILAPIDATION_LEVELS) if dilapidated else "",
            "safe_water": rng.random() < 0.98,
            "electricity": True,
            "sanitary_toilet": rng.random() < 0.85,
            "fuel_type": _FUEL_TYPE(rng),
            # Money is integer fen.
            "wage_income": (wage + welfare) * 100,
            "business_income": business * 100,
            "property_income": _choice(rng, [0, 0, 0, _randint(rng, 100, 1500)]) * 100,
            "transfer_income": transfer * 100,
            "business_expense": int(business * rng.uniform(0.2, 0.5)) * 100,
        }


def _decimal(value: float) -> Decimal:
    return Decimal(f"{value:.2f}")


# Category mix of a synthetic county (a household may be in several).
CATEGORY_RATES = {
    Category.REGISTERED_POOR: 0.6,
    Category.MINIMUM_LIVING: 0.22,
    Category.DISABLED: 0.1,
    Category.ELDERLY_ALONE: 0.08,
    Category.MONITORED: 0.1,
    Category.EXTREME_HARDSHIP: 0.03,
    Category.SPECIAL_FAMILY: 0.02,
}


def pick_categories(rng: random.Random) -> list[str]:
    """A plausible, never empty, set of categories for one household."""
    picked = [category for category, rate in CATEGORY_RATES.items() if rng.random() < rate]
    if Category.EXTREME_HARDSHIP in picked and Category.MINIMUM_LIVING in picked:
        picked.remove(Category.MINIMUM_LIVING)
    return picked or [_choice(rng, [Category.REGISTERED_POOR, Category.MINIMUM_LIVING,
                                  Category.MONITORED])]


def pick_status(rng: random.Random, categories: Iterable[str]) -> str:
    categories = set(categories)
    roll = rng.random()
    if Category.REGISTERED_POOR in categories and roll < 0.1:
        return Status.LIFTED
    if Category.MONITORED in categories and roll < 0.15:
        return Status.RISK_ELIMINATED
    return Status.ACTIVE


# --- a whole synthetic county, written in bulk (benchmarks) ----------------------------------

VILLAGE_SIZE = 350  # households per synthetic village: a large village's registry
HOUSEHOLDS_PER_CASEWORKER = 12
UNASSIGNED_RATE = 0.02
SYNTH_PREFIX = "synth-"
_VILLAGE_FIRST = "东西南北前后大小上下新老"
_VILLAGE_LAST = ("家庄村", "庄村", "村", "家村", "屯村", "营村", "家洼村", "疃村", "寨村", "店村")


class NameInitials:
    """core.text.initials for a few hundred thousand names, fast.

    pypinyin takes about 50 µs a name. A name's initials are its surname's (with the surname
    readings of core.text) followed by its given name's, unless the surname and the first
    character form a word in pypinyin's phrase table (周长 reads zhōu cháng, not zhōu zhǎng);
    those few go the slow way. The tests check the result equals core.text.initials.
    """

    def __init__(self) -> None:
        from pypinyin.constants import PHRASES_DICT

        self._phrases = PHRASES_DICT
        self._names: dict[str, str] = {}
        self._parts: dict[str, str] = {}

    def _given(self, text: str) -> str:
        from pypinyin import Style, lazy_pinyin

        letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default", strict=False)
        return "".join(ch for part in letters for ch in part.lower() if "a" <= ch <= "z")

    def __call__(self, name: str) -> str:
        found = self._names.get(name)
        if found is None:
            from bangfu.core.text import initials

            if len(name) < 2 or name[:2] in self._phrases or name in self._phrases:
                found = initials(name)
            else:
                surname, given = name[0], name[1:]
                head = self._parts.get(surname + "|")
                if head is None:
                    head = self._parts[surname + "|"] = initials(surname)
                tail = self._parts.get(given)
                if tail is None:
                    tail = self._parts[given] = self._given(given)
                found = head + tail
            self._names[name] = found
        return found


@dataclass
class SynthResult:
    county: str
    households: int = 0
    members: int = 0
    categories: int = 0
    assignments: int = 0
    changes: int = 0
    villages_created: int = 0
    users_created: int = 0
    workers: int = 1
    request_id: str = ""
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return (self.households + self.members + self.categories + self.assignments + self.changes
                + self.villages_created + self.users_created)


# ID number sequences are split between chunks by residue modulo a divisor of 50, so at most 50 chunks.
_STRIDES = (1, 2, 5, 10, 25, 50)
MIN_CHUNK = 2000


@dataclass
class _Chunk:
    """One slice of the households to make: everything a worker process needs, and nothing it must
    ask the database for. The same chunks, whatever the number of workers: the same data."""

    index: int
    seed: int
    area: str
    county_name: str
    city_name: str
    residue: int
    stride: int
    offset: int
    # (household id, village code, township name, household number, caseworker id or None)
    slots: list[tuple[int, str, str, str, int | None]]
    now: object  # the creation time, already adapted for the database
    request_id: str  # adapted likewise
    assignments_from: int  # date ordinals: assignments start between these two days
    assignments_to: int


@dataclass
class _ChunkRows:
    households: list[tuple]
    members: list[tuple]
    categories: list[tuple]
    assignments: list[tuple]
    changes: list[tuple]


# In a worker process: the hashes of ID numbers already in the database, and the row builders.
_taken_hashes: frozenset[str] = frozenset()
_builders: dict[str, bulk.Rows] = {}
_initials: NameInitials | None = None


def _worker_init(taken: frozenset[str] | None) -> None:
    global _taken_hashes
    import django
    from django.apps import apps

    if not apps.ready:  # a spawned process (Windows, macOS) starts from nothing
        django.setup()
    if taken is not None:
        _taken_hashes = taken


def _name_initials() -> NameInitials:
    """One per process: the given names repeat from chunk to chunk."""
    global _initials
    if _initials is None:
        _initials = NameInitials()
    return _initials


def _row_builders() -> dict[str, bulk.Rows]:
    if not _builders:
        from bangfu.history.models import Change
        from bangfu.households.models import Assignment, Household, HouseholdCategory, Member

        stamps = ("created_at", "updated_at", "at", "request_id")
        _builders.update(
            households=bulk.Rows(Household, with_pk=True, adapted=stamps),
            members=bulk.Rows(Member, adapted=stamps),
            categories=bulk.Rows(HouseholdCategory),
            assignments=bulk.Rows(Assignment, adapted=stamps),
            changes=bulk.Rows(Change, adapted=stamps),
        )
    return _builders


def _phone_fields(phone: str) -> dict:
    encrypted, hashed, tail = crypto.seal_phone(phone)
    return {"phone_encrypted": encrypted, "phone_hash": hashed, "phone_tail": tail}


def _make_chunk(chunk: _Chunk) -> _ChunkRows:
    """Make one chunk's households and turn them into rows: people, encryption, hashes, initials."""
    from bangfu.history.models import Action

    rng = random.Random(chunk.seed * 1_000_003 + chunk.index)
    keyed_hash = crypto.keyed_hash
    taken = _taken_hashes
    families = Families(
        rng, area=chunk.area, places=Places(county=chunk.county_name, city=chunk.city_name),
        is_taken=(lambda number: keyed_hash(number) in taken) if taken else None,
        sequence_residue=chunk.residue, sequence_stride=chunk.stride, sequence_offset=chunk.offset,
    )
    name_initials = _name_initials()
    build = _row_builders()
    now = chunk.now
    rows = _ChunkRows([], [], [], [], [])
    span = chunk.assignments_to - chunk.assignments_from
    for pk, village_code, township_name, number, caseworker_id in chunk.slots:
        families.places.township = township_name
        cats = pick_categories(rng)
        people = families.members(cats)
        household = families.household_fields(cats, people, status=pick_status(rng, cats))
        del household["categories"]
        phone = household["phone"]
        phone_fields = _phone_fields(phone)
        household.update(
            id=pk, number=number, region_id=village_code, region_code=village_code, head_name=people[0]["name"],
            caseworker_id=caseworker_id, created_at=now, updated_at=now, **phone_fields,
        )
        rows.households.append(build["households"].row(household))
        for person in people:
            id_number = person["id_number"]
            person = dict(person)
            # The household's phone is its head's: the same token decrypts the same.
            person.update(phone_fields if phone and person["phone"] == phone
                          else _phone_fields(person["phone"]))
            # A synthetic ID number has no disability suffix: its full value is its base.
            id_encrypted, id_hash, id_tail = crypto.seal_id_number(id_number, id_number)
            person.update(
                household_id=pk, name_initials=name_initials(person["name"]), name_pinyin=pinyin(person["name"]),
                id_number_encrypted=id_encrypted, id_hash=id_hash, id_tail_reversed=id_tail,
                created_at=now, updated_at=now,
            )
            rows.members.append(build["members"].row(person))
        rows.categories.extend(build["categories"].row({"household_id": pk, "category": c}) for c in cats)
        if caseworker_id is not None:
            rows.assignments.append(build["assignments"].row({
                "household_id": pk, "caseworker_id": caseworker_id, "created_at": now,
                "start": dt.date.fromordinal(chunk.assignments_from + int(rng.random() * span)),
            }))
        rows.changes.append(build["changes"].row({
            "at": now, "request_id": chunk.request_id, "action": Action.CREATE.value, "object_type": "household",
            "object_id": pk, "object_repr": f"{number} {household['head_name']}", "household_id": pk,
            "region_code": village_code, "message": "created by synth",
            # The keys of households.services.household_snapshot, so that a timeline shows them alike.
            "after": {"number": number, "region": village_code, "status": household["status"],
                      "monitor_type": household["monitor_type"], "categories": cats, "caseworker": caseworker_id},
        }))
    return rows


def synth_county(
    *, county_code: str, households: int, seed: int = 1, password: str | None = None, workers: int = 1,
    progress: Callable[[str], None] | None = None,
) -> SynthResult:
    """Add `households` synthetic households (about 3 members each) to a county: villages under its
    townships, a county user, an office user per township, caseworkers with about 12 households
    each, assignments, and one history row per household, all under one request id.

    Bypasses the per-row services for speed (raw inserts in one transaction) but writes the same
    columns they write: encrypted ID numbers and phones with their hashes and tails, pinyin
    initials, the denormalised region code and head name. Running it again adds another batch
    with fresh household numbers, ID numbers and usernames. `workers` processes make the rows
    (people, encryption) while this one writes them; the data are the same for any number.
    """
    import math
    import time
    import uuid

    from django.contrib.auth.hashers import make_password
    from django.db import connections, router, transaction
    from django.utils import timezone

    from bangfu.accounts.models import User
    from bangfu.core import requestid
    from bangfu.core.codes import Level
    from bangfu.core.permissions import Role
    from bangfu.households.models import Household, Member
    from bangfu.regions.models import Region
    from bangfu.regions.queries import national_villages
    from bangfu.regions.services import LOCAL_FIRST, LOCAL_LAST

    if households < 1:
        raise ValueError("households must be at least 1")
    started = time.perf_counter()
    say = progress or (lambda message: None)
    county = Region.objects.filter(code=county_code, level=Level.COUNTY).first()
    if county is None:
        raise LookupError(f"no county with code {county_code} in the region tree")
    townships = list(Region.objects.filter(parent=county, level=Level.TOWNSHIP).order_by("code"))
    if not townships:
        raise LookupError(f"county {county_code} has no townships in the region tree")
    township_names = {t.code: t.name for t in townships}
    city_name = Region.objects.filter(code=city_of(county.code)).values_list("name", flat=True).first() or ""
    rng = random.Random(seed)
    result = SynthResult(county=county_code)
    connection = connections[router.db_for_write(Household)]
    if connection.vendor not in ("sqlite", "postgresql"):
        raise ImproperlyConfigured(f"synth writes to SQLite or PostgreSQL, not {connection.vendor}")

    with transaction.atomic(using=connection.alias), requestid.bound(uuid.uuid4()) as request_id:
        result.request_id = str(request_id)
        if connection.vendor == "sqlite":
            # Random keys (ID hashes) touch pages all over each index; a bigger page cache for this
            # connection keeps them in memory instead of going back to the file (the default is 8 MB).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")

        # Villages: reuse what is there, add more until each township has its share: the national
        # list's villages of the township first (official codes and names), then villages of the
        # township's own (codes 900-999, marked local) where the list has too few.
        wanted_per_township = max(1, math.ceil(households / VILLAGE_SIZE / len(townships)))
        villages: list[Region] = []
        new_villages: list[Region] = []
        existing: dict[str, list[Region]] = {}
        for village in Region.objects.filter(level=Level.VILLAGE, parent__in=townships).order_by("code"):
            existing.setdefault(village.parent_id, []).append(village)
        official: dict[str, list[tuple[str, str]]] = {}
        for code, name in national_villages(county_code):
            official.setdefault(code[:TOWNSHIP_LENGTH], []).append((code, name))
        for township in townships:
            have = existing.get(township.code, [])
            used_codes = {v.code for v in have}
            used_names = {v.name for v in have}
            for code, name in official.get(township.code, []):
                if len(have) >= wanted_per_township:
                    break
                if code not in used_codes:
                    village = Region(code=code, name=name, level=Level.VILLAGE, parent=township, local=False)
                    used_codes.add(code)
                    used_names.add(name)
                    have.append(village)
                    new_villages.append(village)
            number = LOCAL_FIRST - 1
            while len(have) < wanted_per_township and number < LOCAL_LAST:
                number += 1
                code = f"{township.code}{number:03d}"
                if code in used_codes:
                    continue
                for _ in range(50):
                    name = _choice(rng, _VILLAGE_FIRST) + _choice(rng, SURNAMES[:40]) + _choice(rng, _VILLAGE_LAST)
                    if name not in used_names:
                        break
                else:
                    name = f"{name[:-1]}{number}村"
                used_names.add(name)
                village = Region(code=code, name=name, level=Level.VILLAGE, parent=township, local=True)
                have.append(village)
                new_villages.append(village)
            villages.extend(have)
        Region.objects.bulk_create(new_villages, batch_size=1000)
        result.villages_created = len(new_villages)
        say(f"villages: {len(villages)} ({len(new_villages)} new) in {len(townships)} townships")

        # How many households each village gets, and where its numbering goes on from.
        share, extra = divmod(households, len(villages))
        counts = [share + (1 if i < extra else 0) for i in range(len(villages))]
        last_number: dict[str, int] = {}
        for code, number in Household.objects.filter(region_code__startswith=county.code).values_list(
            "region_code", "number"
        ).iterator(chunk_size=20000):
            tail = number[len(code):]
            if number.startswith(code) and tail.isdigit():
                last_number[code] = max(last_number.get(code, 0), int(tail))

        # Users: one county user and one office per township (kept if there), new caseworkers.
        taken_usernames = set(
            User.objects.filter(username__startswith=SYNTH_PREFIX).values_list("username", flat=True)
        )
        password_hash = make_password(password)  # an unusable password when None
        namer = Families(rng, area=county.code)
        users: list[User] = []

        def new_user(username: str, role: str, region: Region, display_name: str) -> User:
            user = User(username=username, role=role, region=region, display_name=display_name,
                        password=password_hash, organisation=region.name)
            users.append(user)
            taken_usernames.add(username)
            return user

        if f"{SYNTH_PREFIX}{county.code}" not in taken_usernames:
            new_user(f"{SYNTH_PREFIX}{county.code}", Role.COUNTY, county, f"{county.name}乡村振兴局")
        for township in townships:
            if f"{SYNTH_PREFIX}{township.code}" not in taken_usernames:
                new_user(f"{SYNTH_PREFIX}{township.code}", Role.TOWNSHIP_OFFICE, township, f"{township.name}扶贫办")
        caseworkers: dict[str, list[User]] = {}
        for village, count in zip(villages, counts):
            if not count:
                continue
            index = 0
            for _ in range(max(1, round(count / HOUSEHOLDS_PER_CASEWORKER))):
                index += 1
                while f"{SYNTH_PREFIX}{village.code}-{index}" in taken_usernames:
                    index += 1
                caseworkers.setdefault(village.code, []).append(new_user(
                    f"{SYNTH_PREFIX}{village.code}-{index}", Role.CASEWORKER, village,
                    namer.name(_choice(rng, "MF"), _randint(rng, 1965, 1998)),
                ))
        User.objects.bulk_create(users, batch_size=1000)
        result.users_created = len(users)
        say(f"users: {len(users)} new ({sum(len(v) for v in caseworkers.values())} caseworkers)")

        # Every household's place: id, village, number, caseworker; then cut into chunks.
        ids = iter(bulk.allocate_ids(Household, households))
        slots = []
        for village, count in zip(villages, counts):
            workers_here = [u.pk for u in caseworkers.get(village.code, [])]
            sequence = last_number.get(village.code, 0)
            for i in range(count):
                caseworker = (workers_here[i % len(workers_here)]
                              if workers_here and rng.random() >= UNASSIGNED_RATE else None)
                slots.append((next(ids), village.code, township_names[village.parent_id],
                              f"{village.code}{sequence + i + 1:04d}", caseworker))
        size = max(MIN_CHUNK, math.ceil(households / _STRIDES[-1]))
        pieces = [slots[i:i + size] for i in range(0, len(slots), size)]
        stride = next(n for n in _STRIDES if n >= len(pieces))
        # ID numbers already in the database (an earlier batch, the demo) must not come up again.
        taken = (frozenset(Member.objects.values_list("id_hash", flat=True).iterator(chunk_size=20000))
                 if Member.objects.exists() else frozenset())
        offset = rng.randrange(IDS_PER_BIRTH_DATE_AND_SEX) if taken else 0
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        request_value = request_id if connection.features.has_native_uuid_field else request_id.hex
        chunks = [
            _Chunk(index=k, seed=seed, area=county.code, county_name=county.name, city_name=city_name or county.name,
                   residue=k, stride=stride, offset=offset, slots=piece, now=now, request_id=request_value,
                   assignments_from=dt.date(2019, 1, 1).toordinal(), assignments_to=dt.date(2024, 12, 31).toordinal())
            for k, piece in enumerate(pieces)
        ]
        builders = _row_builders()
        spent = {"write": 0.0}

        def write(rows: _ChunkRows) -> None:
            mark = time.perf_counter()
            for name in ("households", "members", "categories", "assignments", "changes"):
                builders[name].write(getattr(rows, name))
            result.households += len(rows.households)
            result.members += len(rows.members)
            result.categories += len(rows.categories)
            result.assignments += len(rows.assignments)
            result.changes += len(rows.changes)
            spent["write"] += time.perf_counter() - mark
            say(f"households: {result.households} of {households} "
                f"({time.perf_counter() - started:.1f} s, writing {spent['write']:.1f} s)")

        workers = max(1, min(workers, len(chunks)))
        result.workers = workers
        if workers == 1:
            global _taken_hashes
            saved, _taken_hashes = _taken_hashes, taken
            try:
                for chunk in chunks:
                    write(_make_chunk(chunk))
            finally:
                _taken_hashes = saved
        else:
            _write_from_pool(chunks, workers=workers, taken=taken, write=write)
    result.seconds = time.perf_counter() - started
    return result


def _write_from_pool(chunks: list[_Chunk], *, workers: int, taken: frozenset[str], write) -> None:
    """Workers make chunks, in order; this process writes each as it comes. At most two chunks per
    worker wait in memory, so that a slow disk does not pile up the whole county."""
    import multiprocessing
    import os
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    global _taken_hashes
    # fork shares what this process has (settings, the taken hashes); elsewhere a worker starts afresh.
    fork = os.name == "posix" and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    saved = _taken_hashes
    if fork:
        _taken_hashes = taken
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                 initargs=(None if fork else taken,)) as pool:
            waiting: deque = deque()
            queue = iter(chunks)
            for chunk in queue:
                waiting.append(pool.submit(_make_chunk, chunk))
                if len(waiting) >= 2 * workers:
                    break
            while waiting:
                rows = waiting.popleft().result()
                following = next(queue, None)
                if following is not None:
                    waiting.append(pool.submit(_make_chunk, following))
                write(rows)
    finally:
        _taken_hashes = saved
