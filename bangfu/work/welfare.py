"""Every write and export of the public-welfare posts (公益性岗位): the county's rules, a village's
posts, the township's list of who may not hold one, appointments with their checks, the published
list of appointees, exits, the village cadre's daily attendance, the monthly assessment and the
township's payroll with its approval and the bank's export.

Rules checked at appointment, each refusal naming its rule:
  - one post per household (also a database constraint);
  - aged 16 to the county's oldest age (60 by default, up to 65) on the contract's first day;
  - not a village cadre's household, nor a person paid by the state: the township keeps that
    list (WelfareBar), as neither is on the registry;
  - not a person supported as 特困 (the member's flag or the household's category);
  - the post's pay not above the county's minimum monthly wage;
  - the contract starts no sooner than the list's publicity days after the list is published.

Monthly pay (documented formula):
  village points = village weight × present days ÷ (present + absent days) (leave costs nothing;
  no day marked gives 0); total = village + township + review points (each within its weight,
  weights summing to 100); pay = post pay × total ÷ 100, rounded down to the fen, and never above
  the post's pay nor the county's minimum wage.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bangfu.accounts.models import User
from bangfu.core import bulk, crypto
from bangfu.core.codes import COUNTY_LENGTH, Level, prefix_q
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.idempotency import create_once
from bangfu.core.permissions import can, require
from bangfu.history.models import Action
from bangfu.history.services import changes_bulk_insert, record
from bangfu.households import choices, identity
from bangfu.households.models import Household, Member
from bangfu.regions.models import Region
from bangfu.work.welfare_models import (
    Appointment,
    AppointmentStatus,
    Assessment,
    Attendance,
    BarKind,
    Mark,
    PayLine,
    Payroll,
    PayrollStatus,
    WelfareBar,
    WelfarePost,
    WelfareRules,
)

DEFAULT_RULES = {"max_age": 60, "minimum_wage_fen": 1_900_00, "village_weight": 30, "township_weight": 50,
                 "review_weight": 20, "publicity_days": 3}
MIN_AGE = 16
AGE_CEILING = 65
ONE_TENTH = Decimal("0.1")


def _day(value) -> str | None:
    return value.isoformat() if value else None


def rules_snapshot(r: WelfareRules) -> dict[str, Any]:
    return {k: getattr(r, k) for k in DEFAULT_RULES} | {"county": r.county_id}


def post_snapshot(p: WelfarePost) -> dict[str, Any]:
    return {"region": p.region_code, "post_type": p.post_type, "places": p.places, "pay_fen": p.pay_fen,
            "funding": p.funding, "duties": p.duties}


def bar_snapshot(b: WelfareBar) -> dict[str, Any]:
    return {"household": b.household_id, "member": b.member_id, "kind": b.kind, "note": b.note}


def appointment_snapshot(a: Appointment) -> dict[str, Any]:
    return {"post": a.post_id, "member": a.member_id, "status": a.status, "published_on": _day(a.published_on),
            "start": _day(a.start), "end": _day(a.end), "pay_fen": a.pay_fen, "exited_on": _day(a.exited_on),
            "exit_reason": a.exit_reason, "account_tail": a.account_tail}


def attendance_snapshot(a: Attendance) -> dict[str, Any]:
    return {"appointment": a.appointment_id, "day": _day(a.day), "mark": a.mark}


def assessment_snapshot(a: Assessment) -> dict[str, Any]:
    return {"appointment": a.appointment_id, "month": a.month.strftime("%Y-%m"),
            "village_points": str(a.village_points), "township_points": str(a.township_points),
            "review_points": str(a.review_points), "total": str(a.total), "deductions": a.deductions}


def payroll_snapshot(p: Payroll) -> dict[str, Any]:
    return {"region": p.region_code, "month": p.month.strftime("%Y-%m"), "status": p.status,
            "approved_by": p.approved_by_id}


def line_snapshot(line: PayLine) -> dict[str, Any]:
    return {"payroll": line.payroll_id, "member": line.member_id, "month": line.month.strftime("%Y-%m"),
            "points": str(line.points), "base_fen": line.base_fen, "amount_fen": line.amount_fen}


def _can_see_area(actor: User, code: str) -> bool:
    from bangfu.core.permissions import Role

    return actor.role == Role.ADMIN or (bool(actor.region_id) and code.startswith(actor.region_id))


def age_at(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


# --- the county's rules --------------------------------------------------------------------------

def rules_for(code: str) -> dict[str, int]:
    """The rules of the county holding `code`: its own row, or DEFAULT_RULES."""
    found = WelfareRules.objects.filter(county_id=code[:COUNTY_LENGTH]).first()
    return rules_snapshot(found) if found else dict(DEFAULT_RULES) | {"county": code[:COUNTY_LENGTH]}


@transaction.atomic
def rules_set(*, county: Region, data: dict[str, int], actor: User) -> WelfareRules:
    require(actor, "welfare.rules")
    if county.level != Level.COUNTY or not _can_see_area(actor, county.code):
        raise Http404("no such county")
    values = {k: int(data[k]) for k in DEFAULT_RULES}
    errors: dict[str, list[str]] = {}
    if not MIN_AGE <= values["max_age"] <= AGE_CEILING:
        errors["max_age"] = [_("The oldest age at appointment is at most %(n)d.") % {"n": AGE_CEILING}]
    if values["village_weight"] + values["township_weight"] + values["review_weight"] != 100:
        errors["village_weight"] = [_("The three parts of the assessment add up to 100 points.")]
    if values["minimum_wage_fen"] <= 0:
        errors["minimum_wage_fen"] = [_("Give the local minimum monthly wage.")]
    if errors:
        raise ValidationError(errors)
    rules = WelfareRules.objects.select_for_update().filter(county=county).first()
    if rules is None:
        rules = WelfareRules.objects.create(county=county, **values)
        record(actor, Action.CREATE, rules)
        return rules
    before = rules_snapshot(rules)
    for k, v in values.items():
        setattr(rules, k, v)
    rules.version += 1
    rules.save()
    record(actor, Action.UPDATE, rules, before=before)
    return rules


# --- posts ---------------------------------------------------------------------------------------

@transaction.atomic
def post_create(*, village: Region, data: dict[str, Any], actor: User) -> WelfarePost:
    """A village's post (`data`: post_type, places, pay_fen, funding, duties)."""
    require(actor, "welfare.manage")
    if village.level != Level.VILLAGE or not _can_see_area(actor, village.code):
        raise ValidationError({"village": [_("Choose a village of your area.")]})
    ceiling = rules_for(village.code)["minimum_wage_fen"]
    if data["pay_fen"] > ceiling:
        raise ValidationError({"pay_fen": [
            _("The pay of a public-welfare post is not above the local minimum wage (%(yuan)s yuan a month).")
            % {"yuan": f"{ceiling / 100:.2f}"}]})
    if data["places"] < 1:
        raise ValidationError({"places": [_("A post has at least one place.")]})
    post = WelfarePost.objects.create(
        region=village, region_code=village.code, post_type=data["post_type"], places=data["places"],
        pay_fen=data["pay_fen"], funding=data["funding"], duties=data.get("duties") or "",
        created_by=actor, created_at=timezone.now())
    record(actor, Action.CREATE, post)
    return post


