"""Policies (政策) per county with who qualifies and what arrives, the receipts recorded for
households (政策享受), and the checks asked on a call or a visit ("did it arrive?")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.history.tracked import Keys, Tracked
from bangfu.households import choices
from bangfu.policies.rules import describe


class Period(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")
    ONCE = "once", _("Once")


class Per(models.TextChoices):
    HOUSEHOLD = "household", _("Per household")
    MEMBER = "member", _("Per qualifying person")


class Policy(models.Model):
    """A policy of one county, or a deployment default (county_code ""), which a county's own row of
    the same key replaces. Who qualifies is data (categories and conditions, read by rules.py)."""

    county_code = models.CharField(max_length=15, blank=True, default="")
    key = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    department = models.CharField(_("paying department"), max_length=100, blank=True)
    # Households of any of these categories (none listed: any household).
    categories = models.JSONField(_("household categories"), default=list, blank=True)
    # [{"kind": ..., ...}]: every condition holds; the member conditions by one and the same member.
    conditions = models.JSONField(_("conditions"), default=list, blank=True)
    amount = models.BigIntegerField(_("amount"))  # fen, per period
    period = models.CharField(_("period"), max_length=10, choices=Period.choices)
    per = models.CharField(_("paid"), max_length=10, choices=Per.choices)
    active = models.BooleanField(_("in force"), default=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = Tracked(type="policy", region="county_code", snapshot="bangfu.policies.services.policy_snapshot",
                      keys=Keys(money=frozenset({"amount"})))

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["key"]
        constraints = [models.UniqueConstraint(fields=["county_code", "key"], name="policy_key_per_county")]

    def __str__(self) -> str:
        return self.name

    @property
    def category_labels(self) -> list[str]:
        return [str(choices.Category(c).label) for c in self.categories if c in choices.Category.values]

    @property
    def condition_labels(self) -> list[str]:
        return [describe(c) for c in self.conditions]


class Source(models.TextChoices):
    HAND = "hand", _("Recorded by hand")
    SHEET = "sheet", _("Department's payment sheet")


class Receipt(models.Model):
    """What arrived: one payment of a policy to a household (or one of its members) for a period."""

    policy_key = models.SlugField(max_length=40)
    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="policy_receipts")
    member = models.ForeignKey("households.Member", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="policy_receipts")
    region_code = models.CharField(max_length=15)
    # "2026-03" (monthly), "2026" (yearly), "once".
    period = models.CharField(_("period"), max_length=7)
    amount = models.BigIntegerField(_("amount"))
    paid_on = models.DateField(_("paid on"))
    source = models.CharField(max_length=10, choices=Source.choices)
    client_id = models.UUIDField(null=True, blank=True, unique=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = Tracked(type="policy_receipt", household="household_id",
                      snapshot="bangfu.policies.services.receipt_snapshot", label=_("policy receipt"),
                      keys=Keys(money=frozenset({"amount"})))

    class Meta:
        ordering = ["-paid_on", "-id"]
        constraints = [
            # A sheet imported twice, or a receipt typed twice, stores it once.
            models.UniqueConstraint(fields=["policy_key", "household", "member", "period"],
                                    condition=models.Q(member__isnull=False), name="receipt_once_per_member"),
            models.UniqueConstraint(fields=["policy_key", "household", "period"],
                                    condition=models.Q(member__isnull=True), name="receipt_once_per_household"),
        ]
        indexes = [models.Index(fields=["region_code", "period"], name="receipt_region_period")]


class Answer(models.TextChoices):
    ARRIVED = "arrived", _("Arrived")
    NOT_ARRIVED = "not_arrived", _("Not arrived")
    UNSURE = "unsure", _("The household does not know")


class PolicyCheck(models.Model):
    """The household's answer, on a call or a visit, to "did it arrive?" for one policy this period."""

    policy_key = models.SlugField(max_length=40)
    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="policy_checks")
    contact = models.ForeignKey("casework.Contact", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="policy_checks")
    region_code = models.CharField(max_length=15)
    period = models.CharField(max_length=7)
    answer = models.CharField(_("answer"), max_length=12, choices=Answer.choices)
    checked_on = models.DateField()
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = Tracked(type="policy_check", household="household_id",
                      snapshot="bangfu.policies.services.check_snapshot", label=_("policy check"))

    class Meta:
        ordering = ["-checked_on", "-id"]
        indexes = [models.Index(fields=["household", "period"], name="policycheck_household_period")]
