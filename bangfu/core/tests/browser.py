"""Browser fixtures: Playwright driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium the browser tests skip, unless BANGFU_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("BANGFU_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PHONE = {"width": 360, "height": 740}


def _missing(reason: str):
    if os.environ.get("BANGFU_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (BANGFU_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _missing(f"no Chromium at {CHROMIUM}; install Debian's chromium package")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright is not installed")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # itself (fixtures writing data) are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _expected_refusal(text: str) -> bool:
    """Chromium logs every 4xx answer to a fetch; a refused form sent by the outbox is answered 422
    (shown to the user), a replayed id with another body 409: answers, not errors of the page."""
    return text.startswith("Failed to load resource: the server responded with a status of 4") and (
        "(Unprocessable Entity)" in text or "(Conflict)" in text)


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a 360 px wide viewport, Chinese, against the live server."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" and not _expected_refusal(message.text) else None)
    page.errors = errors
    yield page
    context.close()


def log_in(page, base_url: str, username: str, password: str, *, lands_on: str | None = "/households/") -> str:
    """Log in through the form and wait for the page it leads to: `lands_on`, asked for as the
    login's next page; or, with lands_on=None, the role's own first page. Returns the page's path."""
    page.goto(f"{base_url}/accounts/login/" + (f"?next={lands_on}" if lands_on else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].full")
    if lands_on:
        page.wait_for_url(f"{base_url}{lands_on}")
    else:
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return page.url.removeprefix(base_url)


# The smallest box a finger hits reliably (Apple's HIG and Android's Material both ask 44-48 px).
TAP = 44

_MEASURE = """(tap) => {
  const vw = document.documentElement.clientWidth;
  const shown = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) return false;
    for (let e = el; e; e = e.parentElement) {
      // The content of a closed disclosure is not shown, whatever box it keeps.
      if (e.tagName === "DETAILS" && !e.open && !el.closest("summary")?.parentElement?.isSameNode(e)) return false;
      const s = getComputedStyle(e);
      if (s.visibility === "hidden" || s.display === "none" || s.clip === "rect(0px, 0px, 0px, 0px)") return false;
    }
    return true;
  };
  const describe = (el, r) => {
    const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || "").trim().slice(0, 30);
    return `${el.tagName.toLowerCase()}${el.type ? "[" + el.type + "]" : ""} "${text}" ${Math.round(r.width)}x${Math.round(r.height)}`;
  };
  const small = [];
  const selector = "a[href], button, select, summary, input[type=radio], input[type=checkbox]";
  for (const el of document.querySelectorAll(selector)) {
    let target = el;
    if (el.matches("input[type=radio], input[type=checkbox]")) {
      // A choice is hit through its label: the label's box is the target.
      target = el.closest("label") || (el.id && document.querySelector(`label[for="${el.id}"]`)) || el;
    }
    if (!shown(el) && !(target !== el && shown(target))) continue;
    const r = target.getBoundingClientRect();
    if (r.width < tap - 0.5 || r.height < tap - 0.5) small.push(describe(el, r));
  }
  const scrolls = (el) => {
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      const x = getComputedStyle(e).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden" || x === "clip") return true;
    }
    return false;
  };
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (!shown(el) || scrolls(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.right > vw + 0.5 || r.left < -0.5) wide.push(describe(el, r) + ` right=${Math.round(r.right)}`);
  }
  return {small, wide, scrollWidth: document.documentElement.scrollWidth, width: vw};
}"""


def measure(page) -> dict:
    """The visible tap targets smaller than TAP px either way (a choice measured by its label), the
    elements that stick out of the viewport sideways (outside a sideways-scrolling box), and the
    page's scroll width."""
    return page.evaluate(_MEASURE, TAP)


def menu_go(page, name: str) -> None:
    """Follow the main menu's entry `name`: on a phone the menu is one button, opened first."""
    phone_menu = page.locator("details.phonemenu")
    if phone_menu.is_visible():
        if phone_menu.get_attribute("open") is None:
            phone_menu.locator("summary").click()
        page.locator(".phonemenu-panel").get_by_role("link", name=name, exact=True).click()
    else:
        page.locator("nav.mainnav").get_by_role("link", name=name, exact=True).click()


class Wire:
    """Bytes over the wire, as Chromium counts them (DevTools' Network domain): for each request, what
    went up (request line, headers as sent, cookies included, and body) and what came down
    (`encodedDataLength`: headers and the body as transferred, compressed where it was). A file served
    from the browser's cache costs nothing and is counted as such."""

    def __init__(self, page):
        self.requests: dict[str, dict] = {}
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.requestWillBeSentExtraInfo", self._sent_headers)
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")

    def _entry(self, request_id: str) -> dict:
        return self.requests.setdefault(request_id, {"up": 0, "down": 0, "url": "", "method": "", "cached": False})

    def _sent(self, event):
        request = event["request"]
        if event.get("redirectResponse"):  # a redirect reuses the id: keep the first leg apart
            first = self.requests.pop(event["requestId"], {})
            first["down"] = int(event["redirectResponse"].get("encodedDataLength", 0))
            self.requests[f"{event['requestId']}#{len(self.requests)}"] = first
        entry = self._entry(event["requestId"])
        entry.update(url=request["url"], method=request["method"])
        body = request.get("postData", "")
        entry["body"] = len(body.encode())
        entry["up"] = entry.get("headers", 0) + entry["body"]

    def _sent_headers(self, event):
        entry = self._entry(event["requestId"])
        headers = event["headers"]
        entry["headers"] = 30 + sum(len(name) + len(str(value)) + 4 for name, value in headers.items())
        entry["up"] = entry["headers"] + entry.get("body", 0)

    def _received(self, event):
        response = event["response"]
        entry = self._entry(event["requestId"])
        entry["cached"] = bool(response.get("fromDiskCache") or response.get("fromPrefetchCache"))
        entry["status"] = response["status"]
        entry["encoding"] = {k.lower(): v for k, v in response.get("headers", {}).items()}.get("content-encoding", "")

    def _finished(self, event):
        self._entry(event["requestId"])["down"] = int(event["encodedDataLength"])

    def reset(self) -> None:
        self.requests.clear()

    def up(self) -> int:
        return sum(entry.get("up", 0) for entry in self.requests.values())

    def down(self) -> int:
        return sum(entry.get("down", 0) for entry in self.requests.values())

    def table(self) -> str:
        return "\n".join(f"{e.get('method', '')} {e.get('url', '')} up {e.get('up', 0)} down {e.get('down', 0)}"
                         f"{' cached' if e.get('cached') else ''} {e.get('encoding', '')}"
                         for e in self.requests.values())

    def throttle(self, *, kbit_per_second: int, latency_ms: int) -> None:
        """Chromium's network emulation: both directions at this rate, each round trip this long."""
        rate = kbit_per_second * 1000 / 8
        self.cdp.send("Network.emulateNetworkConditions", {
            "offline": False, "latency": latency_ms, "downloadThroughput": rate, "uploadThroughput": rate})

    def clear_cache(self) -> None:
        self.cdp.send("Network.clearBrowserCache")


def _joined_server_thread():
    """Django's live server thread, whose server ends its request threads when it closes.

    Django's threaded test server leaves each request thread (a daemon) running as long as the
    browser keeps its connection open. Such a thread, ending later, closes its database connections:
    the shared in-memory SQLite one too, once sharing it is no longer allowed, which raises in that
    thread (pytest's PytestUnhandledThreadExceptionWarning). Here closing the server shuts the open
    connections' sockets and waits for their threads, before sharing is revoked."""
    import socket
    import threading

    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread

    class JoinedServer(ThreadedWSGIServer):
        daemon_threads = False
        block_on_close = True

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._open: set[socket.socket] = set()
            self._open_lock = threading.Lock()
            self.cut = False

        def verify_request(self, request, client_address):
            # A dead spot: while the signal is cut, a connection is accepted and closed unanswered.
            return not self.cut

        def cut_signal(self, cut: bool) -> None:
            self.cut = cut
            if cut:  # connections the browser keeps open die too
                with self._open_lock:
                    still_open = list(self._open)
                for sock in still_open:
                    with contextlib.suppress(OSError):
                        sock.shutdown(socket.SHUT_RDWR)

        def process_request_thread(self, request, client_address):
            with self._open_lock:
                self._open.add(request)
            try:
                super().process_request_thread(request, client_address)
            finally:
                with self._open_lock:
                    self._open.discard(request)

        def server_close(self):
            with self._open_lock:
                still_open = list(self._open)
            for sock in still_open:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            super().server_close()  # joins the request threads (block_on_close)

    class JoinedServerThread(LiveServerThread):
        server_class = JoinedServer

    return JoinedServerThread


class Served(str):
    """The live server's base URL, which can also cut the server off: `served.signal(False)` makes it
    drop every connection unanswered (a dead spot, whatever the browser's own offline emulation lets
    through), `served.signal(True)` answers again."""

    def __new__(cls, url: str, server):
        served = super().__new__(cls, url)
        served.server = server
        return served

    def signal(self, on: bool) -> None:
        self.server.cut_signal(not on)


@contextlib.contextmanager
def production_server():
    """A live server as bangfu serves for real: static files collected (hashed names, gzip copies)
    and served by the middleware with their cache headers, not by the test server's own static
    handler (which reads the apps' folders, uncompressed). Yields its base URL."""
    from django.conf import settings
    from django.db import connections
    from django.test.utils import override_settings

    from bangfu.core.staticstorage import static_collect_if_stale

    with tempfile.TemporaryDirectory(prefix="bangfu-static-") as root, override_settings(
        STATIC_ROOT=Path(root),
        STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": "bangfu.core.staticstorage.ManifestStorage"}},
        WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False,
    ):
        static_collect_if_stale()
        shared = {conn.alias: conn for conn in connections.all() if conn.vendor == "sqlite" and conn.is_in_memory_db()}
        thread = _joined_server_thread()("127.0.0.1", static_handler=lambda handler: handler, connections_override=shared)
        thread.daemon = True
        for conn in shared.values():
            conn.inc_thread_sharing()
        thread.start()
        thread.is_ready.wait()
        try:
            if thread.error:
                raise thread.error
            yield Served(f"http://127.0.0.1:{thread.port}", thread.httpd)
        finally:
            thread.terminate()  # its request threads ended first: then the connection is no longer shared
            for conn in shared.values():
                conn.dec_thread_sharing()
