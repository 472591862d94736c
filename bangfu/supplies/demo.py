"""Demo supplies for 蓝村街道: donations received into stock, some issued at the office, a count
adjusted. (The hand-out and the deliveries drawing on this stock: bangfu.deliveries.demo.)

Everything goes through the services (so the ledger, balances and history are the real thing), by
the township office. Deterministic."""

from __future__ import annotations

from importlib import import_module

from bangfu.accounts.models import User
from bangfu.regions.models import Region
from bangfu.supplies.models import Item
from bangfu.supplies.services import stock_adjust, stock_issue, stock_receive

RECEIVED = [  # item, quantity, source
    ("口罩", 6000, "即墨区新冠肺炎疫情防控指挥部调拨"),
    ("消毒液", 300, "爱心企业捐赠"),
    ("大米", 1500, "即墨区民政局调拨"),
    ("面粉", 800, "爱心企业捐赠"),
    ("食用油", 150, "蓝村商会捐赠"),
    ("蔬菜", 600, "蓝村蔬菜种植合作社捐赠"),
    ("大米", 500, "爱心人士捐赠"),
]


def supplies_demo_load(*, township_code: str = "370215010", office_username: str = "lancun") -> None:
    township = Region.objects.get(code=township_code)
    office = User.objects.get(username=office_username)
    # The shared items come with the migrations; a wiped database (bangfu demo --wipe) lost them.
    for name, kind, unit in import_module("bangfu.supplies.migrations.0002_default_items").DEFAULTS:
        Item.objects.get_or_create(township=None, name=name, defaults={"kind": kind, "unit": unit})
    items = {item.name: item for item in Item.objects.for_township(township_code)}

    for name, quantity, source in RECEIVED:
        stock_receive(township=township, item=items[name], quantity=quantity, source=source, actor=office)
    stock_issue(township=township, item=items["口罩"], quantity=1200, note="各村疫情防控卡口领取", actor=office)
    stock_adjust(township=township, item=items["蔬菜"], quantity=-25, reason="部分蔬菜腐烂，报损", actor=office)
