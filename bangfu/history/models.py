"""The audit trail: one row for each create, change, delete, reveal and export, with before/after."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Changed")
    DELETE = "delete", _("Deleted")
    REVEAL = "reveal", _("Revealed")
    EXPORT = "export", _("Exported")


class Change(models.Model):
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("by"),
    )
    request_id = models.UUIDField(_("request id"), db_index=True)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The household the change belongs to, kept even after the household is deleted, so its
    # timeline and its scope (region_code) survive.
    household_id = models.BigIntegerField(null=True, blank=True)
    region_code = models.CharField(max_length=15, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    message = models.CharField(_("message"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change")
        indexes = [
            models.Index(fields=["household_id", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["region_code", "-at"]),
        ]

    @property
    def changed_fields(self) -> list[str]:
        before = self.before or {}
        after = self.after or {}
        return [key for key in sorted(set(before) | set(after)) if before.get(key) != after.get(key)]