# --- the township's list of who may not hold a post ---------------------------------------------

@transaction.atomic
def bar_add(*, household: Household, kind: str, actor: User, member: Member | None = None,
            note: str = "") -> WelfareBar:
    """A village cadre's household, or a person paid by the state, on the township's list."""
    require(actor, "welfare.manage")
    household = Household.objects.visible_to(actor).filter(pk=household.pk).first()
    if household is None:
        raise Http404("no such household")
    if kind == BarKind.STATE_PAID and (member is None or member.household_id != household.pk):
        raise ValidationError({"member": [_("Name the person paid by the state.")]})
    bar = WelfareBar.objects.create(household=household, member=member if kind == BarKind.STATE_PAID else None,
                                    region_code=household.region_code, kind=kind, note=note)
    record(actor, Action.CREATE, bar)
    return bar


# --- appointments --------------------------------------------------------------------------------

def appointment_refusals(*, post: WelfarePost, member: Member, start: dt.date) -> list[str]:
    """Why the member may not be appointed to the post from `start`, each naming its rule; empty
    when they may."""
    rules = rules_for(post.region_code)
    reasons = []
    household = member.household
    if Appointment.objects.filter(household=household).exclude(status=AppointmentStatus.EXITED).exists():
        reasons.append(_("One post per household: a member of this household already holds a post."))
    age = age_at(member.birth_date, start)
    if age < MIN_AGE:
        reasons.append(_("Age: %(age)d on the first day, younger than %(min)d.") % {"age": age, "min": MIN_AGE})
    elif age > rules["max_age"]:
        reasons.append(_("Age: %(age)d on the first day, older than the county's %(max)d.")
                       % {"age": age, "max": rules["max_age"]})
    bars = WelfareBar.objects.filter(household=household)
    if bars.filter(kind=BarKind.CADRE_FAMILY).exists():
        reasons.append(_("Village cadres' families: the household is on the township's list of cadres' families."))
    if bars.filter(kind=BarKind.STATE_PAID, member=member).exists():
        reasons.append(_("Paid by the state (财政供养): the person is on the township's list."))
    if member.extreme_hardship or household.categories.filter(category=choices.Category.EXTREME_HARDSHIP).exists():
        reasons.append(_("Extreme hardship support (特困): supported persons are not appointed."))
    if post.pay_fen > rules["minimum_wage_fen"]:
        reasons.append(_("Pay: the post's pay is above the local minimum wage."))
    if not post.region_code == household.region_code:
        reasons.append(_("Village: the post is for the people of its own village."))
    if post.appointments.exclude(status=AppointmentStatus.EXITED).count() >= post.places:
        reasons.append(_("Places: every place of the post is filled."))
    return reasons


