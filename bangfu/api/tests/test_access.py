"""Every page and every API operation, as every role and anonymous, on an object in the caller's
scope, one of the neighbouring village (in the township's scope, out of the village's), one in another
province, and one that does not exist: the answer expected from access_table.py.

The routes are enumerated from the URLconf and the OpenAPI document, so a route added without an
entry in the table fails here, by name. A page's write is sent with an empty form; an API write with
a body valid by its schema (ninja checks the schema before the handler). Each request runs in a
transaction rolled back after it, so that no request changes what the next one sees; a refused one
must have written no history, and an API 404 for an object out of scope reads word for word as the
one for a missing object.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from bangfu.accounts.models import Role
from bangfu.accounts.services import token_create, user_add
from bangfu.api.tests.access_table import API, LOGGED_IN, PAGES, PUBLIC, Route, Rule
from bangfu.core.dates import local_today
from bangfu.core.permissions import can
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER, member_data, person_id

TOWNSHIP_A, TOWNSHIP_OTHER = "370215010", "410308103"
MISSING_ID = 987_654_321
MISSING_CODE = {"village": "370215010999", "township": "370215999"}
# Kinds whose objects belong to one user: "in scope" is the caller's own, "out" another's.
OWNED = frozenset({"job", "notification", "print_job"})
# Kinds an administrator also sees only in the township a page works in (its first one by default).
TOWNSHIP_BOUND = frozenset({"item"})
# One user of every role; the objects out of scope are in another province, where none of them works
# (the administrator excepted).
CALLERS = ("admin", "province", "county", "office", "village_a", "caseworker_a", "volunteer_a")
# Names found only out of every caller's scope (the administrator's excepted): no answer may show them.
OUT_HEAD, OUT_CASEWORKER, NEAR_HEAD = "柯远山", "外省帮扶干部", "郝晓邻"


def url_patterns() -> dict[str, URLPattern]:
    """Every named page of the URLconf, by its full name (namespace:name); the API's own routes are
    its operations (api_operations), except its schema and documentation pages."""
    found: dict[str, URLPattern] = {}

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif pattern.name:
                found[f"{namespace}:{pattern.name}" if namespace else pattern.name] = pattern

    walk(get_resolver().url_patterns, None)
    operations = {name for name in found if name.startswith("api:")} - {"api:openapi-json", "api:openapi-view"}
    return {name: pattern for name, pattern in found.items() if name not in operations and name != "api:api-root"}


def api_operations() -> set[str]:
    from bangfu.api.urls import api

    schema = api.get_openapi_schema()
    return {f"{method.upper()} {path}" for path, operations in schema["paths"].items() for method in operations}


def table_gaps() -> list[str]:
    """What the table misses or holds in vain, one line each, by route."""
    pages, operations = set(url_patterns()), api_operations()
    return ([f"page {name} has no entry in access_table.PAGES" for name in sorted(pages - set(PAGES))]
            + [f"API operation {key} has no entry in access_table.API" for key in sorted(operations - set(API))]
            + [f"access_table.PAGES holds {name}, which is no page" for name in sorted(set(PAGES) - pages)]
            + [f"access_table.API holds {key}, which is no operation" for key in sorted(set(API) - operations)])


def test_every_page_and_api_operation_has_an_entry_in_the_access_table():
    gaps = table_gaps()
    assert not gaps, "\n".join(gaps)
    assert len(API) >= 43  # test_auth, listed by hand, covers 7 of them


def _new_page(request):  # pragma: no cover - never called, only routed
    raise AssertionError


def test_a_page_added_without_an_entry_is_named(settings):
    from django.urls import clear_url_caches, path

    import bangfu.urls

    module = type(bangfu.urls)("access_extra_urls")
    module.urlpatterns = [*bangfu.urls.urlpatterns, path("extra/", _new_page, name="extra_page")]
    sys.modules["access_extra_urls"] = module
    settings.ROOT_URLCONF = "access_extra_urls"
    clear_url_caches()
    try:
        assert table_gaps() == ["page extra_page has no entry in access_table.PAGES"]
    finally:
        del sys.modules["access_extra_urls"]
        clear_url_caches()


def test_every_action_in_the_table_is_declared():
    from bangfu.core.permissions import permission_table

    declared = set(permission_table()) | {PUBLIC, LOGGED_IN}
    for name, route in {**PAGES, **API}.items():
        for rule in route.rules.values():
            for action in (rule.action, rule.before):
                for one in (action or "").split("|") if action else ():
                    assert one in declared, f"{name}: unknown action {one!r}"


# --- the world: one object of each kind in the callers' scope and one out of it ------------------

@dataclass
class World:
    objects: dict[str, dict[str, object]]  # kind -> "in" / "out" -> object
    owned: dict[str, dict[int, object]]  # kind -> user id -> that user's own object
    markers: dict[str, str]  # what only the objects of one side carry: marker -> side


def _value(obj) -> str:
    return str(getattr(obj, "pk", obj))


def held_edit(household, by):
    """An edit of the household's address held for review (households.services.household_edit)."""
    from bangfu.households.models import EditConflict

    return EditConflict.objects.create(
        household=household, region_code=household.region_code, base_version=1, held_version=2,
        fields=["address"], overlap=["address"], submitted={"address": "三组"}, mine={"address": "三组"},
        base={"address": ""}, held={"address": household.address}, submitted_by=by)


