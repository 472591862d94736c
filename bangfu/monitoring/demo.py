"""Demo data for monitoring: in both townships, leads in every stage of identification (one overdue
at home verification, one application to accept from the public form), one monitored and one not
included; and in the first township a medical-insurance drop with mixed rows (over and under the thresholds,
someone already monitored, the same person twice, a stranger)."""

from __future__ import annotations

import datetime as dt
import uuid

from bangfu.accounts.models import User
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households import choices
from bangfu.households.models import Household
from bangfu.households.synthetic import make_id_number
from bangfu.monitoring import services
from bangfu.monitoring.models import Department, Stage
from bangfu.regions.models import Region

# The steps that bring a lead from home verification to each later stage.
PATH = [
    ("verify", {"cadres": ["王建国", "李秀英"], "findings": "家中主要劳动力因病住院，医疗支出较大"}),
    ("compare", {"answers": "无车辆、无商品房、无财政供养人员"}),
    ("deliberate", {"meeting_on": None, "attendance": 23, "agreed": True}),
    ("publicize", {"notice_start": None, "notice_end": None, "objections": ""}),
    ("review", {"agreed": True}),
    ("decide", {"agreed": True, "monitor_type": choices.MonitorType.SUDDEN_HARDSHIP,
                "risks": [choices.Risk.ILLNESS]}),
]
TARGETS = [Stage.VERIFY, Stage.COMPARE, Stage.DELIBERATE, Stage.PUBLICIZE, Stage.REVIEW, Stage.DECIDE,
           Stage.MONITORED]


def _actor_for(action: str, township: Region, users: dict[str, User]) -> User:
    if action in ("verify", "deliberate", "publicize"):
        return users.get(f"village:{township.code}") or users["admin"]
    if action == "decide":
        county = users.get("county")
        return county if county is not None and township.code.startswith(county.region_id) else users["admin"]
    return users[f"office:{township.code}"]


def monitoring_demo_load() -> dict[str, int]:
    today = local_today()
    users = {"admin": User.objects.filter(role=Role.ADMIN).order_by("pk").first()}
    county = User.objects.filter(role=Role.COUNTY).order_by("pk").first()
    if county is not None:
        users["county"] = county
    made = 0
    # The demo's townships: those with an office (the demo makes one per township).
    offices = list(User.objects.filter(role=Role.TOWNSHIP_OFFICE, region__level=Level.TOWNSHIP)
                   .select_related("region").order_by("region_id"))
    for office in offices:
        township = office.region
        users[f"office:{township.code}"] = office
        village_user = User.objects.filter(role=Role.VILLAGE, region__code__startswith=township.code).first()
        if village_user is not None:
            users[f"village:{township.code}"] = village_user
        villages = list(Region.objects.filter(level=Level.VILLAGE, code__startswith=township.code).order_by("code"))
        village_of_steps = village_user.region if village_user is not None else villages[0]
        candidates = list(Household.objects.filter(region=village_of_steps).exclude(
            categories__category=choices.Category.MONITORED).order_by("number"))
        # One lead per target stage, received some days ago; the one at verification is overdue.
        for n, target in enumerate(TARGETS):
            household = candidates[n % len(candidates)]
            received = today - dt.timedelta(days=6 if target == Stage.VERIFY else 4)
            lead, _created = services.lead_create(
                actor=office, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-lead-{township.code}-{n}"),
                source="cadre", channel="campaign" if n % 2 else "contact", village=household.region,
                household=household, indicator="大病医疗支出" if n % 2 else "务工收入骤减",
                value="38000" if n % 2 else "", difficulty="入户排查发现", received_on=received)
            for action, data in PATH:
                if lead.stage == target:
                    break
                data = dict(data)
                if action == "deliberate":
                    data["meeting_on"] = today - dt.timedelta(days=1)
                if action == "publicize":
                    data["notice_start"], data["notice_end"] = today - dt.timedelta(days=6), today - dt.timedelta(days=1)
                lead = services.lead_step(lead=lead, actor=_actor_for(action, township, users), action=action,
                                          data=data)
            made += 1
        # Not included: the comparison found a car and a flat in town.
        household = candidates[len(TARGETS) % len(candidates)]
        lead, _created = services.lead_create(
            actor=office, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-lead-{township.code}-out"), source="application",
            channel="phone", village=household.region, household=household, indicator="申请纳入监测",
            difficulty="电话申请", received_on=today - dt.timedelta(days=3))
        services.lead_step(lead=lead, actor=office, action="accept")
        services.lead_step(lead=lead, actor=office, action="exclude",
                           data={"reason": "信息比对：家庭有小轿车一辆、城区商品房一套"})
        # An application from the public form, waiting to be accepted.
        services.lead_apply_public(township=township, village=villages[-1], name="韩立新",
                                   id_number=make_id_number(township.code[:6], dt.date(1979, 4, 2), 31, "M"),
                                   phone="13905321188", difficulty="妻子突发重病住院，花费已超过三万元")
        made += 2
    if offices:
        made += _demo_drop(users, offices[0])
    return {"leads": made}


