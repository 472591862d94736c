"""Project assets (扶贫项目资产): what a project left behind (a PV station, a greenhouse, a road),
who owns it (确权) and keeps it (管护), its inspections with their photos and findings (整改), its
monthly income and costs, and each year's distribution plan (分配方案) with its payouts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core.idempotency import ClientHashed
from bangfu.core.permissions import area_q
from bangfu.history.tracked import Keys, Tracked


class AssetClass(models.TextChoices):
    OPERATING = "operating", _("Operating (经营性)")
    PUBLIC = "public", _("Public welfare (公益性)")
    HOUSEHOLD = "household", _("Given to households (到户类)")


class AssetKind(models.TextChoices):
    PV_STATION = "pv_station", _("PV station")
    GREENHOUSE = "greenhouse", _("Greenhouse")
    WORKSHOP = "workshop", _("Support workshop")
    ROAD = "road", _("Road")
    WATER = "water", _("Water supply")
    OTHER = "other", _("Other")


class OwnerLevel(models.TextChoices):
    """Who owns the asset (确权)."""

    COUNTY = "county", _("County")
    TOWNSHIP = "township", _("Township")
    VILLAGE = "village", _("Village collective")
    HOUSEHOLD = "household", _("Household")


class AssetQuerySet(models.QuerySet):
    def visible_to(self, user) -> AssetQuerySet:
        condition = area_q(user)
        return self.none() if condition is None else self.filter(condition)


class Asset(models.Model):
    asset_class = models.CharField(_("asset class"), max_length=10, choices=AssetClass.choices)
    kind = models.CharField(_("kind"), max_length=12, choices=AssetKind.choices)
    name = models.CharField(_("asset name"), max_length=100)
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("project"))
    handover_item = models.OneToOneField("projects.HandoverItem", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+")
    value_fen = models.BigIntegerField(_("asset value"), default=0)
    owner_level = models.CharField(_("owned by"), max_length=10, choices=OwnerLevel.choices)
    owner_code = models.CharField(_("owner's region"), max_length=15)
    owner_name = models.CharField(pgettext_lazy("asset", "owner"), max_length=100)
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("household"))
    keeper = models.CharField(_("kept by (管护主体)"), max_length=100)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("inspected by"))
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village"))
    # The village's code: the asset's scope.
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    objects = AssetQuerySet.as_manager()
    history = Tracked(type="asset", region="region_code", snapshot="bangfu.assets.services.asset_snapshot",
                      keys=Keys(money=frozenset({"value_fen"})))

    class Meta:
        verbose_name = _("asset")
        verbose_name_plural = _("assets")
        ordering = ["region_code", "kind", "name", "id"]
        constraints = [models.CheckConstraint(condition=Q(value_fen__gte=0), name="asset_value_not_negative")]

    def __str__(self) -> str:
        return self.name


class AssetSetting(models.Model):
    """A county's rules for its assets; without a row, the defaults (assets.defaults)."""

    county = models.OneToOneField("regions.Region", on_delete=models.PROTECT, primary_key=True, related_name="+")
    welfare_min_percent = models.PositiveSmallIntegerField(_("least share to public-welfare posts (%)"), default=60)
    # {kind: days between inspections}; a kind not named keeps its default.
    intervals = models.JSONField(default=dict, blank=True)

    history = Tracked(type="asset_setting", region="county_id", repr="county.name",
                      always=("welfare_min_percent",))

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(welfare_min_percent__lte=100), name="asset_welfare_percent")]


class Inspection(ClientHashed):
    """One inspection (巡检): the checklist as found, a note, and the inspector; findings and photos
    hang on it."""

    client_id = models.UUIDField(unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="inspections")
    day = models.DateField(_("inspected on"))
    # {item key: true/false or a number}, by the kind's checklist.
    checklist = models.JSONField(default=dict)
    note = models.CharField(_("note"), max_length=300, blank=True)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    history = Tracked(type="asset_inspection", region="asset.region_code", repr="asset.name")

    class Meta:
        ordering = ["asset_id", "-day", "-id"]
        indexes = [models.Index(fields=["asset", "day"], name="inspection_asset_day")]


