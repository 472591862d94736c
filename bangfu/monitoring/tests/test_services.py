"""Leads, identification steps by role, deadlines in Shanghai days, escalation, drops, scope."""

from __future__ import annotations

import datetime as dt
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from openpyxl import load_workbook

from bangfu.core.permissions import PermissionDenied
from bangfu.households import choices
from bangfu.monitoring import exports, queries, services
from bangfu.monitoring.models import Department, Lead, Outcome, Stage
from bangfu.notify.models import Message
from conftest import VILLAGE_A, VILLAGE_B, member_data, person_id

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)  # a Monday


@pytest.fixture
def today(monkeypatch):
    day = {"value": TODAY}
    monkeypatch.setattr(services, "local_today", lambda now=None: day["value"])
    return day


def _lead(personas, household, *, received=TODAY, source="cadre", channel="contact", indicator="大病支出"):
    lead, _created = services.lead_create(actor=personas["office"], client_id=uuid.uuid4(), source=source,
                                          channel=channel, village=household.region, household=household,
                                          indicator=indicator, received_on=received)
    return lead


STEP_DATA = {
    "accept": {},
    "verify": {"cadres": ["王建国", "李秀英"], "findings": "住院花费大"},
    "compare": {"answers": "无车无房"},
    "deliberate": {"meeting_on": TODAY, "attendance": 20, "agreed": True},
    "publicize": {"notice_start": TODAY - dt.timedelta(days=6), "notice_end": TODAY - dt.timedelta(days=1)},
    "review": {"agreed": True},
    "decide": {"agreed": True, "monitor_type": "sudden_hardship", "risks": [choices.Risk.ILLNESS]},
}
WHO = {"accept": "office", "verify": "village_a", "compare": "office", "deliberate": "village_a",
       "publicize": "village_a", "review": "office", "decide": "county"}


def test_the_whole_identification_makes_a_monitored_household(personas, make_household, today):
    household = make_household(VILLAGE_A, wage_income=600000, transfer_income=0)
    lead = _lead(personas, household, source="application", channel="phone")
    assert lead.stage == Stage.LEAD and lead.due_on == TODAY + dt.timedelta(days=2)
    for action in ("accept", "verify", "compare", "deliberate", "publicize", "review", "decide"):
        lead = services.lead_step(lead=lead, actor=personas[WHO[action]], action=action, data=STEP_DATA[action])
    assert lead.stage == Stage.MONITORED and lead.outcome == Outcome.INCLUDED
    household.refresh_from_db()
    assert choices.Category.MONITORED in household.category_values()
    assert household.monitor_type == "sudden_hardship" and household.risks == [choices.Risk.ILLNESS]
    assert lead.income_per_person_fen == 600000  # one member
    assert [s.action for s in lead.steps.all()] == list(WHO)


@pytest.mark.parametrize("action", list(WHO))
def test_every_step_is_refused_to_the_roles_that_may_not_take_it(personas, make_household, today, action):
    household = make_household(VILLAGE_A)
    allowed = {"accept": {"office", "village_a", "admin"}, "verify": {"village_a", "admin"},
               "compare": {"office", "admin"}, "deliberate": {"village_a", "admin"},
               "publicize": {"village_a", "admin"}, "review": {"office", "admin"}, "decide": {"county", "admin"}}
    for name in ("caseworker_a", "office", "village_a", "county"):
        lead = _lead(personas, household, source="application", channel="phone", indicator=f"{action}-{name}")
        order = list(WHO)
        for step in order[:order.index(action)]:
            lead = services.lead_step(lead=lead, actor=personas[WHO[step]], action=step, data=STEP_DATA[step])
        if name in allowed[action]:
            lead = services.lead_step(lead=lead, actor=personas[name], action=action, data=STEP_DATA[action])
            assert lead.stage != Stage(order[order.index(action)] if action != "accept" else "lead")
        else:
            with pytest.raises(PermissionDenied):
                services.lead_step(lead=lead, actor=personas[name], action=action, data=STEP_DATA[action])
            assert Lead.objects.get(pk=lead.pk).version == lead.version


