"""Channels deliver an outbox message. In-app delivery is built in; WeCom, DingTalk or SMS plug in
with `channel_register` and are named in `message_enqueue(channels=...)`."""

from __future__ import annotations

import contextvars
import datetime as dt
from collections.abc import Callable
from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.notify.models import Message, Notification


class DeliveryError(Exception):
    """A delivery that failed and may succeed later (the outbox retries it with backoff)."""


class Throttled(DeliveryError):
    """The receiver said "too many": tried again after `wait` at the least, and never given up on
    (a message held back by a rate limit waits; it is not lost)."""

    def __init__(self, reason: str, *, wait: dt.timedelta):
        super().__init__(reason)
        self.wait = wait


class Reschedule(Exception):
    """Not sent now, and not a failure: send at `at` (a rate limit that sending now would pass)."""

    def __init__(self, reason: str, *, at: dt.datetime):
        super().__init__(reason)
        self.at = at


class Undeliverable(Exception):
    """Will never succeed as things stand (a bad key, a bad signature): the message fails at once.
    `then`, if given, runs after the send's transaction has rolled back (to stop the channel and
    tell someone)."""

    def __init__(self, reason: str, *, then: Callable[[], None] | None = None):
        super().__init__(reason)
        self.then = then


_delivery_now: contextvars.ContextVar[dt.datetime | None] = contextvars.ContextVar("delivery_now", default=None)


def delivery_time() -> dt.datetime:
    """The time of the delivery run under way (the outbox's clock, which tests control), or now."""
    return _delivery_now.get() or timezone.now()


class Channel(Protocol):
    name: str

    def send(self, message: Message) -> None:
        """Deliver the message, or raise (DeliveryError or any other error) to have it retried.
        Must be safe to call twice for one message: a claim can run out mid-send."""


def recipients(message: Message) -> list[User]:
    """The active users a message is for: one user, or every user of the role whose area holds
    the region (a township office for a village's need)."""
    if message.recipient_user_id:
        users = User.objects.filter(pk=message.recipient_user_id)
    else:
        region = message.recipient_region
        areas = Q(region_id__in=[region[:n] for n in range(1, len(region) + 1)]) if region else Q()
        users = User.objects.filter(areas, role=message.recipient_role)
    return list(users.filter(is_active=True).order_by("pk"))


class InAppChannel:
    """The message in each recipient's inbox in the app (the menu shows the unread count)."""

    name = "inapp"

    def send(self, message: Message) -> None:
        now = timezone.now()
        Notification.objects.bulk_create(
            [Notification(user=user, message=message, created_at=now) for user in recipients(message)],
            ignore_conflicts=True,  # a second send after a lost claim adds nothing
        )


CHANNELS: dict[str, Channel] = {}


def channel_register(channel: Channel) -> None:
    CHANNELS[channel.name] = channel


channel_register(InAppChannel())