class Finding(models.Model):
    """A fault found (整改): to be fixed by a day; closed with a note when fixed; escalated once when
    the day has passed."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="findings")
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    text = models.CharField(_("finding"), max_length=300)
    fix_by = models.DateField(_("fix by"))
    fixed_on = models.DateField(_("fixed on"), null=True, blank=True)
    fix_note = models.CharField(_("how it was fixed"), max_length=300, blank=True)
    fixed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    escalated_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = Tracked(type="asset_finding", region="region_code", repr="text")

    class Meta:
        ordering = ["fix_by", "id"]
        indexes = [models.Index(fields=["fixed_on", "fix_by"], name="finding_open")]

    def is_overdue(self, today) -> bool:
        return self.fixed_on is None and today > self.fix_by


class Photo(models.Model):
    """A photo of an inspection, resized on upload and kept under the data folder (never a public
    URL: served through a view that checks the asset's scope)."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="photos")
    path = models.CharField(max_length=200, unique=True)  # relative to the photo folder
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["inspection_id", "id"]


class IncomeKind(models.TextChoices):
    INCOME = "income", _("Income")
    COST = "cost", _("Cost")


class IncomeCategory(models.TextChoices):
    POWER = "power", _("Power settlement")
    RENT = "rent", _("Rent received")
    OTHER_INCOME = "other_income", _("Other income")
    LAND_RENT = "land_rent", _("Land rent")
    MAINTENANCE = "maintenance", _("Maintenance")
    OTHER_COST = "other_cost", _("Other cost")


COST_CATEGORIES = frozenset({IncomeCategory.LAND_RENT, IncomeCategory.MAINTENANCE, IncomeCategory.OTHER_COST})


class IncomeEntry(ClientHashed):
    """A month's income of an asset (e.g. the power company's settlement) or a cost (land rent,
    maintenance)."""

    client_id = models.UUIDField(unique=True, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="income")
    month = models.DateField(_("month"))  # the first day of the month
    category = models.CharField(_("item"), max_length=15, choices=IncomeCategory.choices)
    amount_fen = models.BigIntegerField(_("amount"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    history = Tracked(type="asset_income", region="asset.region_code", repr="asset.name",
                      keys=Keys(money=frozenset({"amount_fen"})))

    class Meta:
        ordering = ["asset_id", "-month", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="asset_income_positive")]

    @property
    def is_cost(self) -> bool:
        return self.category in COST_CATEGORIES


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved by the township")
    PUBLISHED = "published", pgettext_lazy("distribution plan", "Published")


class Share(models.TextChoices):
    WELFARE = "welfare", _("Public-welfare post pay")
    COLLECTIVE = "collective", _("Village collective")
    HOUSEHOLDS = "households", pgettext_lazy("distribution share", "Households")
    REINVEST = "reinvest", _("Reinvestment")


class DistributionPlan(models.Model):
    """An asset's distribution plan for a year (收益分配方案): each share in percent of the year's
    distributable income (income less costs), approved by the township office and published."""

    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField(_("year"))
    welfare_percent = models.PositiveSmallIntegerField(_("public-welfare post pay (%)"))
    collective_percent = models.PositiveSmallIntegerField(_("village collective (%)"), default=0)
    households_percent = models.PositiveSmallIntegerField(_("households (%)"), default=0)
    reinvest_percent = models.PositiveSmallIntegerField(_("reinvestment (%)"), default=0)
    meeting = models.CharField(_("decided by"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)

    history = Tracked(type="asset_plan", region="asset.region_code", repr="asset.name", always=("status",))

    class Meta:
        ordering = ["asset_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "year"], name="asset_plan_once_a_year"),
            models.CheckConstraint(condition=Q(welfare_percent__lte=100, collective_percent__lte=100,
                                               households_percent__lte=100, reinvest_percent__lte=100),
                                   name="asset_plan_percent"),
        ]

    def percent(self, share: str) -> int:
        return getattr(self, f"{share}_percent")


class Payout(ClientHashed):
    """Money paid out under a published plan, from one share."""

    client_id = models.UUIDField(unique=True, editable=False)
    plan = models.ForeignKey(DistributionPlan, on_delete=models.PROTECT, related_name="payouts")
    share = models.CharField(_("share"), max_length=12, choices=Share.choices)
    amount_fen = models.BigIntegerField(_("amount"))
    day = models.DateField(_("paid on"))
    payee = models.CharField(_("paid to"), max_length=100)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    history = Tracked(type="asset_payout", region="plan.asset.region_code", repr="payee",
                      keys=Keys(money=frozenset({"amount_fen"})))

    class Meta:
        ordering = ["plan_id", "day", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="asset_payout_positive")]
