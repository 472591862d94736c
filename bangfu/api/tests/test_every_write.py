"""Every write marks its area changed, so that no kept page (history.pagecache) outlives it.

Every public function of every app's services module is either run here by a case, which checks
that the version of the area it wrote (history.queries.area_version) moved, or listed in
CHANGES_NO_PAGE with the reason. A new service with neither fails
test_every_service_has_a_case_or_a_reason. The test lives in the top layer: it runs every app.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import uuid
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.utils import timezone

from bangfu.accounts import services as accounts
from bangfu.accounts.services import user_add
from bangfu.casework import services as casework
from bangfu.casework.models import Channel
from bangfu.core.codes import township_of
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.deliveries import services as deliveries
from bangfu.deliveries.models import DeliveryKind
from bangfu.emergency import services as emergency
from bangfu.emergency.models import HealthCheck
from bangfu.fund import services as fund
from bangfu.history.queries import area_version
from bangfu.households import choices
from bangfu.households import services as households
from bangfu.households.models import HouseholdCategory
from bangfu.imports.services import households_import
from bangfu.imports.tests.support import FILES
from bangfu.needs import services as needs
from bangfu.needs.models import Category, MeasureType
from bangfu.policies import services as policies
from bangfu.regions import services as regions_services
from bangfu.supplies import services as supplies
from bangfu.supplies.models import Item, ItemKind
from bangfu.work import services as work
from conftest import VILLAGE_A, household_data, member_data, person_id

TOWNSHIP = township_of(VILLAGE_A)

# The recording itself (history/tests/test_areas.py).
NOT_CHECKED = frozenset({"history"})

READS = "reads only"
CHANGES_NO_PAGE: dict[str, str] = {
    "accounts.token_create": "an API token shows on no kept page",
    "accounts.token_user": "marks a token used; shows on no kept page",
    "accounts.login_locked": READS,
    "accounts.login_failed": "login failures show on no page",
    "accounts.login_succeeded": "login failures show on no page",
    "accounts.user_snapshot": READS,
    "accounts.roles_given_by": READS,
    "accounts.admin_exists": READS,
    "accounts.setup_token_valid": READS,
    "accounts.setup_token_issue": "a setup secret shows on no page but its own",
    "accounts.setup_link": "a setup secret shows on no page but its own",
    "casework.schedules_current": READS,
    "casework.contact_snapshot": READS,
    "casework.campaign_households": READS,
    "regions.official_village_name": READS,
    "regions.village_local_code": READS,
    "households.household_snapshot": READS,
    "households.member_snapshot": READS,
    "households.member_snapshot_of": READS,
    "households.region_in_scope": READS,
    "households.id_hash_of": READS,
    "households.registered_elsewhere_message": READS,
    "households.registry_errors": READS,
    "households.caseworkers_for": READS,
    "households.conflict_snapshot": READS,
    "households.form_data_of": READS,
    "households.held_message": READS,
    "households.member_reveal": "a reveal records history but changes no data",
    "households.household_reveal_phone": "a reveal records history but changes no data",
    "households.households_reveal_phones": "a reveal records history but changes no data",
    "imports.import_report_write": "writes a file",
    "imports.households_export": "writes a file (a full export records history but changes no data)",
    "imports.households_notice_export": "writes a file",
    "imports.import_template_write": "writes a file",
    "needs.deadline_settings": READS,
    "needs.deadline_compute": READS,
    "needs.need_snapshot": READS,
    "needs.overdue_dedupe_key": READS,
    "needs.summary_refresh": "recounts needs whose changes recorded history; the numbers page is not kept",
    "needs.households_moved": "a hook of households.moves.households_moved, which marks both villages",
    "notify.backoff": READS,
    "notify.message_enqueue": "the menu's unread count is part of a kept page's key",
    "notify.messages_deliver": "the menu's unread count is part of a kept page's key",
    "notify.notification_read": "the menu's unread count is part of a kept page's key",
    "notify.notifications_read_all": "the menu's unread count is part of a kept page's key",
    "monitoring.limits_for": READS,
    "monitoring.due_for": READS,
    "monitoring.is_overdue": READS,
    "monitoring.colour": READS,
    "monitoring.lead_snapshot": READS,
    "monitoring.is_monitored": READS,
    "monitoring.identity_hash": READS,
    "monitoring.allowed_actions": READS,
    "monitoring.income_per_person": READS,
    "monitoring.measure_snapshot": READS,
    "monitoring.clearance_snapshot": READS,
    "monitoring.clearance_refusals": READS,
    "monitoring.allowed_clearance_actions": READS,
    "supplies.township_in_scope": READS,
    "supplies.township_check": READS,
    "supplies.item_check": READS,
    "supplies.move_snapshot": READS,
    "deliveries.priority_reasons": READS,
    "deliveries.snapshot": READS,
    "deliveries.may_complete": READS,
    "deliveries.may_reopen": READS,
    "deliveries.may_deliver_for": READS,
    "deliveries.in_delivery_order": READS,
    "emergency.emergency_snapshot": READS,
    "emergency.check_people": READS,
    "emergency.check_snapshot": READS,
    "emergency.fever_need_client_id": READS,
    "emergency.help_need_client_id": READS,
    "emergency.returnee_person_checked": READS,
    "emergency.returnee_payload": READS,
    "emergency.returnee_replay_check": READS,
    "emergency.returnee_snapshot": READS,
    "emergency.new_household_villages": READS,
    "fund.setting_snapshot": READS,
    "fund.council_snapshot": READS,
    "fund.agreement_snapshot": READS,
    "fund.entry_snapshot": READS,
    "fund.match_percent_for": READS,
    "fund.match_amount": READS,
    "fund.age_on": READS,
    "projects.deadlines_of": READS,
    "projects.county_code_of": READS,
    "projects.notice_end": READS,
    "projects.stage_deadline": READS,
    "projects.project_snapshot": READS,
    "projects.step_allowed_roles": READS,
    "projects.steps_open": READS,
    "projects.ledger_totals": READS,
    "projects.yuan": READS,
    "projects.overdue_dedupe_key": READS,
    "emergency.summary_refresh": "recounts the numbers of writes that recorded history or marked their area; "
                                 "the emergency's pages are not kept",
    "work.status_snapshot": READS,
    "work.drive_snapshot": READS,
    "work.placement_snapshot": READS,
    "work.rate_snapshot": READS,
    "work.list_snapshot": READS,
    "work.payment_snapshot": READS,
    "work.drive_candidates": READS,
    "work.subsidy_amounts": READS,
    "work.subsidy_candidates": READS,
    "work.subsidy_export": "an export changes nothing a page shows (it is recorded as read history)",
    "work.sheet_rows": READS,
    "policies.policy_snapshot": READS,
    "policies.receipt_snapshot": READS,
    "policies.check_snapshot": READS,
    "briefings.print_job_create": "a print job shows only on its owner's job page, which is never kept",
    "briefings.print_job_run": "writes a PDF file and the job's progress; no kept page shows either",
    "briefings.template_snapshot": READS,
    "briefings.briefing_snapshot": READS,
    "briefings.briefing_sections": READS,
    # reports: the summary figures are derived from the records whose writes mark their areas; a
    # rebuild or refresh writes only figures, which the pages read with their 数据截至 time.
    "reports.figures_rebuild": "writes only derived figures (stamped with their time), no record a page keeps",
    "reports.figures_refresh": "writes only derived figures (stamped with their time), no record a page keeps",
    "reports.villages_under": READS,
    "sales.cooperative_snapshot": READS,
    "sales.product_snapshot": READS,
    "sales.buyer_snapshot": READS,
    "sales.sale_snapshot": READS,
    "notify.channel_test": "sends a test message; counts the robot's requests, shown on no page",
    "notify.channel_event_publish": "adds lines to a digest; the digests page is not kept",
    "notify.digests_close": "renders a digest and queues its messages; the digests page is not kept",
    "notify.digest_render": READS,
    "emergency.morning_numbers_publish": "adds the numbers to the work groups' digests; the digests page is not kept",
    "assets.yuan": READS,
    "assets.county_of": READS,
    "assets.setting_for": READS,
    "assets.interval_days": READS,
    "assets.welfare_min_percent": READS,
    "assets.asset_snapshot": READS,
    "assets.owner_code_for": READS,
    "assets.kind_from_name": READS,
    "assets.class_for": READS,
    "assets.inspection_payload": READS,
    "assets.checklist_clean": READS,
    "assets.year_money": READS,
    "assets.share_rule_check": READS,
    "assets.share_paid": READS,
}


def public_services() -> set[str]:
    """app label.function for every public function defined in an app's services module."""
    found = set()
    for config in apps.get_app_configs():
        if not config.name.startswith("bangfu.") or config.label in NOT_CHECKED:
            continue
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        found |= {f"{config.label}.{name}" for name, value in inspect.getmembers(module, inspect.isfunction)
                  if not name.startswith("_") and value.__module__ == module.__name__}
    return found


