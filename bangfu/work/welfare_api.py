"""API routes of the public-welfare posts: the posts, the appointments (no ID number, no phone),
the village cadre's attendance (idempotent by client id) and the payrolls."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema, Status

from bangfu.core.errors import BODY_RESPONSES, COMMON_RESPONSES, ErrorOut, FieldErrors
from bangfu.core.permissions import require
from bangfu.core import bounds
from bangfu.households.schemas import StrictSchema, Text
from bangfu.supplies.schemas import ClientIdText
from bangfu.work import welfare
from bangfu.work.welfare_forms import AttendanceForm
from bangfu.work.welfare_models import Appointment, Attendance, PayLine, Payroll, WelfarePost

posts = Router(tags=["work"])
appointments = Router(tags=["work"])
attendance = Router(tags=["work"])
payrolls = Router(tags=["work"])


class PostOut(Schema):
    id: int
    village: str
    post_type: str
    places: int
    pay: float
    funding: str


class AppointmentOut(Schema):
    id: int
    post: int
    member: int
    name: str
    village: str
    status: str
    published_on: dt.date
    start: dt.date
    end: dt.date
    pay: float
    exit_reason: str


class AttendanceIn(StrictSchema):
    appointment: int = Field(**bounds.ID.api(), description="The appointment's id.")
    day: bounds.PAST_EVENT.date()
    mark: Text = Field(pattern=r"^(present|absent|leave)$", max_length=8)
    client_id: ClientIdText


class AttendanceOut(Schema):
    id: int
    appointment: int
    day: dt.date
    mark: str
    version: int


class PayrollOut(Schema):
    id: int
    township: str
    month: str
    status: str
    count: int
    total: float


def _appointment_out(a: Appointment) -> dict[str, Any]:
    return {"id": a.pk, "post": a.post_id, "member": a.member_id, "name": a.name, "village": a.region_code,
            "status": a.status, "published_on": a.published_on, "start": a.start, "end": a.end,
            "pay": a.pay_fen / 100, "exit_reason": a.exit_reason}


@posts.get("", response={200: list[PostOut], **COMMON_RESPONSES}, summary="Public-welfare posts")
def post_list(request, offset: int = Query(0, ge=0, le=10**9), limit: int = Query(100, ge=1, le=500)):
    require(request.auth, "welfare.view")
    rows = WelfarePost.objects.visible_to(request.auth)[offset:offset + limit]
    return [{"id": p.pk, "village": p.region_code, "post_type": p.post_type, "places": p.places,
             "pay": p.pay_fen / 100, "funding": p.funding} for p in rows]


@appointments.get("", response={200: list[AppointmentOut], **COMMON_RESPONSES}, summary="Appointments to posts")
def appointment_list(request, offset: int = Query(0, ge=0, le=10**9), limit: int = Query(100, ge=1, le=500)):
    require(request.auth, "welfare.view")
    rows = Appointment.objects.visible_to(request.auth)[offset:offset + limit]
    return [_appointment_out(a) for a in rows]


@attendance.post("", response={201: AttendanceOut, 200: AttendanceOut, 403: ErrorOut, **BODY_RESPONSES},
                 summary="Mark an appointee's day")
def attendance_record(request, payload: AttendanceIn):
    """The day's mark; with the same `client_id` again, 200 with the first mark and nothing new."""
    user = request.auth
    require(user, "welfare.attend")
    earlier = Attendance.objects.visible_to(user).filter(client_id=payload.client_id).first()
    if earlier is not None:
        return Status(200, {"id": earlier.pk, "appointment": earlier.appointment_id, "day": earlier.day,
                            "mark": earlier.mark, "version": earlier.version})
    form = AttendanceForm({"appointment": payload.appointment, "day": payload.day.isoformat(), "mark": payload.mark,
                           "client_id": payload.client_id})
    if not form.is_valid():
        raise FieldErrors({key: [str(m) for m in messages] for key, messages in form.errors.items()})
    data = form.cleaned_data
    row, written = welfare.attendance_record(appointment=Appointment(pk=data["appointment"]), day=data["day"],
                                             mark=data["mark"], actor=user, client_id=data["client_id"])
    return Status(201 if written else 200, {"id": row.pk, "appointment": row.appointment_id, "day": row.day,
                                            "mark": row.mark, "version": row.version})


@payrolls.get("", response={200: list[PayrollOut], **COMMON_RESPONSES}, summary="Public-welfare payrolls")
def payroll_list(request):
    require(request.auth, "welfare.view")
    out = []
    for p in Payroll.objects.visible_to(request.auth)[:200]:
        amounts = list(PayLine.objects.filter(payroll=p).values_list("amount_fen", flat=True))
        out.append({"id": p.pk, "township": p.region_code, "month": p.month.strftime("%Y-%m"), "status": p.status,
                    "count": len(amounts), "total": sum(amounts) / 100})
    return out
