"""Demo deliveries for 蓝村街道, drawing on the demo's stock (bangfu.supplies.demo): a hand-out of rice
to the special groups partly delivered, and deliveries and errands for the caseworker of the report
(孙磊, `sunlei`).

Everything goes through the services (so the ledger, balances and history are the real thing), by
the township office and the caseworkers. Deterministic: it picks households in a fixed order."""

from __future__ import annotations

from bangfu.accounts.models import User
from bangfu.deliveries.models import Delivery, DeliveryKind, GoodsSource
from bangfu.deliveries.services import (
    DistributionPlan,
    PlanLine,
    delivery_complete,
    delivery_create,
    delivery_fail,
    distribution_create,
)
from bangfu.households.choices import SPECIAL_GROUPS
from bangfu.households.models import Household
from bangfu.regions.models import Region
from bangfu.supplies.models import Item

# Of the rice hand-out, the share delivered so far (the rest is still on its way).
DELIVERED_SHARE = 0.6


def deliveries_demo_load(*, township_code: str = "370215010", office_username: str = "lancun",
                         caseworker_username: str = "sunlei") -> dict[str, int]:
    township = Region.objects.get(code=township_code)
    office = User.objects.get(username=office_username)
    items = {item.name: item for item in Item.objects.for_township(township_code)}

    distribution = distribution_create(plan=DistributionPlan(
        township=township, title="疫情期间特殊群体生活物资发放（大米）", lines=[PlanLine(item=items["大米"], quantity=10)],
        villages=[], categories=sorted(SPECIAL_GROUPS), note="人在家中坐、货物送上门",
    ), actor=office)
    shares = list(Delivery.objects.filter(distribution=distribution).select_related("caseworker", "household",
                                                                                    "item").order_by("sequence"))
    assigned = [delivery for delivery in shares if delivery.caseworker_id]  # the others wait for the office
    delivered = int(len(assigned) * DELIVERED_SHARE)
    for delivery in assigned[:delivered]:
        delivery_complete(delivery=delivery, received_by=delivery.household.head_name or "本人",
                          actor=delivery.caseworker)
    if len(assigned) > delivered:
        failed = assigned[delivered]
        delivery_fail(delivery=failed, reason="户主住院治疗，家中无人，待出院后再送", actor=failed.caseworker)

    caseworker = User.objects.get(username=caseworker_username)
    mine = list(Household.objects.filter(caseworker=caseworker).order_by("number")[:4])
    requests = [
        {"kind": DeliveryKind.GOODS, "source": GoodsSource.BOUGHT, "description": "代购降压药（硝苯地平缓释片）两盒",
         "cost": 3680},
        {"kind": DeliveryKind.ERRAND, "description": "代缴本月电费"},
        {"kind": DeliveryKind.GOODS, "source": GoodsSource.STOCK, "item": items["口罩"], "quantity": 20},
        {"kind": DeliveryKind.GOODS, "source": GoodsSource.STOCK, "item": items["消毒液"], "quantity": 2},
        {"kind": DeliveryKind.GOODS, "source": GoodsSource.STOCK, "item": items["蔬菜"], "quantity": 5},
    ]
    made = []
    for n, fields in enumerate(requests):
        if not mine:
            break
        made.append(delivery_create(household=mine[n % len(mine)], actor=caseworker, **fields))
    if len(made) >= 4:
        delivery_complete(delivery=made[3], received_by="本人", actor=caseworker)
    return {"deliveries": Delivery.objects.count(), "distribution_households": len(shares), "delivered": delivered}
