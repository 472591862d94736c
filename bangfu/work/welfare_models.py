"""Public-welfare posts (乡村公益性岗位 / 扶贫专岗): the posts a village offers, the appointments
to them under the county's rules, the village cadre's daily attendance, the monthly assessment of
100 points and the township's monthly payroll. Imported by work.models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.history.tracked import Keys, Tracked
from bangfu.households.models import Household


def _township_scope(qs, user):
    from bangfu.work.models import _township_scope as scope

    return scope(qs, user)


def _area_scope(qs, user):
    """Rows of a village within the user's area (a village user: their village's)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return qs.none()
    from bangfu.core.codes import prefix_q
    from bangfu.core.permissions import Role

    if user.role == Role.ADMIN:
        return qs
    code = user.region_id or ""
    if not code:
        return qs.none()
    return qs.filter(prefix_q("region_code", code))


class WelfareRules(models.Model):
    """A county's rules for public-welfare posts; a county without a row keeps the defaults
    (work.welfare.DEFAULT_RULES)."""

    county = models.OneToOneField("regions.Region", on_delete=models.PROTECT, primary_key=True, related_name="+")
    max_age = models.PositiveSmallIntegerField(_("oldest age at appointment"))
    minimum_wage_fen = models.PositiveBigIntegerField(_("local minimum monthly wage"))
    village_weight = models.PositiveSmallIntegerField(_("points for the village's attendance"))
    township_weight = models.PositiveSmallIntegerField(_("points for the township's assessment"))
    review_weight = models.PositiveSmallIntegerField(_("points for the villagers' review"))
    publicity_days = models.PositiveSmallIntegerField(_("days the list of appointees is published"))
    version = models.PositiveIntegerField(default=1, editable=False)

    history = Tracked(type="welfare_rules", region="county_id", snapshot="bangfu.work.welfare.rules_snapshot",
                      keys=Keys(money=frozenset({"minimum_wage_fen"})))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(max_age__gte=16, max_age__lte=65), name="welfare_max_age_65"),
            models.CheckConstraint(
                condition=models.Q(village_weight__lte=100, township_weight__lte=100, review_weight__lte=100),
                name="welfare_weights_bounded"),
        ]

    def __str__(self) -> str:
        return self.county_id


class PostType(models.TextChoices):
    CLEANING = "cleaning", _("Cleaning (保洁)")
    ROAD = "road", _("Road care (护路)")
    FOREST = "forest", _("Forest care (护林)")
    SOLAR = "solar", _("Solar plant care (光伏管护)")
    TOILET = "toilet", _("Public toilet care (公厕管护)")
    DROWNING = "drowning", _("Drowning watch (防溺水)")
    STRAW = "straw", _("Straw-burning watch (秸秆禁烧)")
    WATER_POWER = "water_power", _("Water and power (水电)")
    CARE = "care", _("Care of the old and sick (照料护理)")
    OTHER = "other", _("Other")


class Funding(models.TextChoices):
    LINKAGE = "linkage", _("Linkage fund (衔接资金)")
    SOLAR = "solar", _("Solar income (光伏收益)")
    EMPLOYMENT = "employment", _("Employment fund (就业补助资金)")
    COLLECTIVE = "collective", _("Village collective (村集体)")
    OTHER = "other", _("Other")


class WelfarePostQuerySet(models.QuerySet):
    def visible_to(self, user) -> WelfarePostQuerySet:
        return _area_scope(self, user)


