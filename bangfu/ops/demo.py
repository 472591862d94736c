"""The demo data: the two townships of the source reports, their villages, households and users.

蓝村街道 (即墨区, 青岛; 蓝村镇 in 2020) with its 65 registered-poor households, and 送庄镇 (孟津区, 洛阳;
孟津县 in 2020) with a comparable number, plus households on minimum living allowance, disabled
members, elderly people living alone, special families and monitored households. People are
synthetic (households.synthetic) apart from two names the 蓝村 report gives: 逄珍波, a household
head in 戴家庄村, and 孙磊, the caseworker who looks after him.

The villages are the real ones: each township's whole list is loaded from the national list of
villages (as `bangfu regions load --villages` loads it), and the households live in some of them,
under their official codes and names. 戴家庄村, merged into a community since the report, is not in
the list: 蓝村街道 keeps it as a village of its own (a code in 900-999, marked local), as a township
adds one on its villages page.

Households are created through households.services (so each has its history) by the township
office, and assigned to caseworkers through assignment_set. The other apps add their part of the
demo (campaigns, supplies, needs, an emergency in 蓝村) as steps declared on their AppConfig
(`demo_steps`), run in their order after the households. Deterministic: the same seed gives the
same data.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
import uuid
from dataclasses import dataclass, field

from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hashers_by_algorithm, make_password
from django.db import transaction
from django.utils.module_loading import import_string
from pypinyin import lazy_pinyin

from bangfu.accounts.models import User
from bangfu.core import requestid
from bangfu.core.codes import COUNTY_LENGTH, Level, city_of
from bangfu.core.permissions import Role
from bangfu.core.plugins import declared
from bangfu.households import choices
from bangfu.households.models import Household
from bangfu.households.services import assignment_set, household_create
from bangfu.households.synthetic import Families, Places, pick_status
from bangfu.regions.models import Region
from bangfu.regions.services import village_add_local, villages_load

SEED = 2020
# Ages are counted on this day, so that the same seed gives the same people whenever it runs.
REFERENCE_DATE = dt.date(2025, 3, 1)
# 明确帮包责任人: the report's township named a responsible cadre for every household early in February 2020.
ASSIGNED_FROM = dt.date(2020, 2, 1)
C = choices.Category


@dataclass(frozen=True)
class VillagePlan:
    # The last 3 digits of the 12-digit code: the national list's (001-599), or for a village the
    # national list lacks, the one its township takes from its own range (900-999) when it adds it.
    suffix: str
    name: str  # as the tree has it: the national list's name, or the township's own for a local village
    poor: int  # registered-poor households
    others: int  # households in other categories only
    clan: str | None = None  # the surname many households of the village share (戴家庄: 戴)
    local: bool = False  # not in the national list: added by its township (regions.services.village_add_local)
    reported_lately: bool = False  # one household reported in the last weeks, not yet assigned

    @property
    def short_name(self) -> str:
        """The name without its committee (东山头村村民委员会 → 东山头村), as an address writes it."""
        for suffix in ("村民委员会", "居民委员会"):
            if self.name.endswith(suffix) and len(self.name) > len(suffix):
                return self.name[: -len(suffix)]
        return self.name


@dataclass(frozen=True)
class TownshipPlan:
    code: str
    name: str
    chain: tuple[tuple[str, str, str], ...]  # (code, name, level) from province to county
    office: tuple[str, str]  # username, display name
    villages: tuple[VillagePlan, ...]  # those with households; the township's other official villages have none
    spouse_areas: tuple[str, ...]  # neighbouring counties a spouse may come from
    organisations: tuple[str, ...]  # caseworkers' work units (帮扶责任人单位)

    @property
    def county_code(self) -> str:
        return self.code[:COUNTY_LENGTH]


# The villages are the national list's (2023-06-30), with its codes and names; the households per
# village are those of the source reports' scale.
LANCUN = TownshipPlan(
    code="370215010", name="蓝村街道",
    chain=(("37", "山东省", Level.PROVINCE), ("3702", "青岛市", Level.CITY), ("370215", "即墨区", Level.COUNTY)),
    office=("lancun", "蓝村街道扶贫办"),
    villages=(
        # The report's village, merged into a community since and so not in the national list: the
        # township keeps it as its own village, with the first code of its own range.
        VillagePlan("900", "戴家庄村", 10, 6, clan="戴", local=True),
        VillagePlan("203", "振兴村村民委员会", 9, 3, reported_lately=True),
        VillagePlan("206", "稻香村村民委员会", 8, 3),
        VillagePlan("217", "壮武村村民委员会", 8, 2),
        VillagePlan("219", "永安村村民委员会", 8, 3, reported_lately=True),
        VillagePlan("220", "南泉新村村民委员会", 8, 2),
        VillagePlan("226", "六合村村民委员会", 7, 3),
        VillagePlan("233", "王演庄新村村民委员会", 7, 3, clan="王"),
    ),
    spouse_areas=("370281", "370283", "370285"),
    organisations=("蓝村街道办事处", "即墨区农业农村局", "即墨区人力资源和社会保障局", "蓝村中心中学", "即墨区供电中心"),
)
SONGZHUANG = TownshipPlan(
    code="410308103", name="送庄镇",
    chain=(("41", "河南省", Level.PROVINCE), ("4103", "洛阳市", Level.CITY), ("410308", "孟津区", Level.COUNTY)),
    office=("songzhuang", "送庄镇扶贫办"),
    villages=(
        VillagePlan("001", "送庄社区居民委员会", 9, 3),
        VillagePlan("209", "东山头村村民委员会", 8, 2, reported_lately=True),
        VillagePlan("214", "梁凹村村民委员会", 8, 3, clan="梁"),
        VillagePlan("211", "负图村村民委员会", 8, 2),
        VillagePlan("213", "朱家寨村村民委员会", 7, 3, clan="朱", reported_lately=True),
        VillagePlan("202", "三十里铺村村民委员会", 7, 2),
        VillagePlan("208", "凤台村村民委员会", 7, 2),
        VillagePlan("201", "护庄村村民委员会", 6, 3),
    ),
    spouse_areas=("410381", "410323", "410322"),
    organisations=("送庄镇人民政府", "孟津区农业农村局", "孟津区教育局", "孟津区卫生健康委员会", "送庄镇卫生院"),
)
# The village of the report (逄珍波's household, the caseworker 孙磊, the village's cadre and volunteer).
DAIJIAZHUANG = LANCUN.villages[0]
TOWNSHIPS = (LANCUN, SONGZHUANG)

# Households in other categories only, in the order each village's are made; categories may overlap.
OTHER_KINDS: tuple[tuple[tuple[str, ...], str], ...] = (
    ((C.MINIMUM_LIVING,), ""),
    ((C.ELDERLY_ALONE,), ""),
    ((C.DISABLED, C.MINIMUM_LIVING), ""),
    ((C.MONITORED,), choices.MonitorType.MARGINAL),
    ((C.SPECIAL_FAMILY,), ""),
    ((C.ELDERLY_ALONE, C.MINIMUM_LIVING), ""),
    ((C.EXTREME_HARDSHIP, C.DISABLED), ""),
    ((C.MONITORED, C.DISABLED), choices.MonitorType.MARGINAL),
)
# A household reported in the last weeks (VillagePlan.reported_lately): monitored for a sudden
# hardship, not yet assigned.
NEW_HARDSHIP = ((C.MONITORED,), choices.MonitorType.SUDDEN_HARDSHIP)

# Every village has 8 to 30 assigned households, so each caseworker gets 8 to 15.
MAX_HOUSEHOLDS_PER_CASEWORKER = 15
PZB = "逄珍波"


def demo_password(username: str) -> str:
    """Every demo password is the username followed by 2020, the year of the source reports."""
    return f"{username}2020"


class _DemoHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, so that some twenty demo users take milliseconds, not seconds.

    The demo's passwords are printed for everyone to read anyway; Django sees the low iteration
    count on the first login and re-hashes the password at full strength then.
    """

    iterations = 1000


