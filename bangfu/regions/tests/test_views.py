"""The villages page: who sees what, and adding a village inside one's own area only."""

from __future__ import annotations

from bangfu.history.models import Change
from bangfu.regions.models import Region


def test_office_adds_a_village_to_its_township(client, personas):
    client.force_login(personas["office"])
    response = client.post("/regions/villages/", {"parent": "370215010", "number": "903", "name": "后屯村"})
    assert response.status_code == 302
    assert Region.objects.get(code="370215010903").name == "后屯村"
    page = client.get("/regions/villages/").content.decode()
    assert "后屯村" in page and "送庄村" not in page


def test_a_parent_outside_the_area_is_not_offered(client, personas):
    client.force_login(personas["village_a"])
    response = client.post("/regions/villages/", {"parent": "370215010", "number": "004", "name": "某村"})
    assert response.status_code == 400
    assert not Region.objects.filter(code="370215010004").exists()
    # A village cadre adds groups under their own village.
    response = client.post("/regions/villages/", {"parent": "370215010001", "number": "001", "name": "一组"})
    assert response.status_code == 302
    assert Region.objects.get(code="370215010001001").parent_id == "370215010001"


def test_bad_number_names_the_field(client, personas):
    client.force_login(personas["office"])
    response = client.post("/regions/villages/", {"parent": "370215010", "number": "3", "name": "后屯村"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Three digits" in response.content.decode()
    assert not Region.objects.filter(name="后屯村").exists()


def test_caseworker_sees_the_list_but_cannot_add(client, personas):
    client.force_login(personas["caseworker_a"])
    assert client.get("/regions/villages/").status_code == 200
    response = client.post("/regions/villages/", {"parent": "370215010001", "number": "002", "name": "二组"})
    assert response.status_code == 403
    assert not Region.objects.filter(code="370215010001002").exists()
    assert not Change.objects.exists()


def test_anonymous_goes_to_login(client, regions):
    response = client.get("/regions/villages/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_office_loads_its_townships_villages_with_one_click(client, personas):
    client.force_login(personas["office"])
    page = client.get("/regions/villages/").content.decode()
    assert "从全国名单载入" in page or "载入" in page
    response = client.post("/regions/villages/load/", {})
    assert response.status_code == 302
    assert Region.objects.within("370215010").villages().count() == 2 + 10
    assert Region.objects.get(code="370215010203").name == "振兴村村民委员会"
    page = client.get("/regions/villages/").content.decode()
    assert "已载入全国名单中的 10 个村" in page and "振兴村村民委员会" in page
    # Again: nothing more.
    client.post("/regions/villages/load/", {})
    assert Region.objects.within("370215010").villages().count() == 12
    # Another township is not the office's.
    client.post("/regions/villages/load/", {"prefix": "410308103"})
    assert not Region.objects.filter(code="410308103209").exists()


def test_admin_loads_any_township_and_others_may_not(client, personas):
    client.force_login(personas["admin"])
    assert client.post("/regions/villages/load/", {"prefix": "410308103"}).status_code == 302
    assert Region.objects.get(code="410308103209").name == "东山头村村民委员会"
    for persona in ("county", "caseworker_a", "village_a"):
        client.force_login(personas[persona])
        assert client.post("/regions/villages/load/", {"prefix": "370215010"}).status_code == 403
    assert not Region.objects.filter(code="370215010203").exists()


def test_the_villages_page_reads_chinese_for_the_office_and_the_administrator(client, personas):
    from django.conf import settings

    from bangfu.regions.services import village_add_local

    village_add_local(township_code="370215010", name="新华村")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    for persona in ("office", "admin"):
        client.force_login(personas[persona])
        page = client.get("/regions/villages/").content.decode()
        for english in ("Load the villages", "Villages of the national list", "national list", ">own<", "Those already"):
            assert english not in page, (persona, english)
        assert "载入村" in page and "自设" in page and "全国名单中的村" in page
    assert "县或乡镇区划代码" in page  # the administrator names the area


def test_a_village_without_a_number_takes_the_townships_next_own_code(client, personas):
    client.force_login(personas["office"])
    for name in ("后屯村", "前屯村"):
        assert client.post("/regions/villages/", {"parent": "370215010", "number": "", "name": name}).status_code == 302
    assert list(Region.objects.filter(local=True).values_list("code", "name")) == [
        ("370215010900", "后屯村"), ("370215010901", "前屯村")]
    # A group needs its number.
    response = client.post("/regions/villages/", {"parent": "370215010001", "number": "", "name": "一组"})
    assert response.status_code == 400 and not Region.objects.filter(name="一组").exists()
