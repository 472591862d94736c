"""The village's printed daily list: each household once (however many follow-ups are due), four
boxes for the four conditions, the address, the day's daily check and deliveries; phones masked
unless asked for in full by a role that may see them, each one shown recorded."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse

from bangfu.casework import services as casework_services
from bangfu.casework.models import FollowUp
from bangfu.core.dates import local_today
from bangfu.deliveries.services import delivery_create
from bangfu.emergency.models import HealthCheck
from bangfu.emergency.services import checks_generate
from bangfu.history.models import Change
from conftest import VILLAGE_A

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(make_household, personas, emergency):
    worker = personas["caseworker_a"]
    homes = {
        "zhang": make_household(caseworker=worker, address="戴家庄村3组12号"),
        "li": make_household(caseworker=worker, address="戴家庄村1组5号"),
    }
    today = local_today()
    # Two follow-ups due for the same household: an overdue regular one and a campaign call.
    FollowUp.objects.create(household=homes["zhang"], region_code=homes["zhang"].region_code, caseworker=worker,
                            kind="schedule", channel="visit", due=today - dt.timedelta(days=2))
    casework_services.campaign_create(actor=personas["office"], name="电话随访暖心", region_codes=[VILLAGE_A],
                                      start=today, end=today + dt.timedelta(days=3))
    checks_generate()
    head = homes["zhang"].members.first()
    client_id = str(uuid.uuid4())
    from bangfu.emergency.services import check_submit

    check_submit(check=HealthCheck.objects.get(household=homes["zhang"]), actor=worker, client_id=client_id,
                 temperatures={f"m{head.pk}": "36.6"}, disinfection=True, symptoms=False, supplies_enough=True,
                 help_needed=False)
    delivery_create(household=homes["li"], kind="errand", description="买降压药", actor=worker)
    return homes


def _url(**query):
    return reverse("casework:village_print", args=[VILLAGE_A]) + ("?phones=full" if query.get("full") else "")


def test_each_household_once_with_four_boxes_address_check_and_delivery(client, personas, village):
    client.force_login(personas["office"])
    html = client.get(_url()).content.decode()
    zhang, li = village["zhang"], village["li"]
    rows = re.findall(r"<tr><td class=\"num\">.*?</tr>", html, re.S)
    assert len(rows) == 2  # not one row per follow-up
    zhang_row = next(r for r in rows if zhang.number in r)
    li_row = next(r for r in rows if li.number in r)
    assert "入户走访" in zhang_row and "电话随访暖心" in zhang_row  # both due items in the one row
    assert "戴家庄村3组12号" in zhang_row and "戴家庄村1组5号" in li_row
    # Four boxes for the four conditions, each with its name in the header, plus "reached".
    for label in ("生活储备充足", "防疫措施落实", "就医途径畅通", "生活境况良好"):
        assert f'<th scope="col" class="condition-col">{label}</th>' in html
    assert zhang_row.count('class="blank condition-box"') == 4
    assert "四项达标" not in html
    # The day's daily check and deliveries, each in its column.
    assert "今日排查" in html and "已排查" in zhang_row and "未排查" in li_row
    assert "待送：买降压药" in li_row and "买降压药" not in zhang_row


def test_phones_are_masked_and_in_full_only_on_asking_each_recorded_once(client, personas, village):
    client.force_login(personas["office"])
    html = client.get(_url()).content.decode()
    assert "13812345678" not in html and html.count("138****5678") == 2
    assert not Change.objects.filter(action="reveal").exists()
    html = client.get(_url(full=True)).content.decode()
    assert html.count("13812345678") == 2
    reveals = Change.objects.filter(action="reveal")
    assert sorted(reveals.values_list("household_id", flat=True)) == sorted(h.pk for h in village.values())
    # A role that may not reveal phones gets them masked, and nothing is recorded.
    client.force_login(personas["county"])
    html = client.get(_url(full=True)).content.decode()
    assert "13812345678" not in html and reveals.count() == 2
