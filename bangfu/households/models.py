"""Households, their members and categories, and the caseworker assigned to each."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bangfu.core import crypto
from bangfu.core.codes import VILLAGE_LENGTH, prefix_q
from bangfu.core.permissions import Role
from bangfu.history.tracked import Keys, Tracked
from bangfu.households import choices, identity


def scope_q(user, path: str = "") -> models.Q | None:
    """The scope door's rule: the condition on a household that makes it visible to this user,
    on the household reached through `path` ("household__" from a row that points at one), so
    that a table carrying a household can be scoped by a join rather than a subquery of all the
    visible households. None when the user sees nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.role == Role.ADMIN:
        return models.Q()
    if user.role == Role.CASEWORKER:
        mine = models.Q(**{f"{path}caseworker_id": user.pk})
        if settings.CASEWORKER_SEES_VILLAGE and user.region_id and len(user.region_id) >= VILLAGE_LENGTH:
            mine |= prefix_q(f"{path}region_code", user.region_id)
        return mine
    if not user.region_id:
        return None
    return prefix_q(f"{path}region_code", user.region_id)


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user) -> HouseholdQuerySet:
        """The one scope door: the households this user may see at all (the rule is scope_q)."""
        condition = scope_q(user)
        return self.none() if condition is None else self.filter(condition)

    def in_region(self, code: str) -> HouseholdQuerySet:
        return self.filter(prefix_q("region_code", code))