# --- the cases: each makes what its write needs, and gives the write and the area it changes --------

Case = Callable[[SimpleNamespace], tuple[Callable[[], object], str]]
CASES: dict[str, Case] = {}


def case(name: str):
    def register(function: Case) -> Case:
        CASES[name] = function
        return function

    return register


@pytest.fixture
def world(personas, regions, make_household, tmp_path):
    return SimpleNamespace(users=personas, regions=regions, make=make_household, tmp=tmp_path,
                           today=local_today())


def _with_second_member(w):
    household = w.make(VILLAGE_A, members=[member_data(), member_data(name="王五", relation=choices.Relation.SON)])
    return household, household.members.get(relation=choices.Relation.SON)


@case("households.household_create")
def _(w):
    return lambda: households.household_create(actor=w.users["office"], data=household_data(w.regions[VILLAGE_A]),
                                               members=[member_data()]), VILLAGE_A


@case("households.household_update")
def _(w):
    household = w.make()
    return lambda: households.household_update(actor=w.users["office"], household=household,
                                               version=household.version, data={"address": "村东头"}), VILLAGE_A


def _held_edit(w):
    """An edit of the address on version 1 after the office changed it: held."""
    household = w.make()
    households.household_update(actor=w.users["office"], household=household, version=household.version,
                                data={"address": "村西头"})
    household.refresh_from_db()
    data = {**households.form_data_of(household), "region": w.regions[VILLAGE_A], "address": "村东头"}
    return households.household_edit(actor=w.users["caseworker_a"], household=household, version=1,
                                     data={**data, "categories": household.category_values()})


@case("households.household_edit")
def _(w):
    household = w.make()
    households.household_update(actor=w.users["office"], household=household, version=household.version,
                                data={"address": "村西头"})
    return lambda: households.household_edit(actor=w.users["office"], household=household, version=1,
                                             data={"address": "村东头"}), VILLAGE_A


@case("households.member_edit")
def _(w):
    member = w.make().members.get()
    return lambda: households.member_edit(actor=w.users["office"], member=member, version=member.version,
                                          data={"relation": choices.Relation.HEAD, "work_place": "青岛"}), VILLAGE_A


@case("households.conflict_apply")
def _(w):
    conflict = _held_edit(w).conflict
    return lambda: households.conflict_apply(actor=w.users["office"], conflict=conflict), VILLAGE_A


@case("households.conflict_keep_current")
def _(w):
    conflict = _held_edit(w).conflict
    return lambda: households.conflict_keep_current(actor=w.users["office"], conflict=conflict), VILLAGE_A


@case("households.household_delete")
def _(w):
    household = w.make()
    return lambda: households.household_delete(actor=w.users["admin"], household=household), VILLAGE_A


@case("households.member_add")
def _(w):
    household = w.make()
    return lambda: households.member_add(actor=w.users["office"], household=household,
                                         data=member_data(name="王五", relation=choices.Relation.SON)), VILLAGE_A


@case("households.member_update")
def _(w):
    member = w.make().members.get()
    return lambda: households.member_update(actor=w.users["office"], member=member, version=member.version,
                                            data={"relation": choices.Relation.HEAD, "work_place": "青岛"}), VILLAGE_A


@case("households.member_remove")
def _(w):
    _household, son = _with_second_member(w)
    return lambda: households.member_remove(actor=w.users["office"], member=son), VILLAGE_A