@dataclass
class DemoLogin:
    username: str
    password: str
    role: str
    area: str
    name: str


@dataclass
class DemoResult:
    logins: list[DemoLogin] = field(default_factory=list)
    households: dict[str, int] = field(default_factory=dict)  # township name -> count
    registered_poor: dict[str, int] = field(default_factory=dict)
    members: int = 0
    seconds: float = 0.0


def _ensure_region(code: str, name: str, level: str, parent: str | None) -> Region:
    region, _created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent_id": parent}
    )
    return region


def _load_villages(plan: TownshipPlan) -> dict[str, Region]:
    """The township's whole official list of villages, and the villages of the plan that it lacks
    added as the township's own (as the villages page adds them): the plan's villages by code."""
    villages_load(prefix=plan.code)
    found = {}
    for village in plan.villages:
        code = plan.code + village.suffix
        region = Region.objects.filter(code=code).first()
        if region is None and village.local:
            region = village_add_local(township_code=plan.code, name=village.name)
        if region is None or region.code != code or region.name != village.name or region.local != village.local:
            raise ValueError(f"The demo's village {code} {village.name} is not the one the tree gives: "
                             f"{region and (region.code, region.name, region.local)}")
        found[code] = region
    return found


def _username_for(name: str, taken: set[str]) -> str:
    base = "".join(lazy_pinyin(name)).lower()
    username, n = base, 1
    while username in taken:
        n += 1
        username = f"{base}{n}"
    taken.add(username)
    return username


