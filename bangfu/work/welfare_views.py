"""Public-welfare post pages: the posts and appointees, the published list (拟聘名单, A4), the
village cadre's daily attendance on a phone, the township's monthly assessment, the payrolls with
their approval, the bank's export and the printed 考勤表 and 发放表."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.core import bounds
from bangfu.core.codes import Level, township_of
from bangfu.core.dates import local_today
from bangfu.core.errors import ConflictError
from bangfu.core.permissions import Role, can, require
from bangfu.regions.models import Region
from bangfu.work import welfare
from bangfu.core.forms import attach_errors
from bangfu.work.welfare_forms import AttendanceForm, PostForm
from bangfu.work.welfare_models import (
    Appointment,
    AppointmentStatus,
    Assessment,
    Attendance,
    Mark,
    Payroll,
    PayrollStatus,
    WelfarePost,
)

GET_POST = require_http_methods(["GET", "POST"])
GET = require_http_methods(["GET"])


def _message(error: Exception) -> str:
    if isinstance(error, ConflictError):
        return str(error.message)
    if hasattr(error, "message_dict"):
        return " ".join(m for ms in error.message_dict.values() for m in ms)
    return " ".join(getattr(error, "messages", [str(error)]))


def _code(request, key: str) -> str:
    code = (request.GET.get(key) or request.POST.get(key) or "").strip()[:bounds.CODE]
    return code if code.isdigit() else ""


def _month(text: str | None, default: dt.date) -> dt.date:
    try:
        return dt.datetime.strptime((text or "")[:7], "%Y-%m").date() if text else default
    except ValueError:
        return default


def _township(request) -> str:
    code = _code(request, "township")
    own = request.user.region_id or ""
    if code and (request.user.role == Role.ADMIN or code.startswith(own) or own.startswith(code)):
        return township_of(code) if len(code) >= 9 else ""
    return township_of(own) if len(own) >= 9 else ""


@login_required
@GET
def posts(request: HttpRequest) -> HttpResponse:
    """The posts of the caller's area, each with its appointees."""
    require(request.user, "welfare.view")
    rows = WelfarePost.objects.visible_to(request.user).select_related("region")[:500]
    appointees = (Appointment.objects.visible_to(request.user).exclude(status=AppointmentStatus.EXITED)
                  .select_related("member").order_by("post_id", "pk"))
    by_post: dict[int, list] = {}
    for a in appointees:
        by_post.setdefault(a.post_id, []).append(a)
    return render(request, "work/welfare_posts.html", {
        "posts": [(p, by_post.get(p.pk, [])) for p in rows], "township": _township(request),
        "may_attend": can(request.user, "welfare.attend"), "may_pay": can(request.user, "welfare.pay"),
        "may_manage": can(request.user, "welfare.manage")})