@case("households.member_make_head")
def _(w):
    _household, son = _with_second_member(w)
    return lambda: households.member_make_head(actor=w.users["office"], member=son,
                                               former_head_relation=choices.Relation.FATHER), VILLAGE_A


@case("households.assignment_set")
def _(w):
    household = w.make()
    return lambda: households.assignment_set(actor=w.users["office"], households=[household],
                                             caseworker=w.users["caseworker_a"]), VILLAGE_A


@case("casework.schedule_set")
def _(w):
    return lambda: casework.schedule_set(actor=w.users["office"], category=choices.Category.REGISTERED_POOR,
                                         interval_days=10), TOWNSHIP


@case("casework.followups_generate")
def _(w):
    w.make(caseworker=w.users["caseworker_a"])
    return lambda: casework.followups_generate(day=w.today), VILLAGE_A


@case("casework.contact_create")
def _(w):
    household = w.make(caseworker=w.users["caseworker_a"])
    return lambda: casework.contact_create(actor=w.users["caseworker_a"], household=household,
                                           client_id=uuid.uuid4(), channel=Channel.PHONE, reached=True), VILLAGE_A


@case("casework.assessment_tallies_rebuild")
def _(w):
    return lambda: casework.assessment_tallies_rebuild(region_code=VILLAGE_A), VILLAGE_A


def _campaign(w):
    w.make(caseworker=w.users["caseworker_a"])
    return casework.campaign_create(actor=w.users["office"], name="春节走访", region_codes=[VILLAGE_A],
                                    start=w.today, end=w.today + dt.timedelta(days=7))


@case("casework.coverage_tallies_rebuild")
def _(w):
    campaign = _campaign(w)
    return lambda: casework.coverage_tallies_rebuild(campaign=campaign), VILLAGE_A


@case("casework.campaign_create")
def _(w):
    return lambda: _campaign(w), VILLAGE_A


@case("casework.campaign_close")
def _(w):
    campaign = _campaign(w)
    return lambda: casework.campaign_close(actor=w.users["office"], campaign=campaign), VILLAGE_A


@case("casework.campaign_extend")
def _(w):
    campaign = _campaign(w)
    return lambda: casework.campaign_extend(actor=w.users["office"], campaign=campaign,
                                            end=w.today + dt.timedelta(days=14)), VILLAGE_A


@case("needs.deadline_settings_set")
def _(w):
    return lambda: needs.deadline_settings_set(township=w.regions[TOWNSHIP], urgent_hours=12, normal_days=5,
                                               actor=w.users["office"]), TOWNSHIP


def _need(w, *, to: str = "recorded"):
    household = w.make(caseworker=w.users["caseworker_a"])
    need, _created = needs.need_create(household=household, category=Category.LIVING_SUPPLIES, description="缺米",
                                       client_id=uuid.uuid4(), actor=w.users["caseworker_a"])
    steps = ["report", "assign", "resolve"]
    for step in steps[:steps.index(to) + 1] if to in steps else ():
        if step == "report":
            need = needs.need_report(need=need, actor=w.users["caseworker_a"])
        elif step == "assign":
            need = needs.need_assign(need=need, actor=w.users["office"], measure_type=MeasureType.values[0],
                                     plan="送米", owner=w.users["caseworker_a"], due_on=w.today)
        else:
            need = needs.need_resolve(need=need, actor=w.users["office"], result="送到了")
    return need


@case("needs.need_create")
def _(w):
    return lambda: _need(w), VILLAGE_A


@case("needs.need_report")
def _(w):
    need = _need(w)
    return lambda: needs.need_report(need=need, actor=w.users["caseworker_a"]), VILLAGE_A


@case("needs.need_assign")
def _(w):
    need = _need(w, to="report")
    return lambda: needs.need_assign(need=need, actor=w.users["office"], measure_type=MeasureType.values[0],
                                     plan="送米", owner=w.users["caseworker_a"], due_on=w.today), VILLAGE_A


@case("needs.needs_assign")
def _(w):
    need = _need(w, to="report")
    return lambda: needs.needs_assign(needs=[need], actor=w.users["office"], measure_type=MeasureType.values[0],
                                      plan="送米", owner=w.users["caseworker_a"], due_on=w.today), VILLAGE_A


@case("needs.need_resolve")
def _(w):
    need = _need(w, to="assign")
    return lambda: needs.need_resolve(need=need, actor=w.users["office"], result="送到了"), VILLAGE_A


@case("needs.need_resolve_by_delivery")
def _(w):
    need = _need(w, to="assign")
    return lambda: needs.need_resolve_by_delivery(need=need, actor=w.users["caseworker_a"],
                                                  result="送达大米，本人签收"), VILLAGE_A


@case("needs.need_confirm")
def _(w):
    need = _need(w, to="resolve")
    return lambda: needs.need_confirm(need=need, actor=w.users["caseworker_a"]), VILLAGE_A


@case("needs.need_reopen")
def _(w):
    need = _need(w, to="resolve")
    return lambda: needs.need_reopen(need=need, actor=w.users["caseworker_a"], reason="还缺"), VILLAGE_A


@case("needs.needs_escalate")
def _(w):
    _need(w)
    return lambda: needs.needs_escalate(now=timezone.now() + dt.timedelta(days=30)), VILLAGE_A


@case("imports.households_import")
def _(w):
    return lambda: households_import(actor=w.users["office"], source=FILES / "national.xlsx",
                                     region_code=TOWNSHIP), TOWNSHIP


@case("regions.regions_load")
def _(w):
    data = Path(w.tmp) / "data"
    data.mkdir()
    (data / "provinces.csv").write_text("code,name\n37,山东省\n", encoding="utf-8")
    (data / "cities.csv").write_text("code,name,provinceCode\n3702,青岛市,37\n", encoding="utf-8")
    (data / "areas.csv").write_text("code,name,cityCode\n370215,即墨市,3702\n", encoding="utf-8")
    (data / "streets.csv").write_text("code,name,areaCode\n", encoding="utf-8")
    return lambda: regions_services.regions_load(data_dir=data), VILLAGE_A


