"""Writes to the division tree: the national tree loaded from the shipped files (villages by area,
when needed), villages and groups added."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bangfu.core import bulk
from bangfu.core.codes import (
    CHILD_LEVEL,
    CODE_LENGTHS,
    LEVEL_BY_LENGTH,
    TOWNSHIP_LENGTH,
    VILLAGE_LENGTH,
    Level,
    township_of,
)
from bangfu.core.permissions import require
from bangfu.history.services import areas_touch
from bangfu.regions.models import Region
from bangfu.regions.queries import VILLAGES_FILE, forget_region_names, national_villages

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


def regions_ensure(*, base_url: str = "", data_dir: Path = DATA_DIR) -> list[str]:
    """The tree down to townships loaded when any of its codes is missing (a fresh install, or an
    upgrade that ships new ones), only their codes read otherwise: quick when all is there. `bangfu serve` runs it
    first; `bangfu regions load` refreshes names too."""
    shipped = {code for code, _name, _level, _parent in _read_rows(data_dir)}
    levels = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP]
    if shipped <= set(Region.objects.filter(level__in=levels).values_list("code", flat=True)):
        return []
    result = regions_load(data_dir=data_dir)
    return [_("Division tree loaded: %(created)d provinces, cities, counties and townships added.")
            % {"created": result.created}]


CODE_RE = re.compile(r"^[0-9]+$")
# The village part (last 3 digits) of a village a township adds itself: the national list uses
# 001-599 only (checked in tests/test_villages.py against the shipped file).
LOCAL_FIRST, LOCAL_LAST = 900, 999
PREFIX_LENGTHS = (0, 2, 4, 6, 9, 12)


@dataclass(frozen=True)
class VillagesLoadResult:
    created: int
    existing: int  # official codes already in the tree, left as they are
    # Official codes taken by a village of another name added before the national list was loaded:
    # left as they are, for whoever knows which is right.
    differing: list[tuple[str, str, str]]  # (code, name in the tree, name in the national list)


def villages_load(*, prefix: str = "", actor=None, path: Path = VILLAGES_FILE) -> VillagesLoadResult:
    """Load the national list's villages under a code prefix (a province, city, county, township or
    one village; all of them for ""): the missing ones are inserted, those in the tree (official or
    a township's own) are left as they are, so running it again changes nothing. With an `actor`
    (the web), their role and area are checked: an administrator anywhere, a township office in its
    own township."""
    prefix = (prefix or "").strip()
    if not CODE_RE.match(prefix or "0") or len(prefix) not in PREFIX_LENGTHS:
        raise ValidationError({"prefix": _("Give a division code of a county, township or village (6, 9 or 12 digits).")})
    if actor is not None:
        require(actor, "region.load")
        if actor.scope and not prefix.startswith(actor.scope):
            raise ValidationError({"prefix": _("%(code)s is outside your area.") % {"code": prefix or "—"}})
    with transaction.atomic():
        rows = national_villages(prefix, path)
        townships = set(Region.objects.filter(level=Level.TOWNSHIP).within(prefix[:TOWNSHIP_LENGTH])
                        .values_list("code", flat=True))
        tree = dict(Region.objects.filter(level=Level.VILLAGE).within(prefix).values_list("code", "name"))
        to_create = []
        existing = 0
        differing = []
        for code, name in rows:
            if code in tree:
                existing += 1
                if tree[code] != name:
                    differing.append((code, tree[code], name))
            elif township_of(code) in townships:
                to_create.append((code, name, Level.VILLAGE, township_of(code), False))
        # COPY on PostgreSQL: the whole country is some 620,000 rows.
        bulk.insert_rows(Region, ("code", "name", "level", "parent_id", "local"), to_create)
        if to_create:
            # Pages list the villages of an area to choose from (history.pagecache).
            areas_touch({township_of(row[0]) for row in to_create})
    return VillagesLoadResult(created=len(to_create), existing=existing, differing=differing)


def official_village_name(code: str) -> str | None:
    """The national list's name for a 12-digit code, or None."""
    for found, name in national_villages(township_of(code)):
        if found == code:
            return name
    return None


def village_local_code(township_code: str) -> str:
    """The first free code of the township's own range (900-999)."""
    taken = set(Region.objects.within(township_code).filter(level=Level.VILLAGE).values_list("code", flat=True))
    for number in range(LOCAL_FIRST, LOCAL_LAST + 1):
        code = f"{township_code}{number:03d}"
        if code not in taken:
            return code
    raise ValidationError({"name": _("The township has no free village code left (900-999).")})


def village_add_local(*, township_code: str, name: str) -> Region:
    """A village the national list lacks (merged or renamed), added under its township with the next
    free code of its own range and marked local. The caller has checked permission and scope."""
    if len(township_code) != TOWNSHIP_LENGTH:
        raise ValidationError({"parent": _("A village goes under a township.")})
    return region_add(code=village_local_code(township_code), name=name)


def region_create(*, actor, code: str, name: str) -> Region:
    """A user adds a village or group inside their own area; a township's code alone (9 digits) adds
    a village with the township's next own code (900-999)."""
    require(actor, "region.add")
    code = (code or "").strip()
    if len(code) == TOWNSHIP_LENGTH and CODE_RE.match(code) and (not actor.scope or code.startswith(actor.scope)):
        code = village_local_code(code)
    if actor.scope and not code.startswith(actor.scope):
        raise ValidationError({"code": _("%(code)s is outside your area.") % {"code": code}})
    if len(code) == VILLAGE_LENGTH and CODE_RE.match(code) and not LOCAL_FIRST <= int(code[-3:]) <= LOCAL_LAST:
        official = official_village_name(code)
        if official:
            message = _("%(code)s is %(name)s in the national list: load the township's villages instead.") % {
                "code": code, "name": official}
        else:
            message = _("A village the township adds itself takes a number from 900 to 999; the others are "
                        "the national list's.")
        raise ValidationError({"number": message})
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
    local = False
    if level == Level.VILLAGE:
        # A code of the national list is that village, whatever the caller calls it; any other
        # village is the township's own.
        official = official_village_name(code)
        local = official is None
        name = official or name
    region, created = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent, "local": local}
    )
    if not created and region.name != name:
        raise ValidationError(
            {"code": _("Code %(code)s is already %(name)s.") % {"code": code, "name": region.name}}
        )
    if created:
        # Pages list the villages of an area to choose from (history.pagecache).
        areas_touch([code])
    return region
