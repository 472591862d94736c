"""Entitlements from the registry, receipts by hand, and the gaps both ways; the household's panel;
scope (a village sees only its households, the county all)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.history.models import Change
from bangfu.households.services import member_update
from bangfu.policies import queries, services
from bangfu.policies.models import Receipt

pytestmark = pytest.mark.django_db


def _month():
    return f"{local_today():%Y-%m}"


def _keys(entitlements):
    return sorted((e.policy.key, e.member_name) for e in entitlements)


def test_entitlements_follow_the_registry(dibao_home, plain_home, personas):
    owed = queries.entitlements_of(queries.Household.objects.filter(pk__in=[dibao_home.pk, plain_home.pk]),
                                   local_today())
    assert _keys(owed[dibao_home.pk]) == [
        ("dibao", "戴小军"), ("dibao", "戴金山"), ("disability", "戴小军"), ("medical", "戴小军"),
        ("medical", "戴金山")]
    assert owed[plain_home.pk] == []
    # The son leaves school and is no longer disabled: derived at once, nothing to rebuild.
    son = dibao_home.members.get(name="戴小军")
    member_update(actor=personas["admin"], member=son, version=son.version,
                  data={"health": ["健康"], "disability_category": ""})
    owed = queries.entitlements_of(queries.Household.objects.filter(pk=dibao_home.pk), local_today())
    assert ("disability", "戴小军") not in _keys(owed[dibao_home.pk])


def _pay(household, key, member=None, actor=None, period=None, amount=50_000):
    return services.receipt_record(actor=actor, household=household, policy_key=key, period=period or _month(),
                                   amount=amount, paid_on=local_today(), member=member, client_id=uuid.uuid4())[0]


def test_gaps_both_ways(dibao_home, plain_home, personas):
    office = personas["office"]
    father = dibao_home.members.get(name="戴金山")
    son = dibao_home.members.get(name="戴小军")
    _pay(dibao_home, "dibao", father, office)
    _pay(dibao_home, "disability", son, office, amount=12_000)
    for m in (father, son):
        _pay(dibao_home, "medical", m, office, period=f"{local_today():%Y}", amount=38_000)
    _pay(plain_home, "dibao", plain_home.members.get(), office)

    gaps = queries.gaps_in_scope(office)
    missing = [g for g in gaps if g.kind == "missing"]
    unexpected = [g for g in gaps if g.kind == "unexpected"]
    assert [(g.household_id, g.policy_name) for g in missing] == [(dibao_home.pk, "低保")]
    assert "戴小军" in missing[0].message and "500.00" in missing[0].message
    assert [(g.household_id, g.policy_name) for g in unexpected] == [(plain_home.pk, "低保")]
    assert "郝玉兰" in unexpected[0].message
    # A receipt of another month is not this month's.
    assert queries.gaps_in_scope(office, kind="unexpected")[0].household_id == plain_home.pk

    # The son's payment arrives: no gap left in the household.
    _pay(dibao_home, "dibao", son, office)
    assert [g.household_id for g in queries.gaps_in_scope(office)] == [plain_home.pk]


def test_a_receipt_of_last_month_leaves_this_month_a_gap(dibao_home, personas):
    last = (local_today().replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    _pay(dibao_home, "dibao", dibao_home.members.get(name="戴金山"), personas["office"], period=last)
    assert "戴金山" in " ".join(g.message for g in queries.gaps_in_scope(personas["office"]) if g.policy_name == "低保")


def test_scope_a_village_sees_its_own_the_county_all(dibao_home, plain_home, personas):
    def homes(user):
        return {g.household_id for g in queries.gaps_in_scope(user)}

    _pay(plain_home, "dibao", plain_home.members.get(), personas["office"])
    assert homes(personas["village_a"]) == {dibao_home.pk}
    assert homes(personas["caseworker_b"]) == {plain_home.pk}
    assert homes(personas["county"]) == {dibao_home.pk, plain_home.pk}
    assert homes(personas["outsider_office"]) == set()
    assert not queries.receipts_visible(personas["village_a"]).exists()
    assert queries.receipts_visible(personas["county"]).count() == 1


def test_receipt_refusals_store_nothing(dibao_home, plain_home, personas):
    father = dibao_home.members.get(name="戴金山")
    with pytest.raises(PermissionDenied):
        _pay(dibao_home, "dibao", father, personas["caseworker_a"])
    with pytest.raises(Http404):
        _pay(plain_home, "dibao", plain_home.members.get(), personas["village_a"])
    with pytest.raises(ValidationError) as error:
        _pay(dibao_home, "dibao", None, personas["office"])
    assert "member" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _pay(dibao_home, "dibao", father, personas["office"], period="2026")
    assert "period" in error.value.message_dict
    with pytest.raises(ValidationError):
        _pay(dibao_home, "nonsense", father, personas["office"])
    assert not Receipt.objects.exists()


def test_a_receipt_is_stored_once(dibao_home, personas):
    father = dibao_home.members.get(name="戴金山")
    client_id = uuid.uuid4()
    kwargs = {"actor": personas["office"], "household": dibao_home, "policy_key": "dibao", "period": _month(),
              "amount": 50_000, "paid_on": local_today(), "member": father, "client_id": client_id}
    first, created = services.receipt_record(**kwargs)
    again, created_again = services.receipt_record(**kwargs)
    assert created and not created_again and first == again
    with pytest.raises(ValidationError):  # the same payment typed a second time
        services.receipt_record(**{**kwargs, "client_id": uuid.uuid4()})
    assert Receipt.objects.count() == 1
    assert Change.objects.filter(object_type="policy_receipt", action="create").count() == 1


def test_household_panel_and_receipt_page(client, dibao_home, personas):
    client.force_login(personas["village_a"])
    page = client.get(reverse("households:detail", args=[dibao_home.pk])).content.decode()
    assert 'id="policies"' in page and "困难残疾人生活补贴" in page and "未到账" in page
    url = reverse("policies:receipt_add", args=[dibao_home.pk])
    form = client.get(url).content.decode()
    assert "data-outbox" in form and 'name="client_id"' in form
    son = dibao_home.members.get(name="戴小军")
    data = {"client_id": str(uuid.uuid4()), "policy": "disability", "member": str(son.pk), "period": _month(),
            "amount": "120", "paid_on": local_today().isoformat()}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double tap
    receipt = Receipt.objects.get()
    assert (receipt.member, receipt.amount, receipt.recorded_by) == (son, 12_000, personas["village_a"])
    # Refused on the field it is about.
    bad = client.post(url, {**data, "client_id": str(uuid.uuid4()), "member": ""}).content.decode()
    assert "按人发放" in bad or "choose who received it" in bad
    assert Receipt.objects.count() == 1


def test_gaps_page(client, dibao_home, plain_home, personas):
    _pay(plain_home, "dibao", plain_home.members.get(), personas["office"])
    client.force_login(personas["office"])
    page = client.get(reverse("policies:gaps")).content.decode()
    assert "戴金山" in page and "郝玉兰" in page
    only = client.get(reverse("policies:gaps"), {"kind": "unexpected"}).content.decode()
    assert "郝玉兰" in only and "戴金山" not in only
    client.force_login(personas["village_a"])
    page = client.get(reverse("policies:gaps")).content.decode()
    assert "戴金山" in page and "郝玉兰" not in page


def test_a_severely_disabled_member_recorded_with_a_grade_is_owed_the_nursing_subsidy(dibao_home, personas):
    son = dibao_home.members.get(name="戴小军")
    Member = type(son)
    Member.objects.filter(pk=son.pk).update(disability_grade="二级")
    owed = queries.entitlements_of(queries.Household.objects.filter(pk=dibao_home.pk), local_today())
    assert ("disability_care", "戴小军") in _keys(owed[dibao_home.pk])
    Member.objects.filter(pk=son.pk).update(disability_grade="三级")
    owed = queries.entitlements_of(queries.Household.objects.filter(pk=dibao_home.pk), local_today())
    assert ("disability_care", "戴小军") not in _keys(owed[dibao_home.pk])
