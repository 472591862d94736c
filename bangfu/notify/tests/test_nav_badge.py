"""The menu's entry for notifications shows the unread count (NotifyConfig.nav's badge)."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_unread_badge_follows_each_notification_at_once(client, personas):
    from bangfu.notify import services

    def badge() -> str | None:
        html = client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        found = re.search(r'<span class="nav-badge">(\d+)</span>', html)
        return found.group(1) if found else None

    client.force_login(personas["caseworker_a"])
    assert badge() is None
    for n, key in enumerate(["event:1", "event:2"], start=1):
        services.message_enqueue(kind="test", dedupe_key=key, subject="逾期诉求", user=personas["caseworker_a"],
                                 role="", region_code="370215010001")
        services.messages_deliver()
        assert badge() == str(n)
    services.notifications_read_all(actor=personas["caseworker_a"])
    assert badge() is None