def welfare_world(household, township, office, today):
    from bangfu.regions.models import Region
    from bangfu.work import welfare

    post = welfare.post_create(village=Region.objects.get(code=household.region_code), actor=office,
                               data={"post_type": "cleaning", "places": 2, "pay_fen": 800_00, "funding": "linkage"})
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    appointment = welfare.appoint(post=post, member=household.members.get(), actor=office,
                                  published_on=month - dt.timedelta(days=10), start=month,
                                  end=month + dt.timedelta(days=365))
    welfare.appointment_start(appointment=appointment, actor=office, today=month)
    welfare.attendance_record(appointment=appointment, day=month, mark="present", actor=office)
    welfare.assess(appointment=appointment, month=month, township_points=50, review_points=20, actor=office)
    return appointment, welfare.payroll_prepare(township=township, month=month, actor=office)


@pytest.fixture
def world(personas, regions, volunteer_a, make_household, settings, tmp_path):
    from bangfu.briefings.models import PrintJob
    from bangfu.briefings.services import briefing_generate
    from bangfu.casework.services import campaign_create
    from bangfu.deliveries.models import DeliveryKind
    from bangfu.deliveries.services import DistributionPlan, PlanLine, delivery_create, distribution_create
    from bangfu.emergency.models import HealthCheck
    from bangfu.emergency.services import checks_generate, emergency_open
    from bangfu.fund.models import Frequency
    from bangfu.fund.services import SupporterData, agreement_create, contribution_record, council_create
    from bangfu.imports.models import ImportJob, JobKind, JobStatus
    from bangfu.monitoring.models import Department
    from bangfu.monitoring.services import DropRow, drop_import, lead_create
    from bangfu.needs.services import need_create
    from bangfu.notify.models import Message, Notification
    from bangfu.supplies.models import ItemKind
    from bangfu.supplies.services import item_create, stock_receive
    from bangfu.work.postings import posting_create, publication_create
    from bangfu.work.services import drive_create, subsidy_list_prepare
    from bangfu.work.services import status_record as work_status_record

    def user(name, role, region):
        return user_add(username=name, role=role, region_code=region, password="pw-" + name, display_name=name,
                        check_password=False)[0]

    caseworker_other = user_add(username="caseworker_other", role=Role.CASEWORKER, region_code=VILLAGE_OTHER,
                                password="pw-caseworker_other", display_name=OUT_CASEWORKER, check_password=False)[0]
    colleague = user("caseworker_a2", Role.CASEWORKER, VILLAGE_A)
    today = local_today()
    objects: dict[str, dict[str, object]] = {}
    sides = (("in", VILLAGE_A, TOWNSHIP_A, personas["caseworker_a"], personas["office"]),
             ("out", VILLAGE_OTHER, TOWNSHIP_OTHER, caseworker_other, personas["outsider_office"]))
    for side, village, township_code, caseworker, office in sides:
        township = regions[township_code]
        # The household out of scope has a head whose name is found nowhere else, to look for it in every answer.
        household = make_household(village, caseworker=caseworker,
                                   members=[member_data(name=OUT_HEAD if side == "out" else "逄珍波")])
        need, _created = need_create(household=household, category="living_supplies", description="米面油不够了",
                                     client_id=uuid.uuid4(), actor=caseworker)
        campaign = campaign_create(actor=office, name="电话随访暖心", region_codes=[village], start=today,
                                   end=today + dt.timedelta(days=7))
        item = item_create(township=township, name="挂面" if side == "in" else "外省挂面", kind=ItemKind.LIVING,
                           unit="kg", actor=office)
        stock_receive(township=township, item=item, quantity=100, source="区民政局调拨", actor=office)
        delivery = delivery_create(household=household, kind=DeliveryKind.ERRAND, description="代缴电费", actor=office,
                                   caseworker=caseworker)
        distribution = distribution_create(plan=DistributionPlan(
            township=township, title="慰问", lines=[PlanLine(item=item, quantity=1)], villages=[village],
            categories=[]), actor=office)
        emergency = emergency_open(region=township, kind="epidemic", title="疫情防控", start=today, actor=office)
        checks_generate(day=today)
        elder = make_household(village, caseworker=caseworker, members=[member_data(
            name="逄老汉" if side == "in" else OUT_HEAD + "父", id_number=person_id(birth=dt.date(1950, 1, 1)))])
        objects.setdefault("council", {})[side] = council = council_create(
            village=regions[village], name="孝心养老理事会", founded_on=today, members=[], actor=office)
        objects.setdefault("agreement", {})[side] = agreement = agreement_create(
            council=council, elder=elder.members.get(), monthly_amount=10000, starts_on=today, signed_on=today,
            witnesses="村委会", supporters=[SupporterData(name="王强", relation="长子")], actor=office)
        contribution_record(agreement=agreement, amount=10000, frequency=Frequency.MONTHLY, on=today, actor=office)
        objects.setdefault("project", {})[side] = _project(regions, village, office,
                                                           "外省水厂工程" if side == "out" else "生产路硬化工程")
        objects.setdefault("household", {})[side] = household
        objects.setdefault("member", {})[side] = household.members.get()
        objects.setdefault("conflict", {})[side] = held_edit(household, caseworker)
        objects.setdefault("need", {})[side] = need
        objects.setdefault("campaign", {})[side] = campaign
        objects.setdefault("item", {})[side] = item
        objects.setdefault("delivery", {})[side] = delivery
        objects.setdefault("distribution", {})[side] = distribution
        objects.setdefault("emergency", {})[side] = emergency
        objects.setdefault("check", {})[side] = HealthCheck.objects.get(household=household, emergency=emergency)
        objects.setdefault("village", {})[side] = village
        objects.setdefault("lead", {})[side] = lead_create(
            actor=office, client_id=uuid.uuid4(), source="cadre", channel="contact", village=household.region,
            household=household, indicator="大病支出")[0]
        objects.setdefault("drop", {})[side] = drop_import(
            actor=office, department=Department.CIVIL, file_name="民政.xlsx",
            rows=[DropRow(row=2, id_number=household.members.get().id_number, name="某人", value="")])
        objects.setdefault("township", {})[side] = township_code
        objects.setdefault("briefing", {})[side] = briefing_generate(actor=office, region_code=township_code,
                                                                     start=today.replace(day=1), end=today)
        # Work: a labourer away last year, a drive targeting them, a subsidy list paying them.
        work_status_record(member=household.members.get(), actor=office, data={
            "month": dt.date(today.year - 1, 12, 1), "activity": "migrant", "place_code": "44"})
        drive = drive_create(township=township, title="返岗", start=today, end=today, rule="migrant_last_year",
                             actor=office)
        objects.setdefault("drive", {})[side] = drive
        objects.setdefault("placement", {})[side] = drive.targets.get()
        subsidy_list = subsidy_list_prepare(township=township, year=today.year - 1, actor=office)
        objects.setdefault("subsidy_list", {})[side] = subsidy_list
        objects.setdefault("payment", {})[side] = subsidy_list.payments.get()
        posting = posting_create(township=township, actor=office, data={
            "employer": "即墨服装厂", "title": "缝纫工", "openings": 5, "place_code": "370215", "contact": "李 0532-1234567",
            "valid_until": today + dt.timedelta(days=30)})
        objects.setdefault("posting", {})[side] = posting
        objects.setdefault("publication", {})[side] = publication_create(township=township, postings=[posting],
                                                                         actor=office)
        # Public-welfare posts: an appointee serving today, a day marked and assessed, a payroll.
        objects.setdefault("appointment", {})[side], objects.setdefault("payroll", {})[side] = welfare_world(
            household, township, office, today)
        objects.setdefault("welfare_post", {})[side] = objects["appointment"][side].post
    objects["caseworker"] = {"in": colleague, "out": caseworker_other}

    # The neighbour: a household of the other village of the same township, in the township office's
    # scope and the county's, out of the village cadre's, its caseworker's and its volunteer's.
    near = make_household(VILLAGE_B, caseworker=personas["caseworker_b"], members=[member_data(name=NEAR_HEAD)])
    checks_generate(day=today)
    office = personas["office"]
    objects["household"]["near"] = near
    objects["member"]["near"] = near.members.get()
    objects["conflict"]["near"] = held_edit(near, personas["caseworker_b"])
    objects["need"]["near"] = need_create(household=near, category="living_supplies", description="药费负担重",
                                          client_id=uuid.uuid4(), actor=personas["caseworker_b"])[0]
    objects["campaign"]["near"] = campaign_create(actor=office, name="北郝家庄村走访", region_codes=[VILLAGE_B],
                                                  start=today, end=today + dt.timedelta(days=7))
    objects["delivery"]["near"] = delivery_create(household=near, kind=DeliveryKind.ERRAND, description="代买药品",
                                                  actor=office, caseworker=personas["caseworker_b"])
    objects["check"]["near"] = HealthCheck.objects.get(household=near, emergency=objects["emergency"]["in"])
    objects["village"]["near"] = VILLAGE_B
    objects["lead"]["near"] = lead_create(actor=office, client_id=uuid.uuid4(), source="cadre", channel="contact",
                                          village=near.region, household=near, indicator="大病支出")[0]
    near_elder = make_household(VILLAGE_B, caseworker=personas["caseworker_b"], members=[member_data(
        name=NEAR_HEAD + "父", id_number=person_id(birth=dt.date(1950, 1, 1)))])
    objects["council"]["near"] = council_create(village=regions[VILLAGE_B], name="孝心养老理事会", founded_on=today,
                                                members=[], actor=office)
    objects["agreement"]["near"] = agreement_create(
        council=objects["council"]["near"], elder=near_elder.members.get(), monthly_amount=10000, starts_on=today,
        signed_on=today, witnesses="村委会", supporters=[SupporterData(name="郝强", relation="长子")], actor=office)
    contribution_record(agreement=objects["agreement"]["near"], amount=10000, frequency=Frequency.MONTHLY, on=today,
                        actor=office)
    objects["project"]["near"] = _project(regions, VILLAGE_B, office, "北郝家庄村路灯工程")
    objects["caseworker"]["near"] = personas["caseworker_b"]
    # Produce and sales: a product of each village, a buyer recorded for each township (the neighbour's
    # product is sold to the caller's township's buyer).
    from bangfu.sales.services import buyer_create, product_create

    for side, village, township_code, owner in (("in", VILLAGE_A, TOWNSHIP_A, office),
                                                ("out", VILLAGE_OTHER, TOWNSHIP_OTHER, personas["outsider_office"]),
                                                ("near", VILLAGE_B, TOWNSHIP_A, office)):
        objects.setdefault("product", {})[side] = product_create(
            village=regions[village], name="羊肚菌", category="mushrooms", unit="斤", actor=owner)
        if side != "near":
            objects.setdefault("buyer", {})[side] = buyer_create(name="机关食堂", kind="canteen", actor=owner)
    objects["buyer"]["near"] = objects["buyer"]["in"]
    # Monitoring's plan per household and risk clearance: each household monitored, with a measure
    # and a clearance waiting for its home verification.
    from bangfu.households.models import HouseholdCategory
    from bangfu.monitoring.models import Clearance, PlanMeasure

    for side, household in list(objects["household"].items()):
        HouseholdCategory.objects.get_or_create(household=household, category="monitored")
        type(household).objects.filter(pk=household.pk).update(monitor_type="marginal", risks=["因病"])
        objects.setdefault("measure", {})[side] = PlanMeasure.objects.create(
            client_id=uuid.uuid4(), household=household, region_code=household.region_code, type="industry",
            content="养牛", owner=office, due_on=today, planned_on=today, created_by=office, created_at=timezone.now())
        objects.setdefault("clearance", {})[side] = Clearance.objects.create(
            client_id=uuid.uuid4(), household=household, region_code=household.region_code, method="帮扶消除",
            proposed_on=today, created_by=office, created_at=timezone.now())

    # Work groups: one per township (its robot at a closed local port: a test message fails at once).
    from bangfu.notify.services import channel_add

    for side, township_code, office in (("in", TOWNSHIP_A, personas["office"]),
                                        ("out", TOWNSHIP_OTHER, personas["outsider_office"])):
        objects.setdefault("channel", {})[side] = channel_add(region_code=township_code, actor=office, data={
            "vendor": "wecom", "name": "外省工作信息群" if side == "out" else "工作信息群",
            "webhook": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k", "secret": "", "events": ["need.overdue"],
            "window_minutes": 10})
    # Assets: a PV station of each side's village, inspected with a photo and a finding, with a plan.
    settings.PHOTOS_DIR = tmp_path / "photos"
    for side, village, caseworker, office in (
            ("in", VILLAGE_A, personas["caseworker_a"], personas["office"]),
            ("out", VILLAGE_OTHER, caseworker_other, personas["outsider_office"]),
            ("near", VILLAGE_B, personas["caseworker_b"], personas["office"])):
        asset, finding, photo, plan = assets_world(regions[village], office, caseworker, today)
        objects.setdefault("asset", {})[side] = asset
        objects.setdefault("asset_finding", {})[side] = finding
        objects.setdefault("asset_photo", {})[side] = photo
        objects.setdefault("asset_plan", {})[side] = plan

    settings.JOB_FILES_DIR = tmp_path
    owned: dict[str, dict[int, object]] = {"job": {}, "notification": {}, "print_job": {}}
    owners = [personas[name] if name in personas else volunteer_a for name in CALLERS]
    for owner in [*owners, personas["outsider_office"]]:
        # A checked import with an error: its report may be downloaded, it may not be confirmed.
        job = ImportJob.objects.create(owner=owner, kind=JobKind.IMPORT, status=JobStatus.CHECKED, error_count=1,
                                       file_name="农户.xlsx", report_path=f"{owner.pk}/report.xlsx",
                                       region_id=owner.region_id)
        (tmp_path / str(owner.pk)).mkdir()
        (tmp_path / str(owner.pk) / "report.xlsx").write_bytes(b"PK\x03\x04")
        owned["job"][owner.pk] = job
        message = Message.objects.create(dedupe_key=f"access-{owner.pk}", kind="test", subject="通知",
                                         recipient_user=owner, next_attempt_at=job.created_at,
                                         created_at=job.created_at)
        owned["notification"][owner.pk] = Notification.objects.create(user=owner, message=message,
                                                                       created_at=job.created_at)
        owned["print_job"][owner.pk] = printed = PrintJob.objects.create(
            owner=owner, region_code=owner.region_id or VILLAGE_A, status="done", total=1, done=1,
            file_path=f"{owner.pk}.pdf")
        (tmp_path / "prints").mkdir(exist_ok=True)
        (tmp_path / "prints" / printed.file_path).write_bytes(b"%PDF-1.4\n")
    markers = {OUT_HEAD: "out", OUT_CASEWORKER: "out", objects["household"]["out"].number: "out",
               objects["item"]["out"].name: "out", objects["project"]["out"].name: "out",
               objects["channel"]["out"].name: "out", NEAR_HEAD: "near", near.number: "near"}
    objects["job"] = {"out": owned["job"][personas["outsider_office"].pk]}
    objects["notification"] = {"out": owned["notification"][personas["outsider_office"].pk]}
    objects["print_job"] = {"out": owned["print_job"][personas["outsider_office"].pk]}
    return World(objects, owned, markers)


