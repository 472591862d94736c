"""Light pages on a weak signal, in bytes over the wire as Chromium counts them: a caseworker's first
visit to 今日待办 (nothing cached) at most 60 KB in all, a later page at most 15 KB, and a daily check
submitted at most 5 KB each way. Timings on an emulated slow connection are in bench/light.py."""

from __future__ import annotations

import pytest

from bangfu.core.tests.browser import PHONE, Wire, production_server
from bangfu.emergency.services import checks_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KB = 1024


def test_todays_list_and_a_daily_check_fit_their_budgets(browser, personas, make_household, emergency):
    for _ in range(8):  # a caseworker's usual handful of households, each with its check today
        make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    # The service worker (reading offline) fetches the same pages over the same wire, but from its own
    # context, which the page's counter does not see: blocked here, every byte is counted by the page.
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True, service_workers="block")
    context.set_default_timeout(10_000)
    page = context.new_page()
    with production_server() as base:
        wire = Wire(page)
        page.goto(f"{base}/accounts/login/")
        page.fill("input[name=username]", "caseworker_a")
        page.fill("input[name=password]", "pw-caseworker_a")
        page.click("button[type=submit].full")
        page.wait_for_url(f"{base}/casework/today/")

        # First visit: the browser's cache emptied, as on a phone that never opened bangfu.
        wire.clear_cache()
        wire.reset()
        page.goto(f"{base}/casework/today/")
        page.locator(".check-worklist a").first.wait_for()
        first_visit = wire.down()
        statics = [entry for entry in wire.requests.values() if "/static/" in entry["url"]]
        assert len(statics) >= 4 and all(entry["encoding"] == "gzip" for entry in statics), wire.table()
        assert first_visit <= 60 * KB, wire.table()

        # A later page: the static files come from the cache, only the page travels.
        wire.reset()
        page.goto(f"{base}/casework/today/")
        page.locator(".check-worklist a").first.wait_for()
        later = wire.down()
        assert all("/static/" not in entry["url"] or entry["down"] == 0 for entry in wire.requests.values()), \
            wire.table()
        assert later <= 15 * KB, wire.table()

        page.locator(".check-worklist a").first.click()
        page.get_by_role("button", name="提交排查").wait_for()
        for question in ("今天已消毒？", "生活物资够用 7 天吗？"):
            page.get_by_role("group", name=question).get_by_label("是").check()
        for question in ("有人咳嗽、咽痛或气促吗？", "这户需要帮助吗？"):
            page.get_by_role("group", name=question).get_by_label("否").check()
        for field in page.locator("input[type=number]").all():
            field.fill("36.5")
        wire.reset()
        page.get_by_role("button", name="提交排查").click()
        page.wait_for_url(f"{base}/casework/today/")
        page.locator(".check-worklist").first.wait_for()
        posts = [entry for entry in wire.requests.values() if entry["method"] == "POST"]
        assert len(posts) == 1, wire.table()
        # Up: the form itself. Down: its answer, with the list it leads back to.
        submitted_up, submitted_down = posts[0]["up"], wire.down()
        assert submitted_up <= 5 * KB, wire.table()
        assert submitted_down <= 5 * KB, wire.table()
        context.close()  # before the server stops: its threads still hold the browser's connections
    print(f"\nbytes: first visit {first_visit}, later page {later}, "
          f"check submitted up {submitted_up} / down {submitted_down}")
