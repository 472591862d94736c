"""The other modules' sheets as PDF, read back: a welfare payroll's 发放表 (ID numbers and accounts
masked) and 考勤表 (a column a day), a project stage's 公示."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.briefings.fonts import print_fonts
from bangfu.briefings.tests.helpers import pdf_text
from bangfu.core.dates import local_today
from conftest import VILLAGE_A, member_data

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(print_fonts() is None, reason="no CJK font installed (fonts-noto-cjk)")]


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_payrolls_pay_and_attendance_sheets(personas, make_household, regions):
    from bangfu.work import welfare

    member = member_data(name="孙守岗")
    household = make_household(VILLAGE_A, members=[member])
    office = personas["office"]
    post = welfare.post_create(village=regions[VILLAGE_A], actor=office,
                               data={"post_type": "cleaning", "places": 2, "pay_fen": 800_00, "funding": "linkage"})
    month = (local_today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    appointment = welfare.appoint(post=post, member=household.members.get(), actor=office,
                                  published_on=month - dt.timedelta(days=10), start=month,
                                  end=month + dt.timedelta(days=365))
    welfare.appointment_start(appointment=appointment, actor=office, today=month)
    welfare.attendance_record(appointment=appointment, day=month, mark="present", actor=office)
    welfare.assess(appointment=appointment, month=month, township_points=50, review_points=20, actor=office)
    payroll = welfare.payroll_prepare(township=regions["370215010"], month=month, actor=office)
    client = _client(office)
    pay = pdf_text(client.get(reverse("briefings:payroll_pdf", args=[payroll.pk, "pay"])).content)
    assert "公益性岗位补贴发放表" in pay and "孙守岗" in pay and "合计" in pay
    assert member["id_number"] not in pay and member["id_number"][-2:] in pay
    attendance = pdf_text(client.get(reverse("briefings:payroll_pdf", args=[payroll.pk, "attendance"])).content)
    assert "公益性岗位考勤表" in attendance and "孙守岗" in attendance and "√" in attendance
    assert _client(personas["outsider_office"]).get(
        reverse("briefings:payroll_pdf", args=[payroll.pk, "pay"])).status_code == 404


def test_a_project_stages_notice(personas, regions):
    from bangfu.projects.services import project_create

    project = project_create(name="生产路硬化工程", type="infrastructure", region=regions[VILLAGE_A],
                             villages=[regions[VILLAGE_A]], budget={"central": 10_000_00},
                             meeting_date=local_today(), meeting_attendance=20, meeting_decision="同意申报",
                             client_id=uuid.uuid4(), actor=personas["office"])[0]
    client = _client(personas["office"])
    text = pdf_text(client.get(reverse("briefings:project_notice_pdf", args=[project.pk, "village_notice"])).content)
    assert "生产路硬化工程申报情况公示" in text and "戴家庄村" in text and "10,000.00" in text
    assert client.get(reverse("briefings:project_notice_pdf", args=[project.pk, "nothing"])).status_code == 404
