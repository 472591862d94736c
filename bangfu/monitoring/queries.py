"""Every read of monitoring, starting at the leads' scope door (Lead.objects.visible_to)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.http import Http404

from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.monitoring.models import OPEN_STAGES, DepartmentDrop, Lead, Stage
from bangfu.monitoring.services import colour
from bangfu.regions.models import Region

BOARD_LIMIT = 500


def lead_get(user, pk: int) -> Lead:
    lead = Lead.objects.visible_to(user).select_related("household", "village", "drop").filter(pk=pk).first()
    if lead is None:
        raise Http404("no such lead")
    return lead


def board(user, *, village: str = "", today: dt.date | None = None) -> dict:
    """The open leads by stage, each with its age in days and colour (红/黄/绿), oldest due first."""
    today = today or local_today()
    leads = Lead.objects.visible_to(user).open().select_related("village")
    if village:
        leads = leads.filter(region_code__startswith=village)
    columns: dict[str, list] = defaultdict(list)
    counts = {"red": 0, "yellow": 0, "green": 0}
    for lead in leads.order_by("due_on", "pk")[:BOARD_LIMIT]:
        lead.colour = colour(lead, today)
        lead.age = (today - lead.received_on).days
        counts[lead.colour] += 1
        columns[lead.stage].append(lead)
    return {"columns": [(Stage(stage), columns.get(stage, [])) for stage in OPEN_STAGES], "counts": counts}


def closed_leads(user, limit: int = 50) -> list[Lead]:
    return list(Lead.objects.visible_to(user).exclude(stage__in=OPEN_STAGES).select_related("village")
                .order_by("-decided_on", "-pk")[:limit])


def leads_list(user, *, stage: str = "", limit: int = 200) -> list[Lead]:
    leads = Lead.objects.visible_to(user).select_related("village")
    if stage:
        leads = leads.filter(stage=stage)
    return list(leads.order_by("-received_on", "-pk")[:limit])


def monitored_list(user, *, stage: str = "", limit: int = 500) -> list[Lead]:
    """Households in identification or monitored: every lead with a household, with its stage."""
    leads = Lead.objects.visible_to(user).filter(household__isnull=False).exclude(stage=Stage.ALREADY) \
        .select_related("household", "village")
    if stage:
        leads = leads.filter(stage=stage)
    return list(leads.order_by("-received_on", "-pk")[:limit])


def notice_list(user, village_code: str) -> tuple[Region, list[Lead]]:
    """A village's leads under public notice (or due to be), for the printed notice and its sheet."""
    village = Region.objects.filter(code=village_code, level=Level.VILLAGE).first()
    if village is None or not _village_in_scope(user, village_code):
        raise Http404("no such village")
    leads = Lead.objects.visible_to(user).filter(region_code__startswith=village_code, stage=Stage.PUBLICIZE)
    return village, list(leads.select_related("household").order_by("received_on", "pk"))


def _village_in_scope(user, code: str) -> bool:
    from bangfu.core.permissions import Role

    return user.role == Role.ADMIN or bool(user.region_id) and code.startswith(user.region_id)


def drops(user, limit: int = 20) -> list[DepartmentDrop]:
    return list(DepartmentDrop.objects.visible_to(user).order_by("-uploaded_at", "-pk")[:limit])


def drop_get(user, pk: int) -> DepartmentDrop:
    drop = DepartmentDrop.objects.visible_to(user).filter(pk=pk).first()
    if drop is None:
        raise Http404("no such drop")
    return drop


def drop_outcomes(drop: DepartmentDrop) -> list[dict]:
    """Each row of a drop with where its lead stands now: 纳入 / 已是监测对象 / 不符合 and why, or
    still being identified; the rows that matched nobody and those below the threshold included."""
    leads = {lead.pk: lead for lead in Lead.objects.filter(drop=drop)}
    out = []
    for entry in drop.rows:
        lead = leads.get(entry.get("lead"))
        result = entry["result"]
        reason = entry.get("message", "")
        if lead is not None:
            if lead.outcome:
                result, reason = lead.outcome, lead.outcome_reason
            else:
                result, reason = "open", str(Stage(lead.stage).label)
        out.append({**entry, "result": result, "reason": reason})
    return out


# --- the plan per household, clearances and flags ---------------------------------------------------

def plan_of(user, household_id: int) -> dict:
    """A monitored household's plan: its measures, its needs (through needs' queries) with their
    measures, its clearances and its identification; 404 outside the caller's area."""
    from bangfu.households import queries as household_queries
    from bangfu.monitoring.models import Clearance, PlanMeasure
    from bangfu.needs import queries as need_queries

    household = household_queries.household_get(user, household_id)
    measures = list(PlanMeasure.objects.visible_to(user).filter(household=household).select_related("owner")
                    .order_by("status", "due_on", "pk"))
    needs = need_queries.open_needs_of(user, household.pk)
    clearances = list(Clearance.objects.visible_to(user).filter(household=household).order_by("-proposed_on", "-pk"))
    lead = (Lead.objects.visible_to(user).filter(household=household, stage=Stage.MONITORED)
            .order_by("-decided_on", "-pk").first())
    return {"household": household, "measures": measures, "needs": needs, "clearances": clearances,
            "identification": lead}


def clearance_get(user, pk: int):
    from bangfu.monitoring.models import Clearance

    clearance = Clearance.objects.visible_to(user).select_related("household").filter(pk=pk).first()
    if clearance is None:
        raise Http404("no such clearance")
    return clearance


def measure_get(user, pk: int):
    from bangfu.monitoring.models import PlanMeasure

    measure = PlanMeasure.objects.visible_to(user).filter(pk=pk).first()
    if measure is None:
        raise Http404("no such measure")
    return measure


def plans_list(user, *, limit: int = 200):
    from bangfu.monitoring.models import PlanMeasure

    return list(PlanMeasure.objects.visible_to(user).order_by("-created_at", "-pk")[:limit])


def flags_list(user, *, rule: str = "", limit: int = 500):
    from bangfu.monitoring.models import Flag

    flags = Flag.objects.visible_to(user).select_related("household")
    if rule:
        flags = flags.filter(rule=rule)
    return list(flags.order_by("region_code", "household_id", "rule")[:limit])


def flags_of(user, household_id: int):
    from bangfu.monitoring.models import Flag

    return list(Flag.objects.visible_to(user).filter(household_id=household_id).order_by("rule"))
