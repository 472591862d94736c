"""The needs' services: every allowed and forbidden transition for every role (a refused one
writes nothing), deadlines in Beijing time, one escalation per overdue need, scope, idempotency."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from bangfu.core.dates import SHANGHAI
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.needs import services
from bangfu.needs.models import Measure, Need, Status, Summary, Urgency
from bangfu.needs.tests.conftest import action_args
from bangfu.notify.models import Message, Notification
from bangfu.notify.services import messages_deliver

ACTIONS = ["report", "assign", "resolve", "confirm", "reopen"]
STATES = [s.value for s in Status]

# Written out here, not read from the code under test.
ALLOWED_FROM = {
    ("recorded", "report"): "reported",
    ("reported", "assign"): "assigned",
    ("assigned", "assign"): "assigned",
    ("reopened", "assign"): "assigned",
    ("assigned", "resolve"): "resolved",
    ("recorded", "resolve"): "resolved",
    ("resolved", "confirm"): "confirmed",
    ("resolved", "reopen"): "reopened",
}
ROLE_MAY = {
    "admin": set(ACTIONS),
    "county": set(),
    "office": {"assign", "resolve"},
    "village_a": {"report", "resolve", "confirm", "reopen"},
    "caseworker_a": {"report", "resolve", "confirm", "reopen"},
    # In scope by role, but the household is in another village / township: 404.
    "caseworker_b": {"report", "resolve", "confirm", "reopen"},
    "outsider_office": {"assign", "resolve"},
}
IN_SCOPE = {"admin", "county", "office", "village_a", "caseworker_a"}
# Who, besides role and scope, takes a step by their part in the need (the fixtures' need is recorded
# by caseworker_a, the household's caseworker, and assigned to caseworker_a): the office resolves what it
# assigned; the owner resolves their measure; the caseworker resolves the need they kept.
PARTY_MAY = {
    ("recorded", "resolve"): {"caseworker_a"},
    ("assigned", "resolve"): {"admin", "office", "caseworker_a"},
}


def snapshot():
    return (
        list(Need.objects.order_by("pk").values_list(
            "pk", "status", "version", "owner_id", "due_on", "resolved_at", "confirmed_at", "deadline_at")),
        Change.objects.count(),
        list(Measure.objects.order_by("pk").values_list("pk", "done_at", "result", "cost_fen")),
        Message.objects.count(),
    )


@pytest.mark.parametrize("persona", sorted(ROLE_MAY))
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", STATES)
def test_every_transition_for_every_role(state, action, persona, make_need, personas):
    need = make_need(state)
    actor = personas[persona]
    target = ALLOWED_FROM.get((state, action))
    before = snapshot()
    if action not in ROLE_MAY[persona]:
        expected = PermissionDenied
    elif persona not in IN_SCOPE:
        expected = Http404
    elif target is None:
        expected = services.TransitionNotAllowed
    elif (state, action) in PARTY_MAY and persona not in PARTY_MAY[(state, action)]:
        expected = PermissionDenied
    else:
        expected = None
    call = services.TRANSITION_SERVICES[action]
    if expected is not None:
        with pytest.raises(expected):
            call(need=need, actor=actor, **action_args(action, personas))
        assert snapshot() == before, "a refused transition wrote something"
        return
    changes_before = Change.objects.count()
    result = call(need=need, actor=actor, **action_args(action, personas))
    need.refresh_from_db()
    assert result.status == need.status == target
    assert need.version == before[0][-1][2] + 1
    step = Change.objects.filter(object_type="need", object_id=need.pk).order_by("-pk").first()
    assert Change.objects.count() == changes_before + 1
    assert step.actor == actor and step.after["action"] == action and step.after["status"] == target
    assert step.before["status"] == state


def test_refused_state_message_names_state_and_action(make_need, personas):
    need = make_need(Status.CONFIRMED)
    with pytest.raises(services.TransitionNotAllowed) as caught:
        services.need_report(need=need, actor=personas["caseworker_a"])
    assert caught.value.status == "confirmed" and caught.value.action == "report"
    message = str(caught.value.message)
    assert str(Status.CONFIRMED.label) in message and str(services.workflow.ACTIONS["report"]) in message


def test_stale_object_cannot_apply_a_second_transition(make_need, personas):
    """Two users opened the same reported need; the second one's assign sees it already resolved."""
    need = make_need(Status.REPORTED)
    stale = Need.objects.get(pk=need.pk)
    services.need_assign(need=need, actor=personas["office"], **action_args("assign", personas))
    services.need_resolve(need=need, actor=personas["office"], result="done")
    before = snapshot()
    with pytest.raises(services.TransitionNotAllowed):
        services.need_assign(need=stale, actor=personas["office"], **action_args("assign", personas))
    assert snapshot() == before


