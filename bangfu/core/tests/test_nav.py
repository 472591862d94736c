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
    assert menu[0] == ("Today", False)  # its 今日待办 comes first, as for a caseworker
    assert ("Households", True) in menu
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
