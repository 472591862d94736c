"""The outbox: one row per message and channel, delivered by a job with retries; and the in-app
inbox, where the in-app channel puts a message for each of its recipients."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.history.tracked import Tracked


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Message(models.Model):
    """A message to a user, or to everyone of a role whose area holds `region_code`.

    `dedupe_key` names the event ("need-overdue:42:2026-11-30T16:00"): enqueuing the same event
    twice writes one row per channel. A delivery job claims a due row by moving `next_attempt_at`
    forward with a compare-and-set update, so two jobs never send the same row at once, and a job
    that dies mid-send leaves the row to be tried again when the claim runs out.
    """

    channel = models.CharField(_("channel"), max_length=20, default="inapp")
    dedupe_key = models.CharField(max_length=200)
    kind = models.CharField(_("kind"), max_length=40)
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
    )
    recipient_role = models.CharField(max_length=20, blank=True)
    recipient_region = models.CharField(max_length=15, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    link = models.CharField(max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # The work group's robot, for a message of the robot channel (one part of a digest).
    robot = models.ForeignKey("notify.Channel", on_delete=models.CASCADE, null=True, blank=True,
                              related_name="messages")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["dedupe_key", "channel"], name="message_once_per_channel"),
            models.CheckConstraint(
                condition=models.Q(recipient_user__isnull=False) | ~models.Q(recipient_role=""),
                name="message_has_recipient",
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_due")]

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    """One message in one user's in-app inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "user"], name="notification_once_per_user"),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]


# --- work groups: a township's group robots, what they are sent, the digests ------------------

class Vendor(models.TextChoices):
    WECOM = "wecom", _("WeCom group robot")
    DINGTALK = "dingtalk", _("DingTalk custom robot")
    FEISHU = "feishu", _("Feishu custom robot")
    # A personal WeChat group has no robot: its digests are copied from the app by hand.
    WECHAT = "wechat", _("WeChat group (copy by hand)")


class Event(models.TextChoices):
    """What a work group may be sent; modules above publish these with
    `notify.services.channel_event_publish`."""

    EMERGENCY_MORNING = "emergency.morning", _("The morning's emergency numbers")
    NEED_OVERDUE = "need.overdue", _("Overdue needs")
    POSTING_PUBLISHED = "posting.published", _("New job postings")
    BRIEFING_PUBLISHED = "briefing.published", _("Published briefings")


class DingtalkMode(models.TextChoices):
    KEYWORD = "keyword", pgettext_lazy("work group", "Keyword")
    SIGNED = "signed", pgettext_lazy("work group", "Signed")


class ChannelStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("work group", "Active")
    STOPPED = "stopped", pgettext_lazy("work group", "Stopped")


class ChannelQuerySet(models.QuerySet):
    def visible_to(self, user) -> ChannelQuerySet:
        """A township office's own township's channels; every channel for an administrator."""
        from bangfu.core.codes import prefix_q
        from bangfu.core.permissions import Role

        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self
        if not user.region_id:
            return self.none()
        return self.filter(prefix_q("region_code", user.region_id))


class Channel(models.Model):
    """A work group (工作信息群) and its robot: a township's WeCom, DingTalk or Feishu group robot,
    the events it is sent as digests, and whether it is sending. The webhook URL (it holds the
    robot's key or token) and the signing secret are stored encrypted (core.crypto); pages show
    only the URL's last characters."""

    region_code = models.CharField(_("township"), max_length=15, db_index=True)
    vendor = models.CharField(_("robot"), max_length=10, choices=Vendor.choices)
    name = models.CharField(_("group name"), max_length=100)
    webhook_encrypted = models.TextField(blank=True)
    webhook_tail = models.CharField(max_length=8, blank=True)
    secret_encrypted = models.TextField(blank=True)
    dingtalk_mode = models.CharField(_("DingTalk security"), max_length=10, choices=DingtalkMode.choices,
                                     blank=True)
    keyword = models.CharField(_("keyword"), max_length=20, blank=True)
    events = models.JSONField(_("events"), default=list)
    window_minutes = models.PositiveSmallIntegerField(_("digest window (minutes)"), default=10)
    status = models.CharField(_("status"), max_length=10, choices=ChannelStatus.choices,
                              default=ChannelStatus.ACTIVE)
    stopped_reason = models.CharField(_("why stopped"), max_length=300, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # When its last requests went out (epoch seconds, the last minute's): the per-robot rate limit.
    recent_sends = models.JSONField(default=list)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    objects = ChannelQuerySet.as_manager()
    history = Tracked(type="channel", snapshot="bangfu.notify.robots.channel_snapshot")

    class Meta:
        verbose_name = _("work group")
        ordering = ["region_code", "name", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(window_minutes__gte=1) & models.Q(window_minutes__lte=1440),
                                   name="channel_window_range"),
        ]

    def __str__(self) -> str:
        return self.name


class DigestStatus(models.TextChoices):
    OPEN = "open", _("Collecting")
    CLOSED = "closed", _("Sent out")


class Digest(models.Model):
    """The events of one channel in one window, coalesced: collected while open, then rendered
    once into the text the group receives (in parts when it is longer than the robot takes) and
    that the app shows to copy."""

    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="digests")
    region_code = models.CharField(max_length=15, db_index=True)
    status = models.CharField(max_length=10, choices=DigestStatus.choices, default=DigestStatus.OPEN)
    items = models.JSONField(default=list)  # [[event, line], ...] in arrival order
    opened_at = models.DateTimeField()
    due_at = models.DateTimeField()
    text = models.TextField(blank=True)
    parts = models.PositiveSmallIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            # One digest collecting per channel at a time.
            models.UniqueConstraint(fields=["channel"], condition=models.Q(status="open"),
                                    name="digest_one_open_per_channel"),
        ]
        indexes = [models.Index(fields=["status", "due_at"], name="digest_due")]


class EventOnce(models.Model):
    """An event published to the work groups under a name (`once`): a job run twice sends it once."""

    key = models.CharField(max_length=200, unique=True)
    at = models.DateTimeField()