@case("regions.regions_ensure")
def _(w):
    data = Path(w.tmp) / "data"
    data.mkdir()
    (data / "provinces.csv").write_text("code,name\n37,山东省\n", encoding="utf-8")
    (data / "cities.csv").write_text("code,name,provinceCode\n3702,青岛市,37\n", encoding="utf-8")
    (data / "areas.csv").write_text("code,name,cityCode\n370215,即墨市,3702\n", encoding="utf-8")
    (data / "streets.csv").write_text("code,name,areaCode\n370215999,新镇,370215\n", encoding="utf-8")
    return lambda: regions_services.regions_ensure(data_dir=data), VILLAGE_A


@case("regions.region_create")
def _(w):
    return lambda: regions_services.region_create(actor=w.users["office"], code=TOWNSHIP + "909",
                                                  name="新村"), TOWNSHIP


@case("regions.villages_load")
def _(w):
    return lambda: regions_services.villages_load(prefix=TOWNSHIP), TOWNSHIP


@case("regions.village_add_local")
def _(w):
    return lambda: regions_services.village_add_local(township_code=TOWNSHIP, name="新村"), TOWNSHIP


@case("regions.region_add")
def _(w):
    return lambda: regions_services.region_add(code=VILLAGE_A + "001", name="一组"), VILLAGE_A


@case("accounts.user_add")
def _(w):
    return lambda: user_add(username="caseworker_c", role=Role.CASEWORKER, region_code=VILLAGE_A,
                            password="pw-caseworker_c", check_password=False), VILLAGE_A


@case("accounts.user_create")
def _(w):
    return lambda: accounts.user_create(actor=w.users["office"], username="caseworker_c", role=Role.CASEWORKER,
                                        region_code=VILLAGE_A), VILLAGE_A


@case("accounts.user_change")
def _(w):
    return lambda: accounts.user_change(actor=w.users["office"], user_id=w.users["caseworker_b"].pk,
                                        region_code=VILLAGE_A), VILLAGE_A


@case("accounts.user_set_active")
def _(w):
    return lambda: accounts.user_set_active(actor=w.users["office"], user_id=w.users["caseworker_a"].pk,
                                            active=False), VILLAGE_A


@case("accounts.user_reset_password")
def _(w):
    return lambda: accounts.user_reset_password(actor=w.users["office"], user_id=w.users["caseworker_a"].pk), VILLAGE_A


@case("accounts.password_change")
def _(w):
    return lambda: accounts.password_change(user=w.users["caseworker_a"], old_password="pw-caseworker_a",
                                            new_password="长城-Great-wall-2026"), VILLAGE_A


@case("accounts.users_bulk_add")
def _(w):
    return lambda: accounts.users_bulk_add(actor=w.users["office"], township_code=TOWNSHIP, rows=[
        (2, {"name": "李红", "phone": "13912345678", "village": "戴家庄村", "role": "帮扶干部"})]), VILLAGE_A


@case("accounts.admin_setup")
def _(w):
    from bangfu.accounts.models import User

    User.objects.filter(role=Role.ADMIN).update(is_active=False)
    secret = accounts.setup_token_issue()
    return lambda: accounts.admin_setup(token=secret, username="first_admin", password="长城-Great-wall-2026"), VILLAGE_A


def _rice(w, *, stock: int = 0) -> Item:
    rice, _created = Item.objects.get_or_create(township=None, name="大米",
                                                defaults={"kind": ItemKind.LIVING, "unit": "kg"})
    if stock:
        supplies.stock_receive(township=w.regions[TOWNSHIP], item=rice, quantity=stock, source="区民政局调拨",
                               actor=w.users["office"])
    return rice


@case("supplies.item_create")
def _(w):
    return lambda: supplies.item_create(township=w.regions[TOWNSHIP], name="牛奶", kind=ItemKind.LIVING, unit="箱",
                                        actor=w.users["office"]), TOWNSHIP


@case("supplies.stock_receive")
def _(w):
    rice = _rice(w)
    return lambda: supplies.stock_receive(township=w.regions[TOWNSHIP], item=rice, quantity=10, source="捐赠",
                                          actor=w.users["office"]), TOWNSHIP


@case("supplies.stock_issue")
def _(w):
    rice = _rice(w, stock=10)
    return lambda: supplies.stock_issue(township=w.regions[TOWNSHIP], item=rice, quantity=2, note="村委会",
                                        actor=w.users["office"]), TOWNSHIP


@case("supplies.stock_issue_for_delivery")
def _(w):
    rice, household = _rice(w, stock=10), w.make()
    return lambda: supplies.stock_issue_for_delivery(township=w.regions[TOWNSHIP], item=rice, quantity=2,
                                                     actor=w.users["office"], note="送货上门",
                                                     household_id=household.pk), TOWNSHIP


@case("supplies.stock_adjust")
def _(w):
    rice = _rice(w, stock=10)
    return lambda: supplies.stock_adjust(township=w.regions[TOWNSHIP], item=rice, quantity=-1, reason="霉变",
                                         actor=w.users["office"]), TOWNSHIP


def _errand(w, *, caseworker: bool = True):
    household = w.make(caseworker=w.users["caseworker_a"] if caseworker else None)
    return deliveries.delivery_create(household=household, kind=DeliveryKind.ERRAND, description="买药",
                                      actor=w.users["office"])


def _failed(w):
    return deliveries.delivery_fail(delivery=_errand(w), reason="不在家", actor=w.users["caseworker_a"])


@case("deliveries.delivery_create")
def _(w):
    return lambda: _errand(w), VILLAGE_A


@case("deliveries.delivery_assign")
def _(w):
    delivery = _errand(w, caseworker=False)
    return lambda: deliveries.delivery_assign(delivery=delivery, caseworker=w.users["caseworker_a"],
                                              actor=w.users["office"]), VILLAGE_A


@case("deliveries.delivery_complete")
def _(w):
    delivery = _errand(w)
    return lambda: deliveries.delivery_complete(delivery=delivery, received_by="张三",
                                                actor=w.users["caseworker_a"]), VILLAGE_A


