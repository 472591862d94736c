from __future__ import annotations

import datetime as dt

import pytest

from bangfu.households import choices
from conftest import VILLAGE_A, VILLAGE_B, member_data

C = choices.Category


@pytest.fixture
def dibao_home(make_household, personas):
    """A 低保 household of 戴家庄村: the head, and a disabled son at a vocational school."""
    return make_household(
        VILLAGE_A, caseworker=personas["caseworker_a"], categories=[C.MINIMUM_LIVING],
        members=[member_data(name="戴金山"),
                 member_data(name="戴小军", relation=choices.Relation.SON, birth_date=dt.date(2008, 3, 1),
                             school_status=choices.SchoolStatus.VOCATIONAL_2, health=[choices.Health.DISABLED],
                             disability_category="肢体残疾")])


@pytest.fixture
def plain_home(make_household, personas):
    """A household of 北郝家庄村 of no category: entitled to nothing."""
    return make_household(VILLAGE_B, caseworker=personas["caseworker_b"], categories=[C.ELDERLY_ALONE],
                          members=[member_data(name="郝玉兰", sex="F")])
