"""Work: the labour force month by month (a status per labourer and month), back-to-work drives
with each targeted labourer's placement (the outcome), and the yearly employment subsidy: the county's amounts by
地域 and the township's payment lists that the county approves. Public-welfare posts (`WelfarePost`,
appointments, attendance, assessments, payrolls) are in work.welfare_models; job postings
(`JobPosting`) come later beside them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.history.tracked import Keys, Tracked
from bangfu.households.models import Household


class Activity(models.TextChoices):
    """What a labourer does in a month (就业类型)."""
    MIGRANT = "migrant", _("Working away (外出务工)")
    NEARBY = "nearby", _("Working nearby (就近就业)")
    SELF_EMPLOYED = "self_employed", _("Self-employed (自主创业)")
    WELFARE_POST = "welfare_post", _("Public-welfare post (公益岗位)")
    UNEMPLOYED = "unemployed", _("Not working (未就业)")
    IN_SCHOOL = "in_school", _("In school (在校)")
    UNABLE = "unable", _("Cannot go out to work (无法外出)")


# The activities counted as at work, and those that say where.
AT_WORK = frozenset({Activity.MIGRANT, Activity.NEARBY, Activity.SELF_EMPLOYED, Activity.WELFARE_POST})
WITH_PLACE = frozenset({Activity.MIGRANT, Activity.NEARBY, Activity.SELF_EMPLOYED})
# The activities whose reason must be given.
WITH_REASON = frozenset({Activity.UNEMPLOYED, Activity.UNABLE})


class Area(models.TextChoices):
    """Where the place of work lies from the labourer's home (地域), derived from the two region
    codes (work.areas). The subsidy is by the first three; reports fold the middle two into 省内县外."""
    OUTSIDE_PROVINCE = "outside_province", _("Outside the province (省外)")
    OUTSIDE_CITY = "outside_city", _("In the province, outside the city (省内市外)")
    OUTSIDE_COUNTY = "outside_county", _("In the city, outside the county (市内县外)")
    IN_COUNTY = "in_county", _("In the county (县内)")


class Source(models.TextChoices):
    CONTACT = "contact", _("On a call or visit")
    GRID = "grid", _("By the office for a village")
    IMPORT = "import", _("Imported")
    API = "api", _("From a phone")
    DRIVE = "drive", _("Back-to-work drive")
    PAGE = "page", _("On the labourer's page")


class LabourStatusQuerySet(models.QuerySet):
    def visible_to(self, user) -> LabourStatusQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class LabourStatus(models.Model):
    """One labourer's work in one month (务工监测). Recorded again for the same month, the row is
    updated and the change kept in history."""

    member = models.ForeignKey("households.Member", on_delete=models.CASCADE, related_name="labour_statuses",
                               verbose_name=_("labourer"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="labour_statuses")
    region_code = models.CharField(max_length=15, editable=False)
    month = models.DateField(_("month"))  # its first day
    activity = models.CharField(_("status"), max_length=16, choices=Activity.choices)
    reason = models.CharField(_("why"), max_length=200, blank=True)
    # Where, as a division code of any level (44 广东省, 440300 深圳市...), and its name as said.
    place_code = models.CharField(_("place code"), max_length=15, blank=True)
    place_name = models.CharField(_("place"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, blank=True, editable=False)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    job = models.CharField(_("job"), max_length=100, blank=True)
    wage_fen = models.PositiveBigIntegerField(_("monthly wage"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, editable=False)
    contact = models.ForeignKey("casework.Contact", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", editable=False)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LabourStatusQuerySet.as_manager()
    history = Tracked(type="labour_status", household="household_id",
                      snapshot="bangfu.work.services.status_snapshot", always=("month",),
                      keys=Keys(money=frozenset({"wage_fen"})))

    class Meta:
        verbose_name = _("monthly work status")
        verbose_name_plural = _("monthly work statuses")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="labour_status_once_a_month"),
        ]
        indexes = [models.Index(fields=["region_code", "month"], name="labour_status_area_month")]

    def __str__(self) -> str:
        return f"{self.member.name} {self.month:%Y-%m}"


def _township_scope(qs, user):
    """Rows of a township within the user's area, or of the user's own township (a village user
    sees the drives and lists of their township, which hold their village's labourers)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    from bangfu.core.codes import prefix_q, township_of
    from bangfu.core.permissions import Role

    if user.role == Role.ADMIN:
        return qs
    code = user.region_id or ""
    if not code:
        return qs.none()
    return qs.filter(prefix_q("region_code", township_of(code)))


class DriveQuerySet(models.QuerySet):
    def visible_to(self, user) -> DriveQuerySet:
        return _township_scope(self, user)


class DriveTargetRule(models.TextChoices):
    MIGRANT_LAST_YEAR = "migrant_last_year", _("Worked away last year and not yet back at work")
    NOT_AT_WORK = "not_at_work", _("Every labourer not at work")


class Drive(models.Model):
    """A back-to-work drive (返岗): a township's period and the labourers it targets."""

    title = models.CharField(_("title"), max_length=100)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("township"))
    region_code = models.CharField(max_length=15, editable=False)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    rule = models.CharField(_("who it targets"), max_length=20, choices=DriveTargetRule.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = DriveQuerySet.as_manager()
    history = Tracked(type="drive", region="region_code", snapshot="bangfu.work.services.drive_snapshot")

    class Meta:
        verbose_name = _("back-to-work drive")
        verbose_name_plural = _("back-to-work drives")
        ordering = ["-start", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="drive_end_after_start")]

    def __str__(self) -> str:
        return self.title


