"""Handoffs that happen without being remembered: where a new need goes (the office at once, or
the caseworker who keeps it), who is told at each step, who resolves, and what each person's day
lists; the need's page offering the next step as a form; the assign forms."""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.casework.worklist import worklist_for
from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.needs import services
from bangfu.needs.models import Category, Measure, Need, Status
from bangfu.needs.tests.conftest import action_args, assign_args
from bangfu.needs.tests.test_casework import contact_post
from bangfu.notify.models import Message, Notification
from bangfu.notify.services import messages_deliver


def _create(household, actor, **kwargs) -> Need:
    need, _created = services.need_create(household=household, category=Category.MEDICAL,
                                          description="老人腿疼走不了路", client_id=uuid.uuid4(), actor=actor,
                                          **kwargs)
    return need


def _told(user) -> list[str]:
    messages_deliver()
    return sorted(Notification.objects.filter(user=user).values_list("message__kind", flat=True))


# --- where a new need goes ----------------------------------------------------------------------

def test_a_need_recorded_by_someone_else_goes_to_the_office_and_the_caseworker_is_told(household_a, personas):
    need = _create(household_a, personas["village_a"])
    assert need.status == Status.REPORTED and need.reported_at is not None
    assert _told(personas["office"]) == ["need.reported"]
    assert _told(personas["caseworker_a"]) == ["need.raised"]
    assert _told(personas["outsider_office"]) == [] and _told(personas["village_a"]) == []
    raised = Message.objects.get(kind="need.raised")
    assert raised.link == reverse("needs:detail", args=[need.pk]) and "老人腿疼走不了路" in raised.body


def test_the_caseworkers_own_need_waits_with_them_unless_reported(household_a, personas):
    kept = _create(household_a, personas["caseworker_a"])
    assert kept.status == Status.RECORDED and not Message.objects.exists()
    sent = _create(household_a, personas["caseworker_a"], report=True)
    assert sent.status == Status.REPORTED
    assert _told(personas["office"]) == ["need.reported"] and _told(personas["caseworker_a"]) == []
    # The office's need is reported whatever it asks.
    assert _create(household_a, personas["office"], report=False).status == Status.REPORTED


def test_a_retried_create_tells_no_one_twice(household_a, personas):
    client_id = uuid.uuid4()
    for _ in range(2):
        services.need_create(household=household_a, category=Category.OTHER, description="x", client_id=client_id,
                             actor=personas["village_a"])
    assert Message.objects.count() == 2  # the office's and the caseworker's, once each


# --- each step tells who acts next --------------------------------------------------------------

def test_each_step_tells_the_person_who_acts_next(make_need, personas):
    need = make_need(Status.RECORDED)
    services.need_report(need=need, actor=personas["caseworker_a"])
    assert _told(personas["office"]) == ["need.reported"]
    services.need_assign(need=need, actor=personas["office"], **assign_args(personas))
    assert _told(personas["caseworker_a"]) == ["need.assigned"]
    assigned = Message.objects.get(kind="need.assigned")
    assert assigned.recipient_user == personas["caseworker_a"] and "送米面油各一份" in assigned.body
    services.need_resolve(need=need, actor=personas["office"], result="已送到户")
    assert _told(personas["caseworker_a"]) == ["need.assigned", "need.resolved"]
    services.need_reopen(need=need, actor=personas["caseworker_a"], reason="还没收到")
    assert _told(personas["office"]) == ["need.reopened", "need.reported"]


def test_the_owner_resolves_their_measure_and_no_one_else_but_the_office(make_need, personas):
    need = make_need(Status.ASSIGNED)  # to caseworker_a
    before = (Need.objects.get(pk=need.pk).version, Change.objects.count(), Measure.objects.filter(done_at=None).count())
    with pytest.raises(PermissionDenied):
        services.need_resolve(need=need, actor=personas["village_a"], result="办了")
    assert (Need.objects.get(pk=need.pk).version, Change.objects.count(),
            Measure.objects.filter(done_at=None).count()) == before
    done = services.need_resolve(need=need, actor=personas["caseworker_a"], result="已陪同就医")
    assert done.status == Status.RESOLVED and Measure.objects.get(need=need).done_by == personas["caseworker_a"]
    # They resolved it themselves: no "call back" message to themselves.
    assert not Message.objects.filter(kind="need.resolved").exists()


