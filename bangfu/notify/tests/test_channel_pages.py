"""The township office's work group pages (scope: a township office manages only its own township's
groups), the digests to copy, and the modules that publish to the groups: overdue needs and the
morning's emergency numbers."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.core.dates import local_today
from bangfu.notify import services
from bangfu.notify.models import Channel, ChannelStatus, Digest
from conftest import VILLAGE_A

TOWNSHIP = "370215010"
WEBHOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRETKEY-1234"


def add(office, region=TOWNSHIP, **data):
    return services.channel_add(region_code=region, actor=office, data={
        "vendor": "wecom", "name": "蓝村街道工作信息群", "webhook": WEBHOOK, "secret": "", "events": ["need.overdue"],
        "window_minutes": 10, **data})


def form_post(client, url, **fields):
    data = {"vendor": "wecom", "name": "蓝村街道工作信息群", "webhook": "", "secret": "", "dingtalk_mode": "",
            "keyword": "", "events": ["need.overdue", "emergency.morning"], "window_minutes": "10", **fields}
    return client.post(url, data)


def test_office_adds_a_group_and_the_key_is_never_shown_back(client, personas):
    client.force_login(personas["office"])
    response = form_post(client, reverse("notify:channel_add"), webhook=WEBHOOK)
    assert response.status_code == 302
    channel = Channel.objects.get()
    assert channel.region_code == TOWNSHIP and channel.events == ["emergency.morning", "need.overdue"]
    for url in (reverse("notify:channels"), reverse("notify:channel_edit", args=[channel.pk])):
        page = client.get(url).content.decode()
        assert "SECRETKEY" not in page and "1234" in page  # the tail only
    # Saved again with the webhook left empty: the stored one is kept.
    assert form_post(client, reverse("notify:channel_edit", args=[channel.pk]), name="新名字").status_code == 302
    channel.refresh_from_db()
    assert channel.name == "新名字" and channel.webhook_tail == "1234"


@pytest.mark.parametrize("fields,field,message", [
    ({"webhook": "https://example.com/hook"}, "webhook", "这不是"),
    ({"vendor": "dingtalk", "webhook": "https://oapi.dingtalk.com/robot/send?access_token=t"}, "dingtalk_mode", ""),
    ({"vendor": "dingtalk", "webhook": "https://oapi.dingtalk.com/robot/send?access_token=t",
      "dingtalk_mode": "signed"}, "secret", ""),
    ({"vendor": "dingtalk", "webhook": "https://oapi.dingtalk.com/robot/send?access_token=t",
      "dingtalk_mode": "keyword"}, "keyword", ""),
    ({"webhook": WEBHOOK, "window_minutes": "0"}, "window_minutes", ""),
])
def test_a_bad_group_is_refused_on_its_field(client, personas, fields, field, message):
    client.force_login(personas["office"])
    response = form_post(client, reverse("notify:channel_add"), **fields)
    assert response.status_code == 200 and field in response.context["form"].errors
    assert message in str(response.context["form"].errors[field])
    assert not Channel.objects.exists()


def test_a_township_office_manages_only_its_own_township(client, personas):
    mine = add(personas["office"])
    theirs = add(personas["outsider_office"], region="410308103", name="送庄镇工作群")
    client.force_login(personas["office"])
    page = client.get(reverse("notify:channels")).content.decode()
    assert mine.name in page and theirs.name not in page
    for name in ("channel_edit", "channel_test", "channel_stop", "channel_resume"):
        method = client.get if name == "channel_edit" else client.post
        assert method(reverse(f"notify:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == ChannelStatus.ACTIVE
    client.force_login(personas["caseworker_a"])
    assert client.get(reverse("notify:channels")).status_code == 403
    with pytest.raises(Exception):
        add(personas["office"], region="410308103")
    assert Channel.objects.count() == 2


def test_stop_and_resume(client, personas):
    channel = add(personas["office"])
    client.force_login(personas["office"])
    client.post(reverse("notify:channel_stop", args=[channel.pk]), {"reason": "群已解散"})
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.STOPPED and channel.stopped_reason == "群已解散"
    assert "群已解散" in client.get(reverse("notify:channels")).content.decode()
    client.post(reverse("notify:channel_resume", args=[channel.pk]))
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.ACTIVE and channel.stopped_reason == ""


def test_digests_page_shows_the_text_to_copy(client, personas):
    channel = add(personas["office"], vendor="wechat", webhook="", name="戴家庄村微信群")
    add(personas["outsider_office"], region="410308103", name="送庄镇工作群")
    now = timezone.now()
    services.channel_event_publish(region=VILLAGE_A, event="need.overdue", lines=["户主甲：医疗"], now=now)
    services.channel_event_publish(region="410308103001", event="need.overdue", lines=["外省户主"], now=now)
    services.digests_close(now=now + dt.timedelta(minutes=10))
    digest = Digest.objects.get(channel=channel)
    assert digest.parts == 0 and "户主甲：医疗" in digest.text  # no robot: copied by hand
    client.force_login(personas["office"])
    page = client.get(reverse("notify:digests")).content.decode()
    assert "户主甲：医疗" in page and "外省户主" not in page
    assert f'data-copy="digest-{digest.pk}"' in page and "<script>" not in page


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
