"""Reads of the division tree."""

from __future__ import annotations

from bangfu.regions.models import Level, Region


def villages_within(code: str):
    return Region.objects.within(code).filter(level=Level.VILLAGE).order_by("code")


def region_path(region: Region) -> list[Region]:
    """The region and its ancestors, top first (one query)."""
    codes = region.ancestors_codes() + [region.code]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def region_label(region: Region) -> str:
    """"青岛市 即墨区 蓝村街道 戴家庄村" without the province and 市辖区 placeholders."""
    names = [r.name for r in region_path(region) if r.level != Level.PROVINCE and r.name != "市辖区"]
    return " ".join(names)
