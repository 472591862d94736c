"""The briefings app's tables: a village's files printed in the background (PrintJob), the
briefings generated (Briefing, numbered 第X期 per area and year) and each township's template."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.history.tracked import Keys, Tracked


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Printing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class PrintJob(models.Model):
    """A village's 一户一档 printed in the background; the PDF is kept in the job files folder."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=15)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file_path = models.CharField(max_length=300, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    @property
    def is_active(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return 100 * self.done // self.total if self.total else 0


class BriefingTemplate(models.Model):
    """A township's (or county's) briefing: its 报头 name, unit, and each section's sentences with
    placeholders ({households.total}) that the figures fill."""

    region_code = models.CharField(max_length=15, unique=True)
    name = models.CharField(_("briefing name"), max_length=100)
    unit = models.CharField(_("issuing unit"), max_length=100)
    sections = models.JSONField(default=dict)  # section key -> text with placeholders
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = Tracked(type="briefing_template", region="region_code",
                      snapshot="bangfu.briefings.services.template_snapshot", label=_("briefing template"))

    def __str__(self) -> str:
        return self.name


class Briefing(models.Model):
    """One issue of an area's briefing: 第{number}期 of {year}, for a period, as generated."""

    region_code = models.CharField(max_length=15)
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    start = models.DateField(pgettext_lazy("briefing period", "from"))
    end = models.DateField(pgettext_lazy("briefing period", "to"))
    name = models.CharField(max_length=100)
    unit = models.CharField(max_length=100)
    issued_on = models.DateField()
    figures = models.JSONField(default=dict)  # indicator key -> value, as filled in
    figures_as_of = models.DateTimeField(null=True, blank=True)  # the time the figures were current to
    # [[heading, text], ...] as filled in: the issue reads the same whenever it is downloaded again.
    sections = models.JSONField(default=list)
    generated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    generated_at = models.DateTimeField(auto_now_add=True)

    history = Tracked(type="briefing", region="region_code", snapshot="bangfu.briefings.services.briefing_snapshot",
                      label=_("briefing"), keys=Keys(hidden=frozenset({"figures"})))

    class Meta:
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["region_code", "year", "number"], name="briefing_number_once")]

    def __str__(self) -> str:
        return f"{self.name} {self.year}年第{self.number}期"
