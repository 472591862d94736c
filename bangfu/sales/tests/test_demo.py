"""The demo sales: 送庄镇's morels and greenhouse vegetables and 蓝村街道's strawberries, found by
name, stored once when loaded again."""

from __future__ import annotations

from bangfu.sales import queries
from bangfu.sales.demo import sales_demo_load
from bangfu.sales.models import Channel, Product, Sale


def test_the_demo_sells_songzhuangs_morels_and_lancuns_strawberries(personas, regions, make_household):
    make_household("410308103001", actor=personas["admin"])
    first = sales_demo_load(weeks=4)
    assert first["送庄镇"] > 15 and first["蓝村街道"] > 2 and first["stored"] == first["送庄镇"] + first["蓝村街道"]
    assert sales_demo_load(weeks=4)["stored"] == first["stored"]  # loaded again: nothing new
    morels = Product.objects.get(name="羊肚菌（鲜品）")
    assert morels.region_code == "410308103001" and morels.cooperative is not None
    channels = {line.key for line in queries.by_channel(queries.sales_for(personas["outsider_office"]))}
    assert {Channel.CANTEEN, Channel.PLATFORM_832, Channel.BUDGET_UNIT} <= channels
    assert not Sale.objects.filter(region_code__startswith="370215").exclude(product__name="大棚草莓").exists()
    assert all(s.amount > 0 for s in Sale.objects.all())