class WelfarePost(models.Model):
    """A village's public-welfare post: its kind, its places and its monthly pay."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("village"))
    region_code = models.CharField(max_length=15, editable=False)
    post_type = models.CharField(_("post"), max_length=12, choices=PostType.choices)
    places = models.PositiveSmallIntegerField(_("places"))
    pay_fen = models.PositiveBigIntegerField(_("monthly pay"))
    funding = models.CharField(_("funding source"), max_length=12, choices=Funding.choices)
    duties = models.CharField(_("duties"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = WelfarePostQuerySet.as_manager()
    history = Tracked(type="welfare_post", region="region_code", snapshot="bangfu.work.welfare.post_snapshot",
                      keys=Keys(money=frozenset({"pay_fen"})))

    class Meta:
        verbose_name = _("public-welfare post")
        ordering = ["region_code", "post_type", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(places__gte=1), name="welfare_post_places")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.get_post_type_display()}"


class BarKind(models.TextChoices):
    CADRE_FAMILY = "cadre_family", _("Family of a village cadre (村干部家属)")
    STATE_PAID = "state_paid", _("Paid by the state (财政供养)")


class WelfareBarQuerySet(models.QuerySet):
    def visible_to(self, user) -> WelfareBarQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class WelfareBar(models.Model):
    """The township's list of who may not hold a post: a village cadre's household (the whole
    household) or a person paid by the state (that person)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey("households.Member", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+")
    region_code = models.CharField(max_length=15, editable=False)
    kind = models.CharField(_("why"), max_length=14, choices=BarKind.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = WelfareBarQuerySet.as_manager()
    history = Tracked(type="welfare_bar", household="household_id", snapshot="bangfu.work.welfare.bar_snapshot")

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind}"


class AppointmentStatus(models.TextChoices):
    PUBLISHED = "published", _("On the published list (公示中)")
    SERVING = "serving", _("Serving")
    EXITED = "exited", _("Left the post")


class ExitReason(models.TextChoices):
    NOT_DOING = "not_doing", _("Not doing the work (不履职)")
    SCHOOL = "school", _("Went to school (入学)")
    ARMY = "army", _("Joined the army (服兵役)")
    MOVED = "moved", _("Moved away (迁出)")
    CRIME = "crime", _("Convicted (犯罪)")
    NO_NEED = "no_need", _("No longer in need (终止需求)")
    CONTRACT_END = "contract_end", _("Contract ended")
    OTHER = "other", _("Other")


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> AppointmentQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class Appointment(models.Model):
    """A person appointed to a post for a contract period, after a published list (拟聘名单)."""

    post = models.ForeignKey(WelfarePost, on_delete=models.PROTECT, related_name="appointments")
    # A member removed from the registry keeps their appointment (and its pay) under their name.
    member = models.ForeignKey("households.Member", on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name=_("appointee"))
    name = models.CharField(_("name"), max_length=50)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.PUBLISHED)
    published_on = models.DateField(_("list published on"))
    start = models.DateField(_("contract start"))
    end = models.DateField(_("contract end"))
    pay_fen = models.PositiveBigIntegerField(_("monthly pay"))
    exited_on = models.DateField(_("left on"), null=True, blank=True)
    exit_reason = models.CharField(_("why they left"), max_length=14, choices=ExitReason.choices, blank=True)
    # The bank card (一卡通) the pay goes to: sealed at rest, shown by its last 4 digits.
    account_encrypted = models.TextField(blank=True, editable=False)
    account_tail = models.CharField(max_length=4, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AppointmentQuerySet.as_manager()
    history = Tracked(type="welfare_appointment", household="household_id",
                      snapshot="bangfu.work.welfare.appointment_snapshot", always=("status",),
                      keys=Keys(money=frozenset({"pay_fen"})))

    class Meta:
        ordering = ["region_code", "post_id", "id"]
        constraints = [
            # One post per household: at most one appointment not yet ended.
            models.UniqueConstraint(fields=["household"], condition=~models.Q(status="exited"),
                                    name="welfare_one_post_per_household"),
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="welfare_contract_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.post_id}"

    @property
    def account(self) -> str:
        from bangfu.core import crypto

        return crypto.decrypt(self.account_encrypted) if self.account_encrypted else ""

    @property
    def account_masked(self) -> str:
        return f"****{self.account_tail}" if self.account_tail else ""


class Mark(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT = "absent", _("Absent")
    LEAVE = "leave", _("On leave")


class AttendanceQuerySet(models.QuerySet):
    def visible_to(self, user) -> AttendanceQuerySet:
        return self.filter(appointment__in=Appointment.objects.visible_to(user))


class Attendance(models.Model):
    """An appointee's day as the village cadre marked it."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="days")
    region_code = models.CharField(max_length=15, editable=False)
    day = models.DateField(_("day"))
    mark = models.CharField(_("attendance"), max_length=8, choices=Mark.choices)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AttendanceQuerySet.as_manager()
    history = Tracked(type="welfare_attendance", region="region_code",
                      snapshot="bangfu.work.welfare.attendance_snapshot", always=("day",))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["appointment", "day"], name="welfare_attendance_once_a_day")]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.day}"


class Assessment(models.Model):
    """An appointee's monthly assessment of 100 points (by default 30 the village's attendance,
    50 the township's, 20 the villagers' review; the county's weights otherwise)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="assessments")
    region_code = models.CharField(max_length=15, editable=False)
    month = models.DateField(_("month"))
    village_points = models.DecimalField(_("village attendance"), max_digits=5, decimal_places=1)
    township_points = models.DecimalField(_("township assessment"), max_digits=5, decimal_places=1)
    review_points = models.DecimalField(_("villagers' review (民主评议)"), max_digits=5, decimal_places=1)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=1)
    present_days = models.PositiveSmallIntegerField(default=0)
    absent_days = models.PositiveSmallIntegerField(default=0)
    leave_days = models.PositiveSmallIntegerField(default=0)
    deductions = models.CharField(_("deductions"), max_length=200, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = AttendanceQuerySet.as_manager()
    history = Tracked(type="welfare_assessment", region="region_code",
                      snapshot="bangfu.work.welfare.assessment_snapshot", always=("month",))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "month"], name="welfare_assessment_once_a_month"),
            models.CheckConstraint(condition=models.Q(total__gte=0, total__lte=100), name="welfare_assessment_100"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_id} {self.month:%Y-%m}"


class PayrollStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    APPROVED = "approved", _("Approved by the township office")


class PayrollQuerySet(models.QuerySet):
    def visible_to(self, user) -> PayrollQuerySet:
        return _township_scope(self, user)


class Payroll(models.Model):
    """A township's pay of its public-welfare posts for a month."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("township"))
    region_code = models.CharField(max_length=15, editable=False)
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=10, choices=PayrollStatus.choices, default=PayrollStatus.DRAFT)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    prepared_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PayrollQuerySet.as_manager()
    history = Tracked(type="welfare_payroll", region="region_code", snapshot="bangfu.work.welfare.payroll_snapshot",
                      always=("status",))

    class Meta:
        ordering = ["-month", "region_code", "-id"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m}"


class PayLine(models.Model):
    """One appointee's pay for a month: one a month, whichever payroll holds it."""

    payroll = models.ForeignKey(Payroll, on_delete=models.CASCADE, related_name="lines")
    appointment = models.ForeignKey(Appointment, on_delete=models.PROTECT, related_name="+")
    # A member removed from the registry keeps their pay: its name and ID number are its own.
    member = models.ForeignKey("households.Member", on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(editable=False)
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(max_length=15, editable=False)
    month = models.DateField()
    points = models.DecimalField(max_digits=5, decimal_places=1)
    base_fen = models.PositiveBigIntegerField()
    amount_fen = models.PositiveBigIntegerField(_("amount"))
    version = models.PositiveIntegerField(default=1, editable=False)

    history = Tracked(type="welfare_pay_line", household="household_id",
                      snapshot="bangfu.work.welfare.line_snapshot", keys=Keys(money=frozenset({"amount_fen"})))

    class Meta:
        ordering = ["region_code", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="welfare_paid_once_a_month"),
            models.CheckConstraint(condition=models.Q(amount_fen__lte=models.F("base_fen")),
                                   name="welfare_pay_not_above_post"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"

    @property
    def id_number(self) -> str:
        from bangfu.core import crypto

        return crypto.decrypt(self.id_number_encrypted)
