"""Demo needs in 蓝村街道: the caseworker 孙磊's households and others, in every state, some overdue,
made through the services (so each has its history) and escalated by the same job that runs in
production. Deterministic: the same needs, ages and steps on every run."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.models import Household
from bangfu.needs import services
from bangfu.needs.models import Category, MeasureType, Urgency
from bangfu.notify.services import messages_deliver

NAMESPACE = uuid.UUID("5b0c3d36-2f6e-4d1a-9a57-1c9e0b7c2a01")
LANCUN_CODE = "370215010"


@dataclass(frozen=True)
class DemoNeed:
    mine: bool  # one of 孙磊's households (else another village's)
    category: str
    urgency: str
    description: str
    hours_ago: int
    steps: tuple[str, ...]  # report, assign, resolve, confirm, reopen
    measure: str = MeasureType.SUPPLIES
    plan: str = ""
    result: str = ""
    cost_fen: int | None = None


C, U, M = Category, Urgency, MeasureType
NEEDS = (
    DemoNeed(True, C.MEDICAL, U.URGENT, "户主血压偏高，需要到街道卫生院复查，家中无人陪同。", 50,
             ("report", "assign", "resolve"), M.HEALTH, "联系家庭医生上门测量血压并预约复查", "家庭医生已上门测量，预约周五复查"),
    DemoNeed(True, C.LIVING_SUPPLIES, U.NORMAL, "封村期间家中米面油只够三天，子女在外地回不来。", 9 * 24, ("report",)),
    DemoNeed(True, C.ERRAND, U.NORMAL, "需要代办慢性病门诊报销手续。", 20, ()),
    DemoNeed(True, C.POLICY, U.NORMAL, "残疾人两项补贴本季度未到账。", 3 * 24, ("report", "assign"),
             M.SOCIAL_SECURITY, "到街道民政办核对发放名单"),
    DemoNeed(True, C.EPIDEMIC_SUPPLIES, U.URGENT, "家中没有口罩和消毒液。", 5 * 24,
             ("report", "assign", "resolve", "confirm"), M.SUPPLIES, "送口罩和消毒液", "送口罩20个、消毒液2瓶", 6500),
    DemoNeed(False, C.WATER, U.URGENT, "自来水停了两天，老人挑不动水。", 30, ("report",)),
    DemoNeed(False, C.HOUSING, U.NORMAL, "西屋墙体开裂，下雨时漏水。", 12 * 24, ("report", "assign"),
             M.HOUSING, "请住建部门鉴定房屋等级"),
    DemoNeed(False, C.EMPLOYMENT, U.NORMAL, "儿子返乡后想在附近找份工作。", 4 * 24, ("report", "assign", "resolve"),
             M.EMPLOYMENT, "推荐到附近服装厂务工", "已到服装厂上岗，月工资约3000元"),
    DemoNeed(False, C.EDUCATION, U.NORMAL, "孩子上网课没有智能手机。", 2 * 24, ("report",)),
    DemoNeed(False, C.OTHER, U.NORMAL, "屋顶漏雨需要修缮。", 6 * 24, ("report", "assign", "resolve", "reopen"),
             M.LIVING_CONDITIONS, "请村里安排人员修补屋顶", "已修补屋顶"),
    DemoNeed(False, C.LIVING_SUPPLIES, U.URGENT, "独居老人摔伤，这几天无法做饭。", 3, ()),
    DemoNeed(False, C.MEDICAL, U.NORMAL, "需要办理门诊慢性病卡。", 20 * 24, ("report", "assign", "resolve", "confirm"),
             M.HEALTH, "帮助准备材料并送到医保站", "慢性病卡已办好"),
    DemoNeed(False, C.POLICY, U.NORMAL, "低保金连续两个月未到账。", 10 * 24, ("report",)),
)


def demo_needs() -> int:
    """Make the demo needs (once: a second run finds them by their client ids). Returns how many."""
    office = User.objects.filter(role=Role.TOWNSHIP_OFFICE, region_id=LANCUN_CODE).order_by("pk").first()
    caseworker = User.objects.filter(role=Role.CASEWORKER, display_name="孙磊").order_by("pk").first()
    if office is None or caseworker is None:
        return 0
    township = Household.objects.in_region(LANCUN_CODE).exclude(caseworker=None).order_by("region_code", "number")
    mine = list(township.filter(caseworker=caseworker))
    others = list(township.exclude(caseworker=caseworker).exclude(region_code=caseworker.region_id))
    now = timezone.now()
    today = local_today(now)
    picks = {True: iter(mine), False: iter(others[::5])}
    made = 0
    for index, plan in enumerate(NEEDS):
        household = next(picks[plan.mine], None)
        if household is None:
            continue
        recorder = household.caseworker
        need, created = services.need_create(
            household=household, category=plan.category, description=plan.description, urgency=plan.urgency,
            client_id=uuid.uuid5(NAMESPACE, f"need-{index}"), actor=recorder,
            recorded_at=now - dt.timedelta(hours=plan.hours_ago),
            # The id stands for the demo's plan, not a phone's submission: a later run (whose `now`,
            # and so `recorded_at`, has moved) finds the need already made, not another body.
            replay_checked=False,
        )
        if not created:
            continue
        for step in plan.steps:
            if step == "report":
                need = services.need_report(need=need, actor=recorder)
            elif step == "assign":
                need = services.need_assign(need=need, actor=office, measure_type=plan.measure, plan=plan.plan,
                                            owner=recorder, due_on=today + dt.timedelta(days=2))
            elif step == "resolve":
                need = services.need_resolve(need=need, actor=office, result=plan.result, cost_fen=plan.cost_fen)
            elif step == "confirm":
                need = services.need_confirm(need=need, actor=recorder, note="电话回访，户主表示满意")
            elif step == "reopen":
                need = services.need_reopen(need=need, actor=recorder, reason="户主反映下雨时仍然漏水")
        made += 1
    services.needs_escalate(now=now)
    messages_deliver()
    services.summary_refresh(now=now)
    return made