def _demo_drop(users: dict[str, User], office: User) -> int:
    """A medical-insurance drop in the office's township: over the line (a lead), under it, already monitored, the
    same person twice, and someone registered nowhere in the township."""
    households = Household.objects.filter(region_code__startswith=office.region_id).order_by("number")
    monitored = households.filter(categories__category=choices.Category.MONITORED).first()
    others = list(households.exclude(categories__category=choices.Category.MONITORED)
                  .exclude(leads__isnull=False)[:3])
    rows = []
    number = 2
    for household, amount in ((others[0], 26000), (others[1], 1200), (monitored, 9000), (others[2], 21000),
                              (others[2], 21000)):
        member = household.members.order_by("pk").first()
        rows.append(services.DropRow(row=number, id_number=member.id_number[:18], name=member.name,
                                     value=str(amount), amount_fen=amount * 100))
        number += 1
    rows.append(services.DropRow(row=number, id_number=make_id_number("370283", dt.date(1966, 8, 9), 27, "F"),
                                 name="外乡人", value="50000", amount_fen=5_000_000))
    drop = services.drop_import(actor=office, department=Department.MEDICAL, rows=rows, file_name="医保局2026年11月大额支出.xlsx")
    return drop.lead_count


# --- plans, clearances and flags ---------------------------------------------------------------------

def _identified(office: User, township: Region, users: dict[str, User], household: Household, tag: str):
    """Take a household through identification to monitored (as the county decides)."""
    from bangfu.monitoring.models import Lead

    lead, _created = services.lead_create(
        actor=office, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-plan-lead-{tag}"), source="cadre",
        channel="contact", village=household.region, household=household, indicator="务工收入骤减",
        difficulty="入户排查发现", received_on=local_today() - dt.timedelta(days=5))
    today = local_today()
    for action, data in PATH:
        if lead.stage != STEPS_FROM[action]:
            continue
        data = dict(data)
        if action == "deliberate":
            data["meeting_on"] = today - dt.timedelta(days=1)
        if action == "publicize":
            data["notice_start"], data["notice_end"] = today - dt.timedelta(days=6), today - dt.timedelta(days=1)
        lead = services.lead_step(lead=lead, actor=_actor_for(action, township, users), action=action, data=data)
    return Lead.objects.get(pk=lead.pk)


STEPS_FROM = {action: start for action, (start, _end) in services.STEPS.items()}


