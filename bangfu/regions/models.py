"""The division tree: province > city > county > township > village > group, keyed by statistical code."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core.codes import prefix_q


class Level(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village")
    GROUP = "group", _("Village group")


# Code length at each level: 2 province, 2 city, 2 county, 3 township, 3 village, 3 group.
CODE_LENGTHS = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
    Level.GROUP: 15,
}
LEVEL_BY_LENGTH = {length: level for level, length in CODE_LENGTHS.items()}
CHILD_LEVEL = {
    Level.PROVINCE: Level.CITY,
    Level.CITY: Level.COUNTY,
    Level.COUNTY: Level.TOWNSHIP,
    Level.TOWNSHIP: Level.VILLAGE,
    Level.VILLAGE: Level.GROUP,
}


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
        return [
            self.code[:length]
            for level, length in CODE_LENGTHS.items()
            if length < len(self.code)
        ]

    @property
    def township_code(self) -> str | None:
        return self.code[:9] if len(self.code) >= 9 else None
