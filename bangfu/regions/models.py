"""The division tree: province > city > county > township > village > group, keyed by statistical code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.codes import TOWNSHIP_LENGTH, Level, ancestors, prefix_q, township_of


class RegionQuerySet(models.QuerySet):
    def within(self, code: str) -> RegionQuerySet:
        """This region and everything below it."""
        return self.filter(prefix_q("code", code))

    def villages(self) -> RegionQuerySet:
        return self.filter(level=Level.VILLAGE)


class Region(models.Model):
    code = models.CharField(_("division code"), max_length=15, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("parent"),
    )
    # A village a township added itself (not in the national list): its code is in 900-999 under
    # its township (services.LOCAL_FIRST), which no official code uses, and a national load leaves it.
    local = models.BooleanField(_("added locally"), default=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    def ancestors_codes(self) -> list[str]:
        """Codes of the regions above this one, top first."""
        return ancestors(self.code)

    @property
    def township_code(self) -> str | None:
        return township_of(self.code) if len(self.code) >= TOWNSHIP_LENGTH else None