def assets_world(village, office, caseworker, today):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from bangfu.assets import services as assets

    asset = assets.asset_create(name="光伏电站", asset_class="operating", kind="pv_station", village=village,
                                value_fen=100_000, owner_level="village", owner_name="村集体", keeper="村委会",
                                inspector=caseworker, actor=office)
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 200)).save(picture, "JPEG")
    inspection, _created = assets.inspection_create(
        asset=asset, client_id=uuid.uuid4(), actor=caseworker,
        uploads=[SimpleUploadedFile("p.jpg", picture.getvalue(), content_type="image/jpeg")],
        data=assets.InspectionData(day=today, checklist={"panels_clean": False}, finding="面板积灰"))
    plan = assets.plan_create(asset=asset, year=today.year, shares={"welfare": 60, "collective": 40}, meeting="",
                              actor=office)
    return asset, inspection.findings.get(), inspection.photos.get(), plan


def _project(regions, village: str, office, name: str):
    from bangfu.projects.services import project_create

    return project_create(name=name, type="infrastructure", region=regions[village], villages=[regions[village]],
                          budget={"central": 10_000_00}, meeting_date=local_today(), meeting_attendance=20,
                          meeting_decision="同意申报", client_id=uuid.uuid4(), actor=office)[0]


def _in_scope(user, kind: str, side: str) -> bool:
    if side == "in":
        return True
    if side == "missing":
        return False
    if side == "near":  # the other village of the caller's township
        return user.role == Role.ADMIN or VILLAGE_B.startswith(user.region_id or "-")
    return user.role == Role.ADMIN and kind not in OWNED | TOWNSHIP_BOUND


