"""Reads of the division tree."""

from __future__ import annotations

import lzma
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from django.db.models import Count
from django.db.models.functions import Substr

from bangfu.core.codes import COUNTY_LENGTH, Level, township_of
from bangfu.core.text import clean_text
from bangfu.regions.models import Region

# Region names by code, read once per process: the tree is reference data loaded by regions_load
# (which clears this); a region saved or deleted through the ORM updates it (apps.py).
_names: dict[str, str] = {}


def region_name(code: str) -> str:
    """The name of the region with this code (one query the first time in a process, none after)."""
    name = _names.get(code)
    if name is None:
        name = Region.objects.filter(code=code).values_list("name", flat=True).first()
        if name is None:
            raise Region.DoesNotExist(code)
        _names[code] = name
    return name


def region_names(codes) -> dict[str, str]:
    """The names of the regions with these codes, by code (codes of no region are left out): one
    query for those not read before in this process, none when all were."""
    codes = set(codes)
    missing = [code for code in codes if code not in _names]
    if missing:
        _names.update(Region.objects.filter(code__in=missing).values_list("code", "name"))
    return {code: _names[code] for code in codes if code in _names}


def forget_region_names(**_kwargs) -> None:
    _names.clear()


def region_saved(instance: Region, **_kwargs) -> None:
    _names[instance.code] = instance.name


def region_deleted(instance: Region, **_kwargs) -> None:
    _names.pop(instance.code, None)


def villages_within(code: str):
    return Region.objects.within(code).filter(level=Level.VILLAGE).order_by("code")


def children_with_villages(code: str):
    """The regions one level below `code` ("" for the provinces) that have villages under them, in
    code order: the steps down to a village, without the dead ends of a tree loaded to townships."""
    length = {0: 2, 2: 4, 4: 6, 6: 9}[len(code)]
    villages = villages_within(code) if code else Region.objects.filter(level=Level.VILLAGE)
    prefixes = villages.order_by().annotate(prefix=Substr("code", 1, length)).values("prefix").distinct()
    return Region.objects.filter(code__in=prefixes).order_by("code")


def region_path(region: Region) -> list[Region]:
    """The region and its ancestors, top first (one query)."""
    codes = region.ancestors_codes() + [region.code]
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]


def region_label(region: Region) -> str:
    """"青岛市 即墨区 蓝村街道 戴家庄村" without the province and 市辖区 placeholders."""
    names = [r.name for r in region_path(region) if r.level != Level.PROVINCE and r.name != "市辖区"]
    return " ".join(names)


def local_regions(user) -> list[Region]:
    """Villages and groups in the user's area, in code order, with their household counts."""
    qs = Region.objects.filter(level__in=[Level.VILLAGE, Level.GROUP])
    if user.scope:
        qs = qs.within(user.scope)
    return list(qs.annotate(household_count=Count("households")).order_by("code"))


def parents_for_new_regions(user) -> list[Region]:
    """Where this user may add: townships (for villages) and villages (for groups) in their area.
    Without a county of their own (an administrator), only townships that already have villages."""
    scope = user.scope
    villages = list(Region.objects.within(scope).filter(level=Level.VILLAGE))
    if len(scope) >= COUNTY_LENGTH:
        townships = list(Region.objects.within(scope).filter(level=Level.TOWNSHIP))
    else:
        townships = list(Region.objects.filter(code__in={township_of(v.code) for v in villages}))
    return sorted(townships + villages, key=lambda region: region.code)


# --- the national list of villages (data/villages.csv.xz) --------------------------------------

VILLAGES_FILE = Path(__file__).resolve().parent / "data" / "villages.csv.xz"
# Suffixes a sheet may add or leave out of a village's name (振兴村 ↔ 振兴村村民委员会), longest first.
COMMITTEE_SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会")


def national_villages(prefix: str = "", path: Path = VILLAGES_FILE) -> tuple[tuple[str, str], ...]:
    """(code, name) of the villages of the national list whose code starts with `prefix`, in code
    order. The file is sorted by code, so the area's lines are one run found by a search; the cost
    is the decompression (about a third of a second), remembered for the last counties or
    townships asked (a province's or the country's list is too big to keep)."""
    if len(prefix) >= COUNTY_LENGTH:
        return _national_villages_kept(prefix, path)
    return _national_villages_read(prefix, path)


@lru_cache(maxsize=16)
def _national_villages_kept(prefix: str, path: Path) -> tuple[tuple[str, str], ...]:
    return _national_villages_read(prefix, path)


def _national_villages_read(prefix: str, path: Path) -> tuple[tuple[str, str], ...]:
    with lzma.open(path, "rb") as handle:
        data = handle.read()
    needle = b"\n" + prefix.encode("ascii")
    start = data.find(needle)
    found: list[tuple[str, str]] = []
    while start != -1:
        end = data.find(b"\n", start + 1)
        if end == -1:
            break
        line = data[start + 1:end]
        if not line.startswith(needle[1:]):
            break
        code, _comma, name = line.decode("utf-8").partition(",")
        if code != "code":
            found.append((code, name))
        start = end
    return tuple(found)


def village_key(name: str) -> str:
    """A village's name as names are compared: full-width and spaces ignored, and the committee
    suffix and 社区 left out (阳辉路社区居民委员会 ↔ 阳辉路社区 ↔ 阳辉路)."""
    name = clean_text(name)
    for suffix in COMMITTEE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if name.endswith("社区") and len(name) > 2:
        name = name[:-2]
    return name


def closest_names(name: str, names, *, limit: int = 5) -> list[str]:
    """The names nearest to `name` (by their keys), nearest first; all of them when few."""
    key = village_key(name)
    names = list(dict.fromkeys(names))
    scored = sorted(names, key=lambda other: -SequenceMatcher(None, key, village_key(other)).ratio())
    return scored[:limit]
