"""Channels deliver an outbox message. In-app delivery is built in; WeCom, DingTalk or SMS plug in
with `channel_register` and are named in `message_enqueue(channels=...)`."""

from __future__ import annotations

from typing import Protocol

from django.db.models import Q
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.notify.models import Message, Notification


class DeliveryError(Exception):
    """A delivery that failed and may succeed later (the outbox retries it with backoff)."""


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
