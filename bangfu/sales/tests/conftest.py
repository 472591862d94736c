"""Fixtures for produce and sales: a cooperative and its morels in 戴家庄村, a household's tomatoes
in 北郝家庄村, a canteen recorded by the township and a unit recorded by the county."""

from __future__ import annotations

import pytest

from bangfu.sales.services import buyer_create, cooperative_create, product_create
from conftest import VILLAGE_A, VILLAGE_B


@pytest.fixture
def goods(personas, regions, make_household):
    office = personas["office"]
    cooperative = cooperative_create(village=regions[VILLAGE_A], name="戴家庄食用菌合作社", contact="0532-1234567",
                                     actor=office)
    morels = product_create(village=regions[VILLAGE_A], name="羊肚菌", category="mushrooms", unit="斤",
                            cooperative=cooperative, actor=office)
    grower = make_household(VILLAGE_B)
    tomatoes = product_create(village=regions[VILLAGE_B], name="大棚西红柿", category="vegetables", unit="公斤",
                              household=grower, actor=office)
    canteen = buyer_create(name="蓝村街道机关食堂", kind="canteen", actor=office)
    unit = buyer_create(name="即墨区人民医院", kind="agency", region=regions["370215"], actor=personas["admin"])
    return {"cooperative": cooperative, "morels": morels, "tomatoes": tomatoes, "grower": grower,
            "canteen": canteen, "unit": unit}
