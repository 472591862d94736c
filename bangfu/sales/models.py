"""Produce and sales (消费帮扶): the products of the area's households, cooperatives and greenhouses,
the buyers (units, canteens, markets, platforms such as 832), and each sale with its channel,
quantity, amount in fen and the households that benefit. A sale's scope is its product's village."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core.codes import ancestors
from bangfu.core.idempotency import ClientHashed
from bangfu.core.permissions import area_q
from bangfu.history.tracked import Keys, Tracked


class Category(models.TextChoices):
    VEGETABLES = "vegetables", _("Vegetables")
    MUSHROOMS = "mushrooms", _("Edible fungi")
    FRUIT = "fruit", _("Fruit")
    GRAIN_OIL = "grain_oil", _("Grain and oil")
    LIVESTOCK = "livestock", _("Livestock and poultry")
    HANDICRAFT = "handicraft", _("Handicrafts")
    OTHER = "other", pgettext_lazy("product category", "Other")


class BuyerKind(models.TextChoices):
    AGENCY = "agency", _("Government unit")
    CANTEEN = "canteen", _("Canteen")
    MARKET = "market", _("Market")
    COMPANY = "company", _("Company")
    PLATFORM = "platform", _("Online platform")
    PERSON = "person", _("Individual")


class Channel(models.TextChoices):
    BUDGET_UNIT = "budget_unit", _("Budget-unit purchase")
    PLATFORM_832 = "platform_832", _("832 platform")
    LIVESTREAM = "livestream", _("Livestream sales")
    SUPERMARKET = "supermarket", _("Supermarket")
    CANTEEN = "canteen", _("Direct to canteen")
    FAIR = "fair", _("Trade fair")
    OTHER = "other", pgettext_lazy("sales channel", "Other")


class CooperativeQuerySet(models.QuerySet):
    def visible_to(self, user) -> CooperativeQuerySet:
        condition = area_q(user)
        return self.none() if condition is None else self.filter(condition)


class Cooperative(models.Model):
    """A cooperative (合作社) that produces or markets a village's produce."""

    name = models.CharField(pgettext_lazy("sales", "name"), max_length=100)
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village"))
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    contact = models.CharField(pgettext_lazy("sales", "contact"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CooperativeQuerySet.as_manager()
    history = Tracked(type="sales_cooperative", region="region_code",
                      snapshot="bangfu.sales.services.cooperative_snapshot")

    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")
        constraints = [models.UniqueConstraint(fields=["village", "name"], name="sales_cooperative_once")]

    def __str__(self) -> str:
        return self.name


# The kinds of asset that produce something to sell (a greenhouse's vegetables, a workshop's goods).
PRODUCING_KINDS = ("greenhouse", "workshop", "other")


class ProductQuerySet(models.QuerySet):
    def visible_to(self, user) -> ProductQuerySet:
        condition = area_q(user)
        return self.none() if condition is None else self.filter(condition)


class Product(models.Model):
    """A product of a village and who produces it: a household, a cooperative or an asset of the
    village (a greenhouse, a workshop), or no one named."""

    name = models.CharField(_("product name"), max_length=100)
    category = models.CharField(pgettext_lazy("sales", "category"), max_length=20, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10, help_text=_("e.g. 斤, 公斤, 箱"))
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village"))
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("producing household"))
    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="products", verbose_name=_("cooperative"))
    asset = models.ForeignKey("assets.Asset", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="products", verbose_name=_("producing asset"))
    active = models.BooleanField(_("on sale"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductQuerySet.as_manager()
    history = Tracked(type="sales_product", region="region_code", snapshot="bangfu.sales.services.product_snapshot")

    class Meta:
        ordering = ["region_code", "name", "id"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            # At most one producer: a household, a cooperative or an asset.
            models.CheckConstraint(condition=(Q(household__isnull=True, cooperative__isnull=True)
                                              | Q(household__isnull=True, asset__isnull=True)
                                              | Q(cooperative__isnull=True, asset__isnull=True)),
                                   name="sales_product_one_producer"),
            models.UniqueConstraint(fields=["village", "name"], name="sales_product_once"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def producer(self) -> str:
        if self.cooperative_id:
            return self.cooperative.name
        if self.asset_id:
            return self.asset.name
        if self.household_id:
            return str(self.household)
        return ""


class BuyerQuerySet(models.QuerySet):
    def visible_to(self, user) -> BuyerQuerySet:
        """Buyers recorded in the user's area, and those recorded above it (a county unit's canteen
        buys from every village of the county)."""
        condition = area_q(user)
        if condition is None:
            return self.none()
        if not condition:
            return self
        return self.filter(condition | Q(region_code__in=ancestors(user.region_id)))


class Buyer(models.Model):
    """Who buys: a government unit, a canteen, a market, a company, an online platform, a person."""

    name = models.CharField(_("buyer"), max_length=100)
    kind = models.CharField(_("kind of buyer"), max_length=12, choices=BuyerKind.choices)
    # The area that recorded it (a county's units are seen by all its townships and villages).
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("recorded for"))
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    contact = models.CharField(pgettext_lazy("sales", "contact"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BuyerQuerySet.as_manager()
    history = Tracked(type="sales_buyer", region="region_code", snapshot="bangfu.sales.services.buyer_snapshot")

    class Meta:
        ordering = ["kind", "name", "id"]
        verbose_name = _("buyer")
        verbose_name_plural = _("buyers")
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="sales_buyer_once")]

    def __str__(self) -> str:
        return self.name


class SaleQuerySet(models.QuerySet):
    def visible_to(self, user) -> SaleQuerySet:
        condition = area_q(user)
        return self.none() if condition is None else self.filter(condition)


class Sale(ClientHashed):
    """One sale: what, to whom, through which channel, how much, for how many fen, on which day, and
    the households that benefit (by id where they are in the registry, and their count)."""

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="sales", verbose_name=_("product"))
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="sales", verbose_name=_("buyer"))
    # The product's village, for scope and the figures.
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    channel = models.CharField(pgettext_lazy("sales", "channel"), max_length=20, choices=Channel.choices)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2)
    amount = models.BigIntegerField(_("amount"))  # fen
    sold_on = models.DateField(_("date of sale"))
    households = models.ManyToManyField("households.Household", blank=True, related_name="+",
                                        verbose_name=_("households benefiting"))
    beneficiary_households = models.PositiveIntegerField(_("households benefiting"), default=0)
    note = models.CharField(_("note"), max_length=300, blank=True)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = SaleQuerySet.as_manager()
    history = Tracked(type="sales_sale", region="region_code", snapshot="bangfu.sales.services.sale_snapshot",
                      keys=Keys(money=frozenset({"amount"})))

    class Meta:
        ordering = ["-sold_on", "-id"]
        verbose_name = _("sale")
        verbose_name_plural = _("sales")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="sales_sale_amount_positive"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="sales_sale_quantity_positive"),
        ]
        indexes = [models.Index(fields=["region_code", "sold_on"], name="sales_sale_region_day")]

    def __str__(self) -> str:
        return f"{self.product} {self.sold_on}"
