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
    assert menu[:2] == [("Households", True), ("Register", False)]
    assert ("Import", False) in menu


def test_caseworker_sees_no_entry_their_role_may_not_use(client, personas):
    client.force_login(personas["caseworker_a"])
    labels = [label for label, _ in _menu(client.get("/households/", HTTP_ACCEPT_LANGUAGE="en").content.decode())]
    assert "Households" in labels
    assert "Register" not in labels and "Import" not in labels


def test_a_page_of_an_app_marks_its_entry(client, personas):
    client.force_login(personas["office"])
    menu = dict(_menu(client.get("/imports/jobs/", HTTP_ACCEPT_LANGUAGE="en").content.decode()))
    assert menu["Import"] is True and menu["Households"] is False