@login_required
@GET
def published(request: HttpRequest) -> HttpResponse:
    """The list of appointees as published (拟聘名单), A4 or .xlsx: names, villages and posts only."""
    require(request.user, "welfare.view")
    township = _township(request)
    if not township:
        raise Http404("no township")
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(welfare.published_export(actor=request.user, township_code=township),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="welfare-list-{township}.xlsx"'
        return response
    region = Region.objects.filter(code=township).first()
    return render(request, "work/welfare_published.html", {
        "rows": welfare.published_rows(actor=request.user, township_code=township), "region": region,
        "headers": welfare.PUBLIC_HEADERS, "days": welfare.rules_for(township)["publicity_days"],
        "today": local_today()})


@login_required
@GET_POST
def attendance(request: HttpRequest) -> HttpResponse:
    """The village cadre's day: the village's appointees, one tap each."""
    require(request.user, "welfare.attend")
    own = request.user.region_id or ""
    village = _code(request, "village") or (own if len(own) == 12 else "")
    if village and not (Region.objects.filter(code=village, level=Level.VILLAGE).exists()
                        and (request.user.role == Role.ADMIN or village.startswith(own))):
        raise Http404("no such village")
    if not village:
        first = (Appointment.objects.visible_to(request.user).filter(status=AppointmentStatus.SERVING)
                 .order_by("region_code").values_list("region_code", flat=True).first())
        village = first or ""
    day = local_today()
    if request.method == "POST":
        form = AttendanceForm({"appointment": request.POST.get("appointment"), "day": day.isoformat(),
                               "mark": request.POST.get("mark"), "client_id": request.POST.get("client_id")})
        appointment = (Appointment.objects.visible_to(request.user).filter(pk=form.cleaned_data["appointment"]).first()
                       if form.is_valid() else None)
        if appointment is None:
            messages.error(request, _("Tap present, absent or on leave for an appointee."))
        else:
            try:
                welfare.attendance_record(appointment=appointment, day=day, mark=form.cleaned_data["mark"],
                                          actor=request.user, client_id=form.cleaned_data["client_id"] or None)
            except ValidationError as error:
                messages.error(request, _message(error))
        return redirect(f"{request.path}?village={village}")
    rows = welfare.village_appointees(actor=request.user, village_code=village, day=day) if village else []
    region = Region.objects.filter(code=village).first() if village else None
    return render(request, "work/welfare_attendance.html", {
        "rows": [(a, mark, str(uuid.uuid4())) for a, mark in rows], "region": region, "day": day,
        "village": village, "marks": Mark.choices,
        "taken": sum(1 for _a, m in rows if m)})


def _assessment_rows(user, township: str, month: dt.date):
    rules = welfare.rules_for(township)
    serving = (Appointment.objects.visible_to(user).filter(region_code__startswith=township, start__lte=month.replace(day=28))
               .exclude(status=AppointmentStatus.PUBLISHED).select_related("member", "post__region")
               .order_by("region_code", "pk"))
    done = {a.appointment_id: a for a in Assessment.objects.filter(appointment__in=serving, month=month)}
    rows = []
    for a in serving:
        counts = welfare.month_days(a, month)
        found = done.get(a.pk)
        points = found.total if found else None
        rows.append({"appointment": a, "counts": counts, "assessment": found,
                     "village_points": welfare.village_points(counts, rules["village_weight"]),
                     "pay": welfare.pay_for(base_fen=a.pay_fen, total=points, ceiling_fen=rules["minimum_wage_fen"])
                     if points is not None else None,
                     "deducted": a.pay_fen - welfare.pay_for(base_fen=a.pay_fen, total=points,
                                                             ceiling_fen=rules["minimum_wage_fen"])
                     if points is not None else None})
    return rules, rows


@login_required
@GET_POST
def assessment(request: HttpRequest) -> HttpResponse:
    """The township's monthly assessment of its appointees (100 points), due by the 10th of the
    next month; each row shows its deduction before pay."""
    require(request.user, "welfare.assess")
    township = _township(request)
    today = local_today()
    default = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    month = _month(request.GET.get("month") or request.POST.get("month"), default)
    if request.method == "POST":
        pk = request.POST.get("appointment") or ""
        appointment = (Appointment.objects.visible_to(request.user).filter(pk=int(pk)).first()
                       if pk.isdigit() and len(pk) <= 12 else None)
        try:
            t = Decimal((request.POST.get("township_points") or "")[:6])
            r = Decimal((request.POST.get("review_points") or "")[:6])
        except InvalidOperation:
            t = r = None
        if appointment is None or t is None:
            messages.error(request, _("Give the township's points and the review's points for an appointee."))
        else:
            try:
                welfare.assess(appointment=appointment, month=month, township_points=t, review_points=r,
                               actor=request.user, deductions=(request.POST.get("deductions") or "")[:200])
            except ValidationError as error:
                messages.error(request, _message(error))
            else:
                messages.success(request, _("Assessed."))
        return redirect(f"{request.path}?month={month:%Y-%m}")
    rules, rows = _assessment_rows(request.user, township, month) if township else (welfare.rules_for(""), [])
    return render(request, "work/welfare_assessment.html", {
        "rows": rows, "rules": rules, "month": month, "due": welfare.assessment_due(month), "township": township})


@login_required
@GET_POST
def payrolls(request: HttpRequest) -> HttpResponse:
    """The township's payrolls; the office prepares a month's."""
    require(request.user, "welfare.view")
    township = _township(request)
    today = local_today()
    if request.method == "POST":
        require(request.user, "welfare.pay")
        region = Region.objects.filter(code=township, level=Level.TOWNSHIP).first()
        month = _month(request.POST.get("month"), (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1))
        if region is None:
            messages.error(request, _("Choose a township of your area."))
            return redirect("work:welfare_payrolls")
        try:
            payroll = welfare.payroll_prepare(township=region, month=month, actor=request.user)
        except ValidationError as error:
            messages.error(request, _message(error))
            return redirect("work:welfare_payrolls")
        return redirect("work:welfare_payroll", payroll.pk)
    rows = Payroll.objects.visible_to(request.user).select_related("region")[:200]
    return render(request, "work/welfare_payrolls.html", {
        "payrolls": rows, "may_pay": can(request.user, "welfare.pay"),
        "default_month": (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)})


def _payroll(user, pk: int) -> Payroll:
    found = Payroll.objects.visible_to(user).select_related("region", "approved_by").filter(pk=pk).first()
    if found is None:
        raise Http404("no such payroll")
    return found


@login_required
@GET
def payroll(request: HttpRequest, pk: int) -> HttpResponse:
    """A month's payroll: on screen, or printed as 发放表 (`?print=pay`) or 考勤表 (`?print=attendance`)."""
    require(request.user, "welfare.view")
    found = _payroll(request.user, pk)
    rows = welfare.payroll_rows(payroll=found, actor=request.user)
    total = sum(r[-1] for r in rows)
    kind = request.GET.get("print") or ""
    if kind == "attendance":
        lines = found.lines.select_related("appointment__post__region").order_by("region_code", "pk")
        month = found.month
        days = [month + dt.timedelta(days=i) for i in range(31) if (month + dt.timedelta(days=i)).month == month.month]
        marks = {(a.appointment_id, a.day): a.mark for a in Attendance.objects.filter(
            appointment__in=[line.appointment_id for line in lines], day__gte=days[0], day__lte=days[-1])}
        short = {Mark.PRESENT: "√", Mark.ABSENT: "×", Mark.LEAVE: "假"}
        sheet = [(line, [short.get(marks.get((line.appointment_id, d)), "") for d in days]) for line in lines]
        return render(request, "work/welfare_attendance_print.html", {"payroll": found, "days": days, "sheet": sheet})
    template = "work/welfare_pay_print.html" if kind == "pay" else "work/welfare_payroll.html"
    return render(request, template, {
        "payroll": found, "rows": rows, "total": total, "headers": welfare.BANK_HEADERS,
        "may_approve": can(request.user, "welfare.approve") and found.status == PayrollStatus.DRAFT})


@login_required
@require_POST
def payroll_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "welfare.approve")
    found = _payroll(request.user, pk)
    try:
        welfare.payroll_approve(payroll=found, actor=request.user)
    except (ConflictError, ValidationError) as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The payroll is approved; it may be exported for the bank."))
    return redirect("work:welfare_payroll", found.pk)


@login_required
@GET
def payroll_export(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "welfare.view")
    found = _payroll(request.user, pk)
    try:
        content = welfare.payroll_export(payroll=found, actor=request.user)
    except ValidationError as error:
        messages.error(request, _message(error))
        return redirect("work:welfare_payroll", found.pk)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="welfare-pay-{found.region_code}-{found.month:%Y-%m}.xlsx"'
    return response


@login_required
@GET_POST
def post_add(request: HttpRequest) -> HttpResponse:
    """The township office adds a village's post."""
    require(request.user, "welfare.manage")
    own = request.user.region_id or ""
    villages = Region.objects.filter(level=Level.VILLAGE).order_by("code")
    if request.user.role != Role.ADMIN:
        villages = villages.filter(code__startswith=own)
    form = PostForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        village = villages.filter(code=form.cleaned_data["village"]).first()
        if village is None:
            form.add_error("village", _("Choose a village of your area."))
        else:
            try:
                welfare.post_create(village=village, data=form.cleaned_data, actor=request.user)
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("The post is added."))
                return redirect("work:welfare_posts")
    return render(request, "work/welfare_post_form.html", {"form": form, "villages": villages[:500]})