@case("deliveries.delivery_link_need")
def _(w):
    delivery = _errand(w)
    need, _created = needs.need_create(household=delivery.household, category=Category.ERRAND,
                                       description="买药", client_id=uuid.uuid4(), actor=w.users["office"])
    return lambda: deliveries.delivery_link_need(delivery=delivery, need=need, actor=w.users["office"]), VILLAGE_A


@case("deliveries.delivery_fail")
def _(w):
    return lambda: _failed(w), VILLAGE_A


@case("deliveries.delivery_reopen")
def _(w):
    delivery = _failed(w)
    return lambda: deliveries.delivery_reopen(delivery=delivery, actor=w.users["office"]), VILLAGE_A


@case("deliveries.delivery_priority_refresh")
def _(w):
    household = _errand(w).household
    HouseholdCategory.objects.create(household=household, category=choices.Category.ELDERLY_ALONE)
    return lambda: deliveries.delivery_priority_refresh(household, actor=w.users["office"]), VILLAGE_A


@case("deliveries.distribution_create")
def _(w):
    rice = _rice(w, stock=10)
    w.make(caseworker=w.users["caseworker_a"])
    plan = deliveries.DistributionPlan(township=w.regions[TOWNSHIP], title="发米",
                                       lines=[deliveries.PlanLine(item=rice, quantity=1)],
                                       villages=[VILLAGE_A], categories=[])
    return lambda: deliveries.distribution_create(plan=plan, actor=w.users["office"]), TOWNSHIP


def _emergency(w):
    return emergency.emergency_open(region=w.regions[TOWNSHIP], kind="epidemic", title="新冠疫情防控",
                                    start=w.today - dt.timedelta(days=3), actor=w.users["office"])


def _check(w):
    household = w.make(caseworker=w.users["caseworker_a"])
    _emergency(w)
    emergency.checks_generate()
    return HealthCheck.objects.get(household=household)


def _returnee(w):
    household = w.make(caseworker=w.users["caseworker_a"])
    return emergency.returnee_register(
        emergency=_emergency(w), household=household, name="李四", id_number=person_id(birth=dt.date(1990, 1, 2)),
        origin="上海", arrival=w.today, transport="train", actor=w.users["caseworker_a"])


@case("emergency.emergency_open")
def _(w):
    return lambda: _emergency(w), TOWNSHIP


@case("emergency.emergency_extend")
def _(w):
    opened = _emergency(w)
    return lambda: emergency.emergency_extend(emergency=opened, end=w.today + dt.timedelta(days=5),
                                              actor=w.users["office"]), TOWNSHIP


@case("emergency.emergency_close")
def _(w):
    opened = _emergency(w)
    return lambda: emergency.emergency_close(emergency=opened, actor=w.users["office"]), TOWNSHIP


@case("emergency.checks_generate")
def _(w):
    w.make()
    _emergency(w)
    return lambda: emergency.checks_generate(), VILLAGE_A


@case("emergency.check_submit")
def _(w):
    check = _check(w)
    head = check.household.members.get()
    return lambda: emergency.check_submit(check=check, actor=w.users["caseworker_a"], client_id=str(uuid.uuid4()),
                                          temperatures={f"m{head.pk}": "36.6"}, disinfection=True, symptoms=False,
                                          supplies_enough=True, help_needed=False), VILLAGE_A


@case("emergency.returnee_register")
def _(w):
    return lambda: _returnee(w), VILLAGE_A


@case("emergency.returnee_update")
def _(w):
    returnee = _returnee(w)
    return lambda: emergency.returnee_update(returnee=returnee, actor=w.users["caseworker_a"],
                                             screening="normal"), VILLAGE_A


def _work_status(w, member=None, month=None, place="440300"):
    member = member or w.make(caseworker=w.users["caseworker_a"]).members.get()
    work.status_record(member=member, actor=w.users["office"], data={
        "month": month or dt.date(w.today.year - 1, 12, 1), "activity": "migrant", "place_code": place})
    return member


def _work_list(w):
    _work_status(w)
    return work.subsidy_list_prepare(township=w.regions[TOWNSHIP], year=w.today.year - 1, actor=w.users["office"])


def _work_drive(w):
    _work_status(w)
    return work.drive_create(township=w.regions[TOWNSHIP], title="返岗", start=w.today, end=w.today,
                             rule="migrant_last_year", actor=w.users["office"])


@case("work.status_record")
def _(w):
    member = w.make(caseworker=w.users["caseworker_a"]).members.get()
    return lambda: _work_status(w, member), VILLAGE_A


@case("work.statuses_grid_save")
def _(w):
    member = w.make(caseworker=w.users["caseworker_a"]).members.get()
    return lambda: work.statuses_grid_save(village=w.regions[VILLAGE_A], month=dt.date(w.today.year, 1, 1),
                                           rows=[(member, {"activity": "unemployed", "reason": "病"})],
                                           actor=w.users["office"]), VILLAGE_A


@case("work.statuses_import")
def _(w):
    import io

    member = w.make(caseworker=w.users["caseworker_a"]).members.get()
    sheet = io.BytesIO(f"证件号码,月份,就业状态,原因\n{member.id_number},{w.today.year}-01,未就业,病\n".encode())
    return lambda: work.statuses_import(source=sheet, actor=w.users["office"]), VILLAGE_A


@case("work.drive_create")
def _(w):
    _work_status(w)
    return lambda: work.drive_create(township=w.regions[TOWNSHIP], title="返岗", start=w.today, end=w.today,
                                     rule="migrant_last_year", actor=w.users["office"]), TOWNSHIP


@case("work.drive_outcome_record")
def _(w):
    target = _work_drive(w).targets.get()
    return lambda: work.drive_outcome_record(target=target, actor=w.users["caseworker_a"], data={
        "outcome": "not_yet", "reason": "等待通知"}), VILLAGE_A


@case("work.subsidy_rates_set")
def _(w):
    return lambda: work.subsidy_rates_set(county=w.regions["370215"], actor=w.users["county"], amounts={
        "outside_province": 60000, "outside_city": 40000, "outside_county": 30000}), "370215"


@case("work.subsidy_list_prepare")
def _(w):
    return lambda: _work_list(w), TOWNSHIP


@case("work.subsidy_account_set")
def _(w):
    payment = _work_list(w).payments.get()
    return lambda: work.subsidy_account_set(payment=payment, account="6228480012345678",
                                            actor=w.users["office"]), VILLAGE_A