@transaction.atomic
def appoint(*, post: WelfarePost, member: Member, published_on: dt.date, start: dt.date, end: dt.date,
            actor: User, account: str = "") -> Appointment:
    """Put the member on the post's list of appointees (拟聘名单), published on `published_on`; the
    contract runs from `start` to `end`; `account` is the bank card (一卡通) the pay goes to, sealed."""
    require(actor, "welfare.manage")
    post = WelfarePost.objects.visible_to(actor).select_for_update().filter(pk=post.pk).first()
    if post is None:
        raise Http404("no such post")
    member = (Member.objects.select_related("household").select_for_update(of=("self",))
              .filter(pk=member.pk, household__in=Household.objects.visible_to(actor)).first())
    if member is None:
        raise Http404("no such member")
    errors: dict[str, list[str]] = {}
    days = rules_for(post.region_code)["publicity_days"]
    if start < published_on + dt.timedelta(days=days):
        errors["start"] = [_("Publicity: the list is published %(days)d days before the contract starts.")
                           % {"days": days}]
    if end <= start:
        errors["end"] = [_("The contract ends after it starts.")]
    refusals = appointment_refusals(post=post, member=member, start=start)
    if refusals:
        errors["member"] = refusals
    if errors:
        raise ValidationError(errors)
    appointment = Appointment.objects.create(
        post=post, member=member, name=member.name, household=member.household,
        region_code=member.household.region_code,
        published_on=published_on, start=start, end=end, pay_fen=post.pay_fen, created_by=actor,
        created_at=timezone.now(), account_encrypted=crypto.encrypt(account) if account else "",
        account_tail=account[-4:])
    record(actor, Action.CREATE, appointment)
    return appointment


