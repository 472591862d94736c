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


class AreaChange(models.Model):
    """Changes that history recorded in an area: a village (the first 12 digits of a household's
    region code), a township, a county, or "" for changes that belong to no region. The area's
    version is the sum of its rows' counts; a page built from an area's data stays current while
    that sum is unchanged, so it can be served again without reading the data (history.pagecache).

    Rows are only added (one per area a write touches), never updated, so writers never wait for
    each other here; a job folds each area's rows into one (`area_changes_fold`), keeping the sum."""

    region_code = models.CharField(max_length=15, db_index=True)
    count = models.BigIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.region_code or '-'}: +{self.count}"
