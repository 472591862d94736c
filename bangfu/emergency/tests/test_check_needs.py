"""A need raised by a daily check goes straight to the township office, whoever checked, carrying
the check's answers and note, and the household's caseworker is told: a fever (one need a person a
day) or a household that says it needs help (one need a household a day, none besides a fever's)."""

from __future__ import annotations

import uuid

import pytest

from bangfu.core.dates import local_today
from bangfu.emergency.models import HealthCheck
from bangfu.emergency.services import check_submit, checks_generate
from bangfu.needs.models import Category, Need, Status, Urgency
from bangfu.notify.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def home(make_household, personas):
    return make_household(caseworker=personas["caseworker_a"])


def _submit(home, actor, *, degrees="36.5", **answers):
    checks_generate()
    check = HealthCheck.objects.get(household=home, day=local_today())
    head = home.members.get()
    kwargs = {"disinfection": True, "symptoms": False, "supplies_enough": True, "help_needed": False, "note": ""}
    return check_submit(check=check, actor=actor, client_id=str(uuid.uuid4()), temperatures={f"m{head.pk}": degrees},
                        **(kwargs | answers))


def test_a_volunteers_fever_is_reported_with_the_answers_and_the_caseworker_told(emergency, home, personas,
                                                                                  volunteer_a):
    _submit(home, volunteer_a, degrees="37.8", symptoms=True, help_needed=True, note="户主发热伴咳嗽")
    need = Need.objects.get()
    assert (need.status, need.category, need.urgency) == (Status.REPORTED, Category.MEDICAL, Urgency.URGENT)
    assert need.reported_at is not None and need.recorded_by == volunteer_a
    for said in ("37.8 °C", "有无症状：是", "是否需要帮助：是", "户主发热伴咳嗽"):
        assert said in need.description, said
    kinds = dict(Message.objects.values_list("kind", "recipient_user__username"))
    assert kinds == {"fever_alert": None, "need.reported": None, "need.raised": "caseworker_a"}


def test_the_caseworkers_own_fever_check_is_reported_too(emergency, home, personas):
    _submit(home, personas["caseworker_a"], degrees="38.2")
    need = Need.objects.get()
    assert need.status == Status.REPORTED
    # The caseworker checked: no one tells them what they saw.
    assert not Message.objects.filter(kind="need.raised").exists()


def test_help_needed_without_fever_is_a_reported_need_once_a_day(emergency, home, personas, volunteer_a):
    _submit(home, volunteer_a, help_needed=True, supplies_enough=False, note="家里没米了")
    _submit(home, volunteer_a, help_needed=True, supplies_enough=False, note="家里没米了，已经两天")  # corrected
    need = Need.objects.get()
    assert (need.status, need.category) == (Status.REPORTED, Category.OTHER)
    assert "家里没米了" in need.description and "物资是否够用：否" in need.description
    assert Message.objects.filter(kind="need.raised", recipient_user=personas["caseworker_a"]).count() == 1


def test_a_well_household_that_needs_no_help_raises_no_need(emergency, home, volunteer_a):
    _submit(home, volunteer_a)
    assert not Need.objects.exists()
