"""Login throttling: by account and address together, the address read through trusted proxies only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import timezone

from bangfu.accounts.models import LoginFailure
from bangfu.accounts.views import _client_address

LOGIN = "/accounts/login/"
ATTACKER, USER, NGINX = "203.0.113.9", "198.51.100.7", "10.0.0.2"


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def post(client, username: str, password: str, **meta):
    meta.setdefault("REMOTE_ADDR", ATTACKER)
    return client.post(LOGIN, {"username": username, "password": password}, **meta)


def test_an_attack_from_one_address_does_not_lock_the_right_password_out_from_another(client, personas):
    for _ in range(settings.LOGIN_MAX_FAILURES * 3):
        post(client, "office", "nope")
    assert post(client, "office", "pw-office").status_code == 429  # the attacker's own address stays refused
    response = post(client, "office", "pw-office", REMOTE_ADDR=USER)
    assert response.status_code == 302 and logged_in(client)


def test_account_and_address_throttle_stops_guessing_for_the_window(client, personas):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert post(client, "caseworker_a", "nope").status_code == 400
    response = post(client, "caseworker_a", "pw-caseworker_a")
    assert response.status_code == 429 and not logged_in(client)
    html = response.content.decode()
    # The message names when to try again: the oldest counted failure's time plus the window, in local time.
    oldest = LoginFailure.objects.order_by("at").first().at
    again = timezone.localtime(oldest + timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS, minutes=1))
    assert "登录失败次数过多" in html and again.strftime("%H:%M") in html
    assert LoginFailure.objects.count() == settings.LOGIN_MAX_FAILURES  # a refused attempt is not counted again
    # Once the window has passed, the right password works again.
    LoginFailure.objects.update(at=timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS + 1))
    assert post(client, "caseworker_a", "pw-caseworker_a").status_code == 302 and logged_in(client)


def test_a_success_elsewhere_does_not_reset_the_attackers_count(client, personas):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        post(client, "office", "nope")
    assert post(client, "office", "pw-office", REMOTE_ADDR=USER).status_code == 302
    client.logout()
    post(client, "office", "nope")
    assert post(client, "office", "pw-office").status_code == 429


def test_a_success_clears_the_failures_of_its_own_address(client, personas):
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        post(client, "office", "nope", REMOTE_ADDR=USER)
    assert post(client, "office", "pw-office", REMOTE_ADDR=USER).status_code == 302
    assert not LoginFailure.objects.exists()


def test_an_address_failing_across_accounts_is_slowed_but_others_are_not(client, personas):
    for i in range(settings.LOGIN_MAX_FAILURES * 4):
        assert post(client, f"guess{i}", "nope").status_code == 400
    response = post(client, "office", "pw-office")
    assert response.status_code == 429 and "登录失败次数过多" in response.content.decode()
    assert not logged_in(client)
    assert post(client, "office", "pw-office", REMOTE_ADDR=USER).status_code == 302


def test_behind_one_trusted_proxy_users_are_told_apart_by_forwarded_for(client, personas, settings):
    settings.TRUSTED_PROXIES = 1
    for i in range(settings.LOGIN_MAX_FAILURES * 4):
        # A forged first entry does not help: nginx appends the address it saw, and that one is read.
        post(client, f"guess{i}", "nope", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"192.0.2.{i}, {ATTACKER}")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    assert post(client, "office", "pw-office", REMOTE_ADDR=NGINX,
                HTTP_X_FORWARDED_FOR=f"{USER}, {ATTACKER}").status_code == 429
    response = post(client, "office", "pw-office", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=USER)
    assert response.status_code == 302 and logged_in(client)


def test_with_no_trusted_proxy_a_spoofed_forwarded_for_is_ignored(client, personas):
    assert settings.TRUSTED_PROXIES == 0
    for i in range(settings.LOGIN_MAX_FAILURES):
        post(client, "office", "nope", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}")
    assert set(LoginFailure.objects.values_list("address", flat=True)) == {ATTACKER}
    assert post(client, "office", "pw-office", HTTP_X_FORWARDED_FOR=USER).status_code == 429
    assert not logged_in(client)


@pytest.mark.parametrize(("proxies", "forwarded", "expected"), [
    (0, "192.0.2.1", "10.0.0.2"),
    (1, "192.0.2.1", "192.0.2.1"),
    (1, " 192.0.2.9 ,  192.0.2.1 ", "192.0.2.1"),
    (2, "192.0.2.9, 192.0.2.1, 10.0.0.3", "192.0.2.1"),
    (2, "192.0.2.1", "10.0.0.2"),  # fewer entries than proxies: the header did not come through them all
    (1, "not-an-address", "10.0.0.2"),
    (1, "2001:db8::1", "2001:db8::1"),
    (1, "", "10.0.0.2"),
])
def test_client_address_reads_forwarded_for_only_through_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().post(LOGIN, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert _client_address(request) == expected


def test_a_username_longer_than_any_is_refused_not_an_error(client, personas):
    response = post(client, "x" * 1000, "nope")
    assert response.status_code == 400 and "用户名或密码错误" in response.content.decode()