def test_a_step_from_the_wrong_stage_is_refused_and_writes_nothing(personas, make_household, today):
    lead = _lead(personas, make_household(VILLAGE_A))  # a cadre's lead: at home verification
    with pytest.raises(services.StepNotAllowed):
        services.lead_step(lead=lead, actor=personas["office"], action="review", data={"agreed": True})
    with pytest.raises(services.StepNotAllowed):
        services.lead_step(lead=lead, actor=personas["office"], action="accept")
    assert not lead.steps.exists()


def test_verification_needs_two_cadres_and_findings(personas, make_household, today):
    lead = _lead(personas, make_household(VILLAGE_A))
    with pytest.raises(ValidationError) as error:
        services.lead_step(lead=lead, actor=personas["village_a"], action="verify",
                           data={"cadres": ["王建国", "王建国"], "findings": ""})
    assert set(error.value.message_dict) == {"cadres", "findings"}
    assert Lead.objects.get(pk=lead.pk).stage == Stage.VERIFY


def test_a_refused_deliberation_ends_as_not_included_with_its_reason(personas, make_household, today):
    lead = _lead(personas, make_household(VILLAGE_A))
    for action in ("verify", "compare"):
        lead = services.lead_step(lead=lead, actor=personas[WHO[action]], action=action, data=STEP_DATA[action])
    lead = services.lead_step(lead=lead, actor=personas["village_a"], action="deliberate",
                              data={"meeting_on": TODAY, "attendance": 18, "agreed": False, "note": "收入高于监测线"})
    assert lead.stage == Stage.NOT_INCLUDED and lead.outcome == Outcome.NOT_ELIGIBLE
    assert lead.outcome_reason == "收入高于监测线"


def test_each_deadline_counts_shanghai_days(personas, make_household, today, settings):
    household = make_household(VILLAGE_A)
    lead = _lead(personas, household, source="application", channel="in_person")
    assert lead.due_on == TODAY + dt.timedelta(days=2)  # accept within 2 days
    assert lead.identify_by == TODAY + dt.timedelta(days=15)
    today["value"] = TODAY + dt.timedelta(days=1)
    lead = services.lead_step(lead=lead, actor=personas["office"], action="accept")
    assert lead.due_on == TODAY + dt.timedelta(days=1 + 3)  # verify within 3 of the day accepted
    lead = services.lead_step(lead=lead, actor=personas["village_a"], action="verify", data=STEP_DATA["verify"])
    assert lead.due_on == TODAY + dt.timedelta(days=1 + 5)  # compare within 5
    lead = services.lead_step(lead=lead, actor=personas["office"], action="compare", data=STEP_DATA["compare"])
    assert lead.due_on == TODAY + dt.timedelta(days=15)  # the rest by the whole identification's end


def test_local_today_is_the_shanghai_day():
    from bangfu.core.dates import local_today

    # 17:00 UTC on 1 March is 01:00 on 2 March in Shanghai: a lead received then is due by 4 March.
    assert local_today(dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)) == dt.date(2026, 3, 2)
    assert services.due_for(Stage.LEAD, start=dt.date(2026, 3, 2), received_on=dt.date(2026, 3, 2),
                            limits=services.Limits()) == dt.date(2026, 3, 4)


def test_overdue_on_the_day_after_the_due_date_and_coloured(personas, make_household, today):
    lead = _lead(personas, make_household(VILLAGE_A), source="application", channel="phone")
    assert services.colour(lead, TODAY) == "green"
    assert services.colour(lead, TODAY + dt.timedelta(days=1)) == "yellow"
    assert services.colour(lead, TODAY + dt.timedelta(days=2)) == "yellow"
    assert not services.is_overdue(lead, TODAY + dt.timedelta(days=2))
    assert services.is_overdue(lead, TODAY + dt.timedelta(days=3))
    assert services.colour(lead, TODAY + dt.timedelta(days=3)) == "red"