def _allowed(user, action: str | None) -> bool:
    """Whether the role may: `a|b` is either action."""
    return action is None or action == LOGGED_IN or any(can(user, one) for one in action.split("|"))


def expected(rule: Rule, user, kind: str | None, side: str, *, api: bool,
             hidden: int | frozenset[int] = 404) -> frozenset[int]:
    if rule.action == PUBLIC:
        return rule.ok
    if user is None:
        return frozenset({401}) if api else frozenset({302})
    if not _allowed(user, rule.before):
        return frozenset({403})
    if kind is not None and not _in_scope(user, kind, side):
        return hidden if isinstance(hidden, frozenset) else frozenset({hidden})
    if not _allowed(user, rule.action):
        return frozenset({403})
    return dict(rule.role_ok).get(user.username, rule.ok)


def _object_value(world: World, kind: str, side: str, user) -> str:
    if side == "missing":
        return MISSING_CODE.get(kind, str(MISSING_ID))
    if side == "in" and kind in OWNED:
        owner = user.pk if user is not None else next(iter(world.owned[kind]))
        return _value(world.owned[kind][owner])
    return _value(world.objects[kind][side])


def _page_url(name: str, pattern: URLPattern, route: Route, value: str | None) -> str:
    kwargs = {}
    for key in pattern.pattern.converters:
        kwargs[key] = route.args[key] if key in route.args else value
    url = reverse(name, kwargs=kwargs)
    query = dict(route.query)
    if route.query_object and value is not None:
        query[route.query_param or route.query_object] = value
    return url + ("?" + urlencode(query) if query else "")


