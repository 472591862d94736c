"""The morning's emergency numbers reach the township's work groups once a day."""

from __future__ import annotations

import datetime as dt

from bangfu.core.dates import local_today
from bangfu.notify import services
from bangfu.notify.models import Digest
from conftest import VILLAGE_A

TOWNSHIP = "370215010"


def add(office, **data):
    return services.channel_add(region_code=TOWNSHIP, actor=office, data={
        "vendor": "wecom", "name": "蓝村街道工作信息群", "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k",
        "secret": "", "events": ["need.overdue"], "window_minutes": 10, **data})


def test_the_mornings_emergency_numbers_go_to_the_groups_once(personas, regions, make_household):
    from bangfu.emergency.services import checks_generate, emergency_open, morning_numbers_publish

    channel = add(personas["office"], events=["emergency.morning"])
    yesterday = local_today() - dt.timedelta(days=1)
    make_household(VILLAGE_A, caseworker=personas["caseworker_a"])
    emergency_open(region=regions[TOWNSHIP], kind="epidemic", title="疫情防控", start=yesterday,
                   actor=personas["office"])
    checks_generate(day=yesterday)
    assert morning_numbers_publish(day=yesterday) == 1
    assert morning_numbers_publish(day=yesterday) == 0  # a second run sends nothing more
    lines = [line for _event, line in Digest.objects.get(channel=channel).items]
    assert lines[0].startswith("疫情防控") and any("戴家庄村" in line for line in lines)