@transaction.atomic
def appointment_account_set(*, appointment: Appointment, account: str, actor: User,
                            version: int | None = None) -> Appointment:
    """The bank card (一卡通) an appointee's pay goes to: sealed at rest, its last 4 digits kept
    apart for the masked display; history keeps only that it changed, never the number."""
    require(actor, "welfare.manage")
    appointment = _appointment_locked(actor, appointment)
    if version is not None and version != appointment.version:
        raise ConflictError(appointment.version)
    if not (account.isdigit() and 12 <= len(account) <= 30):
        raise ValidationError({"account": [_("Enter the card number: 12 to 30 digits.")]})
    before = appointment_snapshot(appointment)
    appointment.account_encrypted, appointment.account_tail = crypto.encrypt(account), account[-4:]
    appointment.version += 1
    appointment.save(update_fields=["account_encrypted", "account_tail", "version"])
    record(actor, Action.UPDATE, appointment, before=before)
    return appointment


def _appointment_locked(actor: User, appointment: Appointment) -> Appointment:
    found = (Appointment.objects.visible_to(actor).select_for_update(of=("self",)).select_related("post")
             .filter(pk=appointment.pk).first())
    if found is None:
        raise Http404("no such appointment")
    return found


@transaction.atomic
def appointment_start(*, appointment: Appointment, actor: User, today: dt.date | None = None) -> Appointment:
    """The publicity over with no objection upheld, the appointee starts serving."""
    require(actor, "welfare.manage")
    appointment = _appointment_locked(actor, appointment)
    today = today or local_today()
    days = rules_for(appointment.region_code)["publicity_days"]
    if appointment.status != AppointmentStatus.PUBLISHED:
        raise ValidationError({"status": [_("Only an appointee on the published list starts serving.")]})
    if today < appointment.published_on + dt.timedelta(days=days):
        raise ValidationError({"status": [_("Publicity: the list stays published %(days)d days.") % {"days": days}]})
    before = appointment_snapshot(appointment)
    appointment.status, appointment.version = AppointmentStatus.SERVING, appointment.version + 1
    appointment.save(update_fields=["status", "version"])
    record(actor, Action.UPDATE, appointment, before=before)
    return appointment


@transaction.atomic
def appointment_exit(*, appointment: Appointment, reason: str, on: dt.date, actor: User,
                     version: int | None = None) -> Appointment:
    """The appointee leaves the post (不履职, 入学, 服兵役, 迁出…); the household may hold a post again."""
    require(actor, "welfare.manage")
    appointment = _appointment_locked(actor, appointment)
    if version is not None and version != appointment.version:
        raise ConflictError(appointment.version)
    if appointment.status == AppointmentStatus.EXITED:
        raise ValidationError({"status": [_("The appointee has already left the post.")]})
    if not reason:
        raise ValidationError({"exit_reason": [_("Say why the appointee leaves.")]})
    before = appointment_snapshot(appointment)
    appointment.status, appointment.exit_reason, appointment.exited_on = AppointmentStatus.EXITED, reason, on
    appointment.version += 1
    appointment.save(update_fields=["status", "exit_reason", "exited_on", "version"])
    record(actor, Action.UPDATE, appointment, before=before)
    return appointment


PUBLIC_HEADERS = ("序号", "姓名", "性别", "村", "岗位", "月补贴(元)", "聘期")


def published_rows(*, actor: User, township_code: str, published_on: dt.date | None = None) -> list[list]:
    """The list of appointees (拟聘名单) as published: no ID number, no phone."""
    require(actor, "welfare.view")
    qs = (Appointment.objects.visible_to(actor).filter(prefix_q("region_code", township_code),
                                                       status=AppointmentStatus.PUBLISHED)
          .select_related("member", "post__region").order_by("region_code", "post_id", "pk"))
    if published_on:
        qs = qs.filter(published_on=published_on)
    return [[n, a.name, a.member.get_sex_display() if a.member else "", a.post.region.name, a.post.get_post_type_display(),
             a.pay_fen / 100, f"{a.start:%Y-%m-%d}—{a.end:%Y-%m-%d}"] for n, a in enumerate(qs, 1)]