@case("work.subsidy_payment_remove")
def _(w):
    payment = _work_list(w).payments.get()
    return lambda: work.subsidy_payment_remove(payment=payment, actor=w.users["office"]), VILLAGE_A


@case("work.subsidy_list_approve")
def _(w):
    made = _work_list(w)
    return lambda: work.subsidy_list_approve(subsidy_list=made, actor=w.users["county"]), TOWNSHIP


def _lead(w, *, source: str = "cadre", channel: str = "contact"):
    from bangfu.monitoring import services as monitoring

    household = w.make()
    return monitoring.lead_create(actor=w.users["office"], client_id=uuid.uuid4(), source=source, channel=channel,
                                  village=household.region, household=household, indicator="大病支出")[0]


@case("households.household_monitoring_set")
def _(w):
    household = w.make()
    return lambda: households.household_monitoring_set(actor=w.users["office"], household=household,
                                                       monitor_type="marginal", risks=["因病"]), VILLAGE_A


@case("monitoring.lead_create")
def _(w):
    return lambda: _lead(w), VILLAGE_A


@case("monitoring.lead_apply_public")
def _(w):
    from bangfu.monitoring import services as monitoring

    return lambda: monitoring.lead_apply_public(township=w.regions[TOWNSHIP], village=w.regions[VILLAGE_A],
                                                name="韩立新", id_number=person_id(), phone="13905321188",
                                                difficulty="突发重病"), VILLAGE_A


@case("monitoring.lead_step")
def _(w):
    from bangfu.monitoring import services as monitoring

    lead = _lead(w)
    return lambda: monitoring.lead_step(lead=lead, actor=w.users["office"], action="exclude",
                                        data={"reason": "收入达标"}), VILLAGE_A


@case("monitoring.leads_escalate")
def _(w):
    from bangfu.monitoring import services as monitoring

    _lead(w)
    return lambda: monitoring.leads_escalate(today=w.today + dt.timedelta(days=30)), VILLAGE_A


@case("monitoring.drop_import")
def _(w):
    from bangfu.monitoring import services as monitoring

    household = w.make()
    row = monitoring.DropRow(row=2, id_number=household.members.get().id_number, name="某人", value="")
    return lambda: monitoring.drop_import(actor=w.users["office"], department="civil", rows=[row],
                                          file_name="民政.xlsx"), VILLAGE_A


@case("monitoring.settings_set")
def _(w):
    from bangfu.monitoring import services as monitoring

    return lambda: monitoring.settings_set(actor=w.users["county"], county=w.regions["370215"], data={
        "accept_days": 2, "verify_days": 3, "compare_days": 5, "total_days": 15, "medical_poor_fen": 500000,
        "medical_other_fen": 2000000}), "370215"
def _council(w):
    return fund.council_create(village=w.regions[VILLAGE_A], name="孝心养老理事会", founded_on=w.today, members=[],
                               actor=w.users["office"])


def _agreement(w, council=None):
    elder = w.make(VILLAGE_A, members=[member_data(id_number=person_id(birth=dt.date(1950, 1, 1)))]).members.get()
    return fund.agreement_create(council=council or _council(w), elder=elder, monthly_amount=10000, starts_on=w.today,
                                 signed_on=w.today, witnesses="村委会",
                                 supporters=[fund.SupporterData(name="王强", relation="长子")], actor=w.users["office"])


@case("fund.fund_setting_set")
def _(w):
    return lambda: fund.fund_setting_set(county=w.regions["370215"], match_percent=15,
                                         actor=w.users["county"]), "370215"


@case("fund.council_create")
def _(w):
    return lambda: _council(w), VILLAGE_A


@case("fund.council_change")
def _(w):
    council = _council(w)
    return lambda: fund.council_change(council=council, name="新名", founded_on=w.today, members=["甲"],
                                       actor=w.users["office"]), VILLAGE_A


@case("fund.agreement_create")
def _(w):
    council = _council(w)
    return lambda: _agreement(w, council), VILLAGE_A


@case("fund.agreement_change")
def _(w):
    agreement = _agreement(w)
    return lambda: fund.agreement_change(agreement=agreement, monthly_amount=20000, in_kind="", visits="",
                                         witnesses="村委会", status="active", actor=w.users["office"]), VILLAGE_A


@case("fund.contribution_record")
def _(w):
    agreement = _agreement(w)
    return lambda: fund.contribution_record(agreement=agreement, amount=10000, frequency="monthly", on=w.today,
                                            actor=w.users["village_a"]), VILLAGE_A


@case("fund.payout_record")
def _(w):
    agreement = _agreement(w)
    fund.contribution_record(agreement=agreement, amount=10000, frequency="monthly", on=w.today,
                             actor=w.users["office"])
    return lambda: fund.payout_record(agreement=agreement, amount=5000, month=w.today, on=w.today,
                                      actor=w.users["office"]), VILLAGE_A


def _project(w, *, to: str = "proposed"):
    from bangfu.projects import services as projects

    project = projects.project_create(
        name="生产路硬化", type="infrastructure", region=w.regions[VILLAGE_A], villages=[w.regions[VILLAGE_A]],
        budget={"central": 10_000_00}, meeting_date=w.today, meeting_attendance=20, meeting_decision="同意",
        client_id=uuid.uuid4(), actor=w.users["office"])[0]
    steps = [("publish", "office", {"notice_start": w.today - dt.timedelta(days=30), "place": "公开栏"}),
             ("review", "office", {"outcome": "no_objection"}), ("approve", "county", {}), ("issue", "county", {})]
    for action, who, data in steps:
        if project.stage == to:
            break
        project = projects.project_step(project=project, action=action, actor=w.users[who], data=data)
    return project


@case("projects.project_create")
def _(w):
    return lambda: _project(w), VILLAGE_A


@case("projects.project_step")
def _(w):
    from bangfu.projects import services as projects

    project = _project(w)
    return lambda: projects.project_step(project=project, action="publish", actor=w.users["village_a"],
                                         data={"place": "公开栏"}), VILLAGE_A


