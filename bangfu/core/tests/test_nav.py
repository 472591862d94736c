"""The main menu is built from the apps' declared entries, filtered by permission."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[tuple[str, bool]]:
    nav = re.search(r'<nav class="mainnav".*?</nav>', html, re.S).group(0)
    return [(label, bool(current)) for current, label in
            re.findall(r'<a href="[^"]+"( aria-current="page")?>([^<]+)</a>', nav)]


def test_office_sees_every_entry_and_the_current_one(client, personas):
    client.force_login(personas["office"])
    menu = _menu(client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode())
    assert menu[0] == ("Households", True)
    assert ("Register", False) in menu and ("Import", False) in menu


def test_caseworker_sees_no_entry_their_role_may_not_use(client, personas):
    client.force_login(personas["caseworker_a"])
    labels = [label for label, _ in _menu(client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode())]
    assert "Households" in labels
    assert "Register" not in labels and "Import" not in labels


def test_a_page_of_an_app_marks_its_entry(client, personas):
    client.force_login(personas["office"])
    menu = dict(_menu(client.get("/imports/jobs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()))
    assert menu["Import"] is True and menu["Households"] is False


def _more(html: str) -> list[str]:
    details = re.search(r'<details class="navmore[^"]*">.*?</details>', html, re.S)
    return re.findall(r'<a href="[^"]+"(?: aria-current="page")?>([^<]+)</a>', details.group(0)) if details else []


def test_the_less_used_entries_are_under_more_and_the_daily_ones_stay_in_view(client, personas):
    client.force_login(personas["office"])
    html = client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    more = _more(html)
    assert {"Register", "Import", "Schedules", "Four conditions", "Supplies"} <= set(more)
    daily = [label for label, _ in _menu(html) if label not in more]
    assert {"Households", "Needs", "Campaigns", "Notifications"} <= set(daily)
    assert "<summary>More</summary>" in html
    # A disclosure without script: the entries are links inside <details>, not built by JavaScript.
    assert '<details class="navmore">' in html


def test_more_is_marked_when_the_current_page_is_one_of_its_entries(client, personas):
    client.force_login(personas["office"])
    html = client.get("/imports/jobs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<details class="navmore has-current">' in html
    assert "Import" in _more(html)


def test_fewer_than_two_entries_for_more_stay_in_the_bar(monkeypatch):
    from bangfu.core import nav

    links = [nav.NavLink("A", "/a", False), nav.NavLink("B", "/b", False, more=True)]
    monkeypatch.setattr(nav, "nav_links", lambda user, view: links)
    menu = nav.nav_menu(None, None)
    assert menu.main == links and menu.more == []


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


def test_the_user_menu_names_the_area(client, personas):
    from bangfu.regions.models import Region

    client.force_login(personas["caseworker_a"])
    html = client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<small>Caseworker · 戴家庄村</small>" in html
    village = Region.objects.get(code="370215010001")
    village.name = "戴家庄"
    village.save()
    assert "<small>Caseworker · 戴家庄</small>" in client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.force_login(personas["admin"])
    html = client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<small>Administrator · all areas</small>" in html
