"""The outbox: one row per message and channel, delivered by a job with retries; and the in-app
inbox, where the in-app channel puts a message for each of its recipients."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
