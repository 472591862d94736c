"""The defaults a county may change (AssetSetting): each kind's checklist and inspection interval,
and the least share of an asset's distributable income that goes to public-welfare posts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# A checklist item: (key, label, type). "check" is a yes/no (yes: as it should be), "number" a reading.
CHECK = "check"
NUMBER = "number"

CHECKLISTS: dict[str, tuple[tuple[str, object, str], ...]] = {
    "pv_station": (
        ("panels_clean", _("Panels clean, nothing shading them"), CHECK),
        ("inverter_running", _("Inverter running, no fault light"), CHECK),
        ("fence_intact", _("Fence and gate intact"), CHECK),
        ("cables_sound", _("Cables and boxes sound"), CHECK),
        ("meter_reading", _("Meter reading (kWh)"), NUMBER),
    ),
    "greenhouse": (
        ("film_intact", _("Film and frame intact"), CHECK),
        ("irrigation_working", _("Irrigation working"), CHECK),
        ("in_use", _("In use (planted)"), CHECK),
    ),
    "workshop": (
        ("building_sound", _("Building sound"), CHECK),
        ("fire_safety", _("Fire extinguishers and exits in order"), CHECK),
        ("in_use", _("In use"), CHECK),
        ("workers", _("People working there"), NUMBER),
    ),
    "road": (
        ("surface_sound", _("Surface without holes or cracks"), CHECK),
        ("drains_clear", _("Drains clear"), CHECK),
        ("signs_intact", _("Signs and guard rails intact"), CHECK),
    ),
    "water": (
        ("supply_running", _("Water supply running"), CHECK),
        ("pipes_sound", _("Pipes and valves without leaks"), CHECK),
        ("tank_clean", _("Tank clean and covered"), CHECK),
    ),
    "other": (
        ("sound", _("In good repair"), CHECK),
        ("in_use", _("In use"), CHECK),
    ),
}

# Days between two inspections of each kind: PV monthly, greenhouses and workshops quarterly...
INTERVAL_DAYS: dict[str, int] = {
    "pv_station": 30,
    "greenhouse": 90,
    "workshop": 90,
    "road": 180,
    "water": 90,
    "other": 180,
}

# 分配方案: at least this share (percent) of the distributable income pays public-welfare posts.
WELFARE_MIN_PERCENT = 60
# The most photos one inspection keeps, the largest upload, the longest side kept (px).
PHOTOS_MAX = 4
PHOTO_MAX_BYTES = 10 * 1024 * 1024
PHOTO_LONGEST_SIDE = 1600
# Days given to fix a finding when the inspector names none.
FIX_DAYS = 14
