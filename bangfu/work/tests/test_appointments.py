"""Appointing to public-welfare posts on the office's pages (each rule refused with its reason, and
allowed), exits with a reason, the county's rules kept by the county office, the appointee's bank
card (sealed at rest, masked on the page, in full in the bank's file for those who may see it), and
a hire on a posting recorded as the labourer's month and, in a running drive, as their placement."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bangfu.core.dates import local_today
from bangfu.history.models import Change
from bangfu.regions.models import Region
from bangfu.work import postings, services, welfare
from bangfu.work.models import Activity, Area, LabourStatus, Outcome
from bangfu.work.posting_models import Step
from bangfu.work.welfare_models import Appointment, AppointmentStatus, BarKind, ExitReason, Mark, PostType, WelfareRules
from conftest import VILLAGE_A, VILLAGE_B, member_data

pytestmark = pytest.mark.django_db
TODAY = local_today()
CARD = "6228480012345678901"


def _born(age: int) -> dt.date:
    return dt.date(TODAY.year - age - 1, 1, 1) if (TODAY.month, TODAY.day) < (1, 2) else dt.date(TODAY.year - age, 1, 1)


@pytest.fixture
def post(personas, regions):
    return welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=personas["office"], data={
        "post_type": PostType.ROAD, "places": 3, "pay_fen": 800_00, "funding": "linkage"})


@pytest.fixture
def person(make_household, personas):
    def make(age=45, village=VILLAGE_A, name="甲", **extra):
        household = make_household(village, caseworker=personas["caseworker_a" if village == VILLAGE_A else "caseworker_b"],
                                   members=[member_data(name=name, birth_date=_born(age), **extra)])
        return household.members.get()
    return make


def _body(member, **kw):
    start = kw.pop("start", TODAY + dt.timedelta(days=5))
    return {"member": member.pk, "published_on": TODAY.isoformat(), "start": start.isoformat(),
            "end": (start + dt.timedelta(days=364)).isoformat(), "account": CARD, **kw}


def _errors(response) -> str:
    form = response.context["form"]
    return " ".join(m for ms in form.errors.values() for m in ms)


@pytest.mark.parametrize("case, rule", [
    ("age", "超过本县规定的60岁"),
    ("cadre", "村干部家属"),
    ("state_paid", "财政供养"),
    ("hardship", "特困"),
    ("household", "每户限一岗"),
    ("publicity", "公示"),
])
def test_each_rule_refused_on_the_page_with_its_reason(case, rule, client, post, person, personas):
    office = personas["office"]
    member = person(age=62 if case == "age" else 45, extreme_hardship=(case == "hardship"))
    if case == "cadre":
        welfare.bar_add(household=member.household, kind=BarKind.CADRE_FAMILY, actor=office)
    if case == "state_paid":
        welfare.bar_add(household=member.household, kind=BarKind.STATE_PAID, member=member, actor=office)
    if case == "household":
        other = welfare.post_create(village=Region.objects.get(code=VILLAGE_A), actor=office, data={
            "post_type": PostType.CLEANING, "places": 1, "pay_fen": 500_00, "funding": "linkage"})
        welfare.appoint(post=other, member=member, published_on=TODAY, start=TODAY + dt.timedelta(days=5),
                        end=TODAY + dt.timedelta(days=300), actor=office)
    client.force_login(office)
    body = _body(member, start=TODAY + dt.timedelta(days=1)) if case == "publicity" else _body(member)
    response = client.post(reverse("work:welfare_appoint", args=[post.pk]), body)
    assert response.status_code == 200
    assert rule in _errors(response)
    assert not Appointment.objects.filter(post=post).exists()


def test_appointed_on_the_page_with_the_card_sealed_and_masked(client, post, person, personas):
    member = person(age=60)  # 60 is within the default rule
    client.force_login(personas["office"])
    page = client.get(reverse("work:welfare_appoint", args=[post.pk]))
    assert page.status_code == 200 and member.name in page.content.decode()
    response = client.post(reverse("work:welfare_appoint", args=[post.pk]), _body(member))
    appointment = Appointment.objects.get(post=post)
    assert response.status_code == 302 and response["Location"] == reverse("work:welfare_appointment",
                                                                             args=[appointment.pk])
    raw = Appointment.objects.filter(pk=appointment.pk).values_list("account_encrypted", flat=True).get()
    assert CARD not in raw and appointment.account == CARD and appointment.account_tail == CARD[-4:]
    shown = client.get(response["Location"]).content.decode()
    assert f"****{CARD[-4:]}" in shown and CARD not in shown
    # History keeps the tail, never the number.
    change = Change.objects.get(object_type="welfare_appointment")
    assert CARD not in str(change.after) and CARD[-4:] in str(change.after)


def test_a_person_of_another_village_is_not_offered(client, post, person, personas):
    outsider = person(village=VILLAGE_B, name="乙")
    client.force_login(personas["office"])
    response = client.post(reverse("work:welfare_appoint", args=[post.pk]), _body(outsider))
    assert "岗位所在村" in _errors(response)


def test_the_age_limit_raised_to_65_by_the_county_on_its_page(client, post, person, personas):
    member = person(age=63)
    client.force_login(personas["office"])
    assert client.post(reverse("work:welfare_rules"), {}).status_code == 403
    client.force_login(personas["county"])
    url = reverse("work:welfare_rules")
    good = {"max_age": "65", "minimum_wage_fen": "2100", "village_weight": "30", "township_weight": "40",
            "review_weight": "30", "publicity_days": "5"}
    too_old = client.post(url, {**good, "max_age": "66"})
    assert too_old.status_code == 200 and "max_age" in too_old.context["form"].errors
    not_100 = client.post(url, {**good, "review_weight": "20"})
    assert "合计须为100分" in _errors(not_100)
    assert client.post(url, good).status_code == 302
    rules = WelfareRules.objects.get(county_id="370215")
    assert (rules.max_age, rules.minimum_wage_fen, rules.township_weight, rules.publicity_days) == (65, 2100_00, 40, 5)
    assert "2100" in client.get(url).content.decode() or "2,100" in client.get(url).content.decode()
    client.force_login(personas["office"])
    assert client.post(reverse("work:welfare_appoint", args=[post.pk]),
                       _body(member, start=TODAY + dt.timedelta(days=5))).status_code == 302
    # The office reads the rules without a form.
    page = client.get(url).content.decode()
    assert "<form method=\"post\"" not in page and "65" in page


def test_exit_with_a_reason_on_the_page_frees_the_household(client, post, person, personas):
    office = personas["office"]
    member = person()
    appointment = welfare.appoint(post=post, member=member, published_on=TODAY - dt.timedelta(days=10),
                                  start=TODAY - dt.timedelta(days=5), end=TODAY + dt.timedelta(days=300),
                                  actor=office)
    client.force_login(office)
    client.post(reverse("work:welfare_start", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SERVING
    url = reverse("work:welfare_exit", args=[appointment.pk])
    client.post(url, {"exited_on": TODAY.isoformat(), "version": appointment.version})  # no reason
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SERVING
    # The village cadre may not record an exit.
    client.force_login(personas["village_a"])
    assert client.post(url, {"exit_reason": ExitReason.SCHOOL, "exited_on": TODAY.isoformat()}).status_code == 403
    client.force_login(office)
    client.post(url, {"exit_reason": ExitReason.ARMY, "exited_on": TODAY.isoformat(), "version": appointment.version})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.exit_reason, appointment.exited_on) == (
        AppointmentStatus.EXITED, ExitReason.ARMY, TODAY)
    assert "服兵役" in client.get(reverse("work:welfare_appointment", args=[appointment.pk])).content.decode() or \
        "Joined the army" in client.get(reverse("work:welfare_appointment", args=[appointment.pk])).content.decode()
    # The household may hold a post again.
    assert welfare.appointment_refusals(post=post, member=member, start=TODAY + dt.timedelta(days=5)) == []


def test_the_card_changed_on_the_page_and_paid_to_in_the_bank_file(client, post, person, personas, regions):
    office = personas["office"]
    month = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    appointment = welfare.appoint(post=post, member=person(), published_on=month - dt.timedelta(days=10),
                                  start=month, end=month + dt.timedelta(days=365), actor=office)
    welfare.appointment_start(appointment=appointment, actor=office, today=month)
    client.force_login(office)
    url = reverse("work:welfare_account", args=[appointment.pk])
    client.post(url, {"account": "12ab"})
    appointment.refresh_from_db()
    assert appointment.account == ""
    client.post(url, {"account": CARD, "version": appointment.version})
    appointment.refresh_from_db()
    assert appointment.account == CARD
    welfare.attendance_record(appointment=appointment, day=month, mark=Mark.PRESENT, actor=office)
    welfare.assess(appointment=appointment, month=month, township_points=50, review_points=20, actor=office)
    payroll = welfare.payroll_prepare(township=Region.objects.get(code=VILLAGE_A[:9]), month=month, actor=office)
    line = payroll.lines.get()
    assert line.id_number == appointment.member.id_number
    change = Change.objects.get(object_type="welfare_pay_line", object_id=str(line.pk))
    assert change.action == "create" and change.after["amount_fen"] == line.amount_fen
    welfare.payroll_approve(payroll=payroll, actor=office)
    from bangfu.core.permissions import can
    for role in ("admin", "office"):
        sheet = load_workbook(io.BytesIO(welfare.payroll_export(payroll=payroll, actor=personas[role]))).active
        row = [c.value for c in list(sheet.iter_rows())[1]]
        expected = CARD if can(personas[role], "member.reveal_id") else f"****{CARD[-4:]}"
        assert row[3] == expected
    screen = client.get(reverse("work:welfare_payroll", args=[payroll.pk])).content.decode()
    assert CARD not in screen


def test_a_hire_sets_the_month_and_the_running_drives_placement(personas, make_household, regions):
    office, caseworker = personas["office"], personas["caseworker_a"]
    township = Region.objects.get(code=VILLAGE_A[:9])
    member = make_household(caseworker=caseworker, members=[member_data(name="返", birth_date=_born(30))]).members.get()
    services.status_record(member=member, actor=office, data={
        "month": dt.date(TODAY.year - 1, 12, 1), "activity": Activity.MIGRANT, "place_code": "44"})
    drive = services.drive_create(township=township, title="返岗", start=TODAY - dt.timedelta(days=3),
                                  end=TODAY + dt.timedelta(days=30), rule="migrant_last_year", actor=office)
    old = services.drive_create(township=township, title="去年", start=TODAY - dt.timedelta(days=400),
                                end=TODAY - dt.timedelta(days=370), rule="migrant_last_year", actor=office)
    posting = postings.posting_create(township=township, actor=office, data={
        "employer": "东莞某厂", "title": "普工", "openings": 5, "place_code": "441900", "place_name": "东莞",
        "wage_min": 500000, "contact": "李 0769-1234567", "valid_until": TODAY + dt.timedelta(days=30)})
    postings.referral_record(posting=posting, member=member, step=Step.TOLD, actor=caseworker)
    assert drive.targets.get(member=member).outcome == Outcome.PENDING
    postings.referral_record(posting=posting, member=member, step=Step.HIRED, actor=caseworker)
    status = LabourStatus.objects.get(member=member, month=TODAY.replace(day=1))
    assert (status.activity, status.area, status.employer) == (Activity.MIGRANT, Area.OUTSIDE_PROVINCE, "东莞某厂")
    placed = drive.targets.get(member=member)
    assert (placed.outcome, placed.returned_on, placed.area) == (Outcome.RETURNED, TODAY, Area.OUTSIDE_PROVINCE)
    assert placed.subsidy_fen == services.subsidy_amounts("370215")[Area.OUTSIDE_PROVINCE] > 0
    assert Change.objects.filter(object_type="placement", object_id=str(placed.pk)).exists()
    # A drive that has ended keeps what it recorded.
    if old.targets.filter(member=member).exists():
        assert old.targets.get(member=member).outcome == Outcome.PENDING


def test_a_drive_outcome_sent_again_by_a_phone_answers_the_stored_row(personas, make_household, regions):
    from bangfu.accounts.testing import ApiClient
    office = personas["office"]
    township = Region.objects.get(code=VILLAGE_A[:9])
    member = make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="再", birth_date=_born(35))]).members.get()
    services.status_record(member=member, actor=office, data={
        "month": dt.date(TODAY.year - 1, 12, 1), "activity": Activity.MIGRANT, "place_code": "44"})
    drive = services.drive_create(township=township, title="返岗", start=TODAY, end=TODAY, rule="migrant_last_year",
                                  actor=office)
    target = drive.targets.get(member=member)
    api = ApiClient(personas["caseworker_a"])
    body = {"outcome": "returned", "returned_on": TODAY.isoformat(), "place_code": "440300", "place_name": "深圳",
            "transport": "chartered", "reason": "", "version": target.version}
    first = api.post(f"/api/drives/targets/{target.pk}", body)
    again = api.post(f"/api/drives/targets/{target.pk}", body)
    assert (first.status_code, again.status_code) == (200, 200)
    assert Change.objects.filter(object_type="placement", object_id=str(target.pk), action="update").count() == 1
    # Another outcome on the old version is a conflict.
    assert api.post(f"/api/drives/targets/{target.pk}", {**body, "outcome": "not_going", "returned_on": None,
                                                         "reason": "家中有事"}).status_code == 409
