"""Fixtures for needs: two households in two villages, and needs brought to any state through the
services."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from bangfu.core.dates import local_today
from bangfu.needs import services
from bangfu.needs.models import Category, MeasureType, Status, Urgency
from conftest import VILLAGE_A, VILLAGE_B, member_data


@pytest.fixture
def household_a(make_household, personas):
    return make_household(VILLAGE_A, caseworker=personas["caseworker_a"], members=[member_data(name="逄珍波")])


@pytest.fixture
def household_b(make_household, personas):
    return make_household(VILLAGE_B, caseworker=personas["caseworker_b"], members=[member_data(name="郝建国")])


def assign_args(personas) -> dict:
    return {
        "measure_type": MeasureType.SUPPLIES, "plan": "送米面油各一份", "owner": personas["caseworker_a"],
        "due_on": local_today() + dt.timedelta(days=2),
    }


# Action arguments besides need and actor, by action.
def action_args(action: str, personas) -> dict:
    return {
        "report": {},
        "assign": assign_args(personas),
        "resolve": {"result": "已送到户", "cost_fen": 12000},
        "confirm": {},
        "reopen": {"reason": "户主说还没收到"},
    }[action]


# The path to each state, from a recorded need; (action, persona) per step.
PATHS = {
    Status.RECORDED: [],
    Status.REPORTED: [("report", "caseworker_a")],
    Status.ASSIGNED: [("report", "caseworker_a"), ("assign", "office")],
    Status.RESOLVED: [("report", "caseworker_a"), ("assign", "office"), ("resolve", "office")],
    Status.CONFIRMED: [("report", "caseworker_a"), ("assign", "office"), ("resolve", "office"),
                       ("confirm", "caseworker_a")],
    Status.REOPENED: [("report", "caseworker_a"), ("assign", "office"), ("resolve", "office"),
                      ("reopen", "caseworker_a")],
}


@pytest.fixture
def make_need(personas, household_a):
    def make(status: str = Status.RECORDED, *, household=None, urgency=Urgency.NORMAL,
             category=Category.LIVING_SUPPLIES, actor=None, description="家里米面油不够了"):
        need, _created = services.need_create(
            household=household or household_a, category=category, description=description, urgency=urgency,
            client_id=uuid.uuid4(), actor=actor or personas["caseworker_a"],
        )
        for action, persona in PATHS[status]:
            # The caseworker's steps are taken by the household's own caseworker.
            actor = need.household.caseworker if persona == "caseworker_a" else personas[persona]
            args = action_args(action, personas)
            if action == "assign":  # to the household's caseworker, who sees it
                args["owner"] = need.household.caseworker
            need = services.TRANSITION_SERVICES[action](need=need, actor=actor, **args)
        assert need.status == status
        return need

    return make