def _api_url(key: str, route: Route, value: str | None) -> tuple[str, str]:
    method, path = key.split(" ", 1)
    if route.obj:
        path = path.replace("{id}", value or "")
    query = dict(route.query)
    if route.query_object and value is not None:
        query[route.query_param or route.query_object] = value
    return method, path + ("?" + urlencode(query) if query else "")


def _body(route: Route, world: World, side: str, value: str | None) -> str:
    from bangfu.supplies.models import Item

    same = "in" if side == "missing" else side
    codes = (route.body_object or route.obj) in MISSING_CODE  # a region code, not an id
    values = {
        "<obj>": value if codes or value is None else int(value), "<uuid>": str(uuid.uuid4()),
        "<today>": local_today().isoformat(), "<id_number>": person_id(),
        "<shared_item>": Item.objects.filter(township=None).order_by("pk").first().pk,
        "<household>": world.objects["household"][same].pk,
        "<caseworker>": world.objects["household"][same].caseworker_id,
        "<member_key>": f"m{world.objects['member'][same].pk}",
        "<elder>": world.objects["agreement"][same].elder_id,
        "<buyer>": world.objects["buyer"][same].pk,
    }

    def fill(item):
        if isinstance(item, dict):
            return {values.get(key, key): fill(v) for key, v in item.items()}
        if isinstance(item, list):
            return [fill(v) for v in item]
        if isinstance(item, str) and item in values:
            return values[item]
        return item

    return json.dumps(fill(route.body if route.body is not None else {}))


