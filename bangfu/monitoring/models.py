"""Monitoring against falling back into poverty (防止返贫动态监测): leads from the three routes, each
lead's identification on a clock up to a monitored household (or not included), department drops,
and each county's deadlines and thresholds.

A lead carried through identification is the monitored household's record: its stage and dates
stay on it after inclusion, and the plan per household and risk clearance attach to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.core import crypto
from bangfu.core.codes import prefix_q
from bangfu.core.permissions import Role
from bangfu.history.tracked import Keys, Tracked
from bangfu.households import choices as household_choices
from bangfu.needs.models import MeasureType


class Source(models.TextChoices):
    APPLICATION = "application", _("Household applied (农户自主申报)")
    CADRE = "cadre", _("Found by a cadre (干部排查)")
    DEPARTMENT = "department", _("Flagged by a department (部门筛查预警)")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    QR = "qr", _("Public form (QR code)")
    CONTACT = "contact", _("From a contact")
    NEED = "need", _("From a need")
    CHECK = "check", _("From a daily check")
    CAMPAIGN = "campaign", _("Periodic check campaign (排查)")
    DEPARTMENT = "department", _("Department data")


# How each source may arrive: a form offers only these pairs.
CHANNELS_OF = {
    Source.APPLICATION: (Channel.IN_PERSON, Channel.PHONE, Channel.QR),
    Source.CADRE: (Channel.CONTACT, Channel.NEED, Channel.CHECK, Channel.CAMPAIGN),
    Source.DEPARTMENT: (Channel.DEPARTMENT,),
}


class Department(models.TextChoices):
    MEDICAL = "medical", _("Medical insurance (医保): self-paid medical costs")
    CIVIL = "civil", _("Civil affairs (民政): minimum living / extreme hardship roster")
    DISABILITY = "disability", _("Disabled persons' federation (残联): new disabilities")
    EDUCATION = "education", _("Education (教育): school drop-outs")
    EMERGENCY = "emergency", _("Emergency management (应急): disaster list")
    HRSS = "hrss", _("Human resources and social security (人社): insurance lost")


class Kind(models.TextChoices):
    NEW = "new", _("New")
    ALREADY_MONITORED = "already_monitored", _("Already monitored")


class Stage(models.TextChoices):
    LEAD = "lead", _("Lead, to accept")
    VERIFY = "verify", _("Home verification (入户核实)")
    COMPARE = "compare", _("Information comparison (信息比对)")
    DELIBERATE = "deliberate", _("Village deliberation (民主评议)")
    PUBLICIZE = "publicize", _("Public notice in the village (村公示)")
    REVIEW = "review", _("Township review (乡镇审核)")
    DECIDE = "decide", _("County decision (县级审定)")
    MONITORED = "monitored", _("Monitored")
    NOT_INCLUDED = "not_included", _("Not included")
    ALREADY = "already", _("Already monitored")


# The stages of identification still under way (a lead on the board); the rest are outcomes.
OPEN_STAGES = (Stage.LEAD, Stage.VERIFY, Stage.COMPARE, Stage.DELIBERATE, Stage.PUBLICIZE, Stage.REVIEW,
               Stage.DECIDE)


class Outcome(models.TextChoices):
    """What goes back to the department that flagged the person."""

    INCLUDED = "included", _("Included (纳入)")
    ALREADY = "already", _("Already monitored (已是监测对象)")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible (不符合)")


class LeadQuerySet(models.QuerySet):
    def visible_to(self, user) -> LeadQuerySet:
        """A lead is seen within the user's area: a village its own leads, the township its
        villages', the county all of the county's. A lead may name a person not registered yet,
        so the area is the lead's own village, not a household's."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.ADMIN:
            return self.all()
        if user.role == Role.VOLUNTEER or not user.region_id:
            return self.none()
        return self.filter(prefix_q("region_code", user.region_id))

    def open(self) -> LeadQuerySet:
        return self.filter(stage__in=OPEN_STAGES)


