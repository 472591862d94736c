"""The summary tables: one figure per (period, region, indicator), stored for villages and rolled
up to every level above, and what the incremental refresh has already taken in."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    DAY = "day", _("Day")
    WEEK = "week", _("Week")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


class Figure(models.Model):
    """One indicator's value for one region and one period (a week starts on Monday).

    A village's rows come from the indicators' compute functions; every region above a village
    holds the sum of its villages' (services.figures_rebuild). A missing row is a 0. Not tracked in
    history: the figures are derived from records whose changes history keeps."""

    kind = models.CharField(_("period"), max_length=5, choices=PeriodKind.choices)
    start = models.DateField(_("period start"))
    region = models.CharField(_("region code"), max_length=12)
    # The length of `region` (2 province, 4 city, 6 county, 9 township, 12 village), so that "the
    # children of a region" is an index range: same period, next level, codes under the region.
    level = models.PositiveSmallIntegerField()
    indicator = models.CharField(_("indicator"), max_length=60)
    value = models.BigIntegerField(_("value"))
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            # Also the index of "one region, one period, all indicators".
            models.UniqueConstraint(fields=["region", "kind", "start", "indicator"], name="figure_once"),
        ]
        indexes = [models.Index(fields=["kind", "start", "level", "region"], name="figure_children")]

    def __str__(self) -> str:
        return f"{self.kind} {self.start} {self.region} {self.indicator}={self.value}"


class AreaVersion(models.Model):
    """The version (history.AreaChange's sum of counts) of an area when the refresh last took its
    changes in: an area whose sum has grown since has changes the figures do not show yet."""

    region_code = models.CharField(max_length=15, primary_key=True)
    version = models.BigIntegerField()


class RefreshState(models.Model):
    """One row: the highest history.AreaChange id the refresh has read, and when the last refresh
    (or full rebuild) that completed started: every figure holds what was recorded before then."""

    watermark = models.BigIntegerField(default=0)
    as_of = models.DateTimeField(null=True, blank=True)