def published_export(*, actor: User, township_code: str) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("拟聘名单")
    ws.append(list(PUBLIC_HEADERS))
    for row in published_rows(actor=actor, township_code=township_code):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- attendance ----------------------------------------------------------------------------------

def village_appointees(*, actor: User, village_code: str, day: dt.date):
    """The village's appointees serving on `day`, each with the day's mark if taken."""
    require(actor, "welfare.view")
    qs = (Appointment.objects.visible_to(actor).filter(region_code=village_code, status=AppointmentStatus.SERVING,
                                                       start__lte=day, end__gte=day)
          .select_related("member", "post").order_by("post_id", "pk"))
    marks = dict(Attendance.objects.filter(appointment__in=qs, day=day).values_list("appointment_id", "mark"))
    return [(a, marks.get(a.pk, "")) for a in qs]


@transaction.atomic
def attendance_record(*, appointment: Appointment, day: dt.date, mark: str, actor: User,
                      client_id: str | None = None) -> tuple[Attendance, bool]:
    """The village cadre's mark for an appointee's day. Sent again with the same client id, nothing
    new is written; marked again for the day, the mark is updated. Returns (row, written)."""
    require(actor, "welfare.attend")
    if client_id:
        existing = Attendance.objects.filter(client_id=client_id).first()
        if existing is not None:
            return existing, False
    appointment = _appointment_locked(actor, appointment)
    if mark not in Mark.values:
        raise ValidationError({"mark": [_("Choose present, absent or on leave.")]})
    if appointment.status != AppointmentStatus.SERVING or not appointment.start <= day <= appointment.end:
        raise ValidationError({"day": [_("The appointee is not serving on %(day)s.") % {"day": day}]})
    if day > local_today():
        raise ValidationError({"day": [_("Attendance is taken for today or a past day.")]})
    if Assessment.objects.filter(appointment=appointment, month=day.replace(day=1)).exists():
        raise ValidationError({"day": [_("The month is assessed; its attendance no longer changes.")]})
    row = Attendance.objects.select_for_update().filter(appointment=appointment, day=day).first()
    if row is not None:
        if row.mark == mark:
            return row, False
        before = attendance_snapshot(row)
        row.mark, row.version, row.recorded_by, row.recorded_at = mark, row.version + 1, actor, timezone.now()
        row.save(update_fields=["mark", "version", "recorded_by", "recorded_at"])
        record(actor, Action.UPDATE, row, before=before)
        return row, True

    def create() -> Attendance:
        new = Attendance.objects.create(appointment=appointment, region_code=appointment.region_code, day=day,
                                        mark=mark, client_id=client_id or None, recorded_by=actor,
                                        recorded_at=timezone.now())
        record(actor, Action.CREATE, new)
        return new

    if client_id:
        return create_once(Attendance, client_id=client_id, create=create)
    return create(), True


# --- the monthly assessment ----------------------------------------------------------------------

def month_days(appointment: Appointment, month: dt.date) -> dict[str, int]:
    counts = {m: 0 for m in Mark.values}
    for mark in Attendance.objects.filter(appointment=appointment, day__year=month.year,
                                          day__month=month.month).values_list("mark", flat=True):
        counts[mark] += 1
    return counts


def village_points(counts: dict[str, int], weight: int) -> Decimal:
    """weight × present ÷ (present + absent), to a tenth; leave costs nothing, no day marked gives 0."""
    marked = counts[Mark.PRESENT] + counts[Mark.ABSENT]
    if not marked:
        return Decimal(0)
    return (Decimal(weight) * counts[Mark.PRESENT] / marked).quantize(ONE_TENTH, ROUND_HALF_UP)


def assessment_due(month: dt.date) -> dt.date:
    """By the 10th of the next month."""
    return (month.replace(day=28) + dt.timedelta(days=4)).replace(day=10)


