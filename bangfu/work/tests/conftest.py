"""Fixtures for the work app: households of village A with labourers of every kind."""

from __future__ import annotations

import datetime as dt

import pytest

from bangfu.core.dates import local_today
from bangfu.households import choices
from conftest import VILLAGE_B, member_data


def _birth(age: int) -> dt.date:
    today = local_today()
    return dt.date(today.year - age, 3, 1)


@pytest.fixture
def home(make_household, personas):
    """A household of village A: the head (45, ordinary labour), a spouse (40, no labour) and a son
    (70, too old)."""
    return make_household(caseworker=personas["caseworker_a"], members=[
        member_data(name="戴明", birth_date=_birth(45), labor_skill=choices.LaborSkill.ORDINARY),
        member_data(name="王芳", relation=choices.Relation.SPOUSE, sex="F", birth_date=_birth(40),
                    labor_skill=choices.LaborSkill.NONE),
        member_data(name="戴老汉", relation=choices.Relation.FATHER, birth_date=_birth(70), labor_skill=choices.LaborSkill.WEAK),
    ])


@pytest.fixture
def worker(home):
    return home.members.get(name="戴明")


@pytest.fixture
def neighbour(make_household, personas):
    """A labourer of village B (the same township, another caseworker's village)."""
    household = make_household(VILLAGE_B, caseworker=personas["caseworker_b"],
                                members=[member_data(name="郝强", birth_date=_birth(30))])
    return household.members.get()


@pytest.fixture
def migrants(make_household, personas):
    """Eight labourers of village A, each in a household of their own."""
    return [make_household(caseworker=personas["caseworker_a"],
                           members=[member_data(name=f"外出{i}", birth_date=_birth(25 + i))]).members.get()
            for i in range(8)]
