#!/usr/bin/env python3
"""Benchmark of 今日待办 on a weak signal: bytes over the wire and the time until its first household
can be tapped, in Chromium emulating a slow 3G connection (400 kbit/s each way, 400 ms round trip).

    .venv/bin/python bench/light.py [--repeat 3] [--rebuild]

Builds (first time, or with --rebuild) the demo's database in bench/out/light/ (`bangfu demo
--no-serve`), makes today's daily checks (`bangfu checks`), then for each configuration serves it
with `bangfu serve` (granian) on a free local port and drives Debian's Chromium through Playwright
as the demo's caseworker of 戴家庄村 (login sunlei), on a 360 px phone screen:

- first visit: logged in, the browser's cache emptied, the network slowed, 今日待办 opened;
- later visit: 今日待办 opened again, with what the browser cached.

"Usable" (s) is the moment the first household link of the list is laid out and the page painted
(the later of the two, each from the start of the navigation: the stylesheets hold the first paint
back); "load" the load event (the scripts run, htmx ready); each figure is the median of --repeat runs, each in a new browser.

Configurations: `before` (bench/light_before.py: the settings before pages were made light: pages
not compressed, static files uncompressed under plain names, cached 60 s) and `after` (bangfu's
settings: pages gzipped, static files hashed, gzipped, cached a year).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out" / "light"
PYTHON = sys.executable
USER, PASSWORD = "sunlei", "sunlei2020"
FIRST_HOUSEHOLD = ".worklist-section a[href]"
SLOW_3G = {"kbit_per_second": 400, "latency_ms": 400}
PAINTED = """new Promise((done) => new PerformanceObserver((list, observer) => {
  const paint = list.getEntries().find((entry) => entry.name === "first-contentful-paint");
  if (paint) { observer.disconnect(); done(paint.startTime); }
}).observe({type: "paint", buffered: true}))"""
LOADED = "performance.getEntriesByType('navigation')[0].loadEventEnd"
CONFIGURATIONS = {"before": "light_before", "after": "bangfu.settings"}


def environment(settings_module: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(BANGFU_DATA_DIR=str(OUT), DATABASE_URL=f"sqlite:///{OUT / 'demo.sqlite3'}",
               DJANGO_SETTINGS_MODULE=settings_module,
               PYTHONPATH=os.pathsep.join([str(ROOT / "bench"), str(ROOT), env.get("PYTHONPATH", "")]))
    return env


def build(rebuild: bool) -> None:
    if rebuild or not (OUT / "demo.sqlite3").exists():
        OUT.mkdir(parents=True, exist_ok=True)
        env = environment("bangfu.settings")
        env.pop("DATABASE_URL")  # the demo picks its own file in the data folder
        subprocess.run([PYTHON, "-m", "bangfu", "demo", "--no-serve"], env=env, check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)
    subprocess.run([PYTHON, "-m", "bangfu", "checks"], env=environment("bangfu.settings"), check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL)


def free_port() -> int:
    with socket.create_server(("127.0.0.1", 0)) as probe:
        return probe.getsockname()[1]


def start_server(settings_module: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([PYTHON, "-m", "bangfu", "serve", "--port", str(port), "--no-tasks"],
                              env=environment(settings_module), cwd=ROOT, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=2) as response:
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"the server ({settings_module}) did not answer within 60 s")


def one_run(browser, base: str) -> dict[str, float]:
    from bangfu.core.tests.browser import PHONE, Wire

    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    wire = Wire(page)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", USER)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].full")
    page.wait_for_url(f"{base}/casework/today/")
    figures = {}
    wire.clear_cache()
    wire.throttle(**SLOW_3G)
    for visit in ("first", "later"):
        wire.reset()
        page.goto(f"{base}/casework/today/", wait_until="commit")
        page.locator(FIRST_HOUSEHOLD).first.wait_for(state="visible")
        shown = page.evaluate("performance.now()")
        page.wait_for_load_state("load")
        # Laid out is not yet painted: the stylesheets hold the first paint back.
        painted = page.evaluate(PAINTED)
        figures[f"{visit} s"] = max(shown, painted) / 1000
        figures[f"{visit} load s"] = page.evaluate(LOADED) / 1000
        figures[f"{visit} KB"] = wire.down() / 1024
        figures[f"{visit} requests"] = sum(1 for entry in wire.requests.values() if entry.get("down"))
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    build(args.rebuild)

    from playwright.sync_api import sync_playwright

    from bangfu.core.tests.browser import CHROMIUM, CHROMIUM_ARGS

    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name, settings_module in CONFIGURATIONS.items():
            server, base = start_server(settings_module)
            try:
                runs = [one_run(browser, base) for _ in range(args.repeat)]
            finally:
                server.terminate()
                server.wait(timeout=30)
            results[name] = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        browser.close()

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"今日待办 as {USER}, slow 3G ({SLOW_3G['kbit_per_second']} kbit/s, {SLOW_3G['latency_ms']} ms), "
          f"median of {args.repeat}; {os.cpu_count()} CPUs, load average {load:.1f}")
    keys = ["first KB", "first requests", "first s", "first load s", "later KB", "later requests", "later s",
            "later load s"]
    print("| configuration | " + " | ".join(keys) + " |")
    print("|---|" + "---:|" * len(keys))
    for name, figures in results.items():
        cells = [f"{figures[key]:.0f}" if "requests" in key else f"{figures[key]:.1f}" for key in keys]
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
