"""Every read of projects, starting at the scope door (Project.objects.visible_to)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from bangfu.core.codes import Level, level_of, prefix_q
from bangfu.core.permissions import Role
from bangfu.projects.models import LedgerKind, Project, ProjectVillage, Source
from bangfu.projects.services import ledger_totals
from bangfu.regions.models import Region


def projects_list(user, *, stage: str = ""):
    projects = Project.objects.visible_to(user).select_related("region").prefetch_related(
        Prefetch("village_rows", queryset=ProjectVillage.objects.select_related("region")))
    if stage:
        projects = projects.filter(stage=stage)
    return projects.order_by("region_code", "-created_at", "pk")


def project_get(user, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.visible_to(user).select_related("region", "created_by").prefetch_related(
            Prefetch("village_rows", queryset=ProjectVillage.objects.select_related("region")),
            "targets", "notices", "handover"),
        pk=pk)


@dataclass
class MoneyRow:
    source: str
    label: str
    budget: int
    allocated: int
    paid: int

    @property
    def remaining(self) -> int:
        return self.allocated - self.paid

    @property
    def rate(self) -> float | None:
        """支出率: paid / allocated, in percent."""
        return round(self.paid * 100 / self.allocated, 1) if self.allocated else None


def money(project: Project) -> list[MoneyRow]:
    """Per source with a budget or an entry, then the total."""
    totals = ledger_totals(project)
    rows = [MoneyRow(s.value, s.label, project.budget(s.value), totals[s.value]["allocated"], totals[s.value]["paid"])
            for s in Source if project.budget(s.value) or totals[s.value]["allocated"]]
    rows.append(MoneyRow("", "", sum(r.budget for r in rows), sum(r.allocated for r in rows), sum(r.paid for r in rows)))
    return rows


def ledger(project: Project):
    return project.ledger.select_related("recorded_by").order_by("day", "pk")


def payments(project: Project):
    return ledger(project).filter(kind=LedgerKind.PAYMENT)


def regions_for(user) -> tuple[list[Region], list[Region]]:
    """(the regions the user may apply for a project for, the villages of their area)."""
    if user.role == Role.ADMIN:
        area = Region.objects.all()
    elif user.region_id:
        area = Region.objects.filter(prefix_q("code", user.region_id))
    else:
        return [], []
    applying = [r for r in area.order_by("code") if level_of(r.code) in (Level.VILLAGE, Level.TOWNSHIP, Level.COUNTY)]
    villages = [r for r in applying if level_of(r.code) == Level.VILLAGE]
    return applying, villages


def counties_for(user) -> list[Region]:
    """The counties whose deadlines the user sets: their own (an administrator: every county)."""
    if user.role == Role.ADMIN:
        return list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    if user.region_id and level_of(user.region_id) == Level.COUNTY:
        return list(Region.objects.filter(code=user.region_id))
    return []
