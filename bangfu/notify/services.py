"""Writes to the outbox and the inbox: enqueue a message, deliver due messages, mark as read."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bangfu.notify.channels import CHANNELS
from bangfu.notify.models import Message, Notification, Status

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
# How long a delivery job owns a claimed row; after that another run may try it again.
CLAIM_SECONDS = 120


def backoff(attempts: int) -> dt.timedelta:
    """After the n-th failed attempt: 1, 2, 4, 8, 16 minutes."""
    return dt.timedelta(minutes=2 ** max(attempts - 1, 0))


def message_enqueue(
    *,
    kind: str,
    dedupe_key: str,
    subject: str,
    body: str = "",
    link: str = "",
    user=None,
    role: str = "",
    region_code: str = "",
    channels: tuple[str, ...] = ("inapp",),
) -> list[Message]:
    """Put a message in the outbox, in the caller's transaction, once per `dedupe_key` and channel.

    For `user`, or for every user of `role` whose area holds `region_code`. Delivery starts when
    the caller's transaction commits (and the periodic job retries what failed). Returns the
    message rows, the ones already there included.
    """
    if user is None and not role:
        raise ValueError("a message needs a user or a role")
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown channel(s): {sorted(unknown)}")
    now = timezone.now()
    rows = []
    for channel in channels:
        message, _created = Message.objects.get_or_create(
            dedupe_key=dedupe_key, channel=channel,
            defaults={
                "kind": kind, "subject": subject[:200], "body": body, "link": link[:300],
                "recipient_user": user, "recipient_role": "" if user is not None else role,
                "recipient_region": "" if user is not None else region_code,
                "next_attempt_at": now, "created_at": now,
            },
        )
        rows.append(message)
    transaction.on_commit(_deliver_soon)
    return rows


def _deliver_soon() -> None:
    from bangfu.notify.tasks import deliver_task

    deliver_task()


def _claim(message_id: int, now: dt.datetime) -> bool:
    """Compare-and-set: the row is ours if it is still pending and due."""
    return bool(
        Message.objects.filter(pk=message_id, status=Status.PENDING, next_attempt_at__lte=now).update(
            next_attempt_at=now + dt.timedelta(seconds=CLAIM_SECONDS), attempts=F("attempts") + 1,
        )
    )


def messages_deliver(*, now: dt.datetime | None = None, limit: int = 200) -> int:
    """Send the due pending messages through their channels; returns how many were sent.

    A failure is kept as `last_error` and tried again after a backoff; after MAX_ATTEMPTS the
    message is `failed`. Safe to run in several processes at once (see _claim)."""
    now = now or timezone.now()
    due = list(
        Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for message_id in due:
        if not _claim(message_id, now):
            continue
        message = Message.objects.get(pk=message_id)
        channel = CHANNELS.get(message.channel)
        try:
            if channel is None:
                raise LookupError(f"no channel {message.channel!r} is installed")
            with transaction.atomic():
                channel.send(message)
        except Exception as error:  # noqa: BLE001 - any failure of a channel is retried, never lost
            log.warning("delivery of message %s by %s failed: %s", message_id, message.channel, error)
            failed = message.attempts >= MAX_ATTEMPTS
            Message.objects.filter(pk=message_id).update(
                status=Status.FAILED if failed else Status.PENDING,
                next_attempt_at=now + backoff(message.attempts),
                last_error=f"{type(error).__name__}: {error}"[:2000],
            )
        else:
            Message.objects.filter(pk=message_id).update(status=Status.SENT, sent_at=timezone.now(), last_error="")
            sent += 1
    return sent


@transaction.atomic
def notification_read(*, notification: Notification, actor) -> None:
    if notification.user_id != actor.pk:
        raise PermissionError("not your notification")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notifications_read_all(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())
