"""Every supply and delivery page renders in Chinese with no English left in what people read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.deliveries.models import DeliveryKind, GoodsSource
from bangfu.deliveries.services import (
    DistributionPlan,
    PlanLine,
    delivery_complete,
    delivery_create,
    distribution_create,
)
from bangfu.households.choices import Category
from bangfu.households.tests.test_pages_i18n import english_words

ALLOWED = {"kg"}


@pytest.fixture
def pages(make_household, personas, stocked, rice):
    household = make_household(caseworker=personas["caseworker_a"], categories=[Category.DISABLED])
    delivery = delivery_create(household=household, kind=DeliveryKind.GOODS, source=GoodsSource.STOCK, item=rice,
                               quantity=5, actor=personas["office"])
    delivery_complete(delivery=delivery, received_by="本人", actor=personas["caseworker_a"])
    open_one = delivery_create(household=household, kind=DeliveryKind.GOODS, source=GoodsSource.BOUGHT,
                               description="代购药品", cost=2550, actor=personas["office"])
    distribution = distribution_create(plan=DistributionPlan(
        township=stocked, title="慰问", lines=[PlanLine(item=rice, quantity=10)], villages=[], categories=[]),
        actor=personas["office"])
    return {
        "stock": reverse("supplies:stock"),
        "ledger": reverse("supplies:ledger", args=[rice.pk]),
        "receive": reverse("supplies:move", args=["receive"]),
        "issue": reverse("supplies:move", args=["issue"]),
        "adjust": reverse("supplies:move", args=["adjust"]),
        "item": reverse("supplies:item_create"),
        "distributions": reverse("deliveries:distributions"),
        "plan": reverse("deliveries:distribution_plan"),
        "report": reverse("deliveries:distribution", args=[distribution.pk]),
        "deliveries": reverse("deliveries:deliveries") + "?status=all",
        "delivered": reverse("deliveries:detail", args=[delivery.pk]),
        "open": reverse("deliveries:detail", args=[open_one.pk]),
        "new": reverse("deliveries:create") + f"?household={household.pk}",
        "household": reverse("households:detail", args=[household.pk]),
    }


def test_every_page_reads_in_chinese(client, personas, pages):
    client.force_login(personas["office"])
    for name, url in pages.items():
        response = client.get(url, headers={"accept-language": "zh-hans"})
        assert response.status_code == 200, name
        assert not english_words(response.content.decode()) - ALLOWED, (name, english_words(response.content.decode()))


def test_the_plan_preview_and_form_errors_read_in_chinese(client, personas, pages, rice):
    client.force_login(personas["office"])
    preview = client.post(pages["plan"], {"title": "慰问", "item": rice.pk, "quantity": 50, "preview": "1"})
    assert preview.status_code == 200
    assert not english_words(preview.content.decode()) - ALLOWED
    refused = client.post(pages["issue"], {"item": rice.pk, "quantity": 999, "note": "x"})
    html = refused.content.decode()
    assert "库存只剩" in html and not english_words(html) - ALLOWED