def _send(client: Client, method: str, url: str, *, api: bool, headers: dict[str, str], body: str = ""):
    """The response, and how many history rows the request wrote (rolled back since)."""
    from bangfu.history.models import Change

    # Each request in a transaction of its own, rolled back: the next one finds the world unchanged.
    caches["pages"].clear()
    with transaction.atomic():
        before = Change.objects.count()
        if method == "GET":
            response = client.get(url, headers=headers)
        elif api:
            response = client.generic(method, url, body or "{}", content_type="application/json", headers=headers)
        else:
            response = client.generic(method, url, body, content_type="application/x-www-form-urlencoded",
                                      headers=headers)
        written = Change.objects.count() - before
        transaction.set_rollback(True)
    return response, written


def test_every_route_answers_every_role_as_the_table_says(world, personas, volunteer_a):
    started, cpu_started = time.monotonic(), time.process_time()
    users = [None] + [volunteer_a if name == "volunteer_a" else personas[name] for name in CALLERS]
    patterns = url_patterns()
    wrong: list[str] = []
    count = 0
    seen_in_scope: set[str] = set()  # the markers the administrator was shown: the search can find them
    timing: dict[str, float] = {}
    for user in users:
        client = Client(raise_request_exception=False)
        page_headers = {"Accept-Language": "en"}
        api_headers = dict(page_headers)
        if user is not None:
            client.force_login(user)
            api_headers["Authorization"] = f"Bearer {token_create(user=user, name='access')}"
        who = user.username if user is not None else "anonymous"
        cases = [(name, route, False) for name, route in PAGES.items()]
        cases += [(key, route, True) for key, route in API.items()]
        for name, route, api in cases:
            kind = route.obj or route.query_object or route.body_object
            sides = tuple(side for side in ("in", "near", "out", "missing")
                          if side != "near" or "near" in world.objects.get(kind, {})) if kind else ()
            if not kind or (route.query_object and not route.query_required):
                sides = (None, *sides)  # a parameter left out: the caller's own area
            for side in sides:
                value = _object_value(world, kind, side, user) if side else None
                for method, rule in route.rules.items():
                    if rule.action == PUBLIC and user is not None:
                        continue  # the same for everyone: asked once, anonymously
                    sender = client
                    tick = time.monotonic()
                    if api:
                        _method, url = _api_url(name, route, value)
                        response, written = _send(sender, method, url, api=True, headers=api_headers,
                                                  body=_body(route, world, side or "in", value))
                    else:
                        url = _page_url(name, patterns[name], route, value)
                        form = urlencode({route.query_param or route.query_object: value}) \
                            if route.query_object and value is not None else ""
                        response, written = _send(sender, method, url, api=False, headers=page_headers, body=form)
                    count += 1
                    timing[name] = timing.get(name, 0) + time.monotonic() - tick
                    want = expected(rule, user, kind if side else None, side or "in", api=api, hidden=route.hidden)
                    got = response.status_code
                    if got not in want:
                        wrong.append(f"{who:15} {method:5} {name} [{side or '-'}] {url}: {got}, "
                                     f"expected {sorted(want)}")
                    elif got in (401, 403, 404) and written:
                        wrong.append(f"{who:15} {method:5} {name} [{side}] {url}: refused ({got}) but wrote {written} "
                                     "history rows")
                    elif api and side in ("near", "out") and got == 404:
                        # Out of scope reads as missing, word for word: no oracle of what exists.
                        missing_url = _api_url(name, route, _object_value(world, kind, "missing", user))[1]
                        missing, _written = _send(sender, method, missing_url, api=True, headers=api_headers,
                                                  body=_body(route, world, "missing", _object_value(
                                                      world, kind, "missing", user)))
                        if missing.json()["detail"] != response.json()["detail"]:
                            wrong.append(f"{who:15} {method:5} {name}: out of scope says "
                                         f"{response.json()['detail']!r}, missing says {missing.json()['detail']!r}")
                    elif got == 200 and user is not None and not response.streaming:
                        text = response.content.decode(errors="replace")
                        text = json.dumps(response.json(), ensure_ascii=False) if api else text
                        shown = [marker for marker, where in world.markers.items()
                                 if marker in text and not _in_scope(user, "household", where)]
                        seen_in_scope.update(marker for marker, where in world.markers.items()
                                             if marker in text and _in_scope(user, "household", where))
                        if shown:
                            wrong.append(f"{who:15} {method:5} {name} [{side or '-'}] {url}: shows {shown}, "
                                         "which is out of the caller's scope")
                    elif user is None and not api and got == 302 and rule.action != PUBLIC:
                        if not response["Location"].startswith(reverse("accounts:login")):
                            wrong.append(f"anonymous {method} {url}: redirected to {response['Location']}, "
                                         "not to the login")
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started
    slowest = sorted(timing.items(), key=lambda item: -item[1])[:5]
    print(f"\n{count} requests in {elapsed:.1f} s ({cpu:.1f} s of processor time); slowest routes: "
          + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest))
    assert not wrong, f"{len(wrong)} of {count} answers differ from the access table:\n" + "\n".join(wrong)
    assert seen_in_scope == set(world.markers)


