"""Deliveries and errands (送货上门 / 帮办代办) for households that cannot go out, and distributions
(planned hand-outs from a township's stock, one delivery per household).

One model for both: a delivery of goods and an errand share everything that matters to the work
(the household, who does it, priority, requested → assigned → delivered / failed, who received it,
why it failed, the household's timeline), and the caseworker's list and the office's board show them
together, priority first. Only what is handed over differs: goods (an item from stock or bought)
or an errand in words. `Errand` in the glossary is a Delivery with kind `errand`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.codes import township_of
from bangfu.core.idempotency import ClientHashed
from bangfu.history.tracked import Keys, Tracked
from bangfu.households.models import Household


class DeliveryKind(models.TextChoices):
    GOODS = "goods", _("Goods delivered")
    ERRAND = "errand", _("Errand")


class GoodsSource(models.TextChoices):
    STOCK = "stock", _("From stock")
    BOUGHT = "bought", _("Bought for the household")


class DeliveryStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ASSIGNED = "assigned", _("Assigned")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Not delivered")


OPEN_STATUSES = (DeliveryStatus.REQUESTED, DeliveryStatus.ASSIGNED)


class PriorityReason(models.TextChoices):
    # The groups that cannot fetch goods themselves (bangfu.deliveries.services.priority_reasons).
    EXTREME_HARDSHIP = "extreme_hardship", _("Extreme hardship support")
    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    SEVERE_DISABILITY = "severe_disability", _("Severely disabled")
    # Before these, any special group (低保 included) was one reason; kept for the rows it is on.
    SPECIAL_GROUP = "special_group", _("Special group")
    # Other apps add reasons of their own (bangfu.deliveries.priority).


class DeliveryQuerySet(models.QuerySet):
    def visible_to(self, user) -> DeliveryQuerySet:
        """Deliveries of the households the user may see (the households' scope door), and for a
        caseworker also those assigned to them for a neighbour's household of their village."""
        condition = Q(household__in=Household.objects.visible_to(user))
        if user is not None and user.is_authenticated and user.is_active:
            condition |= Q(caseworker_id=user.pk)
        return self.filter(condition)

    def open(self) -> DeliveryQuerySet:
        return self.filter(status__in=OPEN_STATUSES)


class Delivery(ClientHashed):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="deliveries",
                                  verbose_name=_("household"))
    # Denormalised from the household: the township's stock and the office's lists filter on it.
    region_code = models.CharField(max_length=15, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=DeliveryKind.choices)
    source = models.CharField(_("goods from"), max_length=10, choices=GoodsSource.choices, blank=True)
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="deliveries", verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    description = models.CharField(_("what to do or buy"), max_length=300, blank=True)
    cost = models.BigIntegerField(_("cost"), null=True, blank=True)  # fen, goods bought
    distribution = models.ForeignKey("deliveries.Distribution", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="deliveries", verbose_name=_("distribution"))
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)  # order within a distribution
    # The need (困难诉求) this delivery answers: delivered, it resolves the need (bangfu.deliveries.needlink).
    need = models.ForeignKey("needs.Need", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="deliveries", verbose_name=_("need"))
    priority = models.BooleanField(_("priority"), default=False)
    priority_reasons = models.JSONField(default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.REQUESTED)
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="deliveries", verbose_name=_("caseworker"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("requested by"))
    requested_at = models.DateTimeField(_("requested at"))
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("done by"))
    received_by = models.CharField(_("received by"), max_length=50, blank=True)
    failure_reason = models.CharField(_("reason it failed"), max_length=200, blank=True)
    # Who last tried it again after it failed: a retried "try again" from a phone answers as the first.
    reopened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False)
    # The ledger line that took the goods out of stock, once delivered.
    stock_move = models.OneToOneField("supplies.StockMove", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="delivery", editable=False)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DeliveryQuerySet.as_manager()
    # Every step is on the household's timeline, even one no snapshot key shows (new priority
    # reasons, the priority as it was); a delivery's cost reads as yuan.
    history = Tracked(type="delivery", household="household_id", snapshot="bangfu.deliveries.services.snapshot",
                      unchanged=True, keys=Keys(money=frozenset({"cost"})))

    class Meta:
        db_table = "emergency_delivery"  # where it was created, before deliveries were an app of their own
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="errand") & ~Q(description=""))
                | (Q(kind="goods", source="stock", item__isnull=False, quantity__gt=0))
                | (Q(kind="goods", source="bought") & ~Q(description="")),
                name="delivery_says_what",
            ),
            models.CheckConstraint(
                condition=~Q(status="delivered") | Q(done_at__isnull=False), name="delivery_delivered_has_time"
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(failure_reason=""), name="delivery_failed_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="assigned") | Q(caseworker__isnull=False), name="delivery_assigned_has_caseworker"
            ),
            models.UniqueConstraint(fields=["distribution", "household", "item"],
                                    condition=Q(distribution__isnull=False),
                                    name="delivery_once_per_distribution_item"),
        ]
        indexes = [
            models.Index(fields=["region_code", "status"], name="delivery_region_status"),
            models.Index(fields=["caseworker", "status"], name="delivery_caseworker_status"),
            models.Index(fields=["distribution", "sequence"], name="delivery_distribution"),
        ]

    def __str__(self) -> str:
        return self.what

    @property
    def what(self) -> str:
        if self.kind == DeliveryKind.GOODS and self.source == GoodsSource.STOCK and self.item_id:
            return f"{self.item.name} {self.quantity}{self.item.unit}"
        return self.description

    @property
    def priority_text(self) -> str:
        from bangfu.deliveries.priority import priority_labels

        labels = priority_labels()
        return "、".join(str(labels.get(reason, reason)) for reason in self.priority_reasons)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def township_code(self) -> str:
        return township_of(self.region_code)


class Distribution(ClientHashed):
    """A planned hand-out: to each household of a selection, each of its lines (an item and a
    quantity: 大米 10 kg, 食用油 1 桶). Each household's share of each line is a Delivery, the priority
    households first, then the special groups."""

    township = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("township"))
    title = models.CharField(_("title"), max_length=100)
    # The selection as planned: village codes (empty: the whole township) and categories (empty: all).
    villages = models.JSONField(_("villages"), default=list, blank=True)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    # Only households whose latest assessment (casework) found living supplies short.
    supplies_short = models.BooleanField(_("only households short of supplies"), default=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("planned by"))
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    history = Tracked(type="distribution", region="township_id")

    class Meta:
        db_table = "supplies_distribution"  # where it was created, before deliveries were an app of their own
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class DistributionLine(models.Model):
    """One item of a distribution and how much of it each household gets."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="lines")
    item = models.ForeignKey("supplies.Item", on_delete=models.PROTECT, related_name="distribution_lines",
                             verbose_name=_("item"))
    quantity = models.PositiveIntegerField(_("quantity per household"))

    class Meta:
        verbose_name = _("item of a distribution")
        ordering = ["distribution_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="distribution_line_quantity_positive"),
            models.UniqueConstraint(fields=["distribution", "item"], name="distribution_line_item_once"),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} {self.quantity}{self.item.unit}"