def test_assign_and_resolve_write_the_measure(make_need, personas):
    need = make_need(Status.REPORTED)
    services.need_assign(need=need, actor=personas["office"], **action_args("assign", personas))
    measure = need.measures.get()
    assert measure.owner == personas["caseworker_a"] and measure.done_at is None
    services.need_resolve(need=need, actor=personas["office"], result="已送到户", cost_fen=12000)
    measure.refresh_from_db()
    assert measure.result == "已送到户" and measure.cost_fen == 12000 and measure.done_by == personas["office"]


def test_assign_refuses_an_owner_from_another_township(make_need, personas):
    need = make_need(Status.REPORTED)
    before = snapshot()
    args = action_args("assign", personas) | {"owner": personas["outsider_office"]}
    with pytest.raises(ValidationError):
        services.need_assign(need=need, actor=personas["office"], **args)
    assert snapshot() == before


def test_assign_many_is_all_or_nothing(make_need, personas):
    ok = make_need(Status.REPORTED)
    done = make_need(Status.CONFIRMED)
    before = snapshot()
    with pytest.raises(services.TransitionNotAllowed):
        services.needs_assign(needs=[ok, done], actor=personas["office"], **action_args("assign", personas))
    assert snapshot() == before
    other = make_need(Status.REPORTED)
    assert services.needs_assign(needs=[ok, other], actor=personas["office"], **action_args("assign", personas)) == 2
    assert set(Need.objects.filter(pk__in=[ok.pk, other.pk]).values_list("status", flat=True)) == {"assigned"}


# --- record ------------------------------------------------------------------------------------

def test_create_is_idempotent_by_client_id(household_a, personas):
    client_id = uuid.uuid4()
    args = {"household": household_a, "category": "medical", "description": "需要陪同就医", "client_id": client_id,
            "actor": personas["caseworker_a"]}
    first, created = services.need_create(**args)
    changes = Change.objects.count()
    again, created_again = services.need_create(**args)
    assert created and not created_again and again.pk == first.pk
    assert Need.objects.count() == 1 and Change.objects.count() == changes


def test_office_records_a_need_already_reported(household_a, personas):
    need, _ = services.need_create(household=household_a, category="water", description="井水浑浊",
                                   client_id=uuid.uuid4(), actor=personas["office"])
    assert need.status == Status.REPORTED and need.reported_at == need.recorded_at


@pytest.mark.parametrize("persona", ["caseworker_b", "outsider_office"])
def test_create_outside_scope_is_404_and_writes_nothing(household_a, personas, persona):
    before = snapshot()
    with pytest.raises(Http404):
        services.need_create(household=household_a, category="other", description="x", client_id=uuid.uuid4(),
                             actor=personas[persona])
    assert snapshot() == before


def test_county_may_not_record(household_a, personas):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.need_create(household=household_a, category="other", description="x", client_id=uuid.uuid4(),
                             actor=personas["county"])
    assert snapshot() == before


def test_visible_to_follows_the_household_scope(make_need, household_b, personas):
    a = make_need()
    b = make_need(household=household_b, actor=personas["caseworker_b"])
    seen = {p: set(Need.objects.visible_to(personas[p]).values_list("pk", flat=True)) for p in personas}
    assert seen["caseworker_a"] == {a.pk} and seen["caseworker_b"] == {b.pk}
    assert seen["office"] == seen["county"] == seen["admin"] == {a.pk, b.pk}
    assert seen["village_a"] == {a.pk} and seen["outsider_office"] == set()


# --- deadlines ---------------------------------------------------------------------------------

