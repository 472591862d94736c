"""The asset pages and API: the register's filters and scope, the photo served only within scope,
an inspection posted as multipart with a photo (once per client id, another body 409), the phone's
outbox answer, the plan's share rule on the page."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from bangfu.accounts.testing import ApiClient
from bangfu.assets import services
from bangfu.assets.models import Inspection, Photo
from bangfu.assets.tests.conftest import jpeg
from bangfu.core.dates import local_today

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def multipart(user, path, fields, photos=()):
    client = Client()
    from bangfu.accounts.services import token_create

    data = dict(fields)
    if photos:
        data["photos"] = [SimpleUploadedFile(f"p{n}.jpg", content, content_type="image/jpeg")
                          for n, content in enumerate(photos)]
    return client.post(path, data, headers={"Authorization": f"Bearer {token_create(user=user, name='t')}"})


def test_the_register_filters_and_scope(station, other_station, personas):
    page = client_for(personas["office"]).get(reverse("assets:list"), {"kind": "pv_station"})
    assert page.status_code == 200 and "戴家庄村光伏电站" in page.content.decode()
    assert "送庄村大棚" not in page.content.decode()
    assert "戴家庄村光伏电站" not in client_for(personas["office"]).get(reverse("assets:list"), {"kind": "road"}).content.decode()
    assert "戴家庄村光伏电站" not in client_for(personas["caseworker_b"]).get(reverse("assets:list")).content.decode()
    assert client_for(personas["caseworker_b"]).get(reverse("assets:detail", args=[station.pk])).status_code == 404
    api = ApiClient(personas["outsider_office"]).get("/api/assets")
    assert [a["name"] for a in api.json()] == ["送庄村大棚"]


def test_an_inspection_with_a_photo_through_the_api_once(station, personas):
    path = f"/api/assets/{station.pk}/inspections"
    fields = {"client_id": str(uuid.uuid4()), "day": local_today().isoformat(),
              "checklist": json.dumps({"panels_clean": False, "meter_reading": 5120.5}), "finding": "组件积灰",
              "note": ""}
    photo = jpeg(2400, 1800)
    first = multipart(personas["caseworker_a"], path, fields, [photo])
    assert first.status_code == 201, first.content
    body = first.json()
    assert body["checklist"]["meter_reading"] == 5120.5 and body["findings"][0]["text"] == "组件积灰"
    assert (body["photos"][0]["width"], body["photos"][0]["height"]) == (1600, 1200)
    again = multipart(personas["caseworker_a"], path, fields, [photo])
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    other = multipart(personas["caseworker_a"], path, fields, [jpeg(2400, 1800, (0, 0, 0))])
    assert other.status_code == 409 and other.json()["code"] == "replay_mismatch"
    assert Inspection.objects.count() == 1 and Photo.objects.count() == 1
    # Outside the caller's area: 404, nothing stored.
    outside = multipart(personas["caseworker_b"], path, {**fields, "client_id": str(uuid.uuid4())}, [photo])
    assert outside.status_code == 404 and Inspection.objects.count() == 1


def test_a_photo_is_served_only_within_scope(station, personas):
    multipart(personas["caseworker_a"], f"/api/assets/{station.pk}/inspections",
              {"client_id": str(uuid.uuid4()), "day": local_today().isoformat()}, [jpeg(800, 600)])
    photo = Photo.objects.get()
    url = reverse("assets:photo", args=[photo.pk])
    for name in ("caseworker_a", "office", "county"):
        answer = client_for(personas[name]).get(url)
        assert answer.status_code == 200 and answer["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(b"".join(answer.streaming_content))) as image:
            assert image.size == (800, 600)
    for name in ("caseworker_b", "outsider_office"):
        assert client_for(personas[name]).get(url).status_code == 404
    assert client_for(personas["office"]).get(reverse("assets:photo", args=[photo.pk + 1])).status_code == 404


def test_the_phone_form_posts_through_the_outbox(station, personas):
    client = client_for(personas["caseworker_a"])
    url = reverse("assets:inspect", args=[station.pk])
    page = client.get(url).content.decode()
    assert "data-outbox" in page and 'name="client_id"' in page and 'type="file"' in page
    client_id = str(uuid.uuid4())
    data = {"client_id": client_id, "day": local_today().isoformat(), "c_panels_clean": "on", "c_meter_reading": "88",
            "finding": "围栏破损", "fix_by": local_today().isoformat(),
            "photos": [SimpleUploadedFile("a.jpg", jpeg(400, 300), content_type="image/jpeg")]}
    answer = client.post(url, data, headers={"X-Bangfu-Outbox": "1"})
    assert answer.status_code == 200 and answer.json()["status"] == "stored"
    inspection = Inspection.objects.get()
    assert inspection.checklist == {"panels_clean": True, "inverter_running": False, "fence_intact": False,
                                    "cables_sound": False, "meter_reading": 88.0}
    assert inspection.photos.count() == 1 and inspection.findings.get().text == "围栏破损"
    # Five photos: refused on the field, with the reason.
    data.update(client_id=str(uuid.uuid4()),
                photos=[SimpleUploadedFile(f"{n}.jpg", jpeg(40, 30), content_type="image/jpeg") for n in range(5)])
    refused = client.post(url, data, headers={"X-Bangfu-Outbox": "1"})
    assert refused.status_code == 422 and "photos" in refused.json()["errors"]
    # The office sees the finding on the asset's page and among the open fixes.
    office = client_for(personas["office"])
    assert "围栏破损" in office.get(reverse("assets:detail", args=[station.pk])).content.decode()
    assert "围栏破损" in office.get(reverse("assets:fixes")).content.decode()


def test_the_plan_page_refuses_too_little_for_welfare_posts(station, personas):
    client = client_for(personas["village_a"])
    answer = client.post(reverse("assets:plan_create", args=[station.pk]), {
        "year": local_today().year, "welfare_percent": 50, "collective_percent": 50, "households_percent": 0,
        "reinvest_percent": 0})
    assert answer.status_code == 200
    assert "At least 60% goes to public-welfare post pay" in answer.content.decode()
    ok = client.post(reverse("assets:plan_create", args=[station.pk]), {
        "year": local_today().year, "welfare_percent": 60, "collective_percent": 40, "households_percent": 0,
        "reinvest_percent": 0})
    assert ok.status_code == 302
    plan = station.plans.get()
    assert client_for(personas["office"]).post(reverse("assets:plan_approve", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == "approved"
    page = client_for(personas["office"]).get(reverse("assets:plan", args=[plan.pk])).content.decode()
    assert "print-sheet" in page


def test_a_county_sets_its_rules(station, personas):
    client = client_for(personas["county"])
    assert client.get(reverse("assets:settings")).status_code == 200
    days = {f"days_{kind}": 30 for kind in ("pv_station", "greenhouse", "workshop", "road", "water", "other")}
    answer = client.post(reverse("assets:settings"), {"county": "370215", "welfare_min_percent": 65,
                                                      **days, "days_pv_station": 7})
    assert answer.status_code == 302
    assert services.welfare_min_percent(station.region_code) == 65
    assert services.interval_days("pv_station", station.region_code) == 7
    assert client_for(personas["office"]).get(reverse("assets:settings")).status_code == 403
