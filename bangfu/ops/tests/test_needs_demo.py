"""The demo's needs: every state, some overdue and escalated to the office, one waiting for the
caseworker 孙磊's call back; made once."""

from __future__ import annotations

import pytest

from bangfu.accounts.models import User
from bangfu.needs import demo, queries
from bangfu.needs.models import Need, Status, Summary
from bangfu.notify.models import Notification
from bangfu.notify.queries import unread_count
from bangfu.ops.demo import demo_load


@pytest.mark.django_db
def test_demo_needs():
    demo_load()
    assert set(Need.objects.values_list("status", flat=True)) == set(Status.values)
    # The emergency demo's fever alert opens one urgent medical need.
    assert Need.objects.count() == len(demo.NEEDS) + 1
    assert all(code.startswith(demo.LANCUN_CODE) for code in Need.objects.values_list("region_code", flat=True))
    escalated = Need.objects.exclude(escalated_at=None)
    assert escalated.count() >= 3
    office = User.objects.get(username="lancun")
    # Told of each overdue need, besides the needs reported to it.
    overdue = Notification.objects.filter(user=office, message__kind="need.overdue", read_at=None)
    assert overdue.count() == escalated.count()
    assert unread_count(office) > escalated.count()
    assert Notification.objects.filter(user=office, message__kind="need.reported").exists()
    sunlei = User.objects.get(username="sunlei")
    assert [n.status for n in queries.needs_awaiting_confirmation(sunlei)] == [Status.RESOLVED]
    assert queries.numbers(office)["total"].open == Need.objects.filter(status__in=["recorded", "reported", "assigned", "reopened"]).count()
    assert Summary.objects.exists()
    assert demo.demo_needs() == 0 and Need.objects.count() == len(demo.NEEDS) + 1
