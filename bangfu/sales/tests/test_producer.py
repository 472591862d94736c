"""A product's producer may be a producing asset (a greenhouse, a workshop) of the product's village:
at most one producer (the database's constraint, the form, the service), the asset of the same
village and seen by the user, shown in the products list, the API and the history; and the demo's
morels come from the assets demo's greenhouse."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from bangfu.accounts.testing import ApiClient
from bangfu.assets.models import AssetClass, AssetKind, OwnerLevel
from bangfu.assets.services import asset_create
from bangfu.history.models import Change
from bangfu.sales.demo import sales_demo_load
from bangfu.sales.models import Product
from bangfu.sales.services import product_create
from conftest import VILLAGE_A, VILLAGE_B, VILLAGE_OTHER

pytestmark = pytest.mark.django_db


def _asset(regions, actor, *, village=VILLAGE_A, name="戴家庄村蔬菜大棚", kind=AssetKind.GREENHOUSE):
    return asset_create(name=name, asset_class=AssetClass.OPERATING, kind=kind, village=regions[village],
                        value_fen=1_000_000, owner_level=OwnerLevel.VILLAGE, owner_name="村股份经济合作社",
                        keeper="村委会", actor=actor)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_database_refuses_two_producers(goods, personas, regions):
    house = _asset(regions, personas["office"])
    product = goods["morels"]  # a cooperative's
    with transaction.atomic(), pytest.raises(IntegrityError):
        Product.objects.filter(pk=product.pk).update(asset=house)
    tomatoes = goods["tomatoes"]  # a household's
    with transaction.atomic(), pytest.raises(IntegrityError):
        Product.objects.filter(pk=tomatoes.pk).update(asset=house)
    Product.objects.filter(pk=product.pk).update(cooperative=None, asset=house)  # one producer: stored
    assert Product.objects.get(pk=product.pk).producer == "戴家庄村蔬菜大棚"


def test_a_greenhouse_produces_a_product_on_the_page_and_in_the_api_and_history(goods, personas, regions):
    office = personas["office"]
    house = _asset(regions, office)
    client = _client(office)
    form = client.get(reverse("sales:product_create")).content.decode()
    assert "戴家庄村蔬菜大棚" in form
    response = client.post(reverse("sales:product_create"), {
        "name": "大棚黄瓜", "category": "vegetables", "unit": "公斤", "village": VILLAGE_A, "asset": house.pk})
    assert response.status_code == 302, response.content.decode()
    product = Product.objects.get(name="大棚黄瓜")
    assert (product.asset, product.producer, product.household, product.cooperative) == (house, house.name, None, None)
    assert "戴家庄村蔬菜大棚" in client.get(reverse("sales:products")).content.decode()
    listed = {p["name"]: p for p in ApiClient(office).get("/api/sales/products").json()}
    assert listed["大棚黄瓜"]["asset"] == house.pk and listed["大棚黄瓜"]["producer"] == "戴家庄村蔬菜大棚"
    assert listed["羊肚菌"]["asset"] is None
    change = Change.objects.get(object_type="sales_product", object_id=product.pk)
    assert change.after["asset"] == "戴家庄村蔬菜大棚"


def test_the_form_refuses_two_producers_another_villages_asset_and_an_unseen_one(goods, personas, regions):
    office = personas["office"]
    house_a = _asset(regions, office)
    house_b = _asset(regions, office, village=VILLAGE_B, name="北郝家庄村大棚")
    station = _asset(regions, office, name="戴家庄村光伏电站", kind=AssetKind.PV_STATION)
    client = _client(office)
    base = {"name": "西红柿", "category": "vegetables", "unit": "公斤", "village": VILLAGE_A}

    def errors(user_client, **data):
        response = user_client.post(reverse("sales:product_create"), {**base, **data})
        assert response.status_code == 200
        return response.context["form"].errors

    assert "asset" in errors(client, asset=house_a.pk, cooperative=goods["cooperative"].pk)
    assert "asset" in errors(client, asset=house_a.pk, household=goods["grower"].number)
    assert "asset" in errors(client, asset=house_b.pk)  # another village's greenhouse
    assert "asset" in errors(client, asset=station.pk)  # a PV station is not offered: it produces no goods
    # The cadre of 戴家庄村 does not see 北郝家庄村's greenhouse: not offered, refused.
    cadre = _client(personas["village_a"])
    assert "北郝家庄村大棚" not in cadre.get(reverse("sales:product_create")).content.decode()
    assert "asset" in errors(cadre, asset=house_b.pk)
    assert not Product.objects.filter(name="西红柿").exists()


def test_the_service_refuses_what_the_form_refuses(goods, personas, regions):
    office = personas["office"]
    house_b = _asset(regions, office, village=VILLAGE_B, name="北郝家庄村大棚")
    station = _asset(regions, office, name="戴家庄村光伏电站", kind=AssetKind.PV_STATION)
    outside = _asset(regions, personas["outsider_office"], village=VILLAGE_OTHER, name="送庄村大棚")
    kwargs = {"name": "西红柿", "category": "vegetables", "unit": "公斤"}
    for village, asset, actor in ((VILLAGE_A, house_b, office), (VILLAGE_A, station, office),
                                  (VILLAGE_B, house_b, personas["village_a"]), (VILLAGE_A, outside, office)):
        with pytest.raises(ValidationError):
            product_create(village=regions[village], asset=asset, actor=actor, **kwargs)
    with pytest.raises(ValidationError):
        product_create(village=regions[VILLAGE_B], asset=house_b, household=goods["grower"], actor=office, **kwargs)
    assert product_create(village=regions[VILLAGE_B], asset=house_b, actor=office, **kwargs).asset == house_b


def test_the_demo_morels_come_from_the_greenhouse(personas, regions, make_household):
    make_household(VILLAGE_OTHER, actor=personas["admin"])
    house = _asset(regions, personas["outsider_office"], village=VILLAGE_OTHER, name="送庄村羊肚菌大棚（12座）")
    first = sales_demo_load(weeks=4)
    assert sales_demo_load(weeks=4)["stored"] == first["stored"]  # loaded again: nothing new
    fresh, dried = Product.objects.get(name="羊肚菌（鲜品）"), Product.objects.get(name="羊肚菌（干品）")
    assert (fresh.asset, fresh.cooperative) == (house, None) and fresh.sales.count() > 3
    assert dried.asset is None and dried.cooperative is not None
