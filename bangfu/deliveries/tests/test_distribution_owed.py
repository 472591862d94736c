"""A distribution shows the households an earlier distribution still owes goods: in the plan's
preview (before anything is written) and on the new plan's page; shares delivered are not owed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.deliveries.models import Delivery
from bangfu.deliveries.queries import earlier_outstanding
from bangfu.deliveries.services import (
    DistributionPlan,
    PlanLine,
    delivery_complete,
    delivery_fail,
    distribution_create,
)
from bangfu.households.choices import Category as C
from conftest import member_data


@pytest.fixture
def first_round(make_household, personas, township, stocked, rice):
    """Three households in a first distribution: one delivered, one failed, one still waiting."""
    names = ("逄珍波", "郝建国", "王秀英")
    households = [make_household(caseworker=personas["caseworker_a"], categories=[C.REGISTERED_POOR],
                                 members=[member_data(name=name)]) for name in names]
    first = distribution_create(plan=DistributionPlan(township=township, title="第一批大米",
                                                      lines=[PlanLine(item=rice, quantity=10)],
                                                      villages=[], categories=[]), actor=personas["office"])
    shares = {d.household_id: d for d in Delivery.objects.filter(distribution=first)}
    delivery_complete(delivery=shares[households[0].pk], received_by="本人", actor=personas["caseworker_a"])
    delivery_fail(delivery=shares[households[1].pk], reason="家中无人", actor=personas["caseworker_a"])
    return first, households


def test_the_goods_still_owed_are_the_shares_not_delivered(first_round, township):
    first, households = first_round
    owed = earlier_outstanding(township, [h.pk for h in households])
    assert set(owed) == {households[1].pk, households[2].pk}
    assert [(d.distribution_id, d.status) for d in owed[households[1].pk]] == [(first.pk, "failed")]
    assert [(d.distribution_id, d.status) for d in owed[households[2].pk]] == [(first.pk, "assigned")]
    # A plan's own shares are not owed "from an earlier" one.
    assert earlier_outstanding(township, [h.pk for h in households], exclude=first) == {}


def test_the_preview_and_the_new_plans_page_show_them(client, first_round, personas, rice):
    first, households = first_round
    client.force_login(personas["office"])
    url = reverse("deliveries:distribution_plan")
    data = {"title": "第二批大米", "item": rice.pk, "quantity": 5, "villages": [], "categories": [],
            "client_id": "plan-2"}
    html = client.post(url, {**data, "preview": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2 户还有上一批发放未送到的物资" in html
    assert html.count("第一批大米: 大米 10kg") == 2
    confirmed = client.post(url, {**data, "confirm": "1"})
    page = client.get(confirmed["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    owed = page[page.index('id="owed"'):page.index("</section>", page.index('id="owed"'))]
    assert "郝建国" in owed and "王秀英" in owed and "逄珍波" not in owed
    assert "未送达" in owed and "已分派" in owed
    # The first plan's page owes nothing from an earlier one.
    assert 'id="owed"' not in client.get(reverse("deliveries:distribution", args=[first.pk])).content.decode()
