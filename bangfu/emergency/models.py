"""Emergency work: emergencies a township office (or the county) opens for its area, the daily
checks of its households, returnees and their home quarantine, fever alerts, and the summary rows
of each emergency's numbers. Deliveries and errands are an app of their own (bangfu.deliveries)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bangfu.core.idempotency import ClientHashed
from bangfu.history.tracked import Keys, Tracked
from bangfu.households.models import Household


class EmergencyKind(models.TextChoices):
    EPIDEMIC = "epidemic", _("Epidemic")
    FLOOD = "flood", _("Flood")
    OTHER = "other", _("Other")


class EmergencyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class CheckItem(models.TextChoices):
    """The daily checks an emergency's protocol may ask for."""
    DISINFECTION = "disinfection", _("Disinfection done")
    TEMPERATURE = "temperature", _("Temperature of each member present")
    SYMPTOMS = "symptoms", _("Symptoms")
    SUPPLIES = "supplies", _("Supplies enough for the days ahead")
    HELP = "help", _("Help needed")


class EmergencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> EmergencyQuerySet:
        """Emergencies over the user's area: opened for a region holding it, or within it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        from bangfu.core.codes import ancestors, prefix_q
        from bangfu.core.permissions import Role

        if user.role == Role.ADMIN:
            return self
        code = user.region_id or ""
        if not code:
            return self.none()
        return self.filter(prefix_q("region_code", code) | Q(region_code__in=ancestors(code)))

    def open_on(self, day) -> EmergencyQuerySet:
        return self.filter(status=EmergencyStatus.OPEN, start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class Emergency(models.Model):
    """An emergency a township office (or the county) opens for its area, with its protocol."""

    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=EmergencyKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="emergencies",
                               verbose_name=_("region"))
    region_code = models.CharField(max_length=15, editable=False)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EmergencyStatus.choices,
                              default=EmergencyStatus.OPEN)
    check_items = models.JSONField(_("daily checks"), default=list)
    fever_threshold = models.DecimalField(_("fever threshold (°C)"), max_digits=3, decimal_places=1, default="37.3")
    quarantine_days = models.PositiveSmallIntegerField(_("quarantine days"), default=14)
    supplies_days = models.PositiveSmallIntegerField(_("supplies enough for (days)"), default=7)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EmergencyQuerySet.as_manager()
    # Every step is recorded, even an extension to the end it already had.
    history = Tracked(type="emergency", snapshot="bangfu.emergency.services.emergency_snapshot", unchanged=True)

    class Meta:
        verbose_name = _("emergency")
        verbose_name_plural = _("emergencies")
        indexes = [models.Index(fields=["status", "region_code"], name="emergency_status_region")]

    def __str__(self) -> str:
        return self.title

    def asks(self, item: str) -> bool:
        return item in self.check_items


class CheckStatus(models.TextChoices):
    DUE = "due", _("Not checked yet")
    DONE = "done", _("Checked")


class HealthCheck(models.Model):
    """One household's daily check on one Shanghai calendar day of an emergency."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="checks")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="health_checks",
                                  verbose_name=_("household"))
    region_code = models.CharField(max_length=15, editable=False)
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=5, choices=CheckStatus.choices, default=CheckStatus.DUE)
    disinfection = models.BooleanField(_("disinfection done"), null=True, blank=True)
    symptoms = models.BooleanField(_("symptoms"), null=True, blank=True)
    supplies_enough = models.BooleanField(_("supplies enough"), null=True, blank=True)
    help_needed = models.BooleanField(_("help needed"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    fever = models.BooleanField(default=False, editable=False)
    done_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("checked by"))
    version = models.PositiveIntegerField(default=1, editable=False)

    # A check's row holds the whole check: as it is when first done, as it was and is when corrected.
    history = Tracked(type="healthcheck", household="household_id", snapshot="bangfu.emergency.services.check_snapshot",
                      whole=True, keys=Keys(labels={"temperatures": _("temperatures")}))

    class Meta:
        verbose_name = _("daily check")
        verbose_name_plural = _("daily checks")
        constraints = [
            models.UniqueConstraint(fields=["emergency", "household", "day"], name="check_once_per_day"),
            models.CheckConstraint(condition=~Q(status="done") | Q(done_at__isnull=False), name="check_done_has_time"),
        ]
        indexes = [models.Index(fields=["day", "region_code", "status"], name="check_day_region")]

    def __str__(self) -> str:
        return f"{self.household.number} {self.day}"


class CheckSubmission(ClientHashed):
    """One submission of a check from a phone, once per client id (a retry writes nothing new)."""

    check_row = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="submissions")
    client_id = models.CharField(max_length=64, unique=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()


class Reading(models.Model):
    """A temperature taken at a check: of a member, or of a returnee living in the household."""

    check_row = models.ForeignKey(HealthCheck, on_delete=models.CASCADE, related_name="readings")
    member = models.ForeignKey("households.Member", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    returnee = models.ForeignKey("Returnee", on_delete=models.CASCADE, null=True, blank=True, related_name="readings")
    name = models.CharField(max_length=50)
    temperature = models.DecimalField(max_digits=3, decimal_places=1)
    fever = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(member__isnull=False) | Q(returnee__isnull=False), name="reading_person"),
        ]