class Outcome(models.TextChoices):
    PENDING = "pending", _("Not asked yet")
    RETURNED = "returned", _("Back at work")
    NEARBY = "nearby", _("Found work nearby")
    NOT_YET = "not_yet", _("Not back yet")
    NOT_GOING = "not_going", _("Not going")


class Transport(models.TextChoices):
    POINT_TO_POINT = "point_to_point", _("Point to point (点对点)")
    CHARTERED = "chartered", _("Chartered coach (包车)")
    OWN = "own", _("On their own")


class PlacementQuerySet(models.QuerySet):
    def visible_to(self, user) -> PlacementQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class Placement(models.Model):
    """A labourer a back-to-work drive targets and what became of them: back at work (返岗务工,
    `returned`), work found nearby, not yet, not going. Job postings' hires will be placements too."""

    drive = models.ForeignKey(Drive, on_delete=models.CASCADE, related_name="targets")
    member = models.ForeignKey("households.Member", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("labourer"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=15, editable=False)
    outcome = models.CharField(_("back-to-work outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    returned_on = models.DateField(_("back at work on"), null=True, blank=True)
    place_code = models.CharField(_("place code"), max_length=15, blank=True)
    place_name = models.CharField(_("place"), max_length=100, blank=True)
    area = models.CharField(_("area"), max_length=20, choices=Area.choices, blank=True, editable=False)
    reason = models.CharField(_("why"), max_length=200, blank=True)
    transport = models.CharField(_("transport arranged"), max_length=16, choices=Transport.choices, blank=True)
    subsidy_fen = models.PositiveBigIntegerField(_("subsidy due"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlacementQuerySet.as_manager()
    history = Tracked(type="placement", household="household_id",
                      snapshot="bangfu.work.services.placement_snapshot", always=("outcome",),
                      keys=Keys(
                                money=frozenset({"subsidy_fen"})))

    class Meta:
        ordering = ["region_code", "member_id"]
        constraints = [models.UniqueConstraint(fields=["drive", "member"], name="placement_once_per_drive")]
        indexes = [models.Index(fields=["drive", "outcome"], name="placement_outcome")]

    def __str__(self) -> str:
        return self.member.name


class SubsidyRate(models.Model):
    """A county's yearly employment subsidy for one 地域 (a county without rows pays the defaults,
    settings.WORK_SUBSIDY_DEFAULT_FEN)."""

    county = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    area = models.CharField(max_length=20, choices=Area.choices)
    amount_fen = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField(default=1, editable=False)

    history = Tracked(type="subsidy_rate", region="county_id", snapshot="bangfu.work.services.rate_snapshot",
                      keys=Keys(money=frozenset({"amount_fen"})))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["county", "area"], name="subsidy_rate_once")]

    def __str__(self) -> str:
        return f"{self.county_id} {self.area}"


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    APPROVED = "approved", _("Approved by the county")


class SubsidyListQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubsidyListQuerySet:
        return _township_scope(self, user)


class SubsidyList(models.Model):
    """A township's list of employment subsidies for a year, prepared by the township office and
    approved by the county, then exported for the bank."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("township"))
    region_code = models.CharField(max_length=15, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(_("status"), max_length=10, choices=ListStatus.choices, default=ListStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SubsidyListQuerySet.as_manager()
    history = Tracked(type="subsidy_list", region="region_code", snapshot="bangfu.work.services.list_snapshot",
                      always=("status",), keys=Keys())

    class Meta:
        ordering = ["-year", "region_code", "-id"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.year}"


class SubsidyPaymentQuerySet(models.QuerySet):
    def visible_to(self, user) -> SubsidyPaymentQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class SubsidyPayment(models.Model):
    """One labourer's employment subsidy for a year: one a year, whichever list holds it."""

    subsidy_list = models.ForeignKey(SubsidyList, on_delete=models.CASCADE, related_name="payments")
    # A member removed from the registry keeps their payment: its name and ID number are its own.
    member = models.ForeignKey("households.Member", on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("labourer"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, editable=False)
    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(editable=False)
    year = models.PositiveSmallIntegerField()
    area = models.CharField(_("area"), max_length=20, choices=Area.choices)
    place_name = models.CharField(_("place"), max_length=100, blank=True)
    amount_fen = models.PositiveBigIntegerField(_("amount"))
    # The bank card (一卡通) the subsidy is paid to: sealed at rest, shown by its last 4 digits.
    account_encrypted = models.TextField(blank=True, editable=False)
    account_tail = models.CharField(max_length=4, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SubsidyPaymentQuerySet.as_manager()
    history = Tracked(type="subsidy_payment", household="household_id",
                      snapshot="bangfu.work.services.payment_snapshot",
                      keys=Keys(money=frozenset({"amount_fen"})))

    class Meta:
        ordering = ["region_code", "member_id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="subsidy_once_a_year")]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        from bangfu.core import crypto

        return crypto.decrypt(self.id_number_encrypted)

    @property
    def account(self) -> str:
        from bangfu.core import crypto

        return crypto.decrypt(self.account_encrypted) if self.account_encrypted else ""


# Job postings, their referrals and publications (work.posting_models).
from bangfu.work.posting_models import JobPosting, Publication, Referral  # noqa: E402,F401
from bangfu.work.welfare_models import (  # noqa: E402,F401  (the public-welfare posts' models)
    Appointment,
    Assessment,
    Attendance,
    PayLine,
    Payroll,
    WelfareBar,
    WelfarePost,
    WelfareRules,
)