class DepartmentDrop(models.Model):
    """One file a department sent (a month's list), checked row by row; its report lists every
    row's result, the rows that matched nobody included."""

    department = models.CharField(_("department"), max_length=20, choices=Department.choices)
    # The area it was checked against: the uploader's (a township or the county).
    region_code = models.CharField(max_length=15)
    file_name = models.CharField(max_length=200)
    received_on = models.DateField(_("received on"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()
    row_count = models.PositiveIntegerField(default=0)
    lead_count = models.PositiveIntegerField(default=0)
    # [{"row": 5, "name": "...", "id_tail": "12", "result": "lead|already|duplicate|below|stranger",
    #   "message": "...", "lead": 3}]; no full ID numbers.
    rows = models.JSONField(default=list)

    objects = LeadQuerySet.as_manager()
    history = Tracked(type="departmentdrop", repr="file_name")

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_department_display()} · {self.file_name}"


class Lead(models.Model):
    client_id = models.UUIDField(unique=True, editable=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.NEW)
    indicator = models.CharField(_("warning indicator"), max_length=100)
    value = models.CharField(_("value"), max_length=100, blank=True)
    threshold = models.CharField(_("threshold"), max_length=100, blank=True)
    difficulty = models.TextField(_("difficulty"), max_length=2000, blank=True)
    # The person: a member of a registered household, or someone to register (name and sealed
    # ID number and phone kept to register them, matched again at each step).
    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    id_tail = models.CharField(max_length=2, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="leads", verbose_name=_("household"))
    member = models.ForeignKey("households.Member", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("village"))
    region_code = models.CharField(max_length=15, editable=False)
    # Where it came from: the need, contact or check it was turned from, the drop and its row.
    need = models.ForeignKey("needs.Need", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    drop = models.ForeignKey(DepartmentDrop, on_delete=models.PROTECT, null=True, blank=True, related_name="leads")
    drop_row = models.PositiveIntegerField(null=True, blank=True)
    source_note = models.CharField(_("where it came from"), max_length=300, blank=True)

    received_on = models.DateField(_("received on"))
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    stage_since = models.DateField(_("in this stage since"))
    # The current step's due date (Shanghai calendar day, the last day it is in time), and the
    # whole identification's.
    due_on = models.DateField(_("Step due by"), null=True, blank=True)
    identify_by = models.DateField(_("identification due"))
    # The stage whose overdue step was escalated (once per stage).
    escalated_stage = models.CharField(max_length=20, blank=True, editable=False)
    # Income per person computed at verification (fen per year), from the household's fields.
    income_per_person_fen = models.BigIntegerField(null=True, blank=True)
    monitor_type = models.CharField(_("monitoring type"), max_length=20,
                                    choices=household_choices.MonitorType.choices, blank=True)
    risks = models.JSONField(_("risks"), default=list, blank=True)
    outcome = models.CharField(_("lead outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = LeadQuerySet.as_manager()
    history = Tracked(type="lead", household="household_id", snapshot="bangfu.monitoring.services.lead_snapshot",
                      always=("stage",), repr="name",
                      keys=Keys(hidden=frozenset({"action"}), lists={"risks": household_choices.Risk}))

    class Meta:
        verbose_name = _("lead")
        verbose_name_plural = _("leads")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["region_code", "stage", "due_on"], name="lead_board"),
            models.Index(fields=["stage", "due_on"], name="lead_overdue"),
            models.Index(fields=["id_hash", "department", "stage"], name="lead_person"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(stage="monitored") | ~models.Q(monitor_type=""),
                                   name="lead_monitored_has_type"),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.indicator}"

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)


class Step(models.Model):
    """One step taken on a lead: who, when, and what they recorded (the cadres and findings of a
    verification, the departments' answers, the meeting, the notice, the decision)."""

    lead = models.ForeignKey(Lead, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(max_length=20)
    from_stage = models.CharField(max_length=20, choices=Stage.choices)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    data = models.JSONField(default=dict)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    taken_at = models.DateTimeField()
    taken_on = models.DateField()
    in_time = models.BooleanField()

    class Meta:
        ordering = ["lead_id", "taken_at", "id"]


class MonitoringSettings(models.Model):
    """A county's deadlines (days) and department thresholds; without a row, the defaults."""

    county = models.OneToOneField("regions.Region", on_delete=models.CASCADE, related_name="+")
    accept_days = models.PositiveSmallIntegerField(_("accept within (days)"), default=2)
    verify_days = models.PositiveSmallIntegerField(_("verify within (days)"), default=3)
    compare_days = models.PositiveSmallIntegerField(_("compare within (days)"), default=5)
    total_days = models.PositiveSmallIntegerField(_("whole identification within (days)"), default=15)
    medical_poor_fen = models.BigIntegerField(_("self-paid medical cost, formerly poor (yuan)"), default=500_000)
    medical_other_fen = models.BigIntegerField(_("self-paid medical cost, others (yuan)"), default=2_000_000)
    # Risk clearance: income per person above this line (fen per year) for this many months.
    line_fen = models.BigIntegerField(_("monitoring line per person (yuan a year)"), default=690_000)
    stable_months = models.PositiveSmallIntegerField(_("income above the line for (months)"), default=6)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField()

    history = Tracked(type="monitoringsettings", region="county_id", repr="county.name",
                      always=("accept_days", "verify_days", "compare_days", "total_days"),
                      keys=Keys(money=frozenset({"medical_poor_fen", "medical_other_fen"})))

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(accept_days__gte=1, verify_days__gte=1, compare_days__gte=1,
                                                      total_days__gte=1, total_days__lte=90),
                                   name="monitoring_days_range"),
        ]


