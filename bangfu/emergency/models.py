"""Emergency work. For now: deliveries and errands (送货上门 / 帮办代办) for households that cannot go
out; emergencies, daily checks, returnees and quarantine join this app later.

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
    SPECIAL_GROUP = "special_group", _("Special group")
    # Set by the emergency work (a quarantined household is supplied at the door first).
    QUARANTINE = "quarantine", _("Quarantine")


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


class Delivery(models.Model):
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
    distribution = models.ForeignKey("supplies.Distribution", on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="deliveries", verbose_name=_("distribution"))
    sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)  # order within a distribution
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
    # The ledger line that took the goods out of stock, once delivered.
    stock_move = models.OneToOneField("supplies.StockMove", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="delivery", editable=False)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
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
            models.UniqueConstraint(fields=["distribution", "household"], condition=Q(distribution__isnull=False),
                                    name="delivery_once_per_distribution"),
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
        labels = dict(PriorityReason.choices)
        return "、".join(str(labels.get(reason, reason)) for reason in self.priority_reasons)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def township_code(self) -> str:
        return self.region_code[:9]
