"""Working without a signal, in Chromium at 360 px with the browser context set offline: daily checks
and contacts recorded offline wait in the phone's outbox (the badge counts them, through a reload),
and are stored exactly once when the signal comes back; a replay with a changed body is flagged; a
refused form (422) is shown and never sent again by itself; the day reads offline with when it was
synced; logging out is refused while entries wait and clears the phone's copies; a normal daily
check takes three taps from today's list. Screenshots in /tmp/h21outbox/."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bangfu.casework.models import Contact
from bangfu.core.tests.browser import PHONE, production_server
from bangfu.emergency.models import CheckStatus, CheckSubmission, HealthCheck
from bangfu.emergency.services import checks_generate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path("/tmp/h21outbox")
COUNT = "[data-outbox-badge] [data-outbox-count]"
ENTRIES = """() => new Promise((resolve) => {
  const open = indexedDB.open("bangfu-outbox");
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("entries")) { resolve([]); return; }
    const all = db.transaction("entries").objectStore("entries").getAll();
    all.onsuccess = () => resolve(all.result);
  };
})"""


def _context(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return context, page


def _log_in(page, base, username="caseworker_a"):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", f"pw-{username}")
    page.click("button[type=submit].full")
    page.wait_for_url(f"{base}/casework/today/")


def _until(page, script: str, arg=None, tries: int = 100):
    """Poll a condition in the page (the service worker and IndexedDB answer asynchronously)."""
    for _ in range(tries):
        if page.evaluate(script, arg):
            return
        time.sleep(0.1)
    print("SW state:", page.url, page.evaluate("""async () => { const r = await navigator.serviceWorker.getRegistration("/"); return r ? [r.active && r.active.state, r.installing && r.installing.state, r.waiting && r.waiting.state, r.scope] : "none"; }"""))
    kept = page.evaluate("""async () => (await caches.keys()).length ? (await (await caches.open("bangfu-pages-1")).keys()).map((r) => r.url) : []""")
    raise AssertionError(f"never true: {script} (kept: {kept})")


def _controlled_and_kept(page, urls: list[str]):
    # The worker is active once `ready` resolves. Its clients.claim() makes this page controlled, but on
    # a loaded machine the claim can come after the page stopped waiting; the next page load is then
    # controlled, as every later load on a phone is.
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    if not page.evaluate("() => navigator.serviceWorker.controller !== null"):
        page.reload()
    _until(page, "() => navigator.serviceWorker.controller !== null")
    _until(page, """async (urls) => {
        const cache = await caches.open("bangfu-pages-1");
        const kept = (await cache.keys()).map((r) => new URL(r.url).pathname);
        return urls.every((u) => kept.includes(u));
    }""", urls)


def _no_signal(page, context, base):
    """Offline: the phone says so (the browser's emulation, which the service worker's own requests
    follow after a moment) and the server answers nothing (a dead spot, whatever gets through)."""
    base.signal(False)
    context.set_offline(True)
    _until(page, """() => fetch("/outbox/", {method: "POST"}).then(() => false, () => true)""")


def test_checks_and_contacts_recorded_offline_are_stored_once_when_the_signal_returns(
        browser, personas, make_household, emergency):
    SHOTS.mkdir(exist_ok=True)
    households = [make_household(caseworker=personas["caseworker_a"]) for _ in range(12)]
    checks_generate()
    checks = list(HealthCheck.objects.filter(household__in=households[:10]).order_by("pk"))
    context, page = _context(browser)
    with production_server() as base:
        _log_in(page, base)
        # Today's list with a signal: the service worker keeps it and the checks it links to.
        check_urls = [f"/emergencies/checks/{c.pk}/" for c in checks]
        contact_urls = [f"/casework/households/{h.pk}/contact/" for h in households[10:]]
        page.reload()
        _controlled_and_kept(page, ["/casework/today/", *check_urls[:5]])
        for url in [*contact_urls, "/outbox/", *check_urls]:  # the rest of the day, read once
            page.goto(base + url)
        page.goto(f"{base}/casework/today/")
        _controlled_and_kept(page, ["/casework/today/", "/outbox/", *check_urls, *contact_urls])
        assert page.locator("[data-synced]").is_visible()

        _no_signal(page, context, base)
        for url in check_urls:
            page.goto(base + url)
            page.locator("html[data-outbox=ready]").wait_for(state="attached")
            page.get_by_role("button", name="全部正常").click()
            page.get_by_role("button", name="提交排查").click()
            page.wait_for_url(f"{base}/casework/today/")
        for url in contact_urls:
            page.goto(base + url)
            page.locator("html[data-outbox=ready]").wait_for(state="attached")
            page.locator("input[name=channel][value=phone]").check()
            page.locator("button[name=outcome][value=no_answer]").click()
            page.wait_for_url(f"{base}/casework/today/")
        page.locator(COUNT).wait_for()
        _until(page, f"() => document.querySelector('{COUNT}').textContent === '12'")
        assert CheckSubmission.objects.count() == 0 and Contact.objects.count() == 0

        page.reload()  # offline: the page from the service worker, the count from IndexedDB
        _until(page, f"() => document.querySelector('{COUNT}').textContent === '12'")
        assert page.locator("[data-outbox-badge]").is_visible()
        synced = page.locator("[data-synced]")
        assert synced.is_visible() and "同步于" in synced.inner_text() and "离线" in synced.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.screenshot(path=str(SHOTS / "offline-day-360.png"), full_page=True)
        page.locator("[data-outbox-badge]").screenshot(path=str(SHOTS / "badge-360.png"))

        page.goto(f"{base}/outbox/")
        page.locator(".outbox-row").first.wait_for()
        assert page.locator(".outbox-row").count() == 12
        assert page.locator(".outbox-row[data-status=waiting]").count() == 12
        page.screenshot(path=str(SHOTS / "outbox-list-360.png"), full_page=True)

        # A household page not read with a signal is not on the phone.
        missing = page.goto(f"{base}/households/{households[0].pk}/")
        assert missing is None or missing.status == 503

        base.signal(True)
        context.set_offline(False)  # the `online` event sends them
        page.goto(f"{base}/outbox/")
        _until(page, f"async () => (await ({ENTRIES})()).length === 0", tries=300)
        page.locator("[data-outbox-empty]").wait_for()
        assert page.locator("[data-outbox-badge]").is_hidden()
        assert CheckSubmission.objects.count() == 10
        assert HealthCheck.objects.filter(pk__in=[c.pk for c in checks], status=CheckStatus.DONE).count() == 10
        assert Contact.objects.count() == 2 and set(Contact.objects.values_list("household_id", flat=True)) == {
            h.pk for h in households[10:]}
        page.reload()  # sending again on load finds nothing: still once each
        assert CheckSubmission.objects.count() == 10 and Contact.objects.count() == 2
        assert not page.errors, page.errors
        context.close()


def test_a_changed_replay_is_flagged_a_refused_form_is_kept_and_logout_clears_the_phone(
        browser, personas, make_household, emergency):
    SHOTS.mkdir(exist_ok=True)
    household = make_household(caseworker=personas["caseworker_a"])
    head = household.members.get()
    checks_generate()
    check = HealthCheck.objects.get(household=household)
    context, page = _context(browser)
    posts: list[str] = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    with production_server() as base:
        _log_in(page, base)
        url = f"{base}/emergencies/checks/{check.pk}/"

        # Refused by the server (422): kept, shown with the server's message, not sent again by itself.
        page.goto(url)
        page.locator("html[data-outbox=ready]").wait_for(state="attached")
        page.get_by_label(head.name).fill("99")
        page.get_by_role("button", name="全部正常").click()
        page.get_by_role("button", name="提交排查").click()
        error = page.locator(".temp-row.has-error .error")  # the page the form would have shown
        error.wait_for()
        assert "43.0" in error.inner_text()
        assert sum(1 for u in posts if u == url) == 1
        page.goto(f"{base}/outbox/")
        page.locator(".outbox-row[data-status=invalid]").wait_for()
        page.reload()
        page.locator(".outbox-row[data-status=invalid]").wait_for()
        assert sum(1 for u in posts if u == url) == 1  # page loads did not send it again
        assert CheckSubmission.objects.count() == 0

        # Fix: the form opens with the stored values; corrected, it is stored and leaves the outbox.
        page.get_by_role("button", name="修改").click()
        page.wait_for_url(lambda u: "#outbox-fix=" in u)
        field = page.get_by_label(head.name)
        _until(page, "() => document.querySelector('input[name^=t_m]').value === '99'")
        field.fill("36.6")
        page.get_by_role("button", name="提交排查").click()
        page.wait_for_url(f"{base}/casework/today/")
        assert CheckSubmission.objects.count() == 1
        stored = CheckSubmission.objects.get()

        # The same id sent again with another body (a phone's copy edited): flagged, never stored.
        page.evaluate("""(args) => new Promise((resolve) => {
          const open = indexedDB.open("bangfu-outbox");
          open.onsuccess = () => {
            const tx = open.result.transaction("entries", "readwrite");
            tx.objectStore("entries").put({id: args.id, url: args.url, page: args.url, title: "replay",
              time: Date.now(), status: "waiting", message: "",
              fields: [["client_id", args.id], [args.t, "38.9"], ["disinfection", "yes"], ["symptoms", "no"],
                       ["supplies", "yes"], ["help", "no"], ["note", ""]]}, args.id);
            tx.oncomplete = resolve;
          };
        })""", {"id": stored.client_id, "url": url, "t": f"t_m{head.pk}"})
        page.goto(f"{base}/outbox/")
        page.get_by_role("button", name="立即同步").click()
        row = page.locator(".outbox-row[data-status=mismatch]")
        row.wait_for()
        assert "不一致" in row.inner_text() or "replay" in row.inner_text().lower()
        check.refresh_from_db()
        assert not check.fever and CheckSubmission.objects.count() == 1
        page.screenshot(path=str(SHOTS / "outbox-refused-360.png"), full_page=True)

        # Logging out is refused while something waits.
        page.on("dialog", lambda dialog: dialog.accept())
        page.locator("details.usermenu > summary").click()
        page.get_by_role("button", name="退出登录").click()
        time.sleep(0.3)
        assert page.url == f"{base}/outbox/"
        assert len(page.evaluate(ENTRIES)) == 1

        # Dropped, then logging out clears the outbox and the kept pages.
        page.locator(".outbox-row").get_by_role("button", name="删除").click()
        _until(page, "() => document.querySelectorAll('.outbox-row').length === 0")
        page.locator("details.usermenu > summary").click()
        page.get_by_role("button", name="退出登录").click()
        page.wait_for_url(lambda u: "/accounts/login/" in u)
        assert page.evaluate(ENTRIES) == []
        assert page.evaluate("caches.keys().then((keys) => keys.length)") == 0
        assert not page.errors, page.errors
        context.close()


def test_a_normal_daily_check_takes_three_taps_from_today(browser, personas, make_household, emergency):
    household = make_household(caseworker=personas["caseworker_a"])
    checks_generate()
    context, page = _context(browser)
    with production_server() as base:
        _log_in(page, base)
        taps = 0
        page.locator(".check-worklist a").first.click()
        taps += 1  # open
        page.get_by_role("button", name="全部正常").click()
        taps += 1  # all normal
        page.get_by_role("button", name="提交排查").click()
        taps += 1  # send
        page.wait_for_url(f"{base}/casework/today/")
        check = HealthCheck.objects.get(household=household)
        assert taps <= 3 and check.status == CheckStatus.DONE and not check.fever
        assert check.disinfection is True and check.symptoms is False and check.help_needed is False
        context.close()
