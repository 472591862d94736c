"""Import and export jobs: an uploaded sheet on its way from dry run to commit, or a big export."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    NOTICE = "notice", _("Public notice")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    CHECKED = "checked", _("Checked")  # an import's dry run is done: the preview waits for a confirm
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One import (checked, then committed once its owner confirms) or one export in the background.

    Files live in settings.JOB_FILES_DIR/<id>/; the paths here are relative to it. Progress while a
    job runs is kept outside the database (an import holds its write transaction throughout) and
    written here when a step ends.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("by"))
    kind = models.CharField(_("kind"), max_length=10, choices=JobKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # An import is committed only after its owner saw the dry run and confirmed.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)  # 0-100
    language = models.CharField(max_length=10, blank=True)  # messages are written in the owner's language
    # The area an import may touch (within the owner's scope); empty for an export.
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("region"))
    file_name = models.CharField(_("file"), max_length=255, blank=True)  # as uploaded
    file_size = models.BigIntegerField(default=0)
    upload_path = models.CharField(max_length=255, blank=True)
    report_path = models.CharField(max_length=255, blank=True)  # the error report, or the export
    options = models.JSONField(default=dict, blank=True)  # an export's filters and whether in full
    total = models.PositiveIntegerField(null=True, blank=True)  # households an export is expected to hold
    # What the dry run (and then the commit) found: counts, columns ignored, villages created...
    result = models.JSONField(default=dict, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # the first ones: [{"row", "column", "message"}]
    message = models.CharField(max_length=500, blank=True)  # why a job failed as a whole
    request_id = models.UUIDField(_("request id"), null=True, blank=True)  # the commit's history rows

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import or export job")
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="imports_job_progress_le_100"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} {self.file_name}".strip()

    @property
    def display_title(self) -> str:
        if self.kind == JobKind.IMPORT:
            return self.file_name or str(self.get_kind_display())
        if self.kind == JobKind.NOTICE:
            return (self.options or {}).get("title") or str(self.get_kind_display())
        return str(_("Export of households"))

    @property
    def is_import(self) -> bool:
        return self.kind == JobKind.IMPORT

    @property
    def is_active(self) -> bool:
        """Waiting or running: the page polls."""
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def committing(self) -> bool:
        return self.confirmed_at is not None

    @property
    def may_confirm(self) -> bool:
        return self.is_import and self.status == JobStatus.CHECKED and not self.error_count and not self.committing