def test_a_kept_need_is_resolved_by_its_keeper_then_confirmed(make_need, personas):
    need = make_need(Status.RECORDED)
    with pytest.raises(PermissionDenied):
        services.need_resolve(need=need, actor=personas["office"], result="x")
    services.need_resolve(need=need, actor=personas["caseworker_a"], result="帮忙买了药")
    assert services.need_confirm(need=need, actor=personas["caseworker_a"]).status == Status.CONFIRMED


def test_an_owner_who_cannot_see_the_household_is_refused_on_the_field(make_need, personas):
    need = make_need(Status.REPORTED)
    before = (Need.objects.get(pk=need.pk).version, Measure.objects.count(), Message.objects.count())
    with pytest.raises(ValidationError) as caught:
        services.need_assign(need=need, actor=personas["office"], **(assign_args(personas) | {
            "owner": personas["caseworker_b"]}))
    assert "owner" in caught.value.message_dict
    assert (Need.objects.get(pk=need.pk).version, Measure.objects.count(), Message.objects.count()) == before


# --- each person's day -------------------------------------------------------------------------

def _keys(user) -> dict[str, list[int]]:
    return {s.key: [n.pk for n in s.items] for s in worklist_for(user, local_today()) if s.key.startswith("needs")}


def test_each_persons_day_lists_what_waits_for_them(make_need, personas, household_b):
    kept = make_need(Status.RECORDED)
    reported = make_need(Status.REPORTED)
    assigned = make_need(Status.ASSIGNED)
    resolved = make_need(Status.RESOLVED)
    elsewhere = make_need(Status.REPORTED, household=household_b, actor=personas["caseworker_b"])
    assert _keys(personas["office"]) == {"needs_to_assign": [reported.pk, elsewhere.pk]}
    assert _keys(personas["outsider_office"]) == {}
    assert _keys(personas["caseworker_a"]) == {
        "needs_assigned": [assigned.pk], "needs_to_confirm": [resolved.pk], "needs_not_reported": [kept.pk]}
    assert _keys(personas["caseworker_b"]) == {}


def test_the_offices_day_page_lists_needs_to_assign(client, make_need, personas):
    need = make_need(Status.REPORTED, description="屋顶漏雨要修")
    client.force_login(personas["office"])
    response = client.get(reverse("casework:worklist"))
    assert response.status_code == 200
    html = response.content.decode()
    section = html.split('id="section-needs_to_assign"')[1].split("</section>")[0]
    assert "待分派的诉求" in section and "屋顶漏雨要修" in section
    assert reverse("needs:detail", args=[need.pk]) in section
    assert reverse("casework:worklists") in html  # the caseworkers' days, one tap away
    client.force_login(personas["county"])
    assert client.get(reverse("casework:worklist"))["Location"] == reverse("casework:worklists")


# --- the need's page and the assign forms ------------------------------------------------------

def test_the_needs_page_offers_the_next_step_as_a_form(client, make_need, personas):
    need = make_need(Status.REPORTED)
    client.force_login(personas["office"])
    html = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    form = html.split('id="next-action"')[1].split("</section>")[0]
    assert f'action="{reverse("needs:act", args=[need.pk, "assign"])}"' in form
    # No measure chosen for the office; the household's caseworker proposed as the owner.
    assert '<option value="" selected>---------</option>' in form.split('name="measure_type"')[1].split("</select>")[0]
    owner = form.split('name="owner"')[1].split("</select>")[0]
    assert f'<option value="{personas["caseworker_a"].pk}" selected>' in owner
    # The owner sees the resolve form; another caseworker of the village does not.
    services.need_assign(need=need, actor=personas["office"], **assign_args(personas))
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert f'action="{reverse("needs:act", args=[need.pk, "resolve"])}"' in html
    client.force_login(personas["village_a"])
    html = client.get(reverse("needs:detail", args=[need.pk])).content.decode()
    assert 'id="next-action"' not in html and reverse("needs:act", args=[need.pk, "resolve"]) not in html


def test_assign_without_measure_or_owner_names_both(client, make_need, personas):
    need = make_need(Status.REPORTED)
    client.force_login(personas["office"])
    response = client.post(reverse("needs:act", args=[need.pk, "assign"]), {
        "plan": "上门看看", "due_on": local_today().isoformat()})
    html = response.content.decode()
    assert response.status_code == 200 and "请选择帮扶措施。" in html and "请选择责任人。" in html
    assert Need.objects.get(pk=need.pk).status == Status.REPORTED


