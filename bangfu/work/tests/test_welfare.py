"""Public-welfare posts: every appointment rule refused and allowed, the publicity, exits, the
daily attendance (idempotent by client id), the assessment's arithmetic, the payroll (never twice,
never above the ceiling), approval by role, the bank export's columns by role, and scope."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from openpyxl import load_workbook

from bangfu.core.dates import local_today
from bangfu.history.models import Change
from bangfu.households import choices
from bangfu.regions.models import Region
from bangfu.work import welfare
from bangfu.work.welfare_models import (
    Appointment,
    AppointmentStatus,
    Attendance,
    BarKind,
    ExitReason,
    Mark,
    PayLine,
    PayrollStatus,
    PostType,
)
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = pytest.mark.django_db
TODAY = local_today()
THIS_MONTH = TODAY.replace(day=1)
LAST_MONTH = (THIS_MONTH - dt.timedelta(days=1)).replace(day=1)
START = LAST_MONTH - dt.timedelta(days=40)
PUBLISHED = START - dt.timedelta(days=5)
END = START + dt.timedelta(days=365)


def _born(age: int, on: dt.date = START) -> dt.date:
    """Born so as to be `age` on `on`."""
    return dt.date(on.year - age, 1, 1) if (on.month, on.day) >= (1, 1) else dt.date(on.year - age - 1, 1, 1)


@pytest.fixture
def post(personas, regions):
    return welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=personas["office"], data={
        "post_type": PostType.CLEANING, "places": 5, "pay_fen": 800_00, "funding": "linkage"})


@pytest.fixture
def person(make_household, personas):
    def make(age=45, village=VILLAGE_A, name="甲", **extra):
        household = make_household(village, caseworker=personas["caseworker_a"],
                                   members=[member_data(name=name, birth_date=_born(age), **extra)])
        return household.members.get()
    return make


def _appoint(post, member, office, **kw):
    return welfare.appoint(post=post, member=member, published_on=kw.get("published_on", PUBLISHED),
                           start=kw.get("start", START), end=END, actor=office)


def _refused(post, member, office, rule: str, field="member"):
    with pytest.raises(ValidationError) as err:
        _appoint(post, member, office)
    messages = " ".join(err.value.message_dict[field])
    assert rule in messages, messages


# --- appointment rules ---------------------------------------------------------------------------

def test_an_eligible_person_is_appointed_with_history(post, person, personas):
    member = person()
    appointment = _appoint(post, member, personas["office"])
    assert appointment.status == AppointmentStatus.PUBLISHED and appointment.pay_fen == 800_00
    assert Change.objects.filter(object_type="welfare_appointment", object_id=str(appointment.pk)).exists()


def test_one_post_per_household(post, personas, make_household):
    household = make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="甲", birth_date=_born(45)),
        member_data(name="乙", relation=choices.Relation.SPOUSE, sex="F", birth_date=_born(40))])
    member, spouse = household.members.get(name="甲"), household.members.get(name="乙")
    first = _appoint(post, member, personas["office"])
    _refused(post, spouse, personas["office"], "每户限一岗")
    # The database holds the rule too.
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(post=post, member=spouse, household=household, region_code=VILLAGE_A,
                                   published_on=PUBLISHED, start=START, end=END, pay_fen=1,
                                   created_by=personas["office"], created_at=first.created_at)


def test_after_an_exit_the_household_may_hold_a_post_again(post, person, personas):
    member = person()
    appointment = _appoint(post, member, personas["office"])
    welfare.appointment_exit(appointment=appointment, reason=ExitReason.SCHOOL, on=START, actor=personas["office"])
    assert _appoint(post, member, personas["office"]).status == AppointmentStatus.PUBLISHED


@pytest.mark.parametrize("age,ok", [(60, True), (61, False), (15, False), (16, True)])
def test_age_by_default(post, person, personas, age, ok):
    member = person(age=age)
    if ok:
        _appoint(post, member, personas["office"])
    else:
        _refused(post, member, personas["office"], "年龄")


def test_age_up_to_65_by_county_setting(post, person, personas, regions):
    county = Region.objects.get(code="370215")
    welfare.rules_set(county=county, actor=personas["county"], data={**welfare.DEFAULT_RULES, "max_age": 65})
    _appoint(post, person(age=65), personas["office"])
    _refused(post, person(age=66, name="丙"), personas["office"], "年龄")
    with pytest.raises(ValidationError) as err:
        welfare.rules_set(county=county, actor=personas["county"], data={**welfare.DEFAULT_RULES, "max_age": 70})
    assert "max_age" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        welfare.rules_set(county=county, actor=personas["office"], data=welfare.DEFAULT_RULES)


def test_village_cadre_family_refused(post, person, personas):
    member = person()
    welfare.bar_add(household=member.household, kind=BarKind.CADRE_FAMILY, actor=personas["office"],
                    note="村主任之妻")
    _refused(post, member, personas["office"], "村干部家属")


def test_state_paid_person_refused_but_not_their_household(post, person, personas):
    member = person()
    welfare.bar_add(household=member.household, member=member, kind=BarKind.STATE_PAID, actor=personas["office"])
    _refused(post, member, personas["office"], "财政供养")


def test_extreme_hardship_refused(post, person, personas):
    _refused(post, person(extreme_hardship=True), personas["office"], "特困")


def test_extreme_hardship_household_category_refused(post, person, personas):
    from bangfu.households.models import HouseholdCategory
    member = person()
    HouseholdCategory.objects.create(household=member.household, category=choices.Category.EXTREME_HARDSHIP)
    _refused(post, member, personas["office"], "特困")


def test_pay_above_minimum_wage_refused(personas, regions):
    with pytest.raises(ValidationError) as err:
        welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=personas["office"], data={
            "post_type": PostType.ROAD, "places": 1, "pay_fen": 1_900_01, "funding": "linkage"})
    assert "最低工资" in " ".join(err.value.message_dict["pay_fen"])
    post = welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=personas["office"], data={
        "post_type": PostType.ROAD, "places": 1, "pay_fen": 1_900_00, "funding": "linkage"})
    assert post.pay_fen == 1_900_00


def test_publicity_days_before_start(post, person, personas):
    with pytest.raises(ValidationError) as err:
        _appoint(post, person(), personas["office"], published_on=START - dt.timedelta(days=2))
    assert "公示" in " ".join(err.value.message_dict["start"])
    appointment = _appoint(post, person(name="丁"), personas["office"], published_on=START - dt.timedelta(days=3))
    with pytest.raises(ValidationError):
        welfare.appointment_start(appointment=appointment, actor=personas["office"],
                                  today=appointment.published_on + dt.timedelta(days=2))
    welfare.appointment_start(appointment=appointment, actor=personas["office"],
                              today=appointment.published_on + dt.timedelta(days=3))


def test_places_and_village(person, personas, regions):
    small = welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=personas["office"], data={
        "post_type": PostType.FOREST, "places": 1, "pay_fen": 500_00, "funding": "solar"})
    _appoint(small, person(), personas["office"])
    _refused(small, person(name="戊"), personas["office"], "名额")
    other = welfare.post_create(village=Region.objects.get(code=VILLAGE_B), actor=personas["office"], data={
        "post_type": PostType.FOREST, "places": 3, "pay_fen": 500_00, "funding": "solar"})
    _refused(other, person(name="己"), personas["office"], "本村")


def test_the_published_list_has_no_id_number_or_phone(post, person, personas):
    member = person(phone="13800138000")
    _appoint(post, member, personas["office"])
    rows = welfare.published_rows(actor=personas["office"], township_code=VILLAGE_A[:9])
    assert rows[0][1] == member.name
    flat = " ".join(map(str, rows[0]))
    assert member.id_number not in flat and "13800138000" not in flat and member.id_number[-4:] not in flat
    sheet = load_workbook(io.BytesIO(welfare.published_export(actor=personas["office"],
                                                              township_code=VILLAGE_A[:9]))).active
    assert [c.value for c in sheet[1]] == list(welfare.PUBLIC_HEADERS)


def test_appointment_only_by_the_office_and_in_scope(post, person, personas):
    with pytest.raises(PermissionDenied):
        _appoint(post, person(), personas["village_a"])
    with pytest.raises(Http404):
        _appoint(post, person(name="庚"), personas["outsider_office"])


def test_exit_needs_a_reason(post, person, personas):
    appointment = _appoint(post, person(), personas["office"])
    with pytest.raises(ValidationError):
        welfare.appointment_exit(appointment=appointment, reason="", on=START, actor=personas["office"])
    done = welfare.appointment_exit(appointment=appointment, reason=ExitReason.NOT_DOING, on=START,
                                    actor=personas["office"])
    assert done.status == AppointmentStatus.EXITED and done.exit_reason == ExitReason.NOT_DOING


# --- attendance and assessment -------------------------------------------------------------------

@pytest.fixture
def serving(post, person, personas):
    appointment = _appoint(post, person(), personas["office"])
    return welfare.appointment_start(appointment=appointment, actor=personas["office"], today=START)


def _days(month: dt.date, n: int):
    return [month + dt.timedelta(days=i) for i in range(n)]


def test_attendance_is_idempotent_by_client_id(serving, personas):
    cadre = personas["village_a"]
    day = LAST_MONTH
    row, written = welfare.attendance_record(appointment=serving, day=day, mark=Mark.PRESENT, actor=cadre,
                                             client_id="c-1")
    again, written_again = welfare.attendance_record(appointment=serving, day=day, mark=Mark.ABSENT,
                                                     actor=cadre, client_id="c-1")
    assert written and not written_again and again.pk == row.pk and again.mark == Mark.PRESENT
    assert Attendance.objects.count() == 1
    # Marked again for the day with a new client id, the mark changes and the row stays one.
    changed, _ = welfare.attendance_record(appointment=serving, day=day, mark=Mark.LEAVE, actor=cadre,
                                           client_id="c-2")
    assert changed.pk == row.pk and changed.mark == Mark.LEAVE and Attendance.objects.count() == 1


def test_attendance_by_the_village_cadre_of_the_village_only(serving, personas):
    with pytest.raises(PermissionDenied):
        welfare.attendance_record(appointment=serving, day=LAST_MONTH, mark=Mark.PRESENT,
                                  actor=personas["caseworker_a"])
    with pytest.raises(Http404):
        welfare.attendance_record(appointment=serving, day=LAST_MONTH, mark=Mark.PRESENT,
                                  actor=personas["outsider_office"])
    with pytest.raises(ValidationError):
        welfare.attendance_record(appointment=serving, day=START - dt.timedelta(days=1), mark=Mark.PRESENT,
                                  actor=personas["village_a"])
    listed = welfare.village_appointees(actor=personas["village_a"], village_code=VILLAGE_A, day=LAST_MONTH)
    assert [a.pk for a, _ in listed] == [serving.pk]


def test_assessment_arithmetic(serving, personas):
    cadre = personas["village_a"]
    # 18 present, 2 absent, 3 on leave: 30 × 18 / 20 = 27.
    for i, day in enumerate(_days(LAST_MONTH, 23)):
        mark = Mark.PRESENT if i < 18 else Mark.ABSENT if i < 20 else Mark.LEAVE
        welfare.attendance_record(appointment=serving, day=day, mark=mark, actor=cadre)
    a = welfare.assess(appointment=serving, month=LAST_MONTH, township_points=Decimal(45), review_points=Decimal(18),
                       actor=personas["office"], deductions="两次缺勤")
    assert (a.village_points, a.total) == (Decimal("27.0"), Decimal("90.0"))
    assert (a.present_days, a.absent_days, a.leave_days) == (18, 2, 3)
    assert welfare.pay_for(base_fen=800_00, total=a.total, ceiling_fen=1_900_00) == 720_00
    with pytest.raises(ValidationError) as err:
        welfare.assess(appointment=serving, month=LAST_MONTH, township_points=Decimal(51),
                       review_points=Decimal(0), actor=personas["office"])
    assert "township_points" in err.value.message_dict
    # Assessed, the month's attendance no longer changes.
    with pytest.raises(ValidationError):
        welfare.attendance_record(appointment=serving, day=LAST_MONTH, mark=Mark.ABSENT, actor=cadre)


def test_weights_by_county_setting(serving, personas):
    welfare.rules_set(county=Region.objects.get(code="370215"), actor=personas["county"],
                      data={**welfare.DEFAULT_RULES, "village_weight": 40, "township_weight": 40, "review_weight": 20})
    for day in _days(LAST_MONTH, 3):
        welfare.attendance_record(appointment=serving, day=day, mark=Mark.PRESENT, actor=personas["village_a"])
    welfare.attendance_record(appointment=serving, day=LAST_MONTH + dt.timedelta(days=3), mark=Mark.ABSENT,
                              actor=personas["village_a"])
    a = welfare.assess(appointment=serving, month=LAST_MONTH, township_points=40, review_points=20,
                       actor=personas["office"])
    assert a.village_points == Decimal("30.0") and a.total == Decimal("90.0")
    with pytest.raises(ValidationError):
        welfare.rules_set(county=Region.objects.get(code="370215"), actor=personas["county"],
                          data={**welfare.DEFAULT_RULES, "village_weight": 40})


def test_village_points_and_due_date():
    assert welfare.village_points({"present": 0, "absent": 0, "leave": 5}, 30) == 0
    assert welfare.village_points({"present": 2, "absent": 1, "leave": 0}, 30) == Decimal("20.0")
    assert welfare.assessment_due(dt.date(2026, 1, 1)) == dt.date(2026, 2, 10)
    assert welfare.assessment_due(dt.date(2026, 12, 1)) == dt.date(2027, 1, 10)


def test_pay_never_above_the_ceiling():
    assert welfare.pay_for(base_fen=800_00, total=Decimal(100), ceiling_fen=700_00) == 700_00
    assert welfare.pay_for(base_fen=800_00, total=Decimal("99.9"), ceiling_fen=1_900_00) == 799_20
    assert welfare.pay_for(base_fen=333, total=Decimal("33.3"), ceiling_fen=1_000) == 110


# --- payroll -------------------------------------------------------------------------------------

@pytest.fixture
def assessed(serving, personas):
    for day in _days(LAST_MONTH, 20):
        welfare.attendance_record(appointment=serving, day=day, mark=Mark.PRESENT, actor=personas["village_a"])
    welfare.assess(appointment=serving, month=LAST_MONTH, township_points=50, review_points=20,
                   actor=personas["office"])
    return serving


def test_payroll_pays_once_a_month(assessed, personas, regions):
    township = Region.objects.get(code=VILLAGE_A[:9])
    payroll = welfare.payroll_prepare(township=township, month=LAST_MONTH, actor=personas["office"])
    line = payroll.lines.get()
    assert line.amount_fen == 800_00 and line.points == Decimal("100.0")
    with pytest.raises(ValidationError):
        welfare.payroll_prepare(township=township, month=LAST_MONTH, actor=personas["office"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PayLine.objects.create(payroll=payroll, appointment=assessed, member_id=assessed.member_id,
                               household_id=assessed.household_id, region_code=VILLAGE_A, month=LAST_MONTH,
                               points=1, base_fen=1, amount_fen=1)
    # Paid, the month's assessment no longer changes.
    with pytest.raises(ValidationError):
        welfare.assess(appointment=assessed, month=LAST_MONTH, township_points=0, review_points=0,
                       actor=personas["office"])


def test_pay_above_the_post_is_refused_by_the_database(assessed, personas, regions):
    payroll = welfare.payroll_prepare(township=Region.objects.get(code=VILLAGE_A[:9]), month=LAST_MONTH,
                                      actor=personas["office"])
    with pytest.raises(IntegrityError), transaction.atomic():
        PayLine.objects.filter(payroll=payroll).update(amount_fen=800_01)


def test_payroll_capped_by_a_lowered_minimum_wage(assessed, personas, regions):
    welfare.rules_set(county=Region.objects.get(code="370215"), actor=personas["county"],
                      data={**welfare.DEFAULT_RULES, "minimum_wage_fen": 600_00})
    payroll = welfare.payroll_prepare(township=Region.objects.get(code=VILLAGE_A[:9]), month=LAST_MONTH,
                                      actor=personas["office"])
    assert payroll.lines.get().amount_fen == 600_00


def test_approval_by_role_and_export_columns_by_role(assessed, personas, regions):
    payroll = welfare.payroll_prepare(township=Region.objects.get(code=VILLAGE_A[:9]), month=LAST_MONTH,
                                      actor=personas["office"])
    with pytest.raises(ValidationError):
        welfare.payroll_export(payroll=payroll, actor=personas["office"])
    for role in ("village_a", "caseworker_a", "county"):
        with pytest.raises(PermissionDenied):
            welfare.payroll_approve(payroll=payroll, actor=personas[role])
    with pytest.raises(Http404):
        welfare.payroll_approve(payroll=payroll, actor=personas["outsider_office"])
    approved = welfare.payroll_approve(payroll=payroll, actor=personas["office"])
    assert approved.status == PayrollStatus.APPROVED
    with pytest.raises(ValidationError):
        welfare.payroll_approve(payroll=payroll, actor=personas["office"])
    member = assessed.member
    from bangfu.core.permissions import can
    for role in ("admin", "office"):
        sheet = load_workbook(io.BytesIO(welfare.payroll_export(payroll=payroll, actor=personas[role]))).active
        rows = [[c.value for c in r] for r in sheet.iter_rows()]
        assert rows[0] == list(welfare.BANK_HEADERS)
        shown = rows[1][2]
        if can(personas[role], "member.reveal_id"):
            assert shown == member.id_number
        else:
            assert shown != member.id_number and member.id_number[:4] not in (shown or "")[4:]
        assert rows[1][7] == 800
    assert Change.objects.filter(object_type="welfare_payroll", action="export").count() == 2


def test_scope_of_reads(assessed, personas, regions):
    from bangfu.work.welfare_models import Payroll, WelfarePost
    welfare.payroll_prepare(township=Region.objects.get(code=VILLAGE_A[:9]), month=LAST_MONTH,
                            actor=personas["office"])
    assert not WelfarePost.objects.visible_to(personas["outsider_office"]).exists()
    assert not Payroll.objects.visible_to(personas["outsider_office"]).exists()
    assert not Appointment.objects.visible_to(personas["caseworker_b"]).exists()
    assert Appointment.objects.visible_to(personas["village_a"]).count() == 1


def test_the_demo_pays_last_month(make_household, personas):
    from bangfu.work.welfare_demo import welfare_demo_load
    from bangfu.work.welfare_models import Payroll
    for i in range(4):
        make_household(caseworker=personas["caseworker_a"], members=[member_data(name=f"公益{i}",
                                                                                 birth_date=_born(40 + i))])
    counts = welfare_demo_load()
    assert counts["appointees"] == 4 and counts["days"] > 0
    payroll = Payroll.objects.get(region_code=VILLAGE_A[:9])
    assert payroll.status == PayrollStatus.APPROVED and payroll.lines.count() == 4
    assert all(0 < line.amount_fen <= line.base_fen for line in payroll.lines.all())
    assert all(len(a.account) == 19 and a.account_tail == a.account[-4:] for a in Appointment.objects.all())


# --- API -----------------------------------------------------------------------------------------

def test_api_attendance_is_idempotent_and_scoped(serving, personas):
    from bangfu.accounts.testing import ApiClient
    api = ApiClient(personas["village_a"])
    body = {"client_id": "phone-1", "appointment": serving.pk, "day": LAST_MONTH.isoformat(), "mark": "present"}
    first = api.post("/api/attendance", body)
    again = api.post("/api/attendance", {**body, "mark": "absent"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["mark"] == "present"
    assert Attendance.objects.count() == 1
    refused = api.post("/api/attendance", {**body, "client_id": "phone-2", "day": (START - dt.timedelta(days=1)).isoformat()})
    assert refused.status_code == 422 and "day" in refused.json()["errors"]
    outside = ApiClient(personas["outsider_office"]).post("/api/attendance", {**body, "client_id": "phone-3"})
    assert outside.status_code == 404
    listed = api.get("/api/appointments").json()
    assert [a["id"] for a in listed] == [serving.pk] and "id_number" not in listed[0]
    assert ApiClient(personas["outsider_office"]).get("/api/appointments").json() == []
    assert len(api.get("/api/welfare-posts").json()) == 1


def test_api_payrolls_in_scope(assessed, personas, regions):
    from bangfu.accounts.testing import ApiClient
    welfare.payroll_prepare(township=Region.objects.get(code=VILLAGE_A[:9]), month=LAST_MONTH,
                            actor=personas["office"])
    mine = ApiClient(personas["office"]).get("/api/payrolls").json()
    assert mine[0]["count"] == 1 and mine[0]["total"] == 800 and mine[0]["status"] == "draft"
    assert ApiClient(personas["outsider_office"]).get("/api/payrolls").json() == []


def test_the_office_adds_a_post_on_its_page(client, personas, regions):
    from django.urls import reverse
    client.force_login(personas["office"])
    url = reverse("work:welfare_post_add")
    refused = client.post(url, {"village": VILLAGE_A, "post_type": "road", "places": "1", "pay_fen": "2000",
                                "funding": "linkage"})
    assert refused.status_code == 200 and "pay_fen" in refused.context["form"].errors
    outside = client.post(url, {"village": "410308103001", "post_type": "road", "places": "1", "pay_fen": "500",
                                "funding": "linkage"})
    assert "village" in outside.context["form"].errors
    done = client.post(url, {"village": VILLAGE_A, "post_type": "road", "places": "2", "pay_fen": "500",
                             "funding": "linkage"})
    assert done.status_code == 302
    from bangfu.work.welfare_models import WelfarePost
    assert WelfarePost.objects.get().pay_fen == 500_00
