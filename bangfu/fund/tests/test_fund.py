"""The fund's services: the ledger always balances and is never negative (hypothesis), a payout
above the balance is refused with the figure, the match in fen, the elder's age, arrears, scope
and idempotency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.core.dates import local_today
from bangfu.core.permissions import PermissionDenied
from bangfu.fund import queries, services
from bangfu.fund.models import Agreement, Entry, EntryKind, Frequency
from bangfu.fund.services import SupporterData, age_on, match_amount
from bangfu.history.models import Change
from bangfu.regions.models import Region
from conftest import VILLAGE_A, VILLAGE_B

from .conftest import elder_data


def _ledger_sum(agreement) -> int:
    sums = {k: Entry.objects.filter(agreement=agreement, kind=k).aggregate(s=Sum("amount"))["s"] or 0
            for k in EntryKind.values}
    return sums[EntryKind.CONTRIBUTION] + sums[EntryKind.MATCH] - sums[EntryKind.PAYOUT]


# --- the match --------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "percent", "match"), [
    (30000, Decimal("10"), 3000),   # 300 yuan: 30 yuan
    (125, Decimal("10"), 13),       # 12.5 fen rounds half up
    (124, Decimal("10"), 12),
    (5, Decimal("10"), 1),          # 0.5 fen is one fen
    (4, Decimal("10"), 0),
    (33333, Decimal("12.5"), 4167),  # 4166.625
    (10000, Decimal("0"), 0),
])
def test_the_match_is_the_percent_rounded_half_up_to_the_fen(amount, percent, match):
    assert match_amount(amount, percent) == match


def test_a_contribution_adds_the_countys_match(agreement, personas, regions):
    entry, created = services.contribution_record(agreement=agreement, amount=60000, frequency=Frequency.QUARTERLY,
                                                  on=local_today(), payer="逄建明", actor=personas["office"])
    assert created and entry.match.amount == 6000 and entry.match.kind == EntryKind.MATCH
    agreement.refresh_from_db()
    assert agreement.balance == 66000 == _ledger_sum(agreement)

    county = Region.objects.get(code="370215")
    services.fund_setting_set(county=county, match_percent=Decimal("15"), actor=personas["county"])
    entry, _created = services.contribution_record(agreement=agreement, amount=10001, frequency=Frequency.MONTHLY,
                                                   on=local_today(), actor=personas["village_a"])
    assert entry.match.amount == 1500  # 1500.15
    with pytest.raises(PermissionDenied):
        services.fund_setting_set(county=county, match_percent=Decimal("20"), actor=personas["office"])


# --- payouts ----------------------------------------------------------------------------------

def test_a_payout_above_the_balance_is_refused_with_the_figure_and_nothing_written(agreement, personas):
    services.contribution_record(agreement=agreement, amount=20000, frequency=Frequency.MONTHLY,
                                 on=local_today(), actor=personas["office"])
    services.payout_record(agreement=agreement, amount=15000, month=local_today(), on=local_today(),
                           actor=personas["office"])
    changes = Change.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.payout_record(agreement=agreement, amount=8000, month=local_today(), on=local_today(),
                               actor=personas["office"])
    assert "7,000.00" not in str(refused.value)
    assert "70.00" in refused.value.message_dict["amount"][0]  # 200 + 20 - 150 = 70 yuan
    assert "80.00" in refused.value.message_dict["amount"][0]
    assert Entry.objects.filter(kind=EntryKind.PAYOUT).count() == 1 and Change.objects.count() == changes
    agreement.refresh_from_db()
    assert agreement.balance == 7000
    services.payout_record(agreement=agreement, amount=7000, month=local_today(), on=local_today(),
                           actor=personas["office"])
    agreement.refresh_from_db()
    assert agreement.balance == 0 == _ledger_sum(agreement)


def test_the_database_refuses_a_negative_balance(agreement):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Agreement.objects.filter(pk=agreement.pk).update(balance=-1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.sampled_from(["in", "out"]), st.integers(min_value=1, max_value=500_00)),
                      max_size=25))
def test_the_ledger_always_balances_and_is_never_negative(agreement, personas, steps):
    Entry.objects.filter(agreement=agreement, kind=EntryKind.MATCH).delete()
    Entry.objects.filter(agreement=agreement).delete()
    Agreement.objects.filter(pk=agreement.pk).update(balance=0)
    expected = 0
    for direction, amount in steps:
        if direction == "in":
            services.contribution_record(agreement=agreement, amount=amount, frequency=Frequency.MONTHLY,
                                         on=local_today(), actor=personas["office"])
            expected += amount + match_amount(amount, Decimal(10))
        else:
            try:
                services.payout_record(agreement=agreement, amount=amount, month=local_today(), on=local_today(),
                                       actor=personas["office"])
            except ValidationError:
                assert amount > expected
            else:
                assert amount <= expected
                expected -= amount
        agreement.refresh_from_db()
        assert agreement.balance == expected == _ledger_sum(agreement) >= 0
    totals = queries.council_totals(agreement.council)
    assert totals.balance == expected and totals.contributions + totals.match - totals.payouts == expected


# --- agreements -------------------------------------------------------------------------------

def test_age_on_counts_full_years():
    assert age_on(dt.date(1960, 6, 15), dt.date(2020, 6, 14)) == 59
    assert age_on(dt.date(1960, 6, 15), dt.date(2020, 6, 15)) == 60
    assert age_on(dt.date(1960, 2, 29), dt.date(2020, 2, 28)) == 59


def test_an_agreement_is_for_an_elder_of_sixty_or_more_on_the_day_signed(council, make_household, personas):
    signed = dt.date(2020, 6, 15)
    young = make_household(VILLAGE_A, members=[elder_data(name="戴小芳", birth=dt.date(1960, 6, 16))])
    old = make_household(VILLAGE_A, members=[elder_data(name="戴老汉", birth=dt.date(1960, 6, 15))])
    kwargs = dict(council=council, monthly_amount=10000, starts_on=signed, signed_on=signed, witnesses="村委会",
                  supporters=[SupporterData(name="戴强", relation="长子")], actor=personas["office"])
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(elder=young.members.get(), **kwargs)
    assert "59" in refused.value.message_dict["elder"][0]
    assert not Agreement.objects.exists()
    agreement = services.agreement_create(elder=old.members.get(), **kwargs)
    assert agreement.starts_on == dt.date(2020, 6, 1)
    other = make_household(VILLAGE_B, members=[elder_data(name="郝老汉")])
    with pytest.raises(ValidationError) as refused:
        services.agreement_create(elder=other.members.get(), **kwargs)
    assert "elder" in refused.value.message_dict


def test_a_supporters_phone_is_sealed_and_shown_masked_in_history(agreement):
    supporter = agreement.supporters.get()
    assert supporter.phone == "13905321234" and "13905321234" not in supporter.phone_encrypted
    assert supporter.phone_tail == "1234" and supporter.phone_hash
    change = Change.objects.filter(object_type="fund_agreement").latest("pk")
    assert "13905321234" not in str(change.after) and "139****1234" in str(change.after)


def test_every_change_of_an_agreement_is_in_its_history(agreement, personas):
    services.agreement_change(agreement=agreement, monthly_amount=30000, in_kind="", visits="每周一次",
                              witnesses="村委会", status="active", actor=personas["village_a"])
    change = Change.objects.filter(object_type="fund_agreement").latest("pk")
    assert change.before["monthly_amount"] == 20000 and change.after["monthly_amount"] == 30000


# --- arrears ----------------------------------------------------------------------------------

def test_arrears_are_what_was_due_to_date_less_what_was_paid(agreement, personas):
    today = dt.date(2021, 3, 20)
    Agreement.objects.filter(pk=agreement.pk).update(starts_on=dt.date(2021, 1, 1))
    assert queries.months_due(dt.date(2021, 1, 1), today) == 3
    assert queries.months_due(dt.date(2021, 4, 1), today) == 0
    [arrear] = queries.arrears(personas["office"], today=today)
    assert (arrear.due, arrear.paid, arrear.owed) == (60000, 0, 60000)
    services.contribution_record(agreement=agreement, amount=50000, frequency=Frequency.QUARTERLY,
                                 on=local_today(), actor=personas["office"])
    [arrear] = queries.arrears(personas["office"], today=today)
    assert arrear.owed == 10000  # the match is the council's, not the children's payment
    services.contribution_record(agreement=agreement, amount=10000, frequency=Frequency.MONTHLY,
                                 on=local_today(), actor=personas["office"])
    assert queries.arrears(personas["office"], today=today) == []


# --- scope and idempotency -------------------------------------------------------------------

def test_a_village_sees_its_council_only(council, regions, personas):
    other = services.council_create(village=regions[VILLAGE_B], name="北郝家庄村理事会", founded_on=dt.date(2019, 1, 1),
                                    members=[], actor=personas["office"])
    assert list(queries.councils_for(personas["village_a"])) == [council]
    assert set(queries.councils_for(personas["office"])) == {council, other}
    assert list(queries.councils_for(personas["outsider_office"])) == []
    with pytest.raises(ValidationError):
        services.council_create(village=regions[VILLAGE_B], name="x", founded_on=dt.date(2019, 1, 1), members=[],
                                actor=personas["office"])  # one per village
    with pytest.raises(ValidationError):
        services.council_create(village=regions["410308103001"], name="x", founded_on=dt.date(2019, 1, 1),
                                members=[], actor=personas["office"])  # another township


def test_out_of_scope_nothing_is_recorded(agreement, personas):
    with pytest.raises(PermissionDenied):
        services.contribution_record(agreement=agreement, amount=100, frequency=Frequency.MONTHLY, on=local_today(),
                                     actor=personas["outsider_office"])
    with pytest.raises(PermissionDenied):
        services.payout_record(agreement=agreement, amount=100, month=local_today(), on=local_today(),
                               actor=personas["caseworker_a"])  # may see it, may not record
    assert not Entry.objects.exists()


def test_a_contribution_sent_twice_is_recorded_once(agreement, personas):
    first, created = services.contribution_record(agreement=agreement, amount=30000, frequency=Frequency.QUARTERLY,
                                                  on=local_today(), client_id="c-1", actor=personas["village_a"])
    again, created_again = services.contribution_record(agreement=agreement, amount=30000,
                                                        frequency=Frequency.QUARTERLY, on=local_today(),
                                                        client_id="c-1", actor=personas["village_a"])
    assert created and not created_again and first.pk == again.pk
    assert Entry.objects.count() == 2  # the contribution and its match
    agreement.refresh_from_db()
    assert agreement.balance == 33000
