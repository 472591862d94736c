"""A distribution of several items: planned on the page with more than one item, one delivery per
household and item, the progress and the stock per item; a row half filled or an item twice is
refused on its field, and nothing is written."""

from __future__ import annotations

from django.urls import reverse

from bangfu.deliveries.models import Delivery, Distribution, DistributionLine
from bangfu.deliveries.queries import distribution_report
from bangfu.deliveries.services import delivery_complete
from bangfu.households.choices import Category as C


def test_a_plan_of_two_items_from_the_page(client, make_household, personas, stocked, rice, masks):
    households = [make_household(caseworker=personas["caseworker_a"], categories=[C.REGISTERED_POOR])
                  for _ in range(3)]
    client.force_login(personas["office"])
    url = reverse("deliveries:distribution_plan")
    data = {"title": "米和口罩", "item": rice.pk, "quantity": 10, "item_2": masks.pk, "quantity_2": 20,
            "villages": [], "categories": [], "client_id": "two-items"}
    preview = client.post(url, {**data, "preview": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "30" in preview and "60" in preview  # 3 households × 10 kg, × 20 masks
    assert not Distribution.objects.exists()
    confirmed = client.post(url, {**data, "confirm": "1"})
    distribution = Distribution.objects.get()
    assert confirmed.status_code == 302
    assert [(line.item, line.quantity) for line in distribution.lines.all()] == [(rice, 10), (masks, 20)]
    shares = list(Delivery.objects.filter(distribution=distribution).order_by("sequence", "pk"))
    assert len(shares) == 6
    assert {(d.household_id, d.item_id) for d in shares} == {(h.pk, i.pk) for h in households for i in (rice, masks)}
    # A household's shares share its place in the order.
    assert [d.sequence for d in shares] == [1, 1, 2, 2, 3, 3]

    delivery_complete(delivery=shares[0], received_by="本人", actor=personas["caseworker_a"])
    report = distribution_report(personas["office"], distribution)
    rice_line, mask_line = report.lines
    assert shares[0].item == rice  # a household's shares in the plan's order of items
    assert (rice_line.planned, rice_line.delivered, rice_line.outstanding, rice_line.stock_left) == (30, 10, 20, 90)
    assert (mask_line.planned, mask_line.delivered, mask_line.stock_left) == (60, 0, 500)
    # One of its two shares delivered: the household is still outstanding.
    assert (report.households, report.delivered_households, report.outstanding_households) == (3, 0, 3)
    page = client.get(confirmed["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "大米 × 10kg" in page and "口罩 × 20只" in page


def test_a_half_filled_row_or_an_item_twice_is_refused_on_its_field(client, make_household, personas, stocked,
                                                                   rice, masks):
    make_household(caseworker=personas["caseworker_a"], categories=[C.REGISTERED_POOR])
    client.force_login(personas["office"])
    url = reverse("deliveries:distribution_plan")
    base = {"title": "米", "item": rice.pk, "quantity": 10, "villages": [], "categories": [], "confirm": "1"}
    no_quantity = client.post(url, {**base, "item_2": masks.pk})
    assert "quantity_2" in no_quantity.context["form"].errors
    no_item = client.post(url, {**base, "quantity_3": 5})
    assert "item_3" in no_item.context["form"].errors
    twice = client.post(url, {**base, "item_2": rice.pk, "quantity_2": 5})
    assert "item_2" in twice.context["form"].errors
    assert not Distribution.objects.exists() and not DistributionLine.objects.exists()
    assert not Delivery.objects.exists()
