"""地域: where a place of work lies from a labourer's home, derived from the two division codes."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from bangfu.core.codes import CODE_LENGTHS, Level, city_of, level_of
from bangfu.work.models import Activity, Area

COUNTY_LENGTH = CODE_LENGTHS[Level.COUNTY]
PROVINCE_LENGTH = CODE_LENGTHS[Level.PROVINCE]
CITY_LENGTH = CODE_LENGTHS[Level.CITY]


def place_code_problem(code: str) -> str | None:
    """Why a place's code is no division code (None when it is one): digits, of a level's length."""
    if not code.isdigit() or level_of(code) is None or level_of(code) == Level.GROUP:
        return str(_("Enter a division code of 2, 4, 6, 9 or 12 digits (44 广东省, 440300 深圳市)."))
    return None


def area_of(place: str, home: str) -> str:
    """The 地域 of a place of work seen from a home, both division codes. A place known only to
    its province (or city) is placed as far as that goes: a province code of the home's own
    province is taken as within the province but outside the city, since a place within the city
    or county is given by its city's or county's code."""
    if place[:PROVINCE_LENGTH] != home[:PROVINCE_LENGTH]:
        return Area.OUTSIDE_PROVINCE
    if len(place) < CITY_LENGTH or city_of(place) != city_of(home):
        return Area.OUTSIDE_CITY
    if len(place) < COUNTY_LENGTH or place[:COUNTY_LENGTH] != home[:COUNTY_LENGTH]:
        return Area.OUTSIDE_COUNTY
    return Area.IN_COUNTY


# The three 地域 of the reports (省外 / 省内县外 / 县内).
BANDS = {
    Area.OUTSIDE_PROVINCE: "outside_province",
    Area.OUTSIDE_CITY: "in_province",
    Area.OUTSIDE_COUNTY: "in_province",
    Area.IN_COUNTY: "in_county",
}
BAND_LABELS = {
    "outside_province": _("Outside the province (省外)"),
    "in_province": _("In the province, outside the county (省内县外)"),
    "in_county": _("In the county (县内)"),
}


def band_of(area: str) -> str:
    return BANDS.get(area, "")


# The words the source sheets use (an import takes them; the bank's export writes them).
AREA_SHORT = {Area.OUTSIDE_PROVINCE: "省外", Area.OUTSIDE_CITY: "省内市外", Area.OUTSIDE_COUNTY: "市内县外",
              Area.IN_COUNTY: "县内"}
ACTIVITY_SHORT = {Activity.MIGRANT: "外出务工", Activity.NEARBY: "就近就业", Activity.SELF_EMPLOYED: "自主创业",
                  Activity.WELFARE_POST: "公益岗位", Activity.UNEMPLOYED: "未就业", Activity.IN_SCHOOL: "在校",
                  Activity.UNABLE: "无法外出"}
