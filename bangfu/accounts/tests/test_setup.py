"""The first administrator without a terminal: `bangfu serve` on a fresh install migrates, loads the
division tree and prints a one-time link; the link's page creates the administrator and logs them in,
once, and only while no active administrator exists."""

from __future__ import annotations

import re
import socket
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from bangfu.accounts import services
from bangfu.accounts.models import SetupToken, User
from bangfu.core.management.commands import serve as serve_module
from bangfu.core.permissions import Role
from bangfu.history.models import Change
from bangfu.regions.models import Region
from bangfu.regions.services import regions_ensure

GOOD = {"username": "county_admin", "password": "Hua-shan-2026!", "password2": "Hua-shan-2026!"}


def _link(lines: list[str]) -> str:
    match = re.search(r"(/accounts/setup/[^/\s]+/)", "\n".join(lines))
    assert match, lines
    return match.group(1)


@pytest.fixture
def link(regions):
    return _link(services.setup_link(base_url="http://127.0.0.1:8000"))


def _chinese() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def test_the_link_opens_a_chinese_page_that_creates_the_administrator_and_logs_them_in(link):
    client = _chinese()
    page = client.get(link)
    assert page.status_code == 200
    text = page.content.decode()
    assert "创建管理员" in text and "再次输入密码" in text
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]

    response = client.post(link, GOOD)
    assert response.status_code == 302
    admin = User.objects.get(username="county_admin")
    assert admin.role == Role.ADMIN and admin.is_active and admin.is_superuser and admin.region_id is None
    assert admin.check_password(GOOD["password"]) and not admin.must_change_password
    # Logged in: the administrator's home answers, not the login page.
    home = client.get(response["Location"])
    assert home.status_code == 200
    assert client.session["_auth_user_id"] == str(admin.pk)
    change = Change.objects.get(object_type="user", object_id=admin.pk)
    assert change.actor_id == admin.pk and change.after["role"] == "admin"
    # Used up: the same link, and any other, is a page that does not exist.
    assert not SetupToken.objects.exists()
    assert _chinese().get(link).status_code == 404
    assert _chinese().post(link, {**GOOD, "username": "second_admin"}).status_code == 404
    assert not User.objects.filter(username="second_admin").exists()


def test_without_the_right_token_there_is_no_page(link):
    client = _chinese()
    assert client.get("/accounts/setup/").status_code == 404
    assert client.get(reverse("accounts:setup", args=["wrong"])).status_code == 404
    # One character changed is as wrong as anything else.
    secret = link.rstrip("/").rsplit("/", 1)[1]
    changed = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert client.get(reverse("accounts:setup", args=[changed])).status_code == 404
    assert client.post(reverse("accounts:setup", args=[changed]), GOOD).status_code == 404
    assert not User.objects.filter(username=GOOD["username"]).exists()
    assert client.get(link).status_code == 200


def test_once_an_administrator_exists_the_link_is_dead_and_none_is_printed(link):
    services.user_add(username="root", role=Role.ADMIN, region_code=None, password="pw-root", check_password=False)
    assert _chinese().get(link).status_code == 404
    assert services.setup_link(base_url="http://127.0.0.1:8000") == []
    assert not SetupToken.objects.exists()


def test_a_deactivated_last_administrator_gets_a_new_link_and_the_old_one_stops(regions):
    first = _link(services.setup_link(base_url=""))
    second = _link(services.setup_link(base_url=""))
    assert first != second
    assert _chinese().get(first).status_code == 404
    assert _chinese().get(second).status_code == 200
    admin, _password = services.user_add(username="root", role=Role.ADMIN, region_code=None, password="pw-root",
                                         check_password=False)
    assert _chinese().get(second).status_code == 404
    User.objects.filter(pk=admin.pk).update(is_active=False)
    assert _chinese().get(_link(services.setup_link(base_url=""))).status_code == 200


