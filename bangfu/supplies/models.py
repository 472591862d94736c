"""Supplies: items, the stock ledger of each township (moves) with its balance rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.idempotency import ClientHashed
from bangfu.history.tracked import Tracked


class ItemKind(models.TextChoices):
    PROTECTIVE = "protective", _("Protective supplies")
    LIVING = "living", _("Living supplies")
    OTHER = "other", _("Other supplies")


class ItemQuerySet(models.QuerySet):
    def for_township(self, code: str) -> ItemQuerySet:
        """The shared items and the township's own."""
        return self.filter(Q(township__isnull=True) | Q(township_id=code))


class Item(models.Model):
    """A kind of goods counted in one unit. Items without a township are shared by every township
    (the defaults: 口罩, 消毒液, 大米, 面粉, 食用油, 蔬菜), so a county can add up one item across its
    townships; a township adds its own (e.g. 牛奶) for itself."""

    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=20, choices=ItemKind.choices)
    unit = models.CharField(_("unit"), max_length=10)
    township = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("township"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ItemQuerySet.as_manager()
    history = Tracked(type="item", region="township_id")

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="item_name_per_township"),
            models.UniqueConstraint(fields=["name"], condition=Q(township__isnull=True), name="item_name_shared"),
        ]

    def __str__(self) -> str:
        return self.name


class MoveKind(models.TextChoices):
    RECEIVE = "receive", _("Receive")
    ISSUE = "issue", _("Issue")
    ADJUST = "adjust", _("Adjust")


class StockMove(ClientHashed):
    """One line of the ledger. `quantity` is signed: what the move did to the balance."""

    township = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("township"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="moves", verbose_name=_("item"))
    kind = models.CharField(_("move"), max_length=10, choices=MoveKind.choices)
    quantity = models.IntegerField(_("quantity"))
    # The balance right after this move, so the ledger reads like a bank statement without summing.
    balance_after = models.BigIntegerField(_("balance after"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("by"))
    at = models.DateTimeField(_("time"))
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    # A move has no household; stock issued for a delivery is recorded on the delivery's household.
    history = Tracked(type="stockmove", region="township_id", snapshot="bangfu.supplies.services.move_snapshot")

    class Meta:
        verbose_name = _("stock move")
        verbose_name_plural = _("stock moves")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="receive", quantity__gt=0) | Q(kind="issue", quantity__lt=0)
                           | (Q(kind="adjust") & ~Q(quantity=0))),
                name="stockmove_sign_by_kind",
            ),
            models.CheckConstraint(condition=~Q(kind="receive") | ~Q(source=""), name="stockmove_receive_source"),
            models.CheckConstraint(condition=~Q(kind="adjust") | ~Q(reason=""), name="stockmove_adjust_reason"),
        ]
        indexes = [models.Index(fields=["township", "item", "-at"], name="stockmove_ledger")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item} {self.quantity:+d}"


class Stock(models.Model):
    """The balance of one item in one township: the sum of its moves, kept by the services in the
    same transaction as each move, and never below zero (the CHECK holds even if code is wrong)."""

    township = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="stocks")
    quantity = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["township", "item"], name="stock_once_per_township_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.quantity}"
