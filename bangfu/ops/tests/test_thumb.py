"""At 360 px, on the demo's data, as each of its roles: every tap target at least 44 × 44 px, the
menu one bar no taller than 60 px, nothing wider than the screen; on 今日待办 (or the caseworkers'
day), a daily check form and a contact form, besides the page each role lands on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bangfu.core.permissions import Role, can, home_url_name
from bangfu.core.tests.browser import PHONE, TAP, log_in, measure
from bangfu.emergency.models import CheckStatus, HealthCheck
from bangfu.households.models import Household
from bangfu.ops.demo import PZB, demo_load, demo_password

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENU_MAX = 60


def _one_user_per_role(village_code: str) -> dict:
    """A user of each role, one of the village where the demo's cases are when the role has one."""
    from bangfu.accounts.models import User

    chosen = {}
    for user in User.objects.order_by("pk"):
        here = bool(user.region_id) and village_code.startswith(user.region_id) and len(user.region_id) == len(village_code)
        if user.role not in chosen or (here and chosen[user.role][1] is False):
            chosen[user.role] = (user, here)
    return {role: user for role, (user, _here) in chosen.items()}


def _pages_of(user, household, check, caseworker) -> dict[str, str]:
    pages = {"landing": reverse(home_url_name(user))}
    if can(user, "worklist.view"):
        pages["今日待办"] = reverse("casework:worklist")
    elif can(user, "worklist.view_others"):
        pages["今日待办"] = reverse("casework:worklist_of", args=[caseworker.pk])
    if can(user, "check.submit"):
        pages["daily check"] = reverse("emergencies:check", args=[check.pk])
    if can(user, "contact.create"):
        pages["contact form"] = reverse("casework:contact_add", args=[household.pk])
    return pages


def _assert_fits_a_thumb(page, where: str) -> None:
    found = measure(page)
    assert found["small"] == [], f"{where}: tap targets under {TAP} px: {found['small']}"
    assert found["wide"] == [], f"{where}: wider than the screen: {found['wide']}"
    assert found["scrollWidth"] <= PHONE["width"], where
    menu = page.locator("header.topbar").bounding_box()
    assert menu["height"] <= MENU_MAX, f"{where}: the menu bar is {menu['height']} px tall"


def test_every_role_gets_thumb_sized_pages_at_360_px(browser, live_server):
    demo_load()
    household = Household.objects.select_related("caseworker").get(head_name=PZB)
    check = HealthCheck.objects.filter(household__region_code=household.region_code,
                                       status=CheckStatus.DUE).order_by("pk").first()
    assert check is not None, "the demo has a daily check to do in 戴家庄村"
    users = _one_user_per_role(household.region_code)
    assert set(users) == set(Role.values)
    opened = {}
    for role, user in users.items():
        context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                      has_touch=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        landed = log_in(page, live_server.url, user.username, demo_password(user.username), lands_on=None)
        pages = _pages_of(user, household, check, household.caseworker)
        assert landed == pages["landing"], role
        for name, path in pages.items():
            response = page.goto(live_server.url + path)
            assert response.status == 200, (role, name, response.status)
            _assert_fits_a_thumb(page, f"{role} {name} {path}")
        opened[role] = sorted(pages)
        # The menu: one button; opened, every entry is a big target and still nothing is too wide.
        summary = page.locator("details.phonemenu > summary")
        assert summary.is_visible() and not page.locator("nav.mainnav").is_visible()
        summary.click()
        panel = page.locator(".phonemenu-panel")
        panel.wait_for(state="visible")
        _assert_fits_a_thumb(page, f"{role} menu open")
        first = panel.locator("a").first
        target = first.get_attribute("href")
        first.click()
        page.wait_for_url(live_server.url + target)
        assert not errors, (role, errors)
        context.close()
    assert opened[Role.CASEWORKER] == ["contact form", "daily check", "landing", "今日待办"]
    assert opened[Role.VOLUNTEER] == ["daily check", "landing"]
    assert "今日待办" in opened[Role.TOWNSHIP_OFFICE] and "contact form" in opened[Role.TOWNSHIP_OFFICE]