@transaction.atomic
def demo_load() -> DemoResult:
    """Load the demo into a fresh, migrated database (the region tree is optional: the demo adds the
    regions it needs when it is not loaded)."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    result = DemoResult()
    # The quick PBKDF2 only where PBKDF2 is a configured hasher (the tests configure a faster one).
    hasher = _DemoHasher() if _DemoHasher.algorithm in get_hashers_by_algorithm() else "default"
    taken_usernames = set(User.objects.values_list("username", flat=True))
    users: list[tuple[User, str]] = []

    def add_user(username: str, role: str, region: Region | None, name: str, organisation: str = "",
                 phone: str = "") -> User:
        # Mirrors accounts.services.user_add, which would hash each password at full strength.
        password = demo_password(username)
        user = User.objects.create(
            username=username, role=role, region=region, display_name=name, organisation=organisation,
            phone=phone, is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN,
            password=make_password(password, hasher=hasher),
        )
        taken_usernames.add(username)
        users.append((user, password))
        return user

    add_user("admin", Role.ADMIN, None, "系统管理员")
    # The regions (if the national tree is not loaded), then each township's villages as the
    # national list has them, as `bangfu regions load --villages` loads them, and its own villages.
    villages: dict[str, Region] = {}
    for plan in TOWNSHIPS:
        parent = None
        for code, name, level in plan.chain:
            _ensure_region(code, name, level, parent)
            parent = code
        _ensure_region(plan.code, plan.name, Level.TOWNSHIP, plan.county_code)
        villages.update(_load_villages(plan))
    county = Region.objects.get(code=LANCUN.county_code)
    add_user("jimo", Role.COUNTY, county, f"{county.name}乡村振兴局", organisation=f"{county.name}乡村振兴局")
    province = Region.objects.get(code=LANCUN.county_code[:2])
    add_user("shandong", Role.PROVINCE, province, f"{province.name}乡村振兴局", organisation=f"{province.name}乡村振兴局")

    with requestid.bound(uuid.uuid4()):
        for plan in TOWNSHIPS:
            _load_township(plan, rng=rng, villages=villages, add_user=add_user, taken=taken_usernames, result=result)
        # Each app's part is about 蓝村街道 (LANCUN), its office and the caseworker of its report.
        for step in declared("demo_steps"):
            import_string(step.function)()

    result.logins = [
        DemoLogin(
            username=user.username, password=password, role=str(Role(user.role).label),
            area=(f"{villages[user.region_id].parent.name} {user.region.name}" if user.region_id in villages
                  else user.region.name if user.region_id else "—"),
            name=user.display_name,
        )
        for user, password in users
    ]
    result.seconds = time.perf_counter() - started
    return result


def _load_township(plan: TownshipPlan, *, rng, villages, add_user, taken, result: DemoResult) -> None:
    township = Region.objects.get(code=plan.code)
    county = Region.objects.get(code=plan.county_code)
    city = Region.objects.get(code=city_of(plan.code))
    office = add_user(plan.office[0], Role.TOWNSHIP_OFFICE, township, plan.office[1], organisation=plan.office[1])
    families = Families(
        rng, area=plan.county_code, today=REFERENCE_DATE,
        places=Places(township=township.name, county=county.name, city=city.name),
        spouse_areas=plan.spouse_areas,
    )
    result.households[plan.name] = 0
    result.registered_poor[plan.name] = 0
    for position, village_plan in enumerate(plan.villages):
        village = villages[plan.code + village_plan.suffix]
        if village_plan is DAIJIAZHUANG:
            committee = village.name.removesuffix("村")
            add_user("daijiazhuang", Role.VILLAGE, village, f"{committee}村委会", organisation=f"{committee}村民委员会")
            # A volunteer who helps with the village's daily checks (and sees nothing else).
            add_user("zhiyuan", Role.VOLUNTEER, village, f"{committee}村防疫志愿者",
                     organisation=f"{committee}村民委员会")
        made: list[Household] = []
        unassigned: list[Household] = []

        def make(categories, monitor_type="", status=None, **head) -> Household:
            surname = village_plan.clan if village_plan.clan and rng.random() < 0.45 else None
            members = families.members(categories, surname=head.pop("surname", surname), **head)
            data = families.household_fields(categories, members, status=status or pick_status(rng, categories),
                                             monitor_type=monitor_type or None)
            data.update(region=village, number="",
                        address=f"{village_plan.short_name}{rng.randint(1, 6)}组{rng.randint(1, 160)}号")
            household = household_create(actor=office, data=data, members=members)
            result.members += len(members)
            return household

        for i in range(village_plan.poor):
            categories = [C.REGISTERED_POOR]
            for category, rate in ((C.MINIMUM_LIVING, 0.25), (C.DISABLED, 0.15), (C.ELDERLY_ALONE, 0.12),
                                   (C.MONITORED, 0.1)):
                if rng.random() < rate:
                    categories.append(category)
            if village_plan is DAIJIAZHUANG and i == 0:
                # The household of the report: "每天到俺家进行消毒、测体温" (disinfected, temperatures taken daily).
                pzb = make([C.REGISTERED_POOR, C.ELDERLY_ALONE], status=choices.Status.ACTIVE, surname="逄",
                           head_name=PZB, head_sex="M", head_age=68)
                made.append(pzb)
                continue
            made.append(make(categories))
        for i in range(village_plan.others):
            categories, monitor_type = OTHER_KINDS[(i + position + 1) % len(OTHER_KINDS)]
            if village_plan.reported_lately and i == village_plan.others - 1:
                unassigned.append(make(list(NEW_HARDSHIP[0]), NEW_HARDSHIP[1], status=choices.Status.ACTIVE))
                continue
            made.append(make(list(categories), monitor_type))
        result.households[plan.name] += len(made) + len(unassigned)
        result.registered_poor[plan.name] += village_plan.poor

        # Caseworkers of the village, 8 to 15 households each.
        count = math.ceil(len(made) / MAX_HOUSEHOLDS_PER_CASEWORKER)
        caseworkers = []
        for k in range(count):
            if village_plan is DAIJIAZHUANG and k == 0:
                name = "孙磊"
            else:
                name = families.name(rng.choice("MF"), rng.randint(1968, 1996))
            caseworkers.append(add_user(
                _username_for(name, taken), Role.CASEWORKER, village, name,
                organisation=rng.choice(plan.organisations), phone=families.mobile(),
            ))
        shares: list[list[Household]] = [[] for _ in caseworkers]
        for i, household in enumerate(made):
            shares[i % len(caseworkers)].append(household)
        if village_plan is DAIJIAZHUANG and len(caseworkers) > 1:
            # 逄珍波's household had another cadre before 孙磊 took it over when the epidemic began.
            assignment_set(actor=office, households=[made[0]], caseworker=caseworkers[1],
                           start=dt.date(2019, 3, 1))
        for caseworker, share in zip(caseworkers, shares):
            assignment_set(actor=office, households=share, caseworker=caseworker, start=ASSIGNED_FROM)