# --- what the sweep found ---------------------------------------------------------------------------

def test_a_household_with_a_need_is_not_deleted_and_the_page_says_why(world, personas):
    from bangfu.households.models import Household

    household = world.objects["household"]["in"]
    client = Client()
    client.force_login(personas["office"])
    response = client.post(reverse("households:delete", args=[household.pk]), {"reason": "重复登记"})
    assert response.status_code == 409
    assert "不能删除" in response.content.decode()
    assert Household.objects.filter(pk=household.pk).exists()


def test_a_campaign_for_an_area_that_does_not_exist_is_refused_on_its_field(world, personas):
    from bangfu.accounts.testing import ApiClient
    from bangfu.casework.models import Campaign

    before = Campaign.objects.count()
    today = local_today().isoformat()
    response = ApiClient(personas["office"]).post("/api/campaigns", {
        "name": "电话随访", "region_codes": [MISSING_CODE["village"]], "start": today, "end": today})
    assert response.status_code == 422
    assert MISSING_CODE["village"] in response.json()["errors"]["region_codes"][0]
    assert Campaign.objects.count() == before


@pytest.mark.parametrize("route", ["casework:campaign_extend", "deliveries:complete", "deliveries:fail"])
def test_a_role_that_may_not_write_is_refused_before_its_form_is_read(world, personas, route):
    from bangfu.history.models import Change

    kind = "campaign" if route.startswith("casework") else "delivery"
    client = Client()
    client.force_login(personas["county"])
    before = Change.objects.count()
    response = client.post(reverse(route, args=[world.objects[kind]["in"].pk]), {})
    assert response.status_code == 403
    assert Change.objects.count() == before
