"""The work app's template filters: a 地域 in the words of the source sheets."""

from django import template

from bangfu.work.areas import AREA_SHORT

register = template.Library()


@register.filter
def area_short(area: str) -> str:
    return AREA_SHORT.get(area, "")
