"""Contacts with households, their four-condition assessments, contact schedules, due follow-ups,
campaigns, and the summary rows that keep coverage and assessment numbers current on write."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from bangfu.core.codes import prefix_q
from bangfu.core.idempotency import ClientHashed
from bangfu.history.tracked import Tracked
from bangfu.households import choices as household_choices
from bangfu.households.models import Household, scope_q

CONDITIONS = ("supplies_ok", "prevention_ok", "medical_access_ok", "living_ok")


class Channel(models.TextChoices):
    VISIT = "visit", pgettext_lazy("contact channel", "Home visit")
    PHONE = "phone", pgettext_lazy("contact channel", "Phone call")
    WECHAT = "wechat", pgettext_lazy("contact channel", "WeChat")
    OTHER = "other", pgettext_lazy("contact channel", "Other")


class NotReachedReason(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    AWAY = "away", _("Away from home")
    REFUSED = "refused", _("Refused")


class FollowUpKind(models.TextChoices):
    SCHEDULE = "schedule", _("Regular follow-up")
    CAMPAIGN = "campaign", _("Campaign call")


class FollowUpStatus(models.TextChoices):
    DUE = "due", _("Due")
    DONE = "done", _("Done")
    MISSED = "missed", _("Missed")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CampaignKind(models.TextChoices):
    """What a campaign is for: reaching every household (随访), or the township's periodic check for
    households at risk of falling back into poverty (排查), whose findings become monitoring leads."""

    FOLLOW_UP = "follow_up", _("Follow-up (随访)")
    SCREENING = "screening", _("Periodic risk check (排查)")


class ScopedQuerySet(models.QuerySet):
    """Rows that carry their household's region code: the scope door is the households' own."""

    def visible_to(self, user):
        """The households' scope door (its rule, households.models.scope_q) on the row's household,
        by a join: a subquery of every household a county sees costs a scan of all of them."""
        condition = scope_q(user, "household__")
        return self.none() if condition is None else self.filter(condition)

    def in_region(self, code: str):
        return self.filter(prefix_q("region_code", code))


class Schedule(models.Model):
    """How often a household of a category must be contacted, and how (set by the township office)."""

    category = models.CharField(_("category"), max_length=20, choices=household_choices.Category.choices, unique=True)
    interval_days = models.PositiveSmallIntegerField(_("every (days)"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    # A schedule holds for the whole deployment: its changes are recorded in the area of who set it.
    history = Tracked(type="schedule", region=None, repr="get_category_display")

    class Meta:
        verbose_name = _("contact schedule")
        ordering = ["interval_days", "category"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.interval_days}"


class Campaign(models.Model):
    """Every household in this scope must be reached between these dates (专项随访活动)."""

    name = models.CharField(_("name"), max_length=100)
    # The common prefix of the villages or township it covers: who may see it.
    region_code = models.CharField(max_length=15)
    region_codes = models.JSONField(_("areas"), default=list)
    categories = models.JSONField(_("categories"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.PHONE)
    kind = models.CharField(_("campaign kind"), max_length=10, choices=CampaignKind.choices,
                            default=CampaignKind.FOLLOW_UP)
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    assess = models.BooleanField(_("ask the four conditions"), default=True)
    # Extra questions: [{"key": "q1", "label": "...", "kind": "yesno|choice|number|text", "choices": [...]}]
    questions = models.JSONField(_("questions"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    # Closing or extending records where the campaign stands: its status and end, changed or not.
    history = Tracked(type="campaign", always=("status", "end"))

    class Meta:
        verbose_name = _("campaign")
        ordering = ["-start", "-id"]
        indexes = [models.Index(fields=["region_code", "-start"], name="campaign_region_start")]
        # Two open campaigns of one area never share a name (the service also refuses a name open
        # in an area above or below; this guard holds when two are saved at once).
        constraints = [
            models.UniqueConstraint(fields=["region_code", "name"], condition=models.Q(status="open"),
                                    name="campaign_name_once_open"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_running(self, day) -> bool:
        return self.status == CampaignStatus.OPEN and self.start <= day <= self.end


class Contact(ClientHashed):
    """One attempt to reach a household (随访记录), reached or not, with what was learned."""

    client_id = models.UUIDField(unique=True, editable=False)
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="contacts")
    region_code = models.CharField(max_length=15, editable=False)
    at = models.DateTimeField(_("time"))
    day = models.DateField(editable=False)  # the Shanghai calendar day of `at`
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contacts",
                                   verbose_name=_("by"))
    reached = models.BooleanField(_("reached"))
    not_reached_reason = models.CharField(_("why not reached"), max_length=20, choices=NotReachedReason.choices,
                                          blank=True)
    notes = models.TextField(_("notes"), blank=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="contacts")
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    history = Tracked(type="contact", household="household_id", snapshot="bangfu.casework.services.contact_snapshot")

    class Meta:
        verbose_name = _("contact")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "day"], name="contact_region_day"),
            models.Index(fields=["household", "-at"], name="contact_household_at"),
            models.Index(fields=["campaign", "household"], name="contact_campaign"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(reached=True, not_reached_reason="") | models.Q(reached=False),
                                   name="contact_reason_only_when_not_reached"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.day:%Y-%m-%d}"


class Assessment(models.Model):
    """The four conditions as found on a contact that reached the household."""

    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="assessment")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assessments")
    region_code = models.CharField(max_length=15, editable=False)
    day = models.DateField()
    supplies_ok = models.BooleanField(_("Living supplies sufficient"))
    prevention_ok = models.BooleanField(_("Prevention measures in place"))
    medical_access_ok = models.BooleanField(_("Access to medical care"))
    living_ok = models.BooleanField(_("Living conditions good"))
    # What is wrong, for each condition not met: {"supplies_ok": "米面不足"}
    notes = models.JSONField(default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        indexes = [models.Index(fields=["region_code", "day"], name="assessment_region_day")]

    @property
    def all_ok(self) -> bool:
        return all(getattr(self, name) for name in CONDITIONS)


class FollowUp(models.Model):
    """A contact that is due (a stored row, so a caseworker's day is a read, not a calculation)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="followups")
    region_code = models.CharField(max_length=15, editable=False)
    # The caseworker responsible when the row was made (coverage by caseworker counts by it).
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    due = models.DateField(_("due"))
    kind = models.CharField(_("kind"), max_length=10, choices=FollowUpKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, null=True, blank=True, related_name="followups")
    status = models.CharField(_("status"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.DUE)
    # Special groups first: 0 for a household in a special group, 1 otherwise.
    priority = models.PositiveSmallIntegerField(default=1)
    tries = models.PositiveSmallIntegerField(default=0)
    closed_by = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="closed")
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        indexes = [
            models.Index(fields=["region_code", "due"], name="followup_region_due"),
            models.Index(fields=["household", "status", "due"], name="followup_household_status"),
            models.Index(fields=["campaign", "status", "tries"], name="followup_campaign"),
        ]
        constraints = [
            # One open regular follow-up per household: generating twice creates nothing new.
            models.UniqueConstraint(fields=["household"], condition=models.Q(kind="schedule", status="due"),
                                    name="one_open_schedule_followup"),
            models.UniqueConstraint(fields=["campaign", "household"], condition=models.Q(kind="campaign"),
                                    name="one_followup_per_campaign_household"),
            models.CheckConstraint(condition=models.Q(kind="schedule", campaign__isnull=True)
                                   | models.Q(kind="campaign", campaign__isnull=False),
                                   name="followup_campaign_iff_kind"),
        ]

    @property
    def flagged(self) -> bool:
        """Tried this many times without reaching the household: a home visit is needed."""
        return self.status == FollowUpStatus.DUE and self.tries >= TRIES_BEFORE_VISIT


# A household not reached after this many tries in a campaign is flagged for a home visit.
TRIES_BEFORE_VISIT = 3


class HouseholdCase(models.Model):
    """Summary row per household, kept current by the contact service: last contact, last reach,
    and the latest assessment's four conditions (what the assessment overview counts)."""

    household = models.OneToOneField(Household, on_delete=models.CASCADE, primary_key=True, related_name="case")
    region_code = models.CharField(max_length=15)
    last_contact_at = models.DateTimeField(null=True, blank=True)
    last_reached_on = models.DateField(null=True, blank=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    assessed_on = models.DateField(null=True, blank=True)
    supplies_ok = models.BooleanField(null=True)
    prevention_ok = models.BooleanField(null=True)
    medical_access_ok = models.BooleanField(null=True)
    living_ok = models.BooleanField(null=True)
    all_ok = models.BooleanField(null=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["region_code", "all_ok"], name="case_region_all_ok"),
            # The overview's first page of households with a condition not met, in village order.
            models.Index(fields=["all_ok", "region_code", "household"], name="case_not_met"),
        ]


class AssessmentTally(models.Model):
    """Per village: households assessed and how many meet each condition (latest assessment)."""

    region_code = models.CharField(max_length=15, unique=True)
    assessed = models.PositiveIntegerField(default=0)
    supplies_ok = models.PositiveIntegerField(default=0)
    prevention_ok = models.PositiveIntegerField(default=0)
    medical_access_ok = models.PositiveIntegerField(default=0)
    living_ok = models.PositiveIntegerField(default=0)
    all_ok = models.PositiveIntegerField(default=0)


class CoverageTally(models.Model):
    """Per campaign, village and caseworker: households in scope, reached, tried but not reached,
    and flagged for a home visit (a subset of tried). Not yet tried = total - reached - tried."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    region_code = models.CharField(max_length=15)
    caseworker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    total = models.PositiveIntegerField(default=0)
    reached = models.PositiveIntegerField(default=0)
    tried = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "region_code", "caseworker"], name="coverage_tally_once"),
        ]