def test_an_overdue_step_is_escalated_once_per_stage(personas, make_household, today):
    lead = _lead(personas, make_household(VILLAGE_A), source="application", channel="phone")
    late = TODAY + dt.timedelta(days=3)
    assert services.leads_escalate(today=late) == 1
    assert services.leads_escalate(today=late) == 0
    assert services.leads_escalate(today=late + dt.timedelta(days=1)) == 0
    assert Message.objects.filter(kind="lead.overdue").count() == 1
    today["value"] = late
    lead = services.lead_step(lead=lead, actor=personas["office"], action="accept")
    # The next step late too: escalated again, once.
    assert services.leads_escalate(today=late + dt.timedelta(days=4)) == 1
    assert services.leads_escalate(today=late + dt.timedelta(days=4)) == 0
    assert Message.objects.filter(kind="lead.overdue").count() == 2
    assert lead.steps.get().in_time is False


def test_a_village_sees_its_own_leads_and_the_county_all(personas, make_household, today):
    a = _lead(personas, make_household(VILLAGE_A))
    b = _lead(personas, make_household(VILLAGE_B))
    assert set(Lead.objects.visible_to(personas["village_a"])) == {a}
    assert set(Lead.objects.visible_to(personas["county"])) == {a, b}
    assert set(Lead.objects.visible_to(personas["outsider_office"])) == set()
    with pytest.raises(Http404):
        services.lead_step(lead=b, actor=personas["village_a"], action="verify", data=STEP_DATA["verify"])


def test_a_lead_is_recorded_once_per_client_id_and_once_per_person_and_reason(personas, make_household, today):
    household = make_household(VILLAGE_A)
    client_id = uuid.uuid4()
    first, created = services.lead_create(actor=personas["office"], client_id=client_id, source="cadre",
                                          channel="contact", village=household.region, household=household,
                                          indicator="大病支出")
    again, created_again = services.lead_create(actor=personas["office"], client_id=client_id, source="cadre",
                                                channel="contact", village=household.region, household=household,
                                                indicator="大病支出")
    assert created and not created_again and first == again
    with pytest.raises(ValidationError) as error:
        _lead(personas, household)
    assert "indicator" in error.value.message_dict


# --- department drops ----------------------------------------------------------------------------

def _row(n, member, amount=None, name=None):
    return services.DropRow(row=n, id_number=member.id_number[:18], name=name or member.name,
                            value=str(amount or ""), amount_fen=None if amount is None else amount * 100)


def test_a_medical_drop_applies_each_threshold_and_reports_every_row(personas, make_household, today):
    poor = make_household(VILLAGE_A)  # registered poor: line 5,000
    other = make_household(VILLAGE_A, categories=[])  # line 20,000
    monitored = make_household(VILLAGE_B, categories=[choices.Category.MONITORED], monitor_type="marginal")
    outsider_id = person_id(area="410308")
    rows = [_row(2, poor.members.get(), 5000), _row(3, other.members.get(), 19999),
            _row(4, other.members.get(), 20000), _row(5, monitored.members.get(), 30000),
            services.DropRow(row=6, id_number=outsider_id, name="外乡人", value="90000", amount_fen=9_000_000),
            _row(7, poor.members.get(), 8000)]
    drop = services.drop_import(actor=personas["office"], department=Department.MEDICAL, rows=rows,
                                file_name="医保.xlsx")
    results = {r["row"]: r["result"] for r in drop.rows}
    assert results == {2: "lead", 3: "below", 4: "lead", 5: "already", 6: "stranger", 7: "duplicate"}
    assert drop.lead_count == 3
    already = Lead.objects.get(drop=drop, drop_row=5)
    assert already.kind == "already_monitored" and already.stage == Stage.ALREADY
    assert Lead.objects.get(drop=drop, drop_row=2).stage == Stage.VERIFY
    # Next month's drop: the same person, same reason, open lead: no second lead.
    again = services.drop_import(actor=personas["office"], department=Department.MEDICAL,
                                 rows=[_row(2, poor.members.get(), 9000)], file_name="医保12月.xlsx")
    assert again.rows[0]["result"] == "duplicate" and again.lead_count == 0
    # Another department may flag the same person.
    civil = services.drop_import(actor=personas["office"], department=Department.CIVIL,
                                 rows=[_row(2, poor.members.get())], file_name="民政.xlsx")
    assert civil.rows[0]["result"] == "lead"