def at(text: str) -> dt.datetime:
    """A Beijing wall-clock time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


@pytest.mark.parametrize("recorded, urgency, expected", [
    # Monday 23:30 Beijing (15:30 UTC): seven days end with next Monday, 24:00 Beijing.
    ("2026-11-23 23:30", Urgency.NORMAL, "2026-12-01 00:00"),
    # Half an hour later it is Tuesday in Beijing (still Monday in UTC): one day more.
    ("2026-11-24 00:30", Urgency.NORMAL, "2026-12-02 00:00"),
    ("2026-11-24 00:30", Urgency.URGENT, "2026-11-25 00:30"),
])
def test_deadline_in_shanghai_time(recorded, urgency, expected):
    deadline = services.deadline_compute(urgency=urgency, start=at(recorded), urgent_hours=24, normal_days=7)
    assert deadline == at(expected)
    assert deadline.tzinfo == dt.UTC or deadline.utcoffset() == dt.timedelta(0)


def test_deadline_uses_the_township_settings(household_a, personas, regions, monkeypatch):
    services.deadline_settings_set(township=regions["370215010"], urgent_hours=4, normal_days=3,
                                   actor=personas["office"])
    now = at("2026-11-23 10:00").astimezone(dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    urgent, _ = services.need_create(household=household_a, category="medical", description="发烧", urgency="urgent",
                                     client_id=uuid.uuid4(), actor=personas["caseworker_a"])
    normal, _ = services.need_create(household=household_a, category="other", description="x",
                                     client_id=uuid.uuid4(), actor=personas["caseworker_a"])
    assert urgent.deadline_at == at("2026-11-23 14:00")
    assert normal.deadline_at == at("2026-11-27 00:00")


@pytest.mark.parametrize("persona", ["caseworker_a", "county", "outsider_office"])
def test_deadline_settings_refused(persona, personas, regions):
    expected = Http404 if persona == "outsider_office" else PermissionDenied
    with pytest.raises(expected):
        services.deadline_settings_set(township=regions["370215010"], urgent_hours=4, normal_days=3,
                                       actor=personas[persona])
    assert services.deadline_settings("370215010") == (24, 7)


# --- escalation --------------------------------------------------------------------------------

def test_each_overdue_need_escalates_once(make_need, personas, household_b):
    overdue = make_need(Status.REPORTED, urgency=Urgency.URGENT)
    overdue_b = make_need(Status.RECORDED, household=household_b, actor=personas["caseworker_b"])
    not_yet = make_need(Status.ASSIGNED)
    closed = make_need(Status.RESOLVED, urgency=Urgency.URGENT)
    later = timezone.now() + dt.timedelta(hours=25)
    much_later = timezone.now() + dt.timedelta(days=10)
    messages_deliver()  # the steps' own messages (reported, assigned, resolved: call back)
    Need.objects.filter(pk=not_yet.pk).update(deadline_at=much_later + dt.timedelta(days=1))
    Need.objects.filter(pk=overdue_b.pk).update(deadline_at=later - dt.timedelta(minutes=1))

    assert services.needs_escalate(now=later) == 2
    for _ in range(3):
        assert services.needs_escalate(now=later) == 0
        assert services.needs_escalate(now=much_later) == 0
    assert Message.objects.filter(kind="need.overdue").count() == 2
    assert set(Need.objects.exclude(escalated_at=None).values_list("pk", flat=True)) == {overdue.pk, overdue_b.pk}
    assert Need.objects.get(pk=closed.pk).escalated_at is None

    # Delivered in the app to the township office, not to the office of another township.
    assert messages_deliver(now=later) == 2
    assert messages_deliver(now=much_later) == 0
    inbox = Notification.objects.filter(user=personas["office"], message__kind="need.overdue")
    assert inbox.count() == 2
    assert {n.message.link for n in inbox} == {f"/needs/{overdue.pk}/", f"/needs/{overdue_b.pk}/"}
    assert not Notification.objects.filter(user=personas["outsider_office"]).exists()
    assert "need.resolved" in {n.message.kind for n in Notification.objects.filter(user=personas["caseworker_a"])}
    assert not Notification.objects.filter(user=personas["caseworker_a"], message__kind="need.overdue").exists()
    step = Change.objects.filter(object_type="need", object_id=overdue.pk, actor=None).get()
    assert step.after == {"escalated_at": later.isoformat()}


def test_a_reopened_need_escalates_again_at_its_new_deadline(make_need, personas):
    need = make_need(Status.REPORTED, urgency=Urgency.URGENT)
    later = timezone.now() + dt.timedelta(hours=25)
    assert services.needs_escalate(now=later) == 1
    services.need_assign(need=need, actor=personas["office"], **action_args("assign", personas))
    services.need_resolve(need=need, actor=personas["office"], result="done")
    reopened = services.need_reopen(need=need, actor=personas["caseworker_a"], reason="没有解决")
    assert reopened.escalated_at is None and reopened.deadline_at > need.deadline_at
    assert services.needs_escalate(now=reopened.deadline_at) == 1
    assert Message.objects.filter(kind="need.overdue").count() == 2


# --- summary rows ------------------------------------------------------------------------------

def test_summary_rows_count_open_overdue_and_in_time(make_need, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_need(Status.REPORTED)
        make_need(Status.RESOLVED)
        late = make_need(Status.ASSIGNED)
    Need.objects.filter(pk=late.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.need_resolve(need=late, actor=personas["office"], result="done")
        make_need(Status.RECORDED, category="medical")
    services.summary_refresh(now=timezone.now() + dt.timedelta(days=30))
    rows = {(r.region_code, r.category): r for r in Summary.objects.all()}
    supplies = rows[("370215010001", "living_supplies")]
    assert (supplies.open, supplies.overdue, supplies.resolved, supplies.resolved_in_time) == (1, 1, 2, 1)
    medical = rows[("370215010001", "medical")]
    assert (medical.open, medical.overdue, medical.resolved) == (1, 1, 0)


def test_resolving_tells_the_caseworker_once(make_need, personas):
    need = make_need(Status.RESOLVED)
    message = Message.objects.get(kind="need.resolved")
    assert message.recipient_user == personas["caseworker_a"] and message.link == f"/needs/{need.pk}/"
    services.need_reopen(need=need, actor=personas["caseworker_a"], reason="没有解决")
    services.need_assign(need=need, actor=personas["office"], **action_args("assign", personas))
    services.need_resolve(need=need, actor=personas["office"], result="再次处理")
    assert Message.objects.filter(kind="need.resolved").count() == 2
