"""Projects' services: every step by role (allowed and refused), notices in Shanghai days, money
never above what remains, overdue and one escalation, scope, idempotency."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404

from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.notify.models import Message
from bangfu.projects import services
from bangfu.projects.models import LedgerEntry, Notice, Project, Stage
from conftest import VILLAGE_A, VILLAGE_B

pytestmark = pytest.mark.django_db

YEAR_AGO = dt.date.today() - dt.timedelta(days=300)


@pytest.fixture
def clock(monkeypatch):
    """Set the time "now" is (timezone.now, which local_today reads)."""
    from django.utils import timezone

    def move_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment)
    return move_to


def make(personas, regions, *, village=VILLAGE_A, actor="village_a", **kw):
    project, _created = services.project_create(
        name=kw.pop("name", "戴家庄村生产路硬化工程"), type="infrastructure", region=regions[village],
        villages=[regions[village]], budget=kw.pop("budget", {"central": 300_000_00, "province": 100_000_00}),
        meeting_date=dt.date(2026, 3, 2), meeting_attendance=25, meeting_decision="同意申报",
        client_id=kw.pop("client_id", uuid.uuid4()), actor=personas[actor], targets=[("完工率", "100%")], **kw)
    return project


def advance(project, personas, until: str):
    """Take the steps up to `until`, each by the role that takes it, notices posted long ago."""
    plan = [
        ("publish", "village_a", {"notice_start": YEAR_AGO, "place": "村务公开栏"}),
        ("review", "office", {"outcome": "no_objection"}),
        ("approve", "county", {}),
        ("issue", "county", {}),
        ("start", "office", {"contractor": "鑫盛建筑", "started_on": YEAR_AGO, "progress": 10}),
        ("self_check", "village_a", {"notice_start": YEAR_AGO + dt.timedelta(days=30), "place": "村务公开栏"}),
        ("accept", "office", {"outcome": "no_objection"}),
        ("spot_check", "county", {}),
        ("hand_over", "office", {"items": [{"name": "生产路", "value_fen": 400_000_00, "owner_level": "village",
                                            "owner_name": "戴家庄村村民委员会", "keeper": "戴家庄村村民委员会"}]}),
    ]
    for action, who, data in plan:
        if project.stage == until:
            return project
        if project.stage != services.STEPS[action].before:
            continue
        project = services.project_step(project=project, action=action, actor=personas[who], data=data)
    return project


# Who may take each step: (action, the stage it is taken at, allowed personas, refused personas).
BY_ROLE = [
    ("publish", Stage.PROPOSED, ["village_a", "office"], ["county", "caseworker_a"]),
    ("review", Stage.VILLAGE_NOTICE, ["office"], ["village_a", "county", "caseworker_a"]),
    ("approve", Stage.TOWNSHIP_REVIEWED, ["county"], ["office", "village_a"]),
    ("issue", Stage.COUNTY_APPROVED, ["county"], ["office", "village_a"]),
    ("start", Stage.ISSUED, ["village_a", "office"], ["county", "caseworker_a"]),
    ("self_check", Stage.BUILDING, ["village_a", "office"], ["county", "caseworker_a"]),
    ("accept", Stage.SELF_CHECKED, ["office"], ["village_a", "county"]),
    ("spot_check", Stage.TOWNSHIP_ACCEPTED, ["county"], ["office", "village_a"]),
    ("hand_over", Stage.COUNTY_CHECKED, ["office", "county"], ["village_a", "caseworker_a"]),
]
DATA = {
    "publish": {"place": "村务公开栏"}, "review": {"outcome": "no_objection"}, "accept": {"outcome": "no_objection"},
    "start": {"contractor": "鑫盛建筑", "started_on": YEAR_AGO}, "self_check": {"place": "村务公开栏"},
    "hand_over": {"items": [{"name": "生产路", "value_fen": 1, "owner_level": "village", "owner_name": "村委会",
                             "keeper": "村委会"}]},
}
AFTER = {"publish": Stage.VILLAGE_NOTICE, "review": Stage.TOWNSHIP_REVIEWED, "approve": Stage.COUNTY_APPROVED,
         "issue": Stage.ISSUED, "start": Stage.BUILDING, "self_check": Stage.SELF_CHECKED,
         "accept": Stage.TOWNSHIP_ACCEPTED, "spot_check": Stage.COUNTY_CHECKED, "hand_over": Stage.HANDED_OVER}


@pytest.mark.parametrize(("action", "at", "allowed", "refused"), BY_ROLE)
def test_each_step_by_role(personas, regions, action, at, allowed, refused):
    for who in allowed:
        project = advance(make(personas, regions), personas, at)
        assert project.stage == at
        done = services.project_step(project=project, action=action, actor=personas[who], data=DATA.get(action, {}))
        assert done.stage == AFTER[action], who
    project = advance(make(personas, regions), personas, at)
    for who in refused:
        changes = Change.objects.count()
        with pytest.raises(PermissionDenied):
            services.project_step(project=project, action=action, actor=personas[who], data=DATA.get(action, {}))
        project.refresh_from_db()
        assert project.stage == at and Change.objects.count() == changes, who


@pytest.mark.parametrize(("action", "at", "allowed", "refused"), BY_ROLE)
def test_a_step_at_the_wrong_stage_is_refused_with_the_reason(personas, regions, action, at, allowed, refused):
    # A new project is applied for; the step taken there is the only one it allows.
    project = make(personas, regions)
    if at == Stage.PROPOSED:
        project = advance(project, personas, Stage.VILLAGE_NOTICE)
    changes = Change.objects.count()
    with pytest.raises(services.StepRefused) as refused_error:
        services.project_step(project=project, action=action, actor=personas[allowed[0]], data=DATA.get(action, {}))
    assert step_label(action) in refused_error.value.message
    assert Project.objects.get(pk=project.pk).stage == project.stage and Change.objects.count() == changes


def step_label(action: str) -> str:
    return str(services.STEPS[action].label)


def test_the_whole_way_to_handover_leaves_a_handover_list(personas, regions):
    project = advance(make(personas, regions), personas, "done")
    assert project.stage == Stage.HANDED_OVER and project.deadline is None
    item = project.handover.get()
    assert (item.name, item.value_fen, item.owner_level, item.keeper) == ("生产路", 400_000_00, "village", "戴家庄村村民委员会")
    assert [n.stage for n in project.notices.all()] == [Stage.VILLAGE_NOTICE, Stage.SELF_CHECKED]
    assert all(n.closed_at and n.outcome == "no_objection" for n in project.notices.all())


def test_a_notice_runs_seven_shanghai_days_and_cannot_close_before_its_end(personas, regions, clock):
    # 2026-03-01 23:30 in Shanghai is still 15:30 UTC on the same day; the 7 days are 03-01 .. 03-07.
    clock(dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC))
    project = make(personas, regions)
    project = services.project_step(project=project, action="publish", actor=personas["village_a"],
                                    data={"place": "村务公开栏"})
    notice = project.notices.get()
    assert (notice.start, notice.end) == (dt.date(2026, 3, 1), dt.date(2026, 3, 7))
    # 03-07 23:59 Shanghai (15:59 UTC): the last day, still running.
    clock(dt.datetime(2026, 3, 7, 15, 59, tzinfo=dt.UTC))
    with pytest.raises(services.StepRefused, match="2026-03-07"):
        services.project_step(project=project, action="review", actor=personas["office"],
                              data={"outcome": "no_objection"})
    # 03-08 00:01 Shanghai (03-07 16:01 UTC): over.
    clock(dt.datetime(2026, 3, 7, 16, 1, tzinfo=dt.UTC))
    project = services.project_step(project=project, action="review", actor=personas["office"],
                                    data={"outcome": "no_objection"})
    assert project.stage == Stage.TOWNSHIP_REVIEWED


def test_the_self_check_records_the_targets_reached(personas, regions):
    project = advance(make(personas, regions), personas, Stage.BUILDING)
    with pytest.raises(ValidationError) as error:
        services.project_step(project=project, action="self_check", actor=personas["village_a"],
                              data={"place": "公开栏", "actuals": {"受益户数": "40户"}})
    assert "actuals" in error.value.message_dict and not project.notices.filter(stage=Stage.SELF_CHECKED).exists()
    services.project_step(project=project, action="self_check", actor=personas["village_a"],
                          data={"place": "公开栏", "actuals": {"完工率": "100%"}})
    assert project.targets.get().actual == "100%"


def test_upheld_objections_send_the_application_back(personas, regions):
    project = advance(make(personas, regions), personas, Stage.VILLAGE_NOTICE)
    with pytest.raises(ValidationError) as error:
        services.project_step(project=project, action="review", actor=personas["office"], data={"outcome": "upheld"})
    assert "objections" in error.value.message_dict
    project = services.project_step(project=project, action="review", actor=personas["office"],
                                    data={"outcome": "upheld", "objections": "占用耕地未协商"})
    assert project.stage == Stage.PROPOSED
    assert project.notices.get().outcome == "upheld"


def test_payments_never_above_what_remains(personas, regions):
    project = advance(make(personas, regions), personas, Stage.ISSUED)
    assert LedgerEntry.objects.filter(project=project, kind="allocation").count() == 2

    def pay(amount, source="central"):
        return services.payment_create(project=project, source=source, amount_fen=amount, day=dt.date.today(),
                                       payee="鑫盛建筑", client_id=uuid.uuid4(), actor=personas["office"])

    pay(200_000_00)
    with pytest.raises(ValidationError) as error:
        pay(100_000_01)
    assert "100,000.00" in error.value.message_dict["amount"][0]
    pay(100_000_00)
    with pytest.raises(ValidationError):
        pay(1)
    rows = {r.source: r for r in __import__("bangfu.projects.queries", fromlist=["money"]).money(project)}
    assert rows["central"].rate == 100.0 and rows["province"].rate == 0.0
    assert rows[""].paid == 300_000_00 and rows[""].allocated == 400_000_00 and rows[""].rate == 75.0


def test_no_payment_before_funds_are_issued(personas, regions):
    project = advance(make(personas, regions), personas, Stage.COUNTY_APPROVED)
    with pytest.raises(services.StepRefused):
        services.payment_create(project=project, source="central", amount_fen=1, day=dt.date.today(), payee="x",
                                client_id=uuid.uuid4(), actor=personas["office"])
    assert not LedgerEntry.objects.filter(kind="payment").exists()


def test_a_payment_is_stored_once_per_client_id(personas, regions):
    project = advance(make(personas, regions), personas, Stage.ISSUED)
    client_id = uuid.uuid4()
    first, created = services.payment_create(project=project, source="central", amount_fen=5_00, day=dt.date.today(),
                                             payee="x", client_id=client_id, actor=personas["office"])
    again, created_again = services.payment_create(project=project, source="central", amount_fen=5_00,
                                                   day=dt.date.today(), payee="x", client_id=client_id,
                                                   actor=personas["office"])
    assert created and not created_again and first.pk == again.pk
    assert LedgerEntry.objects.filter(kind="payment").count() == 1


def test_a_project_is_created_once_per_client_id(personas, regions):
    client_id = uuid.uuid4()
    first = make(personas, regions, client_id=client_id)
    again = make(personas, regions, client_id=client_id)
    assert first.pk == again.pk and Project.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_payments_at_once_never_pay_above_the_allocation(personas, regions):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    project = advance(make(personas, regions, budget={"central": 100_00}), personas, Stage.ISSUED)
    barrier = threading.Barrier(2)
    outcomes = []

    def pay():
        try:
            barrier.wait()
            services.payment_create(project=project, source="central", amount_fen=60_00, day=dt.date.today(),
                                    payee="x", client_id=uuid.uuid4(), actor=personas["office"])
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=pay) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["paid", "refused"]
    assert sum(LedgerEntry.objects.filter(kind="payment").values_list("amount_fen", flat=True)) == 60_00


def test_overdue_projects_are_escalated_once(personas, regions):
    project = make(personas, regions)
    assert project.deadline == services.local_today() + dt.timedelta(days=30)
    assert services.projects_escalate(today=project.deadline) == 0
    later = project.deadline + dt.timedelta(days=1)
    assert services.projects_escalate(today=later) == 1
    assert services.projects_escalate(today=later) == 0
    messages = Message.objects.filter(kind="project.overdue")
    assert messages.count() == 1 and messages.get().recipient_role == "township_office"
    project.refresh_from_db()
    assert project.is_overdue(later) and project.escalated_at is not None
    # The next step clears the mark: the next stage escalates again when it is late too.
    project = services.project_step(project=project, action="publish", actor=personas["village_a"],
                                    data={"place": "村务公开栏"})
    assert project.escalated_at is None


def test_funds_issued_must_be_started_by_the_county_day(personas, regions, clock):
    clock(dt.datetime(2026, 5, 4, 2, 0, tzinfo=dt.UTC))
    services.deadlines_set(county=regions["370215"], notice_days=5, stage_days=20, start_by_month=8, start_by_day=31,
                           actor=personas["county"])
    project = make(personas, regions)
    project = services.project_step(project=project, action="publish", actor=personas["village_a"],
                                    data={"place": "村务公开栏"})
    assert project.notices.get().end == dt.date(2026, 5, 8)  # 5 days by the county's setting
    clock(dt.datetime(2026, 5, 9, 2, 0, tzinfo=dt.UTC))
    project = advance(project, personas, Stage.ISSUED)
    assert project.deadline == dt.date(2026, 8, 31)
    assert services.projects_escalate(today=dt.date(2026, 9, 1)) == 1
    assert "2026-08-31" in Message.objects.get(kind="project.overdue").subject


def test_scope_a_village_sees_its_projects_the_county_all(personas, regions):
    mine = make(personas, regions)
    near = make(personas, regions, village=VILLAGE_B, actor="office", name="北郝家庄村路灯")
    township = services.project_create(
        name="街道级冷库", type="industry", region=regions["370215010"], villages=[regions[VILLAGE_B]],
        budget={"county": 1_00}, meeting_date=dt.date(2026, 3, 2), meeting_attendance=9, meeting_decision="同意",
        client_id=uuid.uuid4(), actor=personas["office"])[0]
    seen = lambda who: set(Project.objects.visible_to(personas[who]).values_list("pk", flat=True))  # noqa: E731
    assert seen("village_a") == {mine.pk}
    assert seen("caseworker_b") == {near.pk, township.pk}
    assert seen("office") == seen("county") == {mine.pk, near.pk, township.pk}
    assert seen("outsider_office") == set()
    with pytest.raises(Http404):
        services.project_step(project=near, action="publish", actor=personas["village_a"], data={"place": "x"})
    with pytest.raises(Http404):
        services.project_step(project=near, action="publish", actor=personas["outsider_office"], data={"place": "x"})


def test_create_refuses_a_region_or_household_outside_the_area(personas, regions, make_household):
    with pytest.raises(ValidationError) as error:
        make(personas, regions, village=VILLAGE_B)
    assert "region" in error.value.message_dict
    other = make_household(VILLAGE_B)
    with pytest.raises(ValidationError) as error:
        make(personas, regions, households=[other])
    assert "households" in error.value.message_dict
    assert not Project.objects.exists() and not Notice.objects.exists()