@case("projects.payment_create")
def _(w):
    from bangfu.projects import services as projects

    project = _project(w, to="issued")
    return lambda: projects.payment_create(project=project, source="central", amount_fen=100, day=w.today,
                                           payee="施工方", client_id=uuid.uuid4(), actor=w.users["office"]), VILLAGE_A


@case("projects.projects_escalate")
def _(w):
    from bangfu.projects import services as projects

    _project(w)
    return lambda: projects.projects_escalate(today=w.today + dt.timedelta(days=60)), VILLAGE_A


@case("projects.deadlines_set")
def _(w):
    from bangfu.projects import services as projects

    return lambda: projects.deadlines_set(county=w.regions["370215"], notice_days=5, stage_days=20, start_by_month=8,
                                          start_by_day=31, actor=w.users["county"]), "370215"


@case("policies.policy_save")
def _(w):
    return lambda: policies.policy_save(actor=w.users["county"], key="dibao", data={"amount": 60_000}), "370215"


def _dibao_home(w):
    return w.make(VILLAGE_A, categories=[choices.Category.MINIMUM_LIVING])


@case("policies.receipt_record")
def _(w):
    household = _dibao_home(w)
    return lambda: policies.receipt_record(
        actor=w.users["office"], household=household, policy_key="dibao", period=f"{w.today:%Y-%m}",
        amount=50_000, paid_on=w.today, member=household.members.get(), client_id=uuid.uuid4()), VILLAGE_A


@case("policies.receipts_import")
def _(w):
    member = _dibao_home(w).members.get()
    rows = [policies.PaymentRow(row=2, id_number=member.id_number, name=member.name, amount=50_000, paid_on=w.today)]
    return lambda: policies.receipts_import(actor=w.users["office"], policy_key="dibao", period=f"{w.today:%Y-%m}",
                                            rows=rows), VILLAGE_A


@case("policies.policy_check_record")
def _(w):
    household = _dibao_home(w)
    return lambda: policies.policy_check_record(actor=w.users["village_a"], household=household,
                                                policy_key="dibao", answer="not_arrived"), VILLAGE_A


def _monitored(w):
    household = w.make(wage_income=2_000_000, safe_water=True, dilapidated=False)
    households.household_monitoring_set(actor=w.users["office"], household=household, monitor_type="marginal",
                                        risks=["因病"])
    return household


@case("households.household_monitoring_clear")
def _(w):
    household = _monitored(w)
    return lambda: households.household_monitoring_clear(actor=w.users["office"], household=household,
                                                         method="帮扶消除", cleared_on=w.today), VILLAGE_A


@case("monitoring.measure_create")
def _(w):
    from bangfu.monitoring import services as monitoring

    household = _monitored(w)
    return lambda: monitoring.measure_create(actor=w.users["office"], household=household, client_id=uuid.uuid4(),
                                             type="industry", content="养牛", owner=w.users["village_a"],
                                             due_on=w.today), VILLAGE_A


@case("monitoring.measure_status_set")
def _(w):
    from bangfu.monitoring import services as monitoring

    measure = monitoring.measure_create(actor=w.users["office"], household=_monitored(w), client_id=uuid.uuid4(),
                                        type="industry", content="养牛", owner=w.users["village_a"],
                                        due_on=w.today)[0]
    return lambda: monitoring.measure_status_set(actor=w.users["office"], measure=measure, status="done"), VILLAGE_A


@case("monitoring.clearance_start")
def _(w):
    from bangfu.monitoring import services as monitoring

    household = _monitored(w)
    return lambda: monitoring.clearance_start(actor=w.users["village_a"], household=household,
                                              client_id=uuid.uuid4(), method="自然消除"), VILLAGE_A


@case("monitoring.clearance_step")
def _(w):
    from bangfu.monitoring import services as monitoring

    clearance = monitoring.clearance_start(actor=w.users["village_a"], household=_monitored(w),
                                           client_id=uuid.uuid4(), method="自然消除")[0]
    return lambda: monitoring.clearance_step(clearance=clearance, actor=w.users["village_a"], action="verify", data={
        "cadres": ["王建国", "李秀英"], "findings": "稳定", "stable_since": w.today - dt.timedelta(days=300)}), VILLAGE_A


@case("briefings.template_save")
def _(w):
    from bangfu.briefings import services as briefings

    return lambda: briefings.template_save(actor=w.users["office"], region=w.regions[TOWNSHIP], name="蓝村街道工作简报",
                                           unit="蓝村街道办事处", sections={"basic": "共{households.total}户"}), TOWNSHIP


@case("briefings.briefing_generate")
def _(w):
    from bangfu.briefings import services as briefings

    return lambda: briefings.briefing_generate(actor=w.users["office"], region_code=TOWNSHIP,
                                               start=w.today.replace(day=1), end=w.today), TOWNSHIP

def _product(w):
    from bangfu.sales import services as sales

    return sales.product_create(village=w.regions[VILLAGE_A], name="羊肚菌", category="mushrooms", unit="斤",
                                actor=w.users["office"])


@case("sales.cooperative_create")
def _(w):
    from bangfu.sales import services as sales

    return lambda: sales.cooperative_create(village=w.regions[VILLAGE_A], name="食用菌合作社",
                                            actor=w.users["office"]), VILLAGE_A


@case("sales.product_create")
def _(w):
    return lambda: _product(w), VILLAGE_A


@case("sales.buyer_create")
def _(w):
    from bangfu.sales import services as sales

    return lambda: sales.buyer_create(name="机关食堂", kind="canteen", actor=w.users["office"]), TOWNSHIP


@case("sales.sale_record")
def _(w):
    from decimal import Decimal

    from bangfu.sales import services as sales

    product = _product(w)
    buyer = sales.buyer_create(name="机关食堂", kind="canteen", actor=w.users["office"])
    return lambda: sales.sale_record(product=product, buyer=buyer, channel="canteen", quantity=Decimal(10),
                                     amount=12000, sold_on=w.today, client_id="sale-1",
                                     actor=w.users["village_a"]), VILLAGE_A
