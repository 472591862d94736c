"""Demo produce and sales: 送庄镇's morels (羊肚菌: fresh from the village's morel greenhouses, dried by
the cooperative) and its vegetable greenhouses' tomatoes and cucumbers (each greenhouse an asset of the
assets demo, named as the product's producer) sold over the last four months to the units' canteens,
budget units and the 832 platform, and some of 蓝村街道's strawberries. Townships and villages are
found by name; through the services, by each township's office; deterministic (the same sales each
time, stored once by their client ids)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from bangfu.accounts.models import User
from bangfu.assets.models import Asset, AssetKind
from bangfu.core.codes import Level
from bangfu.core.dates import local_today
from bangfu.core.permissions import Role
from bangfu.households.models import Household
from bangfu.regions.models import Region
from bangfu.sales.models import Buyer, Cooperative, Product, Sale
from bangfu.sales.services import buyer_create, cooperative_create, product_create, sale_record

SONGZHUANG, LANCUN = "送庄镇", "蓝村街道"
WEEKS = 17  # about four months of weekly sales

# (name, kind) recorded by the township office.
BUYERS = {
    SONGZHUANG: (("孟津区人民医院职工食堂", "canteen"), ("送庄镇机关食堂", "canteen"), ("孟津区教育局", "agency"),
                 ("832平台", "platform"), ("洛阳市农贸批发市场", "market"), ("助农直播间", "person")),
    LANCUN: (("蓝村街道机关食堂", "canteen"), ("即墨区农业农村局", "agency")),
}
# (product, category, unit, village name or its place in the township, producer, price per unit in fen,
#  [(buyer, channel, quantity per sale, every n weeks)])
PLANS = {
    SONGZHUANG: (
        ("羊肚菌（鲜品）", "mushrooms", "斤", ("送庄社区居民委员会", 0), "cooperative", 8000, [
            ("孟津区人民医院职工食堂", "canteen", 30, 1), ("832平台", "platform_832", 50, 2),
            ("助农直播间", "livestream", 20, 4)]),
        ("羊肚菌（干品）", "mushrooms", "斤", ("送庄社区居民委员会", 0), "cooperative", 60000, [
            ("孟津区教育局", "budget_unit", 5, 4), ("832平台", "platform_832", 8, 3)]),
        ("大棚西红柿", "vegetables", "公斤", ("梁凹村村民委员会", 2), "household", 600, [
            ("送庄镇机关食堂", "canteen", 80, 1), ("洛阳市农贸批发市场", "supermarket", 300, 2)]),
        ("大棚黄瓜", "vegetables", "公斤", ("梁凹村村民委员会", 2), "household", 400, [
            ("送庄镇机关食堂", "canteen", 60, 1), ("孟津区人民医院职工食堂", "canteen", 50, 2)]),
    ),
    LANCUN: (
        ("大棚草莓", "fruit", "斤", ("戴家庄村", 0), "household", 1500, [
            ("蓝村街道机关食堂", "canteen", 40, 2), ("即墨区农业农村局", "budget_unit", 60, 4)]),
    ),
}


# The greenhouse (an asset of the assets demo, found by name in the product's village) that produces a
# product; where it is missing, the product's producer is the one PLANS names.
GREENHOUSES = {
    "羊肚菌（鲜品）": "送庄村羊肚菌大棚（12座）",
    "大棚西红柿": "梁凹村蔬菜大棚（8座）",
    "大棚黄瓜": "梁凹村蔬菜大棚（8座）",
}


def _township(name: str) -> Region | None:
    return Region.objects.filter(level=Level.TOWNSHIP, name=name).order_by("code").first()


def _village(township: Region, name: str, place: int) -> Region | None:
    villages = list(Region.objects.filter(level=Level.VILLAGE, parent=township).order_by("code"))
    found = next((v for v in villages if v.name == name), None)
    return found or (villages[min(place, len(villages) - 1)] if villages else None)


def _load(township: Region, office: User, today: dt.date, weeks: int) -> int:
    buyers = {}
    for name, kind in BUYERS[township.name]:
        buyers[name] = (Buyer.objects.filter(region=township, name=name).first()
                        or buyer_create(name=name, kind=kind, actor=office))
    made = 0
    monday = today - dt.timedelta(days=today.weekday())
    for p, (name, category, unit, (village_name, place), producer, price, lines) in enumerate(PLANS[township.name]):
        village = _village(township, village_name, place)
        if village is None:
            continue
        households = list(Household.objects.filter(region=village).order_by("number")[:8])
        product = Product.objects.filter(village=village, name=name).first()
        if product is None:
            cooperative = None
            asset = (Asset.objects.filter(village=village, kind=AssetKind.GREENHOUSE, name=GREENHOUSES[name])
                     .order_by("pk").first() if name in GREENHOUSES else None)
            if producer == "cooperative" and asset is None:
                co_name = f"{township.name}羊肚菌种植专业合作社"
                cooperative = (Cooperative.objects.filter(village=village, name=co_name).first()
                               or cooperative_create(village=village, name=co_name, contact="合作社办公室",
                                                     actor=office))
            household = households[0] if producer == "household" and households and asset is None else None
            product = product_create(village=village, name=name, category=category, unit=unit, actor=office,
                                     cooperative=cooperative, asset=asset, household=household)
        # A cooperative or a greenhouse works for more households than those named (from the stored product:
        # the same sales on a second run).
        extra = 2 if product.cooperative_id or product.asset_id else 0
        for week in range(weeks, -1, -1):
            for k, (buyer, channel, quantity, every) in enumerate(lines):
                if week % every:
                    continue
                day = monday - dt.timedelta(weeks=week) + dt.timedelta(days=(p + k) % 5)
                if day > today:
                    continue
                amount_qty = Decimal(quantity + (week * 7 + p * 3 + k) % 11)
                benefiting = households[(week + k) % max(len(households), 1):][:3] if households else []
                sale_record(product=product, buyer=buyers[buyer], channel=channel, quantity=amount_qty,
                            amount=int(amount_qty * price), sold_on=day, households=benefiting,
                            beneficiary_households=len(benefiting) + extra,
                            client_id=f"demo-sale-{village.code}-{p}-{k}-{week}", actor=office)
                made += 1
    return made


def sales_demo_load(*, today: dt.date | None = None, weeks: int = WEEKS) -> dict[str, int]:
    """The sales of 送庄镇 and 蓝村街道, where they are in the tree: {township name: sales}."""
    today = today or local_today()
    found = {}
    for name in (SONGZHUANG, LANCUN):
        township = _township(name)
        office = (User.objects.filter(role=Role.TOWNSHIP_OFFICE, region=township, is_active=True).order_by("pk")
                  .first() if township else None)
        if township is None or office is None:
            continue
        found[name] = _load(township, office, today, weeks)
    found["stored"] = Sale.objects.count()
    return found