@pytest.mark.parametrize("change, field, message", [
    ({"password2": "Hua-shan-2027!"}, "password2", "两次输入的密码不一致"),
    ({"password": "12345678", "password2": "12345678"}, "password", "密码"),
    ({"password": "password1", "password2": "password1"}, "password", "密码"),
    ({"password": "Ab1!", "password2": "Ab1!"}, "password", "8"),
    ({"username": "有 空格"}, "username", ""),
    ({"username": ""}, "username", ""),
])
def test_a_bad_form_names_its_field_and_adds_no_one(link, change, field, message):
    users, changes = User.objects.count(), Change.objects.count()
    response = _chinese().post(link, {**GOOD, **change})
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    assert (User.objects.count(), Change.objects.count()) == (users, changes)
    assert _chinese().get(link).status_code == 200  # still usable


def test_a_username_taken_by_a_deactivated_administrator_is_refused_on_its_field(link):
    admin, _password = services.user_add(username="county_admin", role=Role.ADMIN, region_code=None,
                                         password="pw-root", check_password=False)
    User.objects.filter(pk=admin.pk).update(is_active=False)
    response = _chinese().post(link, GOOD)
    assert response.status_code == 200 and "username" in response.context["form"].errors


def test_the_token_is_kept_as_a_hash_only(link):
    secret = link.rstrip("/").rsplit("/", 1)[1]
    stored = SetupToken.objects.get()
    assert secret not in stored.key_hash and len(stored.key_hash) == 64


# --- bangfu serve: one command on a fresh install ------------------------------------------------

@pytest.fixture
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"


def _free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def test_serve_prints_the_setup_link_while_no_administrator_exists(regions, monkeypatch, _static_root):
    monkeypatch.setattr(serve_module, "serve", lambda **kwargs: 0)
    monkeypatch.setattr("bangfu.regions.services.regions_ensure", lambda **kwargs: [])
    port = _free_port()
    out = StringIO()
    call_command("serve", "--port", str(port), stdout=out, stderr=StringIO())
    link = _link(out.getvalue().splitlines())
    assert f"http://127.0.0.1:{port}{link}" in out.getvalue()
    assert _chinese().get(link).status_code == 200
    services.user_add(username="root", role=Role.ADMIN, region_code=None, password="pw-root", check_password=False)
    out = StringIO()
    call_command("serve", "--port", str(port), stdout=out, stderr=StringIO())
    assert "/accounts/setup/" not in out.getvalue()


def test_serve_migrates_a_database_nothing_was_applied_to(regions, monkeypatch, _static_root):
    migrated = []
    monkeypatch.setattr(serve_module, "serve", lambda **kwargs: 0)
    monkeypatch.setattr(serve_module, "unapplied_migrations", lambda: ["accounts.0001_initial"])
    monkeypatch.setattr(serve_module, "nothing_migrated", lambda: True)
    monkeypatch.setattr("django.core.management.call_command",
                        lambda name, **kwargs: migrated.append(name))
    monkeypatch.setattr("bangfu.regions.services.regions_ensure", lambda **kwargs: [])
    call_command("serve", "--port", str(_free_port()), stdout=StringIO(), stderr=StringIO())
    assert migrated == ["migrate"]


def test_the_division_tree_is_loaded_when_codes_are_missing_and_only_counted_after(db, tmp_path):
    files = {
        "provinces.csv": "code,name\n41,河南省\n",
        "cities.csv": "code,name,provinceCode\n4103,洛阳市,41\n",
        "areas.csv": "code,name,cityCode,provinceCode\n410308,孟津区,4103,41\n",
        "streets.csv": "code,name,areaCode,provinceCode,cityCode\n410308103,送庄镇,410308,41,4103\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    lines = regions_ensure(data_dir=tmp_path)
    assert lines and "4" in lines[0]
    assert Region.objects.get(code="410308103").parent_id == "410308"
    assert regions_ensure(data_dir=tmp_path) == []
    # An upgrade shipping a new township loads it.
    (tmp_path / "streets.csv").write_text(files["streets.csv"] + "410308104,白鹤镇,410308,41,4103\n", encoding="utf-8")
    assert regions_ensure(data_dir=tmp_path)
    assert Region.objects.filter(code="410308104").exists()
