"""The inspections due in the day (casework.worklist) of a keeper (the asset's inspector) or of a
caseworker of the asset's village with no inspector named."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from bangfu.assets import queries
from bangfu.assets.models import Asset
from bangfu.casework.worklist import SECTION_LIMIT, WorklistSection
from bangfu.core.codes import prefix_q
from bangfu.core.permissions import Role


def inspections_section(caseworker, day) -> WorklistSection | None:
    """Two queries: the assets (with their last inspection) and the counties' settings."""
    mine = Q(inspector=caseworker)
    if caseworker.region_id and caseworker.role in (Role.CASEWORKER, Role.VILLAGE):
        mine |= Q(inspector__isnull=True) & prefix_q("region_code", caseworker.region_id)
    due = queries.inspections_due(Asset.objects.visible_to(caseworker).filter(mine), today=day)
    if not due:
        return None
    rows = due[:SECTION_LIMIT]
    return WorklistSection(
        key="asset_inspections", title=_("Asset inspections due"), template="assets/_section_inspections.html",
        items=rows, count=len(due),
        api_items=[{"asset": d.asset.pk, "name": d.asset.name, "kind": d.asset.kind, "due": d.due.isoformat(),
                    "last": d.last.isoformat() if d.last else None,
                    "url": reverse("assets:inspect", args=[d.asset.pk])} for d in rows],
    )