class FeverAlert(models.Model):
    """A temperature at or above the threshold: one per person per day, however often it is checked.
    It alerted the township office and opened an urgent medical need."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="fever_alerts")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="fever_alerts")
    region_code = models.CharField(max_length=15)
    person_key = models.CharField(max_length=20)  # "m<member id>" or "r<returnee id>"
    name = models.CharField(_("name"), max_length=50)
    day = models.DateField(_("day"))
    temperature = models.DecimalField(_("temperature"), max_digits=3, decimal_places=1)
    need = models.ForeignKey("needs.Need", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()

    history = Tracked(type="feveralert", household="household_id", repr="name")

    class Meta:
        verbose_name = _("fever alert")
        verbose_name_plural = _("fever alerts")
        constraints = [
            models.UniqueConstraint(fields=["emergency", "person_key", "day"], name="fever_once_per_person_day"),
        ]
        indexes = [models.Index(fields=["region_code", "day"], name="fever_region_day")]


class TransportMode(models.TextChoices):
    TRAIN = "train", _("Train")
    BUS = "bus", _("Coach")
    CAR = "car", _("Own car")
    PLANE = "plane", _("Plane")
    OTHER = "other", _("Other")


class Screening(models.TextChoices):
    PENDING = "pending", _("Not screened yet")
    NORMAL = "normal", _("Normal")
    ABNORMAL = "abnormal", _("Abnormal: sent to hospital")


class ReturneeQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReturneeQuerySet:
        return self.filter(household__in=Household.objects.visible_to(user))


class Returnee(ClientHashed):
    """Someone come back from elsewhere during an emergency, living in a household of the area."""

    emergency = models.ForeignKey(Emergency, on_delete=models.PROTECT, related_name="returnees")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="returnees",
                                  verbose_name=_("household"))
    region_code = models.CharField(max_length=15, editable=False)
    # The registry's record of the same person, when they are (or became) a member of the household:
    # the head of a household registered with them, or a member already there. Checks measure them once.
    member = models.ForeignKey("households.Member", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", editable=False)
    name = models.CharField(_("name"), max_length=50)
    id_number_encrypted = models.TextField(editable=False)
    id_hash = models.CharField(max_length=64, db_index=True, editable=False)
    id_tail_reversed = models.CharField(max_length=6, editable=False)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone_tail = models.CharField(max_length=4, blank=True, editable=False)
    origin = models.CharField(_("from where"), max_length=100)
    arrival = models.DateField(_("arrival date"))
    transport = models.CharField(_("transport"), max_length=10, choices=TransportMode.choices)
    screening = models.CharField(_("screening result"), max_length=10, choices=Screening.choices,
                                 default=Screening.PENDING)
    home_supplies_ensured = models.BooleanField(_("home supplies ensured"), default=False)
    help_needed = models.BooleanField(_("help needed"), default=False)
    help_note = models.CharField(_("what help"), max_length=200, blank=True)
    client_id = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReturneeQuerySet.as_manager()
    # Every update is recorded, even one that changes nothing its snapshot shows.
    history = Tracked(type="returnee", household="household_id", snapshot="bangfu.emergency.services.returnee_snapshot",
                      unchanged=True)

    class Meta:
        verbose_name = _("returnee")
        verbose_name_plural = _("returnees")
        constraints = [
            models.UniqueConstraint(fields=["emergency", "id_hash"], name="returnee_once_per_emergency"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def id_number(self) -> str:
        from bangfu.core import crypto

        return crypto.decrypt(self.id_number_encrypted)

    @property
    def phone(self) -> str:
        from bangfu.core import crypto

        return crypto.decrypt(self.phone_encrypted)


class QuarantineStatus(models.TextChoices):
    ACTIVE = "active", _("In quarantine")
    ENDED = "ended", _("Ended")


class Quarantine(models.Model):
    """Home quarantine of a returnee. It runs past `end` until a check on or after `end` finds the
    person well; a day without a check does not end it."""

    returnee = models.OneToOneField(Returnee, on_delete=models.CASCADE, related_name="quarantine")
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="quarantines")
    start = models.DateField(_("start"))
    end = models.DateField(_("planned end"))
    status = models.CharField(_("status"), max_length=10, choices=QuarantineStatus.choices,
                              default=QuarantineStatus.ACTIVE)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    history = Tracked(type="quarantine", household="household_id", region="household.region_code",
                      repr="returnee.name")

    class Meta:
        verbose_name = _("home quarantine")
        verbose_name_plural = _("home quarantines")
        constraints = [
            models.CheckConstraint(condition=~Q(status="ended") | Q(ended_on__isnull=False), name="quarantine_ended_on"),
        ]
        indexes = [models.Index(fields=["household", "status"], name="quarantine_household_status")]

    def extended(self, today) -> bool:
        return self.status == QuarantineStatus.ACTIVE and today > self.end


class Summary(models.Model):
    """An emergency's numbers per village and day, kept current on every write."""

    emergency = models.ForeignKey(Emergency, on_delete=models.CASCADE, related_name="summaries")
    region_code = models.CharField(max_length=15)  # village
    day = models.DateField()
    due = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    fever_alerts = models.PositiveIntegerField(default=0)
    in_quarantine = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["emergency", "region_code", "day"], name="emergency_summary_once"),
        ]
