"""The fund's API: councils, agreements, contributions created once per client id, payouts refused
above the balance with the figure, scope."""

from __future__ import annotations

from bangfu.accounts.testing import ApiClient
from bangfu.core.dates import local_today
from bangfu.fund.models import Agreement, Entry, EntryKind
from conftest import VILLAGE_B

from .conftest import elder_data


def test_a_village_cadre_records_a_contribution_twice_and_it_is_stored_once(agreement, personas):
    api = ApiClient(personas["village_a"])
    body = {"agreement": agreement.pk, "amount": 30000, "frequency": "quarterly", "on": local_today().isoformat(),
            "payer": "逄建明", "client_id": "phone-7"}
    first, again = api.post("/api/fund/contributions", body), api.post("/api/fund/contributions", body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"] and first.json()["match"] == 3000
    assert Entry.objects.filter(kind=EntryKind.CONTRIBUTION).count() == 1
    listed = api.get(f"/api/fund/contributions?agreement={agreement.pk}").json()
    assert [e["amount"] for e in listed] == [30000] and listed[0]["match"] == 3000

    refused = api.post("/api/fund/payouts", {"agreement": agreement.pk, "amount": 40000,
                                             "month": local_today().isoformat(), "on": local_today().isoformat()})
    assert refused.status_code == 422 and "330.00" in str(refused.json())
    paid = api.post("/api/fund/payouts", {"agreement": agreement.pk, "amount": 33000,
                                          "month": local_today().isoformat(), "on": local_today().isoformat()})
    assert paid.status_code == 201
    assert api.get("/api/fund/councils").json()[0]["totals"] == {"contributions": 30000, "match": 3000,
                                                                 "payouts": 33000, "balance": 0}


def test_agreements_through_the_api_with_the_phone_masked(council, make_household, personas):
    elder = make_household(members=[elder_data()]).members.get()
    api = ApiClient(personas["office"])
    body = {"council": council.pk, "elder": elder.pk, "monthly_amount": 20000, "starts_on": local_today().isoformat(),
            "signed_on": local_today().isoformat(), "witnesses": "村委会",
            "supporters": [{"name": "逄建明", "relation": "长子", "phone": "139 0532 1234"}]}
    created = api.post("/api/fund/agreements", body)
    assert created.status_code == 201, created.json()
    assert created.json()["supporters"][0]["phone"] == "139****1234"
    bad = api.post("/api/fund/agreements", {**body, "supporters": [{"name": "逄", "relation": "子", "phone": "12"}]})
    assert bad.status_code == 422 and "supporters.0.phone" in str(bad.json())
    young = make_household(members=[elder_data(name="年轻人", birth=local_today().replace(year=1990))]).members.get()
    assert api.post("/api/fund/agreements", {**body, "elder": young.pk}).status_code == 422
    assert Agreement.objects.count() == 1
    assert [a["elder"] for a in api.get(f"/api/fund/agreements?council={council.pk}").json()] == ["逄秀英"]


def test_out_of_scope_is_404_and_writes_nothing(agreement, personas, regions):
    outsider = ApiClient(personas["outsider_office"])
    body = {"agreement": agreement.pk, "amount": 100, "frequency": "monthly", "on": local_today().isoformat()}
    assert outsider.post("/api/fund/contributions", body).status_code == 404
    assert outsider.get("/api/fund/councils").json() == []
    assert ApiClient(personas["caseworker_a"]).post("/api/fund/contributions", body).status_code == 403
    assert not Entry.objects.exists()
    village_b = ApiClient(personas["caseworker_b"])
    assert village_b.get(f"/api/fund/payouts?agreement={agreement.pk}").status_code == 404
    created = ApiClient(personas["office"]).post("/api/fund/councils", {
        "village": VILLAGE_B, "name": "北郝家庄村理事会", "founded_on": "2019-05-01", "members": ["郝建国（会长）"]})
    assert created.status_code == 201 and created.json()["agreements"] == 0
