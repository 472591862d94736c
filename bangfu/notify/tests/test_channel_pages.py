"""The township office's work group pages (scope: a township office manages only its own township's
groups) and the digests to copy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

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

