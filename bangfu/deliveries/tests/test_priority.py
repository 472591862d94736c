"""优先 on a delivery card means 特困供养, 留守老人 and 重残 (a member disabled who cannot work), not every
special group: a hand-out to the special groups flags only those who cannot fetch goods themselves."""

from __future__ import annotations

import pytest

from bangfu.deliveries.models import Delivery, DeliveryKind, GoodsSource
from bangfu.deliveries.services import DistributionPlan, PlanLine, delivery_create, distribution_create
from bangfu.households.choices import SPECIAL_GROUPS, Category, Health, LaborSkill
from conftest import member_data


@pytest.mark.parametrize("categories, member, reasons", [
    ([Category.EXTREME_HARDSHIP], {}, ["extreme_hardship"]),
    ([Category.ELDERLY_ALONE, Category.MINIMUM_LIVING], {}, ["elderly_alone"]),
    # 重残 from the member's own fields: disabled and unable to work, whatever the categories say.
    ([Category.REGISTERED_POOR], {"health": [Health.DISABLED], "labor_skill": LaborSkill.LOST},
     ["severe_disability"]),
    ([Category.DISABLED], {"health": [Health.DISABLED, Health.CHRONIC], "labor_skill": LaborSkill.NONE},
     ["severe_disability"]),
    # Not priority: disabled but able to work, 低保 alone, a special family, an ordinary household.
    ([Category.DISABLED], {"health": [Health.DISABLED], "labor_skill": LaborSkill.WEAK}, []),
    ([Category.MINIMUM_LIVING], {}, []),
    ([Category.SPECIAL_FAMILY], {}, []),
    ([Category.REGISTERED_POOR], {"labor_skill": LaborSkill.LOST, "health": [Health.SERIOUS]}, []),
])
def test_priority_means_the_groups_that_cannot_fetch_goods(make_household, personas, categories, member, reasons):
    household = make_household(caseworker=personas["caseworker_a"], categories=categories,
                               members=[member_data(**member)])
    errand = delivery_create(household=household, kind=DeliveryKind.ERRAND, description="代买药",
                             actor=personas["office"])
    assert (errand.priority, errand.priority_reasons) == (bool(reasons), reasons)


def test_a_hand_out_to_the_special_groups_flags_only_some(make_household, personas, township, stocked, rice):
    for categories in ([Category.MINIMUM_LIVING], [Category.MINIMUM_LIVING], [Category.DISABLED],
                       [Category.SPECIAL_FAMILY], [Category.ELDERLY_ALONE], [Category.EXTREME_HARDSHIP]):
        make_household(caseworker=personas["caseworker_a"], categories=categories)
    distribution = distribution_create(plan=DistributionPlan(
        township=township, title="慰问大米", lines=[PlanLine(item=rice, quantity=5)], villages=[],
        categories=sorted(SPECIAL_GROUPS)), actor=personas["office"])
    flags = list(Delivery.objects.filter(distribution=distribution).order_by("sequence")
                 .values_list("priority", flat=True))
    assert len(flags) == 6 and sum(flags) == 2
    assert flags[:2] == [True, True]  # and they come first


def test_the_card_says_why(make_household, personas, stocked, rice, client):
    household = make_household(caseworker=personas["caseworker_a"], categories=[Category.ELDERLY_ALONE])
    delivery = delivery_create(household=household, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=5, actor=personas["office"])
    client.force_login(personas["caseworker_a"])
    page = client.get(f"/deliveries/{delivery.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "留守老人" in page


def test_the_preview_lists_households_in_the_order_they_are_served(client, make_household, personas, stocked, rice):
    disabled = make_household(caseworker=personas["caseworker_a"], categories=[Category.DISABLED],
                              members=[member_data(name="郝建国")])
    elderly = make_household(caseworker=personas["caseworker_a"], categories=[Category.ELDERLY_ALONE],
                             members=[member_data(name="王秀英")])
    client.force_login(personas["office"])
    html = client.post("/supplies/distributions/new/", {
        "title": "慰问", "item": rice.pk, "quantity": 5, "preview": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans",
    ).content.decode()
    table = html[html.index('<table class="selection">'):html.index("</table>")]
    # 残疾人 comes before 留守老人 among the special groups, but only 留守老人 is priority: it goes first.
    assert table.index("王秀英") < table.index("郝建国")
    assert table.count("badge-priority") == 1
    distribution = distribution_create(plan=DistributionPlan(
        township=stocked, title="慰问", lines=[PlanLine(item=rice, quantity=5)], villages=[], categories=[]),
        actor=personas["office"])
    assert list(Delivery.objects.filter(distribution=distribution).order_by("sequence")
                .values_list("household_id", flat=True)) == [elderly.pk, disabled.pk]
