"""The filial-piety fund (孝心基金): a council per village (扶贫理事会 / 孝心养老理事会), support
agreements between an elder and the children who support them (赡养协议), and one ledger of what the
children paid in, what the council or government added (the match) and what was paid out to the
elder. An agreement's balance is kept on its row and held at zero or above by the database, so
no payout (nor two at once) takes out more than came in."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core import crypto
from bangfu.core.permissions import area_q
from bangfu.history.tracked import Keys, Tracked
from bangfu.households.models import Household

# The match when the county has set none (LIVELIHOOD.md §1g: the council adds 10%).
DEFAULT_MATCH_PERCENT = Decimal("10")
# An elder is a member this old or older on the day the agreement is signed.
ELDER_AGE = 60


class FundSetting(models.Model):
    """A county's rule for the fund: the match added to each contribution, in percent."""

    county = models.OneToOneField("regions.Region", on_delete=models.PROTECT, primary_key=True,
                                  related_name="fund_setting", verbose_name=_("county"))
    match_percent = models.DecimalField(_("match (%)"), max_digits=5, decimal_places=2,
                                        default=DEFAULT_MATCH_PERCENT)

    history = Tracked(type="fund_setting", region="county_id", snapshot="bangfu.fund.services.setting_snapshot")

    class Meta:
        verbose_name = _("fund setting")
        constraints = [models.CheckConstraint(condition=Q(match_percent__gte=0) & Q(match_percent__lte=100),
                                              name="fund_match_percent_range")]


class CouncilQuerySet(models.QuerySet):
    def visible_to(self, user) -> CouncilQuerySet:
        condition = area_q(user)
        return self.none() if condition is None else self.filter(condition)


class Council(models.Model):
    """A village's council that runs the fund (VillageCouncil in the glossary)."""

    village = models.OneToOneField("regions.Region", on_delete=models.PROTECT, related_name="fund_council",
                                   verbose_name=_("village"))
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    name = models.CharField(_("name"), max_length=100)
    founded_on = models.DateField(_("founded on"))
    # Who sits on it: one line each, "name (role)".
    members = models.JSONField(_("council members"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CouncilQuerySet.as_manager()
    history = Tracked(type="fund_council", region="region_code", snapshot="bangfu.fund.services.council_snapshot")

    class Meta:
        ordering = ["region_code"]
        verbose_name = _("fund council")
        verbose_name_plural = _("fund councils")

    def __str__(self) -> str:
        return self.name


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    ENDED = "ended", _("Ended")


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgreementQuerySet:
        """An agreement holds the elder's household's data: it is seen by whoever sees the household."""
        return self.filter(household__in=Household.objects.visible_to(user))


class Agreement(models.Model):
    """A support agreement (赡养协议, SupportAgreement): an elder, the children who support them, what
    they pay each month and give in kind, how often they visit, and who signed and witnessed it."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="agreements",
                                verbose_name=_("council"))
    elder = models.ForeignKey("households.Member", on_delete=models.PROTECT, related_name="support_agreements",
                              verbose_name=_("elder"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="support_agreements",
                                  editable=False)
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    monthly_amount = models.BigIntegerField(_("monthly amount"))  # fen
    starts_on = models.DateField(_("first month"))  # the first of the month from which it is due
    in_kind = models.CharField(_("in-kind support"), max_length=300, blank=True)
    visits = models.CharField(_("visits"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"))
    witnesses = models.CharField(_("witnesses"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=AgreementStatus.choices,
                              default=AgreementStatus.ACTIVE)
    # Contributions plus the match less the payouts, in fen: never below zero (the constraint), so a
    # payout above it fails in the database even when two are written at once.
    balance = models.BigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AgreementQuerySet.as_manager()
    history = Tracked(type="fund_agreement", household="household_id", region="region_code",
                      snapshot="bangfu.fund.services.agreement_snapshot",
                      keys=Keys(money=frozenset({"monthly_amount"}),
                                labels={"children": _("supporters"), "elder": _("elder")}))

    class Meta:
        ordering = ["council_id", "id"]
        verbose_name = _("support agreement")
        verbose_name_plural = _("support agreements")
        constraints = [
            models.CheckConstraint(condition=Q(balance__gte=0), name="fund_agreement_balance_not_negative"),
            models.CheckConstraint(condition=Q(monthly_amount__gt=0), name="fund_agreement_amount_positive"),
        ]

    def __str__(self) -> str:
        return str(self.elder)


class Supporter(models.Model):
    """A child (or other 赡养人) who signed an agreement; the phone sealed as members' phones are."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="supporters")
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        ordering = ["agreement_id", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted) if self.phone_encrypted else ""


class EntryKind(models.TextChoices):
    CONTRIBUTION = "contribution", _("Contribution")
    MATCH = "match", _("Match")
    PAYOUT = "payout", _("Payout")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class EntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> EntryQuerySet:
        return self.filter(agreement__in=Agreement.objects.visible_to(user))


class Entry(models.Model):
    """One line of the fund's ledger: a contribution from a child (SupportPayment), the match added
    to it, or a payout to the elder. Amounts are positive; the kind says which way they go."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="entries")
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="entries")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+", editable=False)
    region_code = models.CharField(max_length=15, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=12, choices=EntryKind.choices)
    amount = models.BigIntegerField(_("amount"))  # fen
    on = models.DateField(_("date"))
    # A contribution: how long it covers and who paid it; a payout: the month it is for.
    frequency = models.CharField(_("covers"), max_length=10, choices=Frequency.choices, blank=True)
    payer = models.CharField(_("paid by"), max_length=50, blank=True)
    month = models.DateField(_("for the month"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # The contribution a match was added to.
    matches = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="match", editable=False)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = EntryQuerySet.as_manager()
    history = Tracked(type="fund_entry", household="household_id", region="region_code",
                      snapshot="bangfu.fund.services.entry_snapshot", keys=Keys(money=frozenset({"amount"})))

    class Meta:
        ordering = ["on", "id"]
        verbose_name = _("fund ledger entry")
        verbose_name_plural = _("fund ledger entries")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fund_entry_amount_positive"),
        ]
        indexes = [models.Index(fields=["agreement", "kind"], name="fund_entry_agreement_kind"),
                   models.Index(fields=["council", "on"], name="fund_entry_council_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
