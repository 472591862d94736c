"""Writes to the division tree: the national tree loaded from the shipped files, villages and groups added."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core.codes import CHILD_LEVEL, CODE_LENGTHS, LEVEL_BY_LENGTH, Level
from bangfu.core.permissions import require
from bangfu.history.services import areas_touch
from bangfu.regions.models import Region
from bangfu.regions.queries import forget_region_names

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def _read_rows(data_dir: Path):
    """Yield (code, name, level, parent_code) for every row of the four shipped files."""
    files = [
        ("provinces.csv", Level.PROVINCE, None),
        ("cities.csv", Level.CITY, "provinceCode"),
        ("areas.csv", Level.COUNTY, "cityCode"),
        ("streets.csv", Level.TOWNSHIP, "areaCode"),
    ]
    for file_name, level, parent_column in files:
        with open(data_dir / file_name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield row["code"], row["name"], level, row[parent_column] if parent_column else None


@transaction.atomic
def regions_load(*, data_dir: Path = DATA_DIR) -> LoadResult:
    """Load (or refresh) the province-to-township tree. Running it again changes nothing."""
    existing = {
        code: (name, parent_id)
        for code, name, parent_id in Region.objects.filter(
            level__in=[Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP]
        ).values_list("code", "name", "parent_id")
    }
    to_create: list[Region] = []
    to_update: list[Region] = []
    unchanged = 0
    for code, name, level, parent_code in _read_rows(data_dir):
        region = Region(code=code, name=name, level=level, parent_id=parent_code)
        if code not in existing:
            to_create.append(region)
        elif existing[code] != (name, parent_code):
            to_update.append(region)
        else:
            unchanged += 1
    Region.objects.bulk_create(to_create, batch_size=2000)
    Region.objects.bulk_update(to_update, ["name", "parent"], batch_size=2000)
    if to_update:
        forget_region_names()
        transaction.on_commit(forget_region_names)
    if to_create or to_update:
        # Pages name regions and list them to choose from (history.pagecache): all may be stale.
        areas_touch([""])
    return LoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)


CODE_RE = re.compile(r"^[0-9]+$")


def region_create(*, actor, code: str, name: str) -> Region:
    """A user adds a village or group inside their own area."""
    require(actor, "region.add")
    code = (code or "").strip()
    if actor.scope and not code.startswith(actor.scope):
        raise ValidationError({"code": _("%(code)s is outside your area.") % {"code": code}})
    return region_add(code=code, name=name)


def region_add(*, code: str, name: str) -> Region:
    """Add a village (12 digits) under a township or a group (15) under a village. The caller has
    checked permission and scope (region_create for a user; the importer for a file)."""
    code = (code or "").strip()
    name = (name or "").strip()
    level = LEVEL_BY_LENGTH.get(len(code))
    if not CODE_RE.match(code) or level not in (Level.VILLAGE, Level.GROUP):
        raise ValidationError(
            {"code": _("A village code has 12 digits and a group code 15 digits.")}
        )
    if not name:
        raise ValidationError({"name": _("This field is required.")})
    parent_code = code[: CODE_LENGTHS[Level.TOWNSHIP if level == Level.VILLAGE else Level.VILLAGE]]
    parent = Region.objects.filter(code=parent_code).first()
    if parent is None or CHILD_LEVEL.get(parent.level) != level:
        raise ValidationError(
            {"code": _("No region %(code)s to put this under.") % {"code": parent_code}}
        )
    region, created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    if not created and region.name != name:
        raise ValidationError(
            {"code": _("Code %(code)s is already %(name)s.") % {"code": code, "name": region.name}}
        )
    if created:
        # Pages list the villages of an area to choose from (history.pagecache).
        areas_touch([code])
    return region
