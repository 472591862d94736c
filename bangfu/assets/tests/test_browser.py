"""In a real browser at 360 px: the keeper of a PV station finds it in their day, inspects it with a
photo (sent by the outbox, the photo in the FormData), and the township office sees the finding;
the pages are looked at at 360 and 1280 px."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bangfu.assets import services
from bangfu.assets.models import Inspection, Share
from bangfu.assets.tests.conftest import jpeg
from bangfu.core.dates import local_today
from bangfu.core.tests.browser import log_in, measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("BANGFU_SHOTS", "/tmp/h18assets"))


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_keeper_inspects_a_pv_station_with_a_photo_and_the_office_sees_the_finding(
        phone_page, live_server, personas, station, tmp_path):
    page = phone_page
    picture = tmp_path / "panels.jpg"
    picture.write_bytes(jpeg(2000, 1500, orientation=6))

    log_in(page, live_server.url, "caseworker_a", "pw-caseworker_a", lands_on=None)
    page.get_by_role("link", name="戴家庄村光伏电站").first.click()
    page.wait_for_url(f"{live_server.url}/assets/{station.pk}/inspect/")
    assert page.locator("form[data-outbox] input[name=client_id]").count() == 1
    page.get_by_label("组件清洁、无遮挡").check()
    page.get_by_label("逆变器运行正常、无故障灯").check()
    page.get_by_label("线缆和汇流箱完好").check()
    page.get_by_label("电表读数（千瓦时）").fill("10523.6")
    page.get_by_label("整改事项").fill("东侧围栏破损约5米")
    page.locator("input[type=file][name=photos]").set_input_files(str(picture))
    _shot(page, "inspect-360.png")
    checked = measure(page)
    assert checked["wide"] == [] and checked["scrollWidth"] <= 360
    page.get_by_role("button", name="保存").click()
    try:
        page.wait_for_url(f"{live_server.url}/assets/{station.pk}/", timeout=5000)
    except Exception:
        print("PAGE", page.locator("main").inner_text())
        raise
    page.wait_for_url(f"{live_server.url}/assets/{station.pk}/")
    inspection = Inspection.objects.get()
    assert inspection.checklist["meter_reading"] == 10523.6 and inspection.checklist["fence_intact"] is False
    photo = inspection.photos.get()
    assert (photo.width, photo.height) == (1200, 1600)  # turned upright, resized
    page.locator(".asset-photos img").first.wait_for()
    assert page.evaluate("document.querySelector('.asset-photos img').naturalWidth") == 1200
    _shot(page, "detail-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The township office: the finding among the open fixes and on the asset's page.
    page.context.clear_cookies()
    log_in(page, live_server.url, "office", "pw-office", lands_on="/assets/fixes/")
    assert page.get_by_text("东侧围栏破损约5米").is_visible()
    _shot(page, "fixes-360.png")
    page.goto(f"{live_server.url}/assets/")
    _shot(page, "list-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    today = local_today()
    services.income_record(asset=station, month=today, category="power", amount_fen=248_000, note="",
                           client_id="5e0b8a54-7a34-4a5e-9a9e-0c7c1f7d9a01", actor=personas["office"])
    plan = services.plan_create(asset=station, year=today.year, shares={Share.WELFARE: 70, Share.COLLECTIVE: 30},
                                meeting="村民代表大会", actor=personas["office"])
    page.goto(f"{live_server.url}/assets/plans/{plan.pk}/")
    _shot(page, "plan-360.png")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.set_viewport_size({"width": 1280, "height": 900})
    for name, path in (("list", "/assets/"), ("detail", f"/assets/{station.pk}/"), ("fixes", "/assets/fixes/"),
                       ("plan", f"/assets/plans/{plan.pk}/"), ("inspect", f"/assets/{station.pk}/inspect/"),
                       ("create", "/assets/new/")):
        page.goto(f"{live_server.url}{path}")
        _shot(page, f"{name}-1280.png")
    assert not page.errors
