"""Two payouts sent at once for the same agreement (two cadres' phones): the second waits for the
first's lock and reads the balance it left, so together they never take out more than came in."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from bangfu.core.dates import local_today
from bangfu.fund.models import Agreement, Entry, EntryKind, Frequency
from bangfu.fund.services import contribution_record, payout_record

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_payouts_at_once_cannot_overdraw(agreement, personas):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: nothing runs at once")
    contribution_record(agreement=agreement, amount=10000, frequency=Frequency.MONTHLY, on=local_today(),
                        actor=personas["office"])  # 110 yuan with the match
    barrier = threading.Barrier(2)
    results: list[str] = []

    def pay(actor):
        try:
            barrier.wait()
            payout_record(agreement=agreement, amount=7000, month=local_today(), on=local_today(), actor=actor)
            results.append("paid")
        except ValidationError as error:
            results.append("refused: " + error.message_dict["amount"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(personas[name],)) for name in ("office", "village_a")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r[:6] for r in results) == ["paid", "refuse"]
    assert "40.00" in next(r for r in results if r.startswith("refused"))
    assert Agreement.objects.get(pk=agreement.pk).balance == 4000
    assert Entry.objects.filter(kind=EntryKind.PAYOUT).count() == 1
