"""An overdue need reaches the township's work groups once, by village and household number."""

from __future__ import annotations

import datetime as dt
import uuid

from django.utils import timezone

from bangfu.notify import services
from bangfu.notify.models import Digest
from conftest import VILLAGE_A

TOWNSHIP = "370215010"


def add(office, **data):
    return services.channel_add(region_code=TOWNSHIP, actor=office, data={
        "vendor": "wecom", "name": "蓝村街道工作信息群", "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "secret": "", "events": ["need.overdue"], "window_minutes": 10, **data})


def test_an_overdue_need_goes_to_the_groups_once(personas, make_household):
    from bangfu.needs.models import Need
    from bangfu.needs.services import need_create, needs_escalate

    channel = add(personas["office"])
    household = make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    need, _created = need_create(household=household, category="living_supplies", description="米面油不够了",
                                 client_id=uuid.uuid4(), actor=personas["caseworker_a"])
    Need.objects.filter(pk=need.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=1))
    assert needs_escalate() == 1
    assert needs_escalate() == 0
    digest = Digest.objects.get(channel=channel)
    assert len(digest.items) == 1 and digest.items[0][0] == "need.overdue"
    line = digest.items[0][1]
    assert household.number in line and "戴家庄村" in line and household.head_name not in line  # no name leaves the app