def plans_demo_load() -> dict[str, int]:
    """Plans for the demo's monitored households; in the first township one risk cleared (within two
    months of identification: flagged) and one refused by the township; an identification of seven
    months ago with no development measure, a household whose risk is unstable employment with nobody
    of working age; then the nightly flags."""
    from bangfu.households.services import household_monitoring_set
    from bangfu.monitoring.models import ClearanceStage, Lead
    from bangfu.monitoring.rules import flags_refresh
    from bangfu.needs.queries import owner_choices

    today = local_today()
    users = {"admin": User.objects.filter(role=Role.ADMIN).order_by("pk").first()}
    county = User.objects.filter(role=Role.COUNTY).order_by("pk").first()
    if county is not None:
        users["county"] = county
    offices = list(User.objects.filter(role=Role.TOWNSHIP_OFFICE, region__level=Level.TOWNSHIP)
                   .select_related("region").order_by("region_id"))
    measures = clearances = 0
    for index, office in enumerate(offices):
        township = office.region
        users[f"office:{township.code}"] = office
        village_user = User.objects.filter(role=Role.VILLAGE, region__code__startswith=township.code).first()
        if village_user is not None:
            users[f"village:{township.code}"] = village_user
        owners = list(owner_choices(township.code)[:3]) or [office]
        households = Household.objects.filter(region_code__startswith=township.code).order_by("number")
        if index == 0:
            # Two households that the rules allow to clear: made monitored, then one cleared and one refused.
            steps_village = households.filter(region=village_user.region) if village_user is not None else households
            fit = [h for h in steps_village.exclude(categories__category=choices.Category.MONITORED)
                   .exclude(leads__isnull=False)[:300] if not services.clearance_refusals(h)][:2]
            for n, household in enumerate(fit):
                _identified(office, township, users, household, f"{township.code}-{n}")
                clearance, _created = services.clearance_start(
                    actor=users.get(f"village:{township.code}") or users["admin"], household=household,
                    client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-clearance-{township.code}-{n}"),
                    method=choices.RiskEliminationMethod.ASSISTED if n == 0 else choices.RiskEliminationMethod.NATURAL)
                steps = [("verify", {"cadres": ["王建国", "李秀英"], "findings": "家中两人在县城稳定务工，收入已超过监测线",
                                     "stable_since": today - dt.timedelta(days=220)}),
                         ("publicize", {"meeting_on": today - dt.timedelta(days=8),
                                        "notice_start": today - dt.timedelta(days=7),
                                        "notice_end": today - dt.timedelta(days=1)}),
                         ("review", {"agreed": True} if n == 0 else {"agreed": False,
                                                                       "reason": "务工合同仅剩两个月，收入来源不稳定，继续监测"}),
                         ("decide", {"agreed": True})]
                for action, data in steps:
                    if clearance.stage != action:
                        break
                    actor = _actor_for("decide" if action == "decide" else
                                       "verify" if action in ("verify", "publicize") else "review", township, users)
                    clearance = services.clearance_step(clearance=clearance, actor=actor, action=action, data=data)
                clearances += clearance.stage in (ClearanceStage.CLEARED, ClearanceStage.REFUSED)
            # Unstable employment with nobody of working age (a couple past sixty): flagged.
            elderly = (households.exclude(categories__category=choices.Category.MONITORED)
                       .exclude(members__birth_date__gt=dt.date(today.year - 61, today.month, 1)).first())
            if elderly is not None:
                household_monitoring_set(actor=office, household=elderly, monitor_type=choices.MonitorType.MARGINAL,
                                         risks=[choices.Risk.UNSTABLE_WORK])
        monitored = list(households.filter(categories__category=choices.Category.MONITORED))
        leads = Lead.objects.filter(household__in=monitored, stage=Stage.MONITORED).order_by("pk")
        # An identification decided seven months ago (the demo has no past: its date is moved back), its
        # household with labour and only a health measure: flagged for no development measure.
        older = leads.first()
        if older is not None:
            Lead.objects.filter(pk=older.pk).update(decided_on=today - dt.timedelta(days=210))
        for n, household in enumerate(monitored):
            kind = "health" if household.pk == (older.household_id if older else None) or n % 2 else "employment"
            content = {"health": "落实大病保险和医疗救助，家庭医生签约随访",
                       "employment": "推荐到县城工业园务工，落实一次性交通补贴"}[kind]
            _measure, created = services.measure_create(
                actor=office, household=household, client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"demo-measure-{household.pk}"),
                type=kind, content=content, owner=owners[n % len(owners)], due_on=today + dt.timedelta(days=30))
            measures += created
    flags = flags_refresh()
    return {"measures": measures, "clearances": clearances, "flags": flags["raised"]}