@transaction.atomic
def assess(*, appointment: Appointment, month: dt.date, township_points: Decimal, review_points: Decimal,
           actor: User, deductions: str = "") -> Assessment:
    """The township's monthly assessment: the village's points from the month's attendance, the
    township's and the villagers' review as given, each within its weight."""
    require(actor, "welfare.assess")
    appointment = _appointment_locked(actor, appointment)
    month = month.replace(day=1)
    rules = rules_for(appointment.region_code)
    errors = {}
    township_points, review_points = Decimal(township_points), Decimal(review_points)
    if not 0 <= township_points <= rules["township_weight"]:
        errors["township_points"] = [_("The township's points are between 0 and %(n)d.") % {"n": rules["township_weight"]}]
    if not 0 <= review_points <= rules["review_weight"]:
        errors["review_points"] = [_("The review's points are between 0 and %(n)d.") % {"n": rules["review_weight"]}]
    if month > local_today():
        errors["month"] = [_("A month is assessed once it has begun.")]
    if errors:
        raise ValidationError(errors)
    counts = month_days(appointment, month)
    village = village_points(counts, rules["village_weight"])
    values = {"village_points": village, "township_points": township_points, "review_points": review_points,
              "total": village + township_points + review_points, "present_days": counts[Mark.PRESENT],
              "absent_days": counts[Mark.ABSENT], "leave_days": counts[Mark.LEAVE], "deductions": deductions}
    row = Assessment.objects.select_for_update().filter(appointment=appointment, month=month).first()
    if row is not None:
        if PayLine.objects.filter(appointment=appointment, month=month).exists():
            raise ValidationError({"month": [_("The month is paid; its assessment no longer changes.")]})
        before = assessment_snapshot(row)
        for k, v in values.items():
            setattr(row, k, v)
        row.version += 1
        row.assessed_by, row.assessed_at = actor, timezone.now()
        row.save()
        record(actor, Action.UPDATE, row, before=before)
        return row
    row = Assessment.objects.create(appointment=appointment, region_code=appointment.region_code, month=month,
                                    assessed_by=actor, assessed_at=timezone.now(), **values)
    record(actor, Action.CREATE, row)
    return row


def pay_for(*, base_fen: int, total: Decimal, ceiling_fen: int) -> int:
    """base × total ÷ 100, rounded down to the fen, never above the base nor the ceiling."""
    amount = int((Decimal(base_fen) * Decimal(total) / 100).quantize(Decimal(1), ROUND_DOWN))
    return max(0, min(amount, base_fen, ceiling_fen))


# --- payroll -------------------------------------------------------------------------------------

@transaction.atomic
def payroll_prepare(*, township: Region, month: dt.date, actor: User) -> Payroll:
    """The township's payroll for a month: every assessed appointee of the township not yet paid
    for the month, at the pay the assessment gives."""
    require(actor, "welfare.pay")
    if township.level != Level.TOWNSHIP or not _can_see_area(actor, township.code):
        raise ValidationError({"township": [_("Choose a township of your area.")]})
    month = month.replace(day=1)
    paid = PayLine.objects.filter(month=month).values("member_id")
    assessed = (Assessment.objects.filter(prefix_q("region_code", township.code), month=month)
                .exclude(appointment__member_id__in=paid).exclude(appointment__member=None)
                .select_related("appointment__member"))
    if not assessed:
        raise ValidationError({"month": [_("No appointee of the township is assessed and unpaid for %(month)s.")
                                         % {"month": f"{month:%Y-%m}"}]})
    payroll = Payroll.objects.create(region=township, region_code=township.code, month=month, prepared_by=actor,
                                     prepared_at=timezone.now())
    record(actor, Action.CREATE, payroll)
    ceiling = rules_for(township.code)["minimum_wage_fen"]
    lines = []
    for a in assessed.order_by("region_code", "pk"):
        appointment = a.appointment
        lines.append(PayLine(
            payroll=payroll, appointment=appointment, member_id=appointment.member_id, name=appointment.name,
            # The member's sealed ID number, copied as it is (the line keeps it if the member goes).
            id_number_encrypted=appointment.member.id_number_encrypted,
            household_id=appointment.household_id, region_code=appointment.region_code, month=month,
            points=a.total, base_fen=appointment.pay_fen,
            amount_fen=pay_for(base_fen=appointment.pay_fen, total=a.total, ceiling_fen=ceiling)))
    # A township's month is thousands of lines: written at once, with their history rows.
    bulk.insert(PayLine, lines)
    tracked = PayLine.history
    changes_bulk_insert(actor=actor, message="", rows=[
        (Action.CREATE, tracked.type, line.pk, str(line)[:200], line.household_id, line.region_code, None,
         line_snapshot(line)) for line in lines])
    return payroll


