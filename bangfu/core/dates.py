"""Shanghai time: a "day" everywhere in bangfu is a calendar day in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.utils import timezone

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def local_today(now: dt.datetime | None = None) -> dt.date:
    """The Shanghai calendar day of `now` (by default, of this moment)."""
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()