class Household(models.Model):
    number = models.CharField(_("household number"), max_length=40, unique=True)
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="households", verbose_name=_("village")
    )
    # Denormalised from region so that scope is one indexed range on one table.
    region_code = models.CharField(max_length=15, editable=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    head_name = models.CharField(_("head of household"), max_length=50, blank=True, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)

    status = models.CharField(_("status"), max_length=20, choices=choices.Status.choices, default=choices.Status.ACTIVE)
    monitor_type = models.CharField(
        _("monitoring type"), max_length=20, choices=choices.MonitorType.choices, blank=True
    )
    identification_standard = models.CharField(
        _("identification standard"), max_length=10, choices=choices.IdentificationStandard.choices, blank=True
    )
    poverty_attribute = models.CharField(
        _("poverty attribute"), max_length=10, choices=choices.PovertyAttribute.choices, blank=True
    )
    main_cause = models.CharField(
        _("main cause of poverty"), max_length=10, choices=choices.PovertyCause.choices, blank=True
    )
    other_causes = models.JSONField(_("other causes of poverty"), default=list, blank=True)
    risks = models.JSONField(_("risks"), default=list, blank=True)
    risk_elimination_method = models.CharField(
        _("risk elimination method"), max_length=10, choices=choices.RiskEliminationMethod.choices, blank=True
    )
    risk_eliminated_on = models.DateField(_("risk eliminated on"), null=True, blank=True)

    farmland_mu = models.DecimalField(_("farmland (mu)"), max_digits=8, decimal_places=2, null=True, blank=True)
    road_type = models.CharField(_("access road"), max_length=10, choices=choices.RoadType.choices, blank=True)
    housing_area = models.DecimalField(_("housing area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True)
    dilapidated = models.BooleanField(_("dilapidated housing"), null=True, blank=True)
    dilapidation_level = models.CharField(
        _("dilapidation grade"), max_length=4, choices=choices.DilapidationLevel.choices, blank=True
    )
    safe_water = models.BooleanField(_("safe drinking water"), null=True, blank=True)
    electricity = models.BooleanField(_("household electricity"), null=True, blank=True)
    sanitary_toilet = models.BooleanField(_("sanitary toilet"), null=True, blank=True)
    fuel_type = models.CharField(_("main fuel"), max_length=10, choices=choices.FuelType.choices, blank=True)

    # Income of last year, in fen. Net and per-person income are derived, never typed twice.
    wage_income = models.BigIntegerField(_("wage income"), null=True, blank=True)
    business_income = models.BigIntegerField(_("business income"), null=True, blank=True)
    property_income = models.BigIntegerField(_("property income"), null=True, blank=True)
    transfer_income = models.BigIntegerField(_("transfer income"), null=True, blank=True)
    business_expense = models.BigIntegerField(_("business expenses"), null=True, blank=True)

    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="households", verbose_name=_("caseworker"),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HouseholdQuerySet.as_manager()
    history = Tracked(
        type="household", household="pk", snapshot="bangfu.households.services.household_snapshot",
        keys=Keys(
            labels={"phone": _("phone"), "categories": _("categories"), "region": _("village")},
            stands_for={"phone": "phone_encrypted", "categories": "status"},
            lists={"other_causes": choices.PovertyCause, "risks": choices.Risk, "categories": choices.Category},
            money=frozenset({"wage_income", "business_income", "property_income", "transfer_income",
                             "business_expense"}),
            names={"caseworker": "bangfu.households.display.user_names",
                   "region": "bangfu.households.display.region_names"},
        ),
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [
            models.Index(fields=["region_code", "number"], name="household_region_number"),
            models.Index(fields=["caseworker", "region_code", "number"], name="household_caseworker"),
            models.Index(fields=["status", "region_code"], name="household_status"),
            models.Index(fields=["phone_tail"], name="household_phone_tail"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.head_name}".strip()

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def net_income(self) -> int | None:
        parts = [self.wage_income, self.business_income, self.property_income, self.transfer_income]
        if all(part is None for part in parts):
            return None
        return sum(part or 0 for part in parts) - (self.business_expense or 0)

    def category_values(self) -> list[str]:
        """Categories in their declared order (uses a prefetch when there is one)."""
        present = {c.category for c in self.categories.all()}
        return [value for value in choices.Category.values if value in present]


class HouseholdCategory(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="categories")
    category = models.CharField(max_length=20, choices=choices.Category.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["household", "category"], name="household_category_once"),
        ]
        indexes = [models.Index(fields=["category", "household"], name="category_household")]


class Member(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("household")
    )
    name = models.CharField(_("name"), max_length=50)
    name_initials = models.CharField(max_length=50, editable=False)
    # The name in full pinyin (庞振波 -> pangzhenbo), written with the name, for search.
    name_pinyin = models.CharField(max_length=200, blank=True, default="", editable=False)
    sex = models.CharField(_("sex"), max_length=1, choices=choices.Sex.choices)
    birth_date = models.DateField(_("date of birth"))
    id_type = models.CharField(_("ID type"), max_length=10, choices=choices.IdType.choices, default=choices.IdType.RESIDENT_ID)
    id_number_encrypted = models.TextField(editable=False)
    # HMAC of the 18-character resident ID: one person, one row, in the whole deployment.
    id_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The last 6 characters reversed, so "ends with" is an indexable "starts with".
    id_tail_reversed = models.CharField(max_length=6, editable=False)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True, default="汉族")
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    relation = models.CharField(_("relation to head"), max_length=10, choices=choices.Relation.choices)
    education = models.CharField(_("education"), max_length=10, choices=choices.Education.choices, blank=True)
    school_status = models.CharField(
        _("school status"), max_length=10, choices=choices.SchoolStatus.choices, blank=True
    )
    health = models.JSONField(_("health"), default=list, blank=True)
    labor_skill = models.CharField(_("labour skill"), max_length=10, choices=choices.LaborSkill.choices, blank=True)
    work_status = models.CharField(_("work status"), max_length=10, choices=choices.WorkStatus.choices, blank=True)
    work_months = models.PositiveSmallIntegerField(_("months worked"), null=True, blank=True)
    work_place = models.CharField(_("place of work"), max_length=100, blank=True)
    employer = models.CharField(_("employer"), max_length=100, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=10, choices=choices.PoliticalStatus.choices, blank=True
    )
    minimum_living = models.BooleanField(_("receives minimum living allowance"), default=False)
    extreme_hardship = models.BooleanField(_("receives extreme hardship support"), default=False)
    pension_insured = models.BooleanField(_("basic pension insurance"), null=True, blank=True)
    medical_insured = models.BooleanField(_("basic medical insurance"), null=True, blank=True)
    critical_illness_insured = models.BooleanField(_("critical illness insurance"), null=True, blank=True)
    disability_category = models.CharField(_("disability category"), max_length=20, blank=True)
    disability_grade = models.CharField(_("disability grade"), max_length=4, choices=choices.DisabilityGrade.choices,
                                        blank=True)
    welfare_post_type = models.CharField(_("public welfare post"), max_length=50, blank=True)
    welfare_post_months = models.PositiveSmallIntegerField(_("welfare post months"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Its region is its household's: a service that holds the household sets it on the member.
    history = Tracked(
        type="member", household="household_id", region="household.region_code",
        snapshot="bangfu.households.services.member_snapshot",
        keys=Keys(labels={"phone": _("phone"), "id_number": _("ID number")},
                  stands_for={"phone": "phone_encrypted", "id_number": "id_number_encrypted"},
                  lists={"health": choices.Health},
                  # With the masked ID number, the full birth date gives the number away
                  # (identity.birth_years); rows written before the tail shown was 2 are masked again.
                  guarded={"birth_date": ("member.reveal_id", ""),
                           "id_number": ("member.reveal_id", "bangfu.households.identity.mask_id")}),
    )

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["household_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(relation="户主"), name="one_head_per_household"
            ),
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(relation="配偶"), name="one_spouse_per_household"
            ),
        ]
        indexes = [
            models.Index(fields=["name"], name="member_name"),
            models.Index(fields=["name_initials"], name="member_initials"),
            models.Index(fields=["name_pinyin"], name="member_pinyin"),
            models.Index(fields=["phone_tail"], name="member_phone_tail"),
            models.Index(fields=["id_tail_reversed"], name="member_id_tail"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        return crypto.decrypt(self.id_number_encrypted)

    @property
    def phone(self) -> str:
        return crypto.decrypt(self.phone_encrypted)

    @property
    def birth_shown(self) -> str:
        """The year of birth, as a role that may not reveal the ID number sees it
        (identity.birth_years says why a year, and why sometimes two)."""
        recorded = timezone.localdate(self.created_at) if self.created_at else None
        return identity.birth_shown(self.birth_date, recorded)

    @property
    def is_head(self) -> bool:
        return self.relation == choices.Relation.HEAD


class Assignment(models.Model):
    """Who is responsible for a household, from when to when (帮包关系)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="assignments")
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
        verbose_name=_("caseworker"),
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Its region is its household's: a service that holds the household sets it on the assignment.
    history = Tracked(
        type="assignment", household="household_id", region="household.region_code",
        label=_("caseworker assignment"),
        keys=Keys(labels={"start": _("from"), "end": _("to")}, hidden=frozenset({"caseworker_name"})),
    )

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"], condition=models.Q(end__isnull=True), name="one_current_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.caseworker} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}" if self.end else f"{self.caseworker} {self.start:%Y-%m-%d}–"


class ConflictStatus(models.TextChoices):
    OPEN = "open", _("Open")
    APPLIED = "applied", _("Applied")
    KEPT = "kept", _("Current kept")


class EditConflict(models.Model):
    """An edit of a household or a member made on a version someone else had changed since, where
    both changed the same field: held, not applied, until the office or the household's caseworker
    applies it or keeps the current values (services.household_edit says which edits come here)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="edit_conflicts",
                                  verbose_name=_("household"))
    # None for an edit of the household's own fields.
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, related_name="edit_conflicts",
                               verbose_name=_("member"))
    # Denormalised from the household, so that the review list is one indexed range like the registry.
    region_code = models.CharField(max_length=15, editable=False)
    base_version = models.PositiveIntegerField(_("based on version"))
    held_version = models.PositiveIntegerField(_("version when held"))
    # The fields the edit changed, and those of them someone else had changed too (the overlap).
    fields = models.JSONField(_("fields changed"), default=list)
    overlap = models.JSONField(_("fields changed by both"), default=list)
    # The edit's values of `fields` as form data (the phone and ID number sealed), to apply later.
    submitted = models.JSONField(default=dict)
    # History-snapshot values (masked) of `fields`: as the edit left them, at the base version (None
    # when history cannot tell) and when it was held.
    mine = models.JSONField(default=dict)
    base = models.JSONField(null=True, blank=True)
    held = models.JSONField(default=dict)
    status = models.CharField(_("status"), max_length=10, choices=ConflictStatus.choices, default=ConflictStatus.OPEN)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("submitted by"))
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    history = Tracked(
        type="edit_conflict", household="household_id", region="region_code", label=_("held edit"),
        snapshot="bangfu.households.services.conflict_snapshot",
        keys=Keys(labels={"fields": _("fields changed"), "overlap": _("fields changed by both")}),
    )

    class Meta:
        verbose_name = _("held edit")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["status", "region_code"], name="conflict_status_region")]

    def __str__(self) -> str:
        return f"{self.member.name if self.member_id else self.household.number} v{self.base_version}"
