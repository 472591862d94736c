"""In a real browser at 360 px: a township office adds its work group, sees it listed, and copies a
digest; the pages are looked at at 360 and 1280 px."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from bangfu.core.tests.browser import log_in, measure
from bangfu.notify import services
from bangfu.notify.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("BANGFU_SHOTS", "/tmp/robots-shots"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_township_office_adds_a_group_and_copies_a_digest(phone_page, live_server, personas):
    page = phone_page
    log_in(page, live_server.url, "office", "pw-office", lands_on="/notifications/groups/")
    page.get_by_role("button", name="添加工作群").click()
    page.get_by_label("机器人").select_option("dingtalk")
    page.get_by_label("群名称").fill("蓝村街道工作信息群")
    page.get_by_label("Webhook 地址").fill("https://oapi.dingtalk.com/robot/send?access_token=abcdef0123456789")
    page.get_by_label("钉钉安全设置").select_option("signed")
    page.get_by_label("加签密钥").fill("SECabcdefghijklmnop")
    page.get_by_label("逾期诉求").check()
    page.get_by_label("早间应急数据").check()
    _shot(page, "channel-form-360.png")
    checked = measure(page)
    assert checked["wide"] == [] and checked["scrollWidth"] <= 360
    page.get_by_role("button", name="保存").click()
    page.get_by_text("工作群已添加").wait_for()
    channel = Channel.objects.get()
    assert channel.dingtalk_mode == "signed" and channel.secret_encrypted and "SECabc" not in page.content()
    services.channel_add(region_code="370215010", actor=personas["office"], data={
        "vendor": "wechat", "name": "戴家庄村帮扶微信群", "webhook": "", "secret": "", "events": ["need.overdue"],
        "window_minutes": 10})
    now = timezone.now() - dt.timedelta(minutes=11)
    services.channel_event_publish(region="370215010001", event="need.overdue", now=now,
                                   lines=["戴家庄村 D0012，生活物资：12-05 16:00 到期，仍为“待分派”",
                                          "戴家庄村 D0031，医疗：12-05 18:00 到期，仍为“处理中”"])
    services.digests_close()
    page.reload()
    _shot(page, "channels-360.png")
    assert measure(page)["scrollWidth"] <= 360
    page.get_by_role("button", name="推送汇总（可复制）").click()
    page.get_by_role("button", name="复制文本").first.wait_for()
    _shot(page, "digests-360.png")
    assert measure(page)["scrollWidth"] <= 360
    assert "D0012" in page.locator("textarea").first.input_value()
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "digests-1280.png")
    page.goto(f"{live_server.url}/notifications/groups/")
    _shot(page, "channels-1280.png")
