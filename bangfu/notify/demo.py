"""Demo work groups: each demo township's office has its work information group (工作信息群), a
WeChat group without a robot, subscribed to every event: its digests are copied from the app."""

from __future__ import annotations

from bangfu.accounts.models import User
from bangfu.notify.models import Channel, Event, Vendor
from bangfu.notify.services import channel_add
from bangfu.regions.models import Region

OFFICES = ("lancun", "songzhuang")


def notify_demo_load() -> dict[str, int]:
    added = 0
    for username in OFFICES:
        office = User.objects.filter(username=username, is_active=True).first()
        if office is None or not office.region_id or Channel.objects.filter(region_code=office.region_id).exists():
            continue
        township = Region.objects.get(code=office.region_id)
        channel_add(region_code=township.code, actor=office, data={
            "vendor": Vendor.WECHAT, "name": f"{township.name}工作信息群", "webhook": "", "secret": "",
            "events": list(Event.values), "window_minutes": 10})
        added += 1
    return {"work groups": added}