def test_bulk_assign_offers_only_assignable_needs(client, make_need, personas):
    recorded = make_need(Status.RECORDED)
    reported = make_need(Status.REPORTED)
    resolved = make_need(Status.RESOLVED)
    client.force_login(personas["office"])
    board = client.get(reverse("needs:board"), {"status": "all"}).content.decode()
    assert f'name="need" value="{reported.pk}"' in board
    assert f'name="need" value="{recorded.pk}"' not in board and f'name="need" value="{resolved.pk}"' not in board
    page = client.get(reverse("needs:assign_bulk"), {"need": [recorded.pk, reported.pk, resolved.pk]})
    assert [n.pk for n in page.context["needs"]] == [reported.pk]
    assert {n.pk for n in page.context["left_out"]} == {recorded.pk, resolved.pk}
    html = page.content.decode()
    assert "当前状态不能分派" in html and f'type="hidden" name="need" value="{recorded.pk}"' not in html
    args = assign_args(personas)
    response = client.post(reverse("needs:assign_bulk"), {
        "need": [recorded.pk, reported.pk], "measure_type": "health", "plan": "上门", "owner": args["owner"].pk,
        "due_on": args["due_on"].isoformat()})
    assert response.status_code == 302
    assert Need.objects.get(pk=reported.pk).status == Status.ASSIGNED
    assert Need.objects.get(pk=recorded.pk).status == Status.RECORDED
    # Nothing assignable: no form to fill at all.
    page = client.get(reverse("needs:assign_bulk"), {"need": [recorded.pk]})
    assert 'name="measure_type"' not in page.content.decode()


# --- a need heard on a call --------------------------------------------------------------------

def test_a_need_heard_on_a_call_is_reported_as_the_call_is_saved(client, household_a, personas):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("casework:contact_add", args=[household_a.pk]), contact_post(**{
        "need-category": "living_supplies", "need-description": "家里米面油只够两天"}), follow=True)
    need = Need.objects.get()
    assert need.status == Status.REPORTED and need.contact is not None
    assert "诉求已上报乡镇扶贫办。" in response.content.decode()
    assert _told(personas["office"]) == ["need.reported"]


def test_a_need_the_caseworker_solves_stays_with_them_and_says_so(client, household_a, personas):
    client.force_login(personas["caseworker_a"])
    response = client.post(reverse("casework:contact_add", args=[household_a.pk]), contact_post(**{
        "need-category": "errand", "need-description": "帮忙代买降压药", "need-solve_myself": "on"}), follow=True)
    need = Need.objects.get()
    assert need.status == Status.RECORDED and "帮扶责任人自行解决" in need.description
    assert "诉求留在您这里自行解决" in response.content.decode()
    assert not Message.objects.exists()
    assert _keys(personas["caseworker_a"]) == {"needs_not_reported": [need.pk]}


@pytest.mark.parametrize("action", ["report", "assign", "resolve", "confirm", "reopen"])
def test_a_refused_step_tells_no_one(action, make_need, personas):
    need = make_need(Status.CONFIRMED)
    actor = personas["office" if action in ("assign", "resolve") else "caseworker_a"]
    count = Message.objects.count()
    with pytest.raises(services.TransitionNotAllowed):
        services.TRANSITION_SERVICES[action](need=need, actor=actor, **action_args(action, personas))
    assert Message.objects.count() == count


def test_the_messages_are_in_the_deployments_language_whoever_took_the_step(household_a, personas):
    from django.utils import translation

    with translation.override("en"):
        need = _create(household_a, personas["village_a"], urgency="urgent")
        need = services.need_assign(need=need, actor=personas["office"], **assign_args(personas))
        services.need_resolve(need=need, actor=personas["office"], result="已送米面油")
    subjects = dict(Message.objects.values_list("kind", "subject"))
    assert subjects["need.reported"].startswith("紧急｜待分派诉求：") and "就医" in subjects["need.reported"]
    assert subjects["need.raised"].startswith("您包保的农户有新诉求")
    assert subjects["need.assigned"].startswith("分派给您：")
    assert subjects["need.resolved"].startswith("已办结，请回访：")


def test_the_office_is_not_offered_to_keep_a_need_it_records_on_a_call(client, household_a, personas):
    client.force_login(personas["office"])
    url = reverse("casework:contact_add", args=[household_a.pk])
    assert 'name="need-solve_myself"' not in client.get(url).content.decode()
    client.post(url, contact_post(**{"need-category": "other", "need-description": "问低保政策",
                                     "need-solve_myself": "on"}))
    need = Need.objects.get()
    assert need.status == Status.REPORTED and "自行解决" not in need.description
