"""Demo data for the project library: 蓝村街道's four infrastructure projects applied for (the
source report's number), at different stages, with their notices and some payments."""

from __future__ import annotations

import datetime as dt
import uuid

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.models import Household
from bangfu.projects.models import HandoverOwner, NoticeOutcome, Project
from bangfu.projects.services import payment_create, project_create, project_step
from bangfu.regions.models import Region

NAMESPACE = uuid.UUID("6a1f0c1e-3f0e-4c55-9a40-7d1b2a9c0e18")

# name, village index, budget by source (yuan), stage reached
PLANS = (
    ("{village}生产路硬化工程", 0, {"central": 380_000, "province": 120_000}, "handed_over"),
    ("{village}人居环境整治及排水沟渠工程", 1, {"central": 260_000, "county": 60_000}, "building"),
    ("{village}农田灌溉机井及配套工程", 2, {"province": 150_000, "city": 50_000}, "county_approved"),
    ("{village}路灯安装工程", 3, {"central": 90_000, "other": 10_000}, "village_notice"),
)
ORDER = ["proposed", "village_notice", "township_reviewed", "county_approved", "issued", "building",
         "self_checked", "township_accepted", "county_checked", "handed_over"]


def demo_projects(*, township_code: str = "370215010", office_username: str = "lancun",
                  county_username: str = "jimo") -> list[Project]:
    office = User.objects.get(username=office_username)
    county = User.objects.get(username=county_username)
    villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=township_code).order_by("code"))
    cadres = {u.region_id: u for u in User.objects.filter(role=Role.VILLAGE, region__code__startswith=township_code)}
    today = local_today()
    made = []
    for n, (name, index, budget, reached) in enumerate(PLANS):
        village = villages[index % len(villages)]
        applicant = cadres.get(village.code, office)
        households = list(Household.objects.filter(region=village).order_by("number")[:6])
        start = today - dt.timedelta(days=120 - 25 * n)
        project, created = project_create(
            name=name.format(village=village.name), type="infrastructure", region=village, villages=[village],
            budget={k: v * 100 for k, v in budget.items()}, meeting_date=start - dt.timedelta(days=3),
            meeting_attendance=23 + n, meeting_decision="村民代表大会表决通过，同意申报", households=households,
            benefit_households=len(households) + 40 + 10 * n, benefit_persons=150 + 30 * n,
            benefit_note="务工优先安排脱贫户和监测户", description="长度约1.2公里，宽4米，C30混凝土",
            targets=[("工程完工率", "100%"), ("受益脱贫户满意度", "≥95%")],
            client_id=uuid.uuid5(NAMESPACE, f"project-{n}"), actor=applicant)
        if not created:
            made.append(project)
            continue
        goal = ORDER.index(reached)

        def step(action, user, **data):
            nonlocal project
            project = project_step(project=project, action=action, actor=user, data=data)

        notice_start = start if goal > 1 else today - dt.timedelta(days=2)
        if goal >= 1:
            step("publish", applicant, notice_start=notice_start, place="村务公开栏")
        if goal >= 2:
            step("review", office, outcome=NoticeOutcome.NO_OBJECTION, objections="")
        if goal >= 3:
            step("approve", county, note="县级评审通过，纳入项目库")
        if goal >= 4:
            step("issue", county, day=start + dt.timedelta(days=30))
        if goal >= 5:
            step("start", office, contractor="即墨区鑫盛建筑工程有限公司", started_on=start + dt.timedelta(days=40),
                 progress=20)
            step("progress", office, progress=60 if reached == "building" else 90)
            payment_create(project=project, source="central", amount_fen=budget["central"] * 100 * 3 // 10,
                           day=start + dt.timedelta(days=45), payee="即墨区鑫盛建筑工程有限公司", note="预付款",
                           client_id=uuid.uuid5(NAMESPACE, f"pay-{n}-1"), actor=office)
        if goal >= 6:
            step("self_check", applicant, notice_start=start + dt.timedelta(days=80), place="村务公开栏",
                 actuals={"工程完工率": "100%", "受益脱贫户满意度": "98%"})
            step("accept", office, outcome=NoticeOutcome.NO_OBJECTION, objections="")
            step("spot_check", county, note="抽查合格")
            for source, amount in budget.items():
                paid = amount * 100 * 3 // 10 if source == "central" else 0
                payment_create(project=project, source=source, amount_fen=amount * 100 - paid,
                               day=start + dt.timedelta(days=100), payee="即墨区鑫盛建筑工程有限公司", note="验收后结算",
                               client_id=uuid.uuid5(NAMESPACE, f"pay-{n}-{source}"), actor=office)
            step("hand_over", office, items=[{
                "name": name.format(village=village.name).removesuffix("工程"), "value_fen": sum(budget.values()) * 100,
                "owner_level": HandoverOwner.VILLAGE, "owner_name": f"{village.name}村民委员会",
                "keeper": f"{village.name}村民委员会"}])
        made.append(project)
    return made
