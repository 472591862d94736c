"""The fund's pages: a council's ledger, the forms (a contribution on a phone through the outbox),
the public notice without phones or ID numbers, the arrears and the household's panel."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.fund.models import Agreement, Entry, EntryKind


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_village_cadre_records_a_contribution_and_a_payout(agreement, personas):
    client = _client(personas["village_a"])
    page = client.get(reverse("fund:contribution_create", args=[agreement.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "data-outbox" in html and 'name="client_id"' in html
    assert 'checked' not in html  # no frequency chosen for the cadre
    today = local_today().isoformat()
    data = {"amount": "300", "frequency": "quarterly", "on": today, "payer": "逄建明", "client_id": "abc-1"}
    response = client.post(reverse("fund:contribution_create", args=[agreement.pk]), data)
    assert response.status_code == 302
    client.post(reverse("fund:contribution_create", args=[agreement.pk]), data)
    assert Entry.objects.filter(kind=EntryKind.CONTRIBUTION).get().amount == 30000
    refused = client.post(reverse("fund:payout_create", args=[agreement.pk]),
                          {"amount": "400", "month": today, "on": today})
    assert refused.status_code == 200 and "330.00" in refused.content.decode()
    assert not Entry.objects.filter(kind=EntryKind.PAYOUT).exists()
    client.post(reverse("fund:payout_create", args=[agreement.pk]), {"amount": "200", "month": today, "on": today})
    ledger = client.get(reverse("fund:council", args=[agreement.council_id])).content.decode()
    assert "300.00" in ledger and "30.00" in ledger and "130.00" in ledger  # in, match, balance


def test_an_agreement_is_made_on_its_page(council, make_household, personas):
    from .conftest import elder_data

    elder = make_household(members=[elder_data(name="戴老太")]).members.get()
    client = _client(personas["office"])
    url = reverse("fund:agreement_create", args=[council.pk])
    assert "戴老太" in client.get(url).content.decode()
    today = local_today().isoformat()
    empty = client.post(url, {"elder": elder.pk, "monthly_amount": "150", "starts_on": today, "signed_on": today,
                              "witnesses": "村委会"})
    assert empty.status_code == 200 and not Agreement.objects.exists()  # no supporter named
    response = client.post(url, {"elder": elder.pk, "monthly_amount": "150", "starts_on": today, "signed_on": today,
                                 "witnesses": "村委会", "s0-name": "戴强", "s0-relation": "长子",
                                 "s0-phone": "13905321234"})
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.monthly_amount == 15000 and agreement.supporters.get().phone == "13905321234"
    detail = client.get(reverse("fund:agreement", args=[agreement.pk])).content.decode()
    assert "139****1234" in detail and "13905321234" not in detail


def test_the_public_notice_shows_no_phone_and_no_id_number(agreement, personas):
    page = _client(personas["office"]).get(reverse("fund:council_print", args=[agreement.council_id]))
    html = page.content.decode()
    assert page.status_code == 200 and "逄秀英" in html and "逄建明" in html
    assert "1234" not in html and agreement.elder.id_number[-6:] not in html


def test_the_arrears_and_the_household_panel(agreement, personas):
    client = _client(personas["office"])
    arrears = client.get(reverse("fund:arrears")).content.decode()
    assert "逄秀英" in arrears and "200.00" in arrears
    household = client.get(reverse("households:detail", args=[agreement.household_id])).content.decode()
    assert 'id="fund-agreements"' in household
    assert reverse("fund:agreement", args=[agreement.pk]) in household


def test_a_village_sees_its_council_only(council, regions, personas):
    from bangfu.fund.services import council_create
    from conftest import VILLAGE_B

    other = council_create(village=regions[VILLAGE_B], name="北郝家庄村理事会", founded_on=local_today(), members=[],
                           actor=personas["office"])
    client = _client(personas["village_a"])
    listing = client.get(reverse("fund:councils")).content.decode()
    assert council.name in listing and other.name not in listing
    assert client.get(reverse("fund:council", args=[other.pk])).status_code == 404


def test_the_county_sets_its_match_and_the_next_contribution_takes_it(agreement, personas):
    client = _client(personas["county"])
    page = client.get(reverse("fund:match")).content.decode()
    assert "即墨区: 10%" in page
    response = client.post(reverse("fund:match"), {"county": "370215", "match_percent": "12.5"})
    assert response.status_code == 302
    assert "即墨区: 12.5%" in client.get(reverse("fund:match")).content.decode()
    refused = client.post(reverse("fund:match"), {"county": "370215", "match_percent": "101"})
    assert refused.status_code == 200 and "12.5%" in refused.content.decode()
    _client(personas["village_a"]).post(reverse("fund:contribution_create", args=[agreement.pk]), {
        "amount": "100", "frequency": "monthly", "on": local_today().isoformat(), "client_id": "m-1"})
    assert Entry.objects.get(kind=EntryKind.MATCH).amount == 1250
    assert _client(personas["office"]).get(reverse("fund:match")).status_code == 403


def test_a_council_is_made_and_an_agreement_changed_on_their_pages(agreement, personas, regions):
    from bangfu.fund.models import Council
    from bangfu.history.models import Change
    from conftest import VILLAGE_B

    client = _client(personas["office"])
    response = client.post(reverse("fund:council_create"), {
        "village": VILLAGE_B, "name": "北郝家庄村孝心养老理事会", "founded_on": "2019-05-01",
        "members": "郝建国（会长）\n\n郝秀兰（理事）"})
    council = Council.objects.get(region_code=VILLAGE_B)
    assert response.status_code == 302 and council.members == ["郝建国(会长)", "郝秀兰(理事)"]  # text cleaned (NFKC)
    # The village that has its council is not offered again.
    assert VILLAGE_B not in client.get(reverse("fund:council_create")).content.decode()

    url = reverse("fund:agreement_edit", args=[agreement.pk])
    data = {"monthly_amount": "250", "in_kind": "每年小麦300斤", "visits": "每周一次", "witnesses": "村委会",
            "status": "active", "version": agreement.version}
    assert client.post(url, data).status_code == 302
    stale = client.post(url, {**data, "monthly_amount": "300"})
    assert stale.status_code == 200 and Agreement.objects.get(pk=agreement.pk).monthly_amount == 25000
    change = Change.objects.filter(object_type="fund_agreement", action="update").get()
    assert change.before["monthly_amount"] == 20000 and change.after["monthly_amount"] == 25000