# --- the plan per household (一户一策) -------------------------------------------------------------

class MeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")


OPEN_MEASURE_STATUSES = (MeasureStatus.PLANNED, MeasureStatus.UNDER_WAY)


class HouseholdScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> HouseholdScopedQuerySet:
        """Through the households' scope door: seen by whoever sees the household."""
        from bangfu.households.models import Household

        return self.filter(household__in=Household.objects.visible_to(user))


class PlanMeasure(models.Model):
    """One measure of a monitored household's plan (一户一策), by the national 帮扶措施 types: what,
    who answers for it, by when, and how far it is."""

    client_id = models.UUIDField(unique=True, editable=False)
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="plan_measures",
                                  verbose_name=_("household"))
    region_code = models.CharField(max_length=15, editable=False)
    type = models.CharField(_("measure"), max_length=30, choices=MeasureType.choices)
    content = models.CharField(_("planned measure"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("owner"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PLANNED)
    planned_on = models.DateField(_("planned on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = HouseholdScopedQuerySet.as_manager()
    history = Tracked(type="planmeasure", household="household_id", repr="content", always=("status",))

    class Meta:
        verbose_name = _("plan measure")
        ordering = ["household_id", "due_on", "id"]
        indexes = [models.Index(fields=["household", "type", "planned_on"], name="plan_household_type")]

    def __str__(self) -> str:
        return self.content


# --- risk clearance (风险消除) ----------------------------------------------------------------------

class ClearanceStage(models.TextChoices):
    VERIFY = "verify", _("Home verification (入户核实)")
    PUBLICIZE = "publicize", _("Deliberation and notice (评议公示)")
    REVIEW = "review", _("Township review (乡镇审核)")
    DECIDE = "decide", _("County decision (县级审定)")
    CLEARED = "cleared", _("Risk cleared")
    REFUSED = "refused", _("Not cleared")


CLEARANCE_OPEN = (ClearanceStage.VERIFY, ClearanceStage.PUBLICIZE, ClearanceStage.REVIEW, ClearanceStage.DECIDE)


class Clearance(models.Model):
    """A monitored household's risk clearance, proposed by the village (帮扶消除 or 自然消除) and
    taken through 核实 → 评议公示 → 审核 → 审定; each step kept in `steps`."""

    client_id = models.UUIDField(unique=True, editable=False)
    household = models.ForeignKey("households.Household", on_delete=models.PROTECT, related_name="clearances",
                                  verbose_name=_("household"))
    lead = models.ForeignKey(Lead, on_delete=models.PROTECT, null=True, blank=True, related_name="clearances")
    region_code = models.CharField(max_length=15, editable=False)
    method = models.CharField(_("risk elimination method"), max_length=10,
                              choices=household_choices.RiskEliminationMethod.choices)
    stage = models.CharField(_("stage"), max_length=20, choices=ClearanceStage.choices, default=ClearanceStage.VERIFY)
    proposed_on = models.DateField(_("proposed on"))
    # Recorded at the verification: income per person (fen per year) and the first month it stood
    # above the line.
    income_per_person_fen = models.BigIntegerField(null=True, blank=True)
    stable_since = models.DateField(_("income above the line since"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    # [{"action": "verify", "by": user id, "by_name": "...", "on": "2026-01-02", "data": {...}}]
    steps = models.JSONField(default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = HouseholdScopedQuerySet.as_manager()
    history = Tracked(type="clearance", household="household_id", repr="household", always=("stage",))

    class Meta:
        verbose_name = _("risk clearance")
        ordering = ["-proposed_on", "-id"]

    @property
    def is_open(self) -> bool:
        return self.stage in CLEARANCE_OPEN


# --- rule flags -------------------------------------------------------------------------------------

class Flag(models.Model):
    """A rule that fires on a household (rules.RULES), kept until it no longer fires."""

    household = models.ForeignKey("households.Household", on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=15)
    rule = models.CharField(max_length=40)
    message = models.CharField(max_length=300)
    raised_on = models.DateField()

    objects = HouseholdScopedQuerySet.as_manager()

    class Meta:
        ordering = ["region_code", "household_id", "rule"]
        constraints = [models.UniqueConstraint(fields=["household", "rule"], name="flag_once")]
        indexes = [models.Index(fields=["region_code", "rule"], name="flag_region")]
