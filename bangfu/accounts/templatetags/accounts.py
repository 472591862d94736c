"""Template filters of users: the name of the area a user works in."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _

from bangfu.regions.queries import region_name

register = template.Library()


@register.filter
def area_name(user) -> str:
    """The name of the area a user works in ("all areas" for an administrator)."""
    if not getattr(user, "region_id", None):
        return _("all areas")
    return region_name(user.region_id)
