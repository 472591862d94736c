"""The user menu names the area the user works in (the accounts library's area_name)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


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
