"""Writes to the outbox and the inbox: enqueue a message, deliver due messages, mark as read."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.core import crypto
from bangfu.core.codes import township_of
from bangfu.core.dates import SHANGHAI
from bangfu.core.permissions import Role, require
from bangfu.history.models import Action
from bangfu.history.services import record
from bangfu.notify.channels import (
    CHANNELS,
    DeliveryError,
    Reschedule,
    Throttled,
    Undeliverable,
    _delivery_now,
)
from bangfu.notify.models import (
    Channel,
    ChannelStatus,
    Digest,
    DigestStatus,
    DingtalkMode,
    Event,
    EventOnce,
    Message,
    Notification,
    Status,
    Vendor,
)
from bangfu.notify.robots import LIMITS, channel_prefix, channel_snapshot, parts_for, send_now
from bangfu.regions.models import Region

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
    token = _delivery_now.set(now)
    try:
        for message_id in due:
            sent += _deliver_one(message_id, now)
    finally:
        _delivery_now.reset(token)
    return sent


def _deliver_one(message_id: int, now: dt.datetime) -> int:
    if not _claim(message_id, now):
        return 0
    message = Message.objects.get(pk=message_id)
    channel = CHANNELS.get(message.channel)
    try:
        if channel is None:
            raise LookupError(f"no channel {message.channel!r} is installed")
        with transaction.atomic():
            channel.send(message)
    except Reschedule as wait:
        # Not an attempt: the claim's count is given back.
        Message.objects.filter(pk=message_id).update(
            next_attempt_at=max(wait.at, now), attempts=F("attempts") - 1, last_error=str(wait)[:2000])
        return 0
    except Throttled as error:
        log.warning("delivery of message %s by %s throttled: %s", message_id, message.channel, error)
        Message.objects.filter(pk=message_id).update(
            next_attempt_at=now + max(backoff(message.attempts), error.wait),
            last_error=f"{type(error).__name__}: {error}"[:2000])
        return 0
    except Undeliverable as error:
        log.warning("message %s by %s cannot be delivered: %s", message_id, message.channel, error)
        Message.objects.filter(pk=message_id).update(
            status=Status.FAILED, last_error=f"{type(error).__name__}: {error}"[:2000])
        if error.then is not None:
            error.then()
        return 0
    except Exception as error:
        log.warning("delivery of message %s by %s failed: %s", message_id, message.channel, error)
        failed = message.attempts >= MAX_ATTEMPTS
        Message.objects.filter(pk=message_id).update(
            status=Status.FAILED if failed else Status.PENDING,
            next_attempt_at=now + backoff(message.attempts),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        return 0
    Message.objects.filter(pk=message_id).update(status=Status.SENT, sent_at=now, last_error="")
    return 1


@transaction.atomic
def notification_read(*, notification: Notification, actor) -> None:
    if notification.user_id != actor.pk:
        raise PermissionError("not your notification")
    Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notifications_read_all(*, actor) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).update(read_at=timezone.now())


# --- work groups: channels, events, digests ----------------------------------------------------

def _channel_scoped(actor, channel: Channel) -> Channel:
    """The channel as the actor may manage it: the role first (403), then the scope (404)."""
    require(actor, "channel.manage")
    if not Channel.objects.visible_to(actor).filter(pk=channel.pk).exists():
        raise Http404("no such work group")
    return channel


def _channel_secrets(channel: Channel, *, webhook: str, secret: str) -> None:
    if webhook:
        channel.webhook_encrypted = crypto.encrypt(webhook)
        channel.webhook_tail = webhook[-4:]
    if secret:
        channel.secret_encrypted = crypto.encrypt(secret)


def _channel_fields(channel: Channel, data: dict) -> None:
    channel.vendor = data["vendor"]
    channel.name = data["name"]
    channel.dingtalk_mode = data.get("dingtalk_mode") or "" if channel.vendor == Vendor.DINGTALK else ""
    keyworded = channel.vendor == Vendor.FEISHU or channel.dingtalk_mode == DingtalkMode.KEYWORD
    channel.keyword = data.get("keyword") or "" if keyworded else ""
    channel.events = [e for e in Event.values if e in (data.get("events") or [])]
    channel.window_minutes = data.get("window_minutes") or 10


@transaction.atomic
def channel_add(*, region_code: str, data: dict, actor) -> Channel:
    """A work group of a township: `data` is a ChannelForm's cleaned data (webhook and secret in
    plain text, stored encrypted)."""
    require(actor, "channel.manage")
    channel = Channel(region_code=region_code, created_at=timezone.now())
    _channel_fields(channel, data)
    _channel_secrets(channel, webhook=data.get("webhook", ""), secret=data.get("secret", ""))
    channel.save()
    if not Channel.objects.visible_to(actor).filter(pk=channel.pk).exists():
        raise Http404("township outside your area")  # rolls back the row
    record(actor, Action.CREATE, channel)
    return channel


@transaction.atomic
def channel_edit(*, channel: Channel, data: dict, actor) -> Channel:
    """Change a work group; an empty webhook or secret keeps the one stored."""
    _channel_scoped(actor, channel)
    channel = Channel.objects.select_for_update().get(pk=channel.pk)
    before = channel_snapshot(channel)
    _channel_fields(channel, data)
    _channel_secrets(channel, webhook=data.get("webhook", ""), secret=data.get("secret", ""))
    signed = channel.vendor == Vendor.FEISHU or (
        channel.vendor == Vendor.DINGTALK and channel.dingtalk_mode == DingtalkMode.SIGNED)
    if not signed:
        channel.secret_encrypted = ""
    channel.version += 1
    channel.save()
    record(actor, Action.UPDATE, channel, before=before)
    return channel


def _channel_status_set(channel: Channel, *, status: str, reason: str, actor, now: dt.datetime) -> bool:
    before = channel_snapshot(channel)
    changed = Channel.objects.filter(pk=channel.pk).exclude(status=status).update(
        status=status, stopped_reason=reason[:300], stopped_at=now if status == ChannelStatus.STOPPED else None,
        version=F("version") + 1)
    if changed:
        channel.refresh_from_db()
        record(actor, Action.UPDATE, channel, before=before)
    return bool(changed)


@transaction.atomic
def channel_stop(*, channel: Channel, reason: str, actor) -> Channel:
    """Stop sending to a group by hand (its digests are still collected, to copy)."""
    _channel_scoped(actor, channel)
    _channel_status_set(channel, status=ChannelStatus.STOPPED, reason=reason or _("Stopped by the township office"),
                        actor=actor, now=timezone.now())
    return channel


@transaction.atomic
def channel_resume(*, channel: Channel, actor) -> Channel:
    """Send again; the parts held back while it was stopped (the last day's) are sent too."""
    _channel_scoped(actor, channel)
    now = timezone.now()
    if _channel_status_set(channel, status=ChannelStatus.ACTIVE, reason="", actor=actor, now=now):
        Message.objects.filter(robot=channel, status=Status.FAILED,
                               created_at__gte=now - dt.timedelta(days=1)).update(
            status=Status.PENDING, attempts=0, next_attempt_at=now, last_error="")
        transaction.on_commit(_deliver_soon)
    return channel


def channel_stop_refused(*, channel_id: int, code: int | None, said: str) -> None:
    """The robot refused the key, token or signature: stop the channel with the reason, hold its
    pending parts, and tell the township office in the app. Not retried: it cannot succeed until
    someone fixes the webhook or secret."""
    now = timezone.now()
    with transaction.atomic():
        channel = Channel.objects.select_for_update().filter(pk=channel_id).first()
        if channel is None or channel.status != ChannelStatus.ACTIVE:
            return
        reason = _("The robot refused the key or signature (code %(code)s: %(said)s). "
                   "Check the webhook address and secret, then resume.") % {"code": code, "said": said}
        _channel_status_set(channel, status=ChannelStatus.STOPPED, reason=reason, actor=None, now=now)
        Message.objects.filter(robot=channel, status=Status.PENDING).update(
            status=Status.FAILED, last_error="the work group's robot is stopped")
        message_enqueue(
            kind="channel.stopped", dedupe_key=f"channel-stopped:{channel.pk}:{now.isoformat()}",
            subject=_("Work group robot stopped: %(name)s") % {"name": channel.name}, body=reason,
            link=reverse("notify:channel_edit", args=[channel.pk]),
            role=Role.TOWNSHIP_OFFICE, region_code=channel.region_code,
        )


def channel_test(*, channel: Channel, actor, now: dt.datetime | None = None) -> tuple[bool, str]:
    """Send a test message to the group now. Returns (sent, what happened); a refused key or
    signature stops the channel, as a digest would."""
    _channel_scoped(actor, channel)
    now = now or timezone.now()
    channel.refresh_from_db()
    text = channel_prefix(channel) + _("Test message from the township office: this group will receive "
                                       "its digests here.")
    try:
        send_now(channel, text, now=now)
    except Reschedule:
        return False, _("The robot's rate limit is reached; try again in a minute.")
    except Undeliverable as error:
        if error.then is not None:
            error.then()
        return False, _("The robot refused the message: %(said)s") % {"said": str(error)}
    except DeliveryError as error:
        return False, _("Not sent: %(said)s") % {"said": str(error)}
    return True, _("Sent.")


def channel_event_publish(*, region: str, event: str, lines: list[str], once: str = "",
                          now: dt.datetime | None = None) -> int:
    """An event of a township (or a village in it) for its work groups: the lines join the digest
    collecting for each channel subscribed to the event, sent when the channel's window ends, so
    a group gets one message per window rather than one per event. Call it in the transaction of
    the change it reports. `once` names the event (a job run twice publishes it once). Returns how
    many channels it went to."""
    if event not in Event.values:
        raise ValueError(f"unknown event {event!r}")
    lines = [clean for line in lines if (clean := " ".join(str(line).split()))]
    if not lines:
        return 0
    now = now or timezone.now()
    township = township_of(region)
    channels = [c for c in Channel.objects.filter(region_code=township).order_by("pk") if event in c.events]
    if not channels:
        return 0
    if once:
        try:
            with transaction.atomic():
                EventOnce.objects.create(key=once[:200], at=now)
        except IntegrityError:
            return 0
    for channel in channels:
        with transaction.atomic():
            digest = Digest.objects.select_for_update().filter(channel=channel, status=DigestStatus.OPEN).first()
            if digest is None:
                try:
                    with transaction.atomic():
                        digest = Digest.objects.create(
                            channel=channel, region_code=township, opened_at=now,
                            due_at=now + dt.timedelta(minutes=channel.window_minutes))
                except IntegrityError:  # another process opened it a moment ago
                    digest = Digest.objects.select_for_update().get(channel=channel, status=DigestStatus.OPEN)
            digest.items = [*digest.items, *([event, line] for line in lines)]
            digest.save(update_fields=["items"])
    return len(channels)


def digest_render(digest: Digest, *, township_name: str, now: dt.datetime) -> str:
    """The digest's text: a heading, then each event's lines under its name, in the order of Event."""
    local = timezone.localtime(now, SHANGHAI)
    out = [_("%(township)s work update, %(time)s") % {"township": township_name,
                                                     "time": local.strftime("%Y-%m-%d %H:%M")}]
    for event in Event:
        lines = [line for kind, line in digest.items if kind == event.value]
        if lines:
            out.append(f"■ {event.label}（{len(lines)}）")
            out.extend(f"· {line}" for line in lines)
    return "\n".join(out)


def digests_close(*, now: dt.datetime | None = None) -> int:
    """Close the digests whose window has ended: render each once, keep its text (the copy in the
    app), and put its parts in the outbox for the group's robot. Safe to run twice (the status is
    moved by compare-and-set). Returns how many it closed."""
    now = now or timezone.now()
    closed = 0
    due = list(Digest.objects.filter(status=DigestStatus.OPEN, due_at__lte=now).values_list("pk", flat=True))
    for digest_id in due:
        with transaction.atomic():
            digest = Digest.objects.select_for_update().select_related("channel").filter(
                pk=digest_id, status=DigestStatus.OPEN).first()
            if digest is None:
                continue
            channel = digest.channel
            region = Region.objects.filter(code=digest.region_code).first()
            digest.text = digest_render(digest, township_name=region.name if region else digest.region_code, now=now)
            robot = channel.vendor in LIMITS and channel.status == ChannelStatus.ACTIVE
            parts = parts_for(channel, digest.text) if robot else []
            for i, part in enumerate(parts, 1):
                Message.objects.get_or_create(
                    dedupe_key=f"digest:{digest.pk}:{i}", channel="robot",
                    defaults={"kind": "channel.digest", "subject": channel.name[:200], "body": part,
                              "recipient_role": Role.TOWNSHIP_OFFICE, "recipient_region": digest.region_code,
                              "robot": channel, "next_attempt_at": now, "created_at": now},
                )
            digest.status, digest.closed_at, digest.parts = DigestStatus.CLOSED, now, len(parts)
            digest.save(update_fields=["status", "closed_at", "parts", "text"])
            closed += 1
            if parts:
                transaction.on_commit(_deliver_soon)
    return closed