@transaction.atomic
def payroll_approve(*, payroll: Payroll, actor: User, version: int | None = None) -> Payroll:
    """The township office approves the month's payroll; it no longer changes."""
    require(actor, "welfare.approve")
    payroll = Payroll.objects.visible_to(actor).select_for_update().filter(pk=payroll.pk).first()
    if payroll is None:
        raise Http404("no such payroll")
    if version is not None and version != payroll.version:
        raise ConflictError(payroll.version)
    if payroll.status != PayrollStatus.DRAFT:
        raise ValidationError({"payroll": [_("The payroll is already approved.")]})
    before = payroll_snapshot(payroll)
    payroll.status, payroll.approved_by, payroll.approved_at = PayrollStatus.APPROVED, actor, timezone.now()
    payroll.version += 1
    payroll.save(update_fields=["status", "approved_by", "approved_at", "version"])
    record(actor, Action.UPDATE, payroll, before=before)
    return payroll


BANK_HEADERS = ("序号", "姓名", "证件号码", "一卡通账号", "村", "岗位", "考核得分", "金额(元)")


def payroll_rows(*, payroll: Payroll, actor: User, reveal: bool = False) -> list[list]:
    """The 发放表's rows; ID and account in full only when `reveal` and the role may reveal."""
    require(actor, "welfare.view")
    found = Payroll.objects.visible_to(actor).filter(pk=payroll.pk).first()
    if found is None:
        raise Http404("no such payroll")
    reveal = reveal and can(actor, "member.reveal_id")
    rows = []
    lines = (found.lines.select_related("appointment__post__region").order_by("region_code", "pk"))
    for n, line in enumerate(lines, 1):
        id_number = line.id_number
        account = line.appointment.account or _account_of(line.member_id)
        rows.append([n, line.name, id_number if reveal else identity.mask_id(id_number),
                     account if reveal else (f"****{account[-4:]}" if account else ""),
                     line.appointment.post.region.name, line.appointment.post.get_post_type_display(),
                     float(line.points), line.amount_fen / 100])
    return rows


def _account_of(member_id: int | None) -> str:
    """The member's 一卡通 account when the appointment holds none: the latest employment-subsidy card."""
    from bangfu.work.models import SubsidyPayment

    if member_id is None:
        return ""
    payment = (SubsidyPayment.objects.filter(member_id=member_id).exclude(account_tail="").order_by("-year").first())
    return payment.account if payment else ""


def payroll_export(*, payroll: Payroll, actor: User) -> bytes:
    """The approved payroll as the bank's .xlsx; ID and account in full only for the roles that may
    reveal ID numbers. Kept in history."""
    from openpyxl import Workbook

    found = Payroll.objects.visible_to(actor).filter(pk=payroll.pk).first()
    if found is None:
        raise Http404("no such payroll")
    if found.status != PayrollStatus.APPROVED:
        raise ValidationError({"payroll": [_("Only an approved payroll goes to the bank.")]})
    reveal = can(actor, "member.reveal_id")
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(f"{found.month:%Y-%m}")
    ws.append(list(BANK_HEADERS))
    rows = payroll_rows(payroll=found, actor=actor, reveal=reveal)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    record(actor, Action.EXPORT, found, after={"rows": len(rows), "revealed": reveal},
           message=_("Exported for the bank"))
    return out.getvalue()


def pay_visible(actor: User):
    return PayLine.objects.filter(household__in=Household.objects.visible_to(actor))

