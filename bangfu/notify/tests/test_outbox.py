"""The outbox: one row per event and channel, claimed by compare-and-set, retried with backoff,
delivered in the app to a user or to a role within an area."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.notify import channels, services
from bangfu.notify.models import Message, Notification, Status


def enqueue(**overrides):
    args = {"kind": "test", "dedupe_key": "event:1", "subject": "逾期诉求", "role": "township_office",
            "region_code": "370215010001"}
    return services.message_enqueue(**(args | overrides))


def test_one_event_one_message(personas):
    first = enqueue()
    again = enqueue(subject="another subject")
    assert [m.pk for m in first] == [m.pk for m in again]
    assert Message.objects.count() == 1 and Message.objects.get().subject == "逾期诉求"


def test_enqueue_delivers_on_commit(personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue(user=personas["caseworker_a"], role="")
    message = Message.objects.get()
    assert message.status == Status.SENT and message.attempts == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["caseworker_a"]


def test_role_within_area_reaches_that_area_only(personas):
    enqueue()
    assert services.messages_deliver() == 1
    assert list(Notification.objects.values_list("user__username", flat=True)) == ["office"]


def test_a_claimed_row_is_not_claimed_twice(personas):
    message = enqueue()[0]
    now = timezone.now()
    assert services._claim(message.pk, now) is True
    assert services._claim(message.pk, now) is False
    # When the claim runs out (the sender died), another run may try again.
    assert services._claim(message.pk, now + dt.timedelta(seconds=services.CLAIM_SECONDS + 1)) is True


class Flaky:
    name = "flaky"

    def __init__(self, failures: int):
        self.failures = failures
        self.sent: list[int] = []

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise channels.DeliveryError("gateway timeout")
        self.sent.append(message.pk)


@pytest.fixture
def flaky(monkeypatch):
    def install(failures):
        channel = Flaky(failures)
        monkeypatch.setitem(channels.CHANNELS, "flaky", channel)
        return channel
    return install


def test_failures_are_retried_with_backoff(personas, flaky):
    channel = flaky(2)
    message = enqueue(channels=("flaky",))[0]
    now = timezone.now()
    assert services.messages_deliver(now=now) == 0
    message.refresh_from_db()
    assert message.status == Status.PENDING and message.attempts == 1 and "gateway timeout" in message.last_error
    assert message.next_attempt_at == now + dt.timedelta(minutes=1)
    assert services.messages_deliver(now=now + dt.timedelta(seconds=30)) == 0  # not due yet
    assert services.messages_deliver(now=now + dt.timedelta(minutes=1)) == 0
    message.refresh_from_db()
    assert message.attempts == 2 and message.next_attempt_at == now + dt.timedelta(minutes=3)
    assert services.messages_deliver(now=now + dt.timedelta(minutes=3)) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT and message.last_error == "" and channel.sent == [message.pk]


def test_gives_up_after_max_attempts(personas, flaky):
    flaky(100)
    message = enqueue(channels=("flaky",))[0]
    when = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        services.messages_deliver(now=when)
        when += dt.timedelta(hours=1)
    message.refresh_from_db()
    assert message.status == Status.FAILED and message.attempts == services.MAX_ATTEMPTS
    assert services.messages_deliver(now=when + dt.timedelta(days=1)) == 0


def test_unknown_channel_is_refused(personas):
    with pytest.raises(ValueError):
        enqueue(channels=("pager",))
    assert not Message.objects.exists()


def test_read_marks(personas):
    enqueue(user=personas["caseworker_a"], role="")
    enqueue(dedupe_key="event:2", user=personas["caseworker_a"], role="")
    services.messages_deliver()
    from bangfu.notify.queries import unread_count

    assert unread_count(personas["caseworker_a"]) == 2
    one = Notification.objects.first()
    with pytest.raises(PermissionError):
        services.notification_read(notification=one, actor=personas["caseworker_b"])
    services.notification_read(notification=one, actor=personas["caseworker_a"])
    assert unread_count(personas["caseworker_a"]) == 1
    assert services.notifications_read_all(actor=personas["caseworker_a"]) == 1
    assert unread_count(personas["caseworker_a"]) == 0


def test_api_lists_and_marks_read(personas):
    from bangfu.accounts.testing import ApiClient

    enqueue(user=personas["caseworker_a"], role="", subject="已办结，请回访")
    services.messages_deliver()
    api = ApiClient(personas["caseworker_a"])
    page = api.get("/api/notifications").json()
    assert page["unread"] == 1 and page["items"][0]["subject"] == "已办结，请回访"
    pk = page["items"][0]["id"]
    assert ApiClient(personas["caseworker_b"]).post(f"/api/notifications/{pk}/read").status_code == 404
    assert api.post(f"/api/notifications/{pk}/read").json()["read_at"] is not None
    assert api.get("/api/notifications").json()["unread"] == 0
