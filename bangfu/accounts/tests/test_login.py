"""Logging in and out (throttled after repeated failures), and switching the language."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

LOGIN = "/accounts/login/"


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_is_chinese_by_default(client, db):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html and "登录" in html and "用户名" in html


def test_login_and_go_where_asked(client, personas):
    response = client.post(LOGIN, {"username": "caseworker_a", "password": "pw-caseworker_a"})
    assert response.status_code == 302 and response["Location"] == reverse("casework:worklist")
    assert logged_in(client)
    client.logout()
    response = client.post(LOGIN, {"username": "caseworker_a", "password": "pw-caseworker_a", "next": "/households/1/"})
    assert response["Location"] == "/households/1/"
    client.logout()
    response = client.post(LOGIN, {"username": "caseworker_a", "password": "pw-caseworker_a",
                                   "next": "https://evil.example/"})
    assert response["Location"] == reverse("casework:worklist")


LANDINGS = {
    "caseworker_a": "casework:worklist",     # 今日待办
    "office": "casework:worklist",           # its 今日待办: the needs waiting to be assigned
    "village_a": "casework:worklists",       # the village's caseworkers' days
    "county": "reports:dashboard",           # its dashboard (驾驶舱)
    "province": "reports:dashboard",         # its dashboard
    "volunteer_a": "emergencies:checks",     # the day's checks
    "admin": "households:list",
}


def test_each_role_lands_on_its_own_first_page_which_it_may_open(client, personas, volunteer_a):
    for username, url_name in LANDINGS.items():
        response = client.post(LOGIN, {"username": username, "password": f"pw-{username}"})
        assert response.status_code == 302 and response["Location"] == reverse(url_name), username
        assert client.get(response["Location"]).status_code == 200, username
        # "/" sends the same user to the same page; an explicit next still wins.
        assert client.get("/")["Location"] == reverse(url_name), username
        client.logout()
    response = client.post(LOGIN, {"username": "office", "password": "pw-office", "next": "/households/"})
    assert response["Location"] == "/households/"


def test_wrong_password_is_refused_with_a_message(client, personas):
    response = client.post(LOGIN, {"username": "caseworker_a", "password": "nope"})
    assert response.status_code == 400
    assert "用户名或密码错误" in response.content.decode()
    assert 'value="caseworker_a"' in response.content.decode()  # the username stays typed in
    assert not logged_in(client)


def test_after_five_failures_even_the_right_password_is_refused(client, personas):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert client.post(LOGIN, {"username": "caseworker_a", "password": "nope"}).status_code == 400
    response = client.post(LOGIN, {"username": "caseworker_a", "password": "pw-caseworker_a"})
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)
    # Another user is not locked by someone else's failures.
    response = client.post(LOGIN, {"username": "office", "password": "pw-office"})
    assert response.status_code == 302 and logged_in(client)


def test_logout_is_a_post(client, personas):
    client.force_login(personas["office"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in(client)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login")
    assert not logged_in(client)


def test_pages_show_who_is_logged_in_with_role_and_area(client, personas):
    client.force_login(personas["caseworker_a"])
    html = client.get(reverse("households:list")).content.decode()
    assert "caseworker_a" in html and "帮扶干部" in html and "戴家庄村" in html
    assert reverse("accounts:logout") in html


def test_language_switch(client, personas):
    client.force_login(personas["office"])
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("households:list")})
    assert response.status_code == 302 and response["Location"] == reverse("households:list")
    html = client.get(reverse("households:list")).content.decode()
    assert '<html lang="en"' in html and "Households" in html and "Township office" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("households:list")})
    assert "农户" in client.get(reverse("households:list")).content.decode()