def test_a_drop_matches_only_in_the_uploaders_area(personas, make_household, today):
    household = make_household(VILLAGE_A)
    drop = services.drop_import(actor=personas["outsider_office"], department=Department.DISABILITY,
                                rows=[_row(2, household.members.get())], file_name="残联.xlsx")
    assert drop.rows[0]["result"] == "stranger" and not Lead.objects.exists()


def test_county_thresholds_come_from_its_settings(personas, make_household, regions, today):
    services.settings_set(actor=personas["county"], county=regions["370215"], data={
        "accept_days": 1, "verify_days": 2, "compare_days": 3, "total_days": 10, "medical_poor_fen": 300000,
        "medical_other_fen": 1000000})
    household = make_household(VILLAGE_A)
    drop = services.drop_import(actor=personas["office"], department=Department.MEDICAL,
                                rows=[_row(2, household.members.get(), 3000)], file_name="医保.xlsx")
    lead = Lead.objects.get(drop=drop)
    assert lead.due_on == TODAY + dt.timedelta(days=2) and lead.identify_by == TODAY + dt.timedelta(days=10)
    with pytest.raises(PermissionDenied):
        services.settings_set(actor=personas["office"], county=regions["370215"], data={})


def test_drop_file_errors_name_row_and_column(tmp_path):
    from openpyxl import Workbook

    from bangfu.monitoring.drops import drop_rows

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "自付金额"])
    sheet.append(["张三", "370215197005170011", "6000"])
    sheet.append(["", person_id(), "abc"])
    path = tmp_path / "医保.xlsx"
    book.save(path)
    rows, errors = drop_rows(str(path), Department.MEDICAL)
    assert rows == []
    assert [(e.row, e.column) for e in errors] == [(2, "身份证号"), (3, "姓名"), (3, "自付金额")]


def test_the_outcomes_go_back_to_the_department(personas, make_household, today):
    a = make_household(VILLAGE_A)
    drop = services.drop_import(actor=personas["office"], department=Department.EDUCATION,
                                rows=[_row(2, a.members.get()),
                                      services.DropRow(row=3, id_number=person_id(), name="无名", value="")],
                                file_name="教育.xlsx")
    lead = Lead.objects.get(drop=drop)
    services.lead_step(lead=lead, actor=personas["office"], action="exclude", data={"reason": "已复学"})
    book = load_workbook(io.BytesIO(exports.outcomes_xlsx(drop, queries.drop_outcomes(drop))))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][3:] == ("不符合", "已复学") and rows[2][3] == "未匹配"


# --- the public notice ---------------------------------------------------------------------------

def test_the_public_notice_sheet_holds_no_id_phone_bank_or_health(personas, make_household, today):
    member = member_data(phone="13912345678", health=[choices.Health.SERIOUS])
    household = make_household(VILLAGE_A, members=[member], phone="13812345678")
    lead = _lead(personas, household)
    for action in ("verify", "compare", "deliberate"):
        lead = services.lead_step(lead=lead, actor=personas[WHO[action]], action=action, data=STEP_DATA[action])
    village, leads = queries.notice_list(personas["village_a"], VILLAGE_A)
    assert leads == [lead]
    book = load_workbook(io.BytesIO(exports.notice_xlsx(village, leads)))
    cells = [str(c) for row in book.active.iter_rows(values_only=True) for c in row if c is not None]
    text = " ".join(cells)
    assert household.head_name in text
    for secret in (member["id_number"], member["id_number"][-6:], "13912345678", "13812345678", "5678",
                   str(choices.Health.SERIOUS.value), "银行", "身份证", "电话"):
        assert secret not in text
    with pytest.raises(Http404):
        queries.notice_list(personas["caseworker_b"], VILLAGE_A)
