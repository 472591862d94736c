"""The work groups' robots against a fake of each vendor's server: payloads and signatures
accepted, long digests split, rate limits kept by scheduling (the outbox's times, a test clock),
retry after a throttle, a stop on a refused key, secrets encrypted at rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from bangfu.history.models import Change
from bangfu.notify import robots, services
from bangfu.notify.models import ChannelStatus, Digest, DigestStatus, Message, Notification, Status
from bangfu.notify.tests.fakerobot import Clock, FakeRobots

TOWNSHIP = "370215010"


@pytest.fixture
def clock():
    return Clock(timezone.now().replace(microsecond=0))


@pytest.fixture
def fake(clock):
    server = FakeRobots(clock)
    yield server
    server.close()


def channel_make(office, *, vendor, webhook, secret="", mode="", keyword="", events=("need.overdue",), window=10):
    return services.channel_add(region_code=TOWNSHIP, actor=office, data={
        "vendor": vendor, "name": f"{vendor} 工作群", "webhook": webhook, "secret": secret,
        "dingtalk_mode": mode, "keyword": keyword, "events": list(events), "window_minutes": window,
    })


def parts_enqueue(channel, texts, now):
    for i, text in enumerate(texts):
        Message.objects.create(dedupe_key=f"t:{channel.pk}:{i}", channel="robot", kind="channel.digest",
                               subject=channel.name, body=text, recipient_role="township_office",
                               recipient_region=TOWNSHIP, robot=channel, next_attempt_at=now, created_at=now)


def run(clock, *, minutes=0, seconds=0):
    clock.advance(minutes=minutes, seconds=seconds)
    return services.messages_deliver(now=clock.now)


def test_signatures_as_documented():
    # Feishu keys the HMAC with "timestamp\nsecret" over an empty message; DingTalk the other way round.
    feishu = robots.feishu_sign("SECtest", 1599360473)
    assert feishu.startswith("bMjxHl") and feishu.endswith("Aek=")
    assert robots.dingtalk_sign("SECtest", 1599360473).startswith("m1d3Ia")


@pytest.mark.parametrize("vendor", ["wecom", "dingtalk-signed", "dingtalk-keyword", "feishu", "feishu-keyword"])
def test_each_vendor_accepts_our_payload_and_signature(personas, fake, clock, vendor):
    office = personas["office"]
    if vendor == "wecom":
        channel = channel_make(office, vendor="wecom", webhook=fake.wecom("k1"))
        robot = fake.robot("wecom", "k1")
    elif vendor == "dingtalk-signed":
        channel = channel_make(office, vendor="dingtalk", webhook=fake.dingtalk("t1", secret="SECabc"),
                               secret="SECabc", mode="signed")
        robot = fake.robot("dingtalk", "t1")
    elif vendor == "dingtalk-keyword":
        channel = channel_make(office, vendor="dingtalk", webhook=fake.dingtalk("t2", keyword="帮扶"),
                               mode="keyword", keyword="帮扶")
        robot = fake.robot("dingtalk", "t2")
    elif vendor == "feishu":
        channel = channel_make(office, vendor="feishu", webhook=fake.feishu("h1", secret="fs-secret"),
                               secret="fs-secret")
        robot = fake.robot("feishu", "h1")
    else:
        channel = channel_make(office, vendor="feishu", webhook=fake.feishu("h4", keyword="帮扶"), keyword="帮扶")
        robot = fake.robot("feishu", "h4")
    services.channel_event_publish(region="370215010001", event="need.overdue", lines=["戴家庄村 户主甲：医疗，已逾期"],
                                   now=clock.now)
    assert services.digests_close(now=clock.now) == 0  # the window is still open
    clock.advance(minutes=10)
    assert services.digests_close(now=clock.now) == 1
    assert services.messages_deliver(now=clock.now) == 1
    assert fake.codes() == [0] and len(robot.accepted) == 1
    text = str(robot.accepted[0])
    assert "户主甲" in text and "■ 逾期诉求（1）" in text
    assert Message.objects.get(robot=channel).status == Status.SENT


def test_a_signature_an_hour_old_is_refused_and_stops_the_channel(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="feishu", webhook=fake.feishu("h2", secret="s"), secret="s")
    parts_enqueue(channel, ["早间数据"], clock.now)
    fake.clock = Clock(clock.now + dt.timedelta(hours=1, minutes=1))  # their clock an hour ahead of ours
    services.messages_deliver(now=clock.now)
    assert fake.codes() == [19021]
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.STOPPED and "19021" in channel.stopped_reason


def test_events_in_one_window_make_one_digest(personas, fake, clock):
    office = personas["office"]
    channel = channel_make(office, vendor="wecom", webhook=fake.wecom("k2"),
                           events=("need.overdue", "emergency.morning"))
    for i in range(5):
        services.channel_event_publish(region="370215010001", event="need.overdue", lines=[f"诉求{i}"], now=clock.now)
        clock.advance(minutes=1)
    services.channel_event_publish(region=TOWNSHIP, event="emergency.morning", lines=["应查 10 户，已查 8 户"],
                                   now=clock.now)
    # Another township's event and an event the group did not ask for are not in it.
    services.channel_event_publish(region="410308103001", event="need.overdue", lines=["送庄"], now=clock.now)
    services.channel_event_publish(region=TOWNSHIP, event="posting.published", lines=["岗位"], now=clock.now)
    clock.advance(minutes=5)
    assert services.digests_close(now=clock.now) == 1
    services.messages_deliver(now=clock.now)
    accepted = fake.robot("wecom", "k2").accepted
    assert len(accepted) == 1
    content = accepted[0]["markdown"]["content"]
    assert [f"诉求{i}" in content for i in range(5)] == [True] * 5 and "应查 10 户" in content
    assert "送庄" not in content and "岗位" not in content
    assert content.index("应查") < content.index("诉求0")  # the morning's numbers come first
    digest = Digest.objects.get(channel=channel)
    assert digest.status == DigestStatus.CLOSED and digest.text == content
    # The next event opens a new window.
    services.channel_event_publish(region=TOWNSHIP, event="need.overdue", lines=["新的"], now=clock.now)
    assert Digest.objects.filter(channel=channel, status=DigestStatus.OPEN).count() == 1


def test_text_is_split_at_line_ends_into_numbered_parts():
    lines = [f"第{i}行：" + "帮扶" * (i % 40) for i in range(400)]
    parts = robots.text_split("\n".join(lines), 4096)
    assert len(parts) > 1
    assert all(len(p.encode()) <= 4096 for p in parts)
    assert [p.split("\n", 1)[0] for p in parts] == [f"（{i}/{len(parts)}）" for i in range(1, len(parts) + 1)]
    assert [line for p in parts for line in p.split("\n")[1:]] == lines
    # A single line longer than the limit is cut between characters.
    long = robots.text_split("测" * 3000, 2048)
    assert all(len(p.encode()) <= 2048 for p in long) and "".join(p.split("\n", 1)[1] for p in long) == "测" * 3000
    # A DingTalk keyword starts every part.
    assert all(p.startswith("【帮扶】") for p in robots.text_split("\n".join(lines), 2000, prefix="【帮扶】"))


def test_a_long_digest_reaches_the_group_in_parts_each_accepted(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="wecom", webhook=fake.wecom("k3"))
    services.channel_event_publish(region=TOWNSHIP, event="need.overdue",
                                   lines=[f"户{i}：临时救助诉求，逾期 3 天，请尽快处理" for i in range(300)], now=clock.now)
    services.digests_close(now=clock.now + dt.timedelta(minutes=10))
    digest = Digest.objects.get(channel=channel)
    assert digest.parts > 1
    run(clock, minutes=10)
    assert fake.codes() == [0] * digest.parts
    got = "\n".join(p["markdown"]["content"].split("\n", 1)[1] for p in fake.robot("wecom", "k3").accepted)
    assert all(f"户{i}：" in got for i in range(300))


def test_25_messages_to_a_wecom_robot_never_meet_its_limit(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="wecom", webhook=fake.wecom("k4"))
    parts_enqueue(channel, [f"消息{i}" for i in range(25)], clock.now)
    start = clock.now
    sent = services.messages_deliver(now=clock.now)
    assert sent == 20
    # The five left wait, scheduled for when the first sends leave the minute: none was dropped.
    waiting = Message.objects.filter(robot=channel, status=Status.PENDING)
    assert waiting.count() == 5 and all(m.next_attempt_at > start + dt.timedelta(seconds=59) for m in waiting)
    assert all(m.attempts == 0 for m in waiting)
    assert run(clock, seconds=30) == 0
    assert run(clock, seconds=31) == 5
    assert fake.codes() == [0] * 25  # not one throttling answer
    assert Message.objects.filter(robot=channel, status=Status.SENT).count() == 25


def test_feishu_five_a_second(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="feishu", webhook=fake.feishu("h3"))
    parts_enqueue(channel, [f"消息{i}" for i in range(12)], clock.now)
    assert services.messages_deliver(now=clock.now) == 5
    assert run(clock, seconds=1) == 5
    assert run(clock, seconds=1) == 2
    assert fake.codes() == [0] * 12


def test_a_throttled_message_is_retried_after_the_vendors_wait(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="dingtalk", webhook=fake.dingtalk("t3", secret="SECx"),
                           secret="SECx", mode="signed")
    parts_enqueue(channel, ["早间数据"], clock.now)
    fake.force["dingtalk"] = [130101, 130101]
    services.messages_deliver(now=clock.now)
    message = Message.objects.get(robot=channel)
    assert message.status == Status.PENDING and "130101" in message.last_error
    assert message.next_attempt_at == clock.now + dt.timedelta(minutes=10)  # DingTalk holds back 10 minutes
    assert run(clock, minutes=9) == 0
    assert run(clock, minutes=1) == 0  # throttled again: waits again, still not given up
    message.refresh_from_db()
    assert message.status == Status.PENDING
    for _ in range(10):  # more than the outbox's attempts for a failure: a throttle is never a failure
        run(clock, minutes=20)
    message.refresh_from_db()
    assert message.status == Status.SENT and fake.codes() == [130101, 130101, 0]


def test_http_429_and_5xx_are_retried(personas, fake, clock, monkeypatch):
    channel = channel_make(personas["office"], vendor="wecom", webhook=fake.wecom("k5"))
    parts_enqueue(channel, ["数据"], clock.now)
    answers = iter([(503, {}), (429, {})])
    real = fake.answer
    monkeypatch.setattr(fake, "answer", lambda *a: next(answers, None) or real(*a))
    services.messages_deliver(now=clock.now)
    message = Message.objects.get(robot=channel)
    assert message.status == Status.PENDING and "HTTP 503" in message.last_error
    run(clock, minutes=1)
    message.refresh_from_db()
    assert message.status == Status.PENDING and "HTTP 429" in message.last_error
    run(clock, minutes=2)
    message.refresh_from_db()
    assert message.status == Status.SENT


@pytest.mark.parametrize("vendor,code", [("wecom", 93000), ("dingtalk", 300001), ("feishu", 19001)])
def test_a_refused_key_stops_the_channel_and_tells_the_office(personas, fake, clock, vendor, code):
    webhook = {"wecom": f"{fake.base}/cgi-bin/webhook/send?key=wrong",
               "dingtalk": f"{fake.base}/robot/send?access_token=wrong",
               "feishu": f"{fake.base}/open-apis/bot/v2/hook/wrong"}[vendor]
    channel = channel_make(personas["office"], vendor=vendor, webhook=webhook)
    parts_enqueue(channel, ["一", "二"], clock.now)
    services.messages_deliver(now=clock.now)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.STOPPED and str(code) in channel.stopped_reason
    assert fake.codes() == [code]  # the second part was not sent to a refused key
    assert set(Message.objects.filter(robot=channel).values_list("status", flat=True)) == {Status.FAILED}
    for _ in range(5):
        run(clock, minutes=30)
    assert fake.codes() == [code]  # and nothing is retried
    office = Notification.objects.filter(user=personas["office"], message__kind="channel.stopped")
    assert office.count() == 1 and channel.name in office.get().message.subject
    # Fixed and resumed: the held parts go out.
    fake.wecom("wrong"), fake.dingtalk("wrong"), fake.feishu("wrong")
    services.channel_resume(channel=channel, actor=personas["office"])
    services.messages_deliver(now=timezone.now())
    assert fake.codes() == [code, 0, 0]


def test_a_dingtalk_keyword_missing_stops_the_channel(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="dingtalk", webhook=fake.dingtalk("t4", keyword="扶贫"),
                           mode="keyword", keyword="帮扶")  # the group's keyword is another
    parts_enqueue(channel, ["数据"], clock.now)
    services.messages_deliver(now=clock.now)
    channel.refresh_from_db()
    assert fake.codes() == [310000] and channel.status == ChannelStatus.STOPPED


def test_a_stopped_channel_collects_digests_to_copy_but_sends_nothing(personas, fake, clock):
    channel = channel_make(personas["office"], vendor="wecom", webhook=fake.wecom("k6"))
    services.channel_stop(channel=channel, reason="换群", actor=personas["office"])
    services.channel_event_publish(region=TOWNSHIP, event="need.overdue", lines=["数据"], now=clock.now)
    services.digests_close(now=clock.now + dt.timedelta(minutes=10))
    assert Digest.objects.get().parts == 0 and "数据" in Digest.objects.get().text
    assert not Message.objects.filter(robot=channel).exists()


def test_secrets_are_encrypted_at_rest_and_never_in_history(personas, fake):
    webhook = fake.dingtalk("tok-PLAINTOKEN", secret="SECPLAINSECRET")
    channel = channel_make(personas["office"], vendor="dingtalk", webhook=webhook, secret="SECPLAINSECRET",
                           mode="signed")
    services.channel_edit(channel=channel, actor=personas["office"], data={
        "vendor": "dingtalk", "name": "新名字", "webhook": webhook + "x", "secret": "SECOTHERSECRET",
        "dingtalk_mode": "signed", "keyword": "", "events": ["need.overdue"], "window_minutes": 5})
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM notify_channel")
        stored = repr(cursor.fetchall())
        cursor.execute("SELECT * FROM history_change")
        changes = repr(cursor.fetchall())
    for plain in ("PLAINTOKEN", "PLAINSECRET", "OTHERSECRET"):
        assert plain not in stored and plain not in changes
    assert Change.objects.filter(object_type="channel").count() == 2


def test_neither_the_key_nor_the_secret_is_logged(personas, fake, clock, caplog):
    webhook = f"{fake.base}/robot/send?access_token=tok-PLAINTOKEN"  # unknown to the fake: refused
    channel = channel_make(personas["office"], vendor="dingtalk", webhook=webhook, secret="SECPLAINSECRET",
                           mode="signed")
    parts_enqueue(channel, ["数据"], clock.now)
    with caplog.at_level("DEBUG"):
        services.messages_deliver(now=clock.now)
        services.channel_test(channel=channel, actor=personas["office"], now=clock.now)
    channel.refresh_from_db()
    assert channel.status == ChannelStatus.STOPPED and "300001" in caplog.text
    stored = repr(list(Message.objects.values_list("last_error", "body"))) + channel.stopped_reason + caplog.text
    assert "PLAINTOKEN" not in stored and "PLAINSECRET" not in stored
