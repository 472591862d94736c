"""Job postings (岗位信息): a township's postings, what a caseworker told a labourer of one and what
came of it, and what was published when (the count of postings pushed in a period)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bangfu.history.tracked import Keys, Tracked
from bangfu.households.models import Household


class Board(models.TextChoices):
    """食宿: what the employer provides."""
    BOTH = "both", _("Board and lodging (包吃住)")
    MEALS = "meals", _("Meals (包吃)")
    LODGING = "lodging", _("Lodging (包住)")
    NONE = "none", _("Neither (不包食宿)")


class SkillRequired(models.TextChoices):
    SKILLED = "skilled", _("Skilled labour only (技能劳动力)")


class PostingStatus(models.TextChoices):
    OPEN = "open", _("Recruiting")
    CLOSED = "closed", _("Closed")


class JobPostingQuerySet(models.QuerySet):
    def visible_to(self, user) -> JobPostingQuerySet:
        from bangfu.work.models import _township_scope

        return _township_scope(self, user)


class JobPosting(models.Model):
    """A job offered to the township's labourers (招聘信息): by an employer, for a number of
    openings at a place, with a wage range and requirements, valid until a day."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("township"))
    region_code = models.CharField(max_length=15, editable=False)
    employer = models.CharField(_("employer"), max_length=100)
    title = models.CharField(_("job"), max_length=100)
    openings = models.PositiveIntegerField(_("openings"))
    place_code = models.CharField(_("place code"), max_length=15)
    place_name = models.CharField(_("place"), max_length=100, blank=True)
    wage_min_fen = models.PositiveBigIntegerField(_("monthly wage from"), null=True, blank=True)
    wage_max_fen = models.PositiveBigIntegerField(_("monthly wage up to"), null=True, blank=True)
    age_min = models.PositiveSmallIntegerField(_("age from"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("age up to"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, blank=True)  # blank: either
    skill = models.CharField(_("labour ability"), max_length=10, choices=SkillRequired.choices, blank=True)
    skills = models.CharField(_("skills asked"), max_length=200, blank=True)
    board = models.CharField(_("board and lodging"), max_length=8, choices=Board.choices, blank=True)
    contact = models.CharField(_("contact"), max_length=100)
    valid_until = models.DateField(_("valid until"))
    source = models.CharField(_("source"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=PostingStatus.choices, default=PostingStatus.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = JobPostingQuerySet.as_manager()
    history = Tracked(type="job_posting", region="region_code",
                      snapshot="bangfu.work.postings.posting_snapshot", always=("status",),
                      keys=Keys(money=frozenset({"wage_min_fen", "wage_max_fen"})))

    class Meta:
        app_label = "work"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["region_code", "status", "valid_until"], name="job_posting_open")]

    def __str__(self) -> str:
        return f"{self.employer} {self.title}"


class Step(models.TextChoices):
    TOLD = "told", _("Told")
    INTERESTED = "interested", _("Interested")
    HIRED = "hired", _("Hired")


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class Referral(models.Model):
    """A labourer and a posting: told of it, interested, hired (the furthest step recorded)."""

    posting = models.ForeignKey(JobPosting, on_delete=models.CASCADE, related_name="referrals")
    member = models.ForeignKey("households.Member", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("labourer"))
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="+")
    region_code = models.CharField(max_length=15, editable=False)
    step = models.CharField(_("step"), max_length=10, choices=Step.choices)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()
    history = Tracked(type="referral", household="household_id",
                      snapshot="bangfu.work.postings.referral_snapshot", always=("step",), keys=Keys())

    class Meta:
        app_label = "work"
        ordering = ["-recorded_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["posting", "member"], name="referral_once")]

    def __str__(self) -> str:
        return f"{self.posting_id} {self.member_id} {self.step}"


class PublicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> PublicationQuerySet:
        from bangfu.work.models import _township_scope

        return _township_scope(self, user)


class Publication(models.Model):
    """Postings published together (a WeChat group's text, a poster) by a township office."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("township"))
    region_code = models.CharField(max_length=15, editable=False)
    postings = models.ManyToManyField(JobPosting, related_name="publications")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PublicationQuerySet.as_manager()
    history = Tracked(type="publication", region="region_code",
                      snapshot="bangfu.work.postings.publication_snapshot", keys=Keys())

    class Meta:
        app_label = "work"
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"{self.region_code} {self.published_at:%Y-%m-%d}"