def _work_group(w):
    from bangfu.notify import services as notify

    return notify.channel_add(region_code=TOWNSHIP, actor=w.users["office"], data={
        "vendor": "wecom", "name": "工作信息群", "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "secret": "", "dingtalk_mode": "", "keyword": "", "events": ["need.overdue"], "window_minutes": 10})


@case("notify.channel_add")
def _(w):
    return lambda: _work_group(w), TOWNSHIP


@case("notify.channel_edit")
def _(w):
    from bangfu.notify import services as notify

    channel = _work_group(w)
    return lambda: notify.channel_edit(channel=channel, actor=w.users["office"], data={
        "vendor": "wecom", "name": "新群", "webhook": "", "secret": "", "events": [], "window_minutes": 5}), TOWNSHIP


@case("notify.channel_stop")
def _(w):
    from bangfu.notify import services as notify

    channel = _work_group(w)
    return lambda: notify.channel_stop(channel=channel, reason="换群", actor=w.users["office"]), TOWNSHIP


@case("notify.channel_resume")
def _(w):
    from bangfu.notify import services as notify

    channel = _work_group(w)
    notify.channel_stop(channel=channel, reason="换群", actor=w.users["office"])
    return lambda: notify.channel_resume(channel=channel, actor=w.users["office"]), TOWNSHIP


@case("notify.channel_stop_refused")
def _(w):
    from bangfu.notify import services as notify

    channel = _work_group(w)
    return lambda: notify.channel_stop_refused(channel_id=channel.pk, code=93000, said="invalid webhook url"), TOWNSHIP
def _asset(w):
    from bangfu.assets import services as assets

    return assets.asset_create(name="光伏电站", asset_class="operating", kind="pv_station", village=w.regions[VILLAGE_A],
                               value_fen=100_000, owner_level="village", owner_name="村集体", keeper="村委会",
                               actor=w.users["office"])


def _inspected(w, **kw):
    from bangfu.assets import services as assets

    return assets.inspection_create(asset=_asset(w), client_id=uuid.uuid4(), actor=w.users["caseworker_a"],
                                    data=assets.InspectionData(day=w.today, checklist={}, **kw))[0]


def _asset_plan(w, *, published: bool = False):
    from bangfu.assets import services as assets

    asset = _asset(w)
    assets.income_record(asset=asset, month=w.today, category="power", amount_fen=10_000, note="",
                         client_id=uuid.uuid4(), actor=w.users["office"])
    plan = assets.plan_create(asset=asset, year=w.today.year, shares={"welfare": 60, "collective": 40}, meeting="",
                              actor=w.users["office"])
    if published:
        plan = assets.plan_publish(plan=assets.plan_approve(plan=plan, actor=w.users["office"]),
                                   actor=w.users["office"])
    return plan


@case("assets.asset_create")
def _(w):
    return lambda: _asset(w), VILLAGE_A


@case("assets.asset_edit")
def _(w):
    from bangfu.assets import services as assets

    asset = _asset(w)
    return lambda: assets.asset_edit(asset=asset, actor=w.users["office"], keeper="管护员", inspector=None,
                                     location="村北", value_fen=1), VILLAGE_A


@case("assets.asset_setting_set")
def _(w):
    from bangfu.assets import services as assets

    return lambda: assets.asset_setting_set(county=w.regions["370215"], welfare_min_percent=65, intervals={},
                                            actor=w.users["county"]), "370215"


@case("assets.assets_from_handover")
def _(w):
    from bangfu.assets import services as assets
    from bangfu.projects.models import HandoverItem

    project = _project(w)
    item = HandoverItem.objects.create(project=project, name="光伏电站", value_fen=1, owner_level="village",
                                       owner_name="村集体", keeper="村委会", handed_over_on=w.today)
    return lambda: assets.assets_from_handover(project=project, items=[item], actor=w.users["office"]), VILLAGE_A


@case("assets.inspection_create")
def _(w):
    return lambda: _inspected(w), VILLAGE_A


@case("assets.finding_fix")
def _(w):
    from bangfu.assets import services as assets

    finding = _inspected(w, finding="围栏破损").findings.get()
    return lambda: assets.finding_fix(finding=finding, fixed_on=w.today, note="已修", actor=w.users["caseworker_a"]), \
        VILLAGE_A


@case("assets.findings_escalate")
def _(w):
    from bangfu.assets import services as assets

    _inspected(w, finding="围栏破损", fix_by=w.today)
    return lambda: assets.findings_escalate(today=w.today + dt.timedelta(days=1)), VILLAGE_A


@case("assets.income_record")
def _(w):
    from bangfu.assets import services as assets

    asset = _asset(w)
    return lambda: assets.income_record(asset=asset, month=w.today, category="power", amount_fen=100, note="",
                                        client_id=uuid.uuid4(), actor=w.users["office"]), VILLAGE_A


@case("assets.plan_create")
def _(w):
    return lambda: _asset_plan(w), VILLAGE_A


@case("assets.plan_approve")
def _(w):
    from bangfu.assets import services as assets

    plan = _asset_plan(w)
    return lambda: assets.plan_approve(plan=plan, actor=w.users["office"]), VILLAGE_A


@case("assets.plan_publish")
def _(w):
    from bangfu.assets import services as assets

    plan = _asset_plan(w)
    assets.plan_approve(plan=plan, actor=w.users["office"])
    return lambda: assets.plan_publish(plan=plan, actor=w.users["office"]), VILLAGE_A


@case("assets.payout_record")
def _(w):
    from bangfu.assets import services as assets

    plan = _asset_plan(w, published=True)
    return lambda: assets.payout_record(plan=plan, share="welfare", amount_fen=100, day=w.today, payee="公益岗",
                                        client_id=uuid.uuid4(), actor=w.users["office"]), VILLAGE_A


def test_every_service_has_a_case_or_a_reason():
    services = public_services()
    assert sorted(services - set(CASES) - set(CHANGES_NO_PAGE)) == []  # give each a case or a reason
    assert sorted((set(CASES) | set(CHANGES_NO_PAGE)) - services) == []  # gone or renamed
    assert not set(CASES) & set(CHANGES_NO_PAGE)


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_write_moves_its_areas_version(name, world):
    write, area = CASES[name](world)
    before = area_version(area)
    write()
    assert area_version(area) > before, f"{name} changed {area} without marking it (history.services.areas_touch)"

