"""Light pages: hashed, compressed static files cached for a year, collected again only when stale;
pages gzipped for a client that accepts it."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.test import Client, override_settings

import bangfu
from bangfu.core.management.commands import serve as serve_module
from bangfu.core.staticstorage import STAMP_NAME, static_collect_if_stale

PICO = Path(bangfu.__file__).parent / "core/static/vendor/pico/pico.min.css"
MANIFEST = {"BACKEND": "bangfu.core.staticstorage.ManifestStorage"}


def _storages(settings):
    return {**settings.STORAGES, "staticfiles": MANIFEST}


@pytest.fixture
def collected(settings, tmp_path):
    """The production storage, collected into a folder of this test's own, served from there alone."""
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=_storages(settings),
                           WHITENOISE_USE_FINDERS=False, WHITENOISE_AUTOREFRESH=False):
        assert static_collect_if_stale() is True
        yield tmp_path / "static"


def test_manifest_storage_end_to_end(db, collected):
    page = Client().get("/accounts/login/")
    assert page.status_code == 200
    href = re.search(r'href="(/static/vendor/pico/pico\.min\.[0-9a-f]{12}\.css)"', page.content.decode())
    assert href, "the page names the stylesheet by its hashed name"

    asset = Client().get(href.group(1), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert asset.status_code == 200
    assert asset["Content-Encoding"] in {"gzip", "br"}
    assert "max-age=31536000" in asset["Cache-Control"] and "immutable" in asset["Cache-Control"]
    body = b"".join(asset.streaming_content)
    if asset["Content-Encoding"] == "gzip":
        assert gzip.decompress(body) == PICO.read_bytes()
        assert len(body) < PICO.stat().st_size / 4

    plain = Client().get(href.group(1))  # a client that accepts no compression gets the file itself
    assert "Content-Encoding" not in plain and b"".join(plain.streaming_content) == PICO.read_bytes()


def test_a_file_under_its_plain_name_is_not_cached_for_long(db, collected):
    response = Client().get("/static/vendor/pico/pico.min.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"] and "max-age=31536000" not in response["Cache-Control"]


def test_collecting_again_only_when_a_source_changed(settings, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    (sources / "extra.css").write_text("body { color: red; }\n" * 100)  # big enough to be worth compressing
    root = tmp_path / "static"
    with override_settings(STATIC_ROOT=root, STORAGES=_storages(settings), STATICFILES_DIRS=[sources]):
        assert static_collect_if_stale() is True
        first = sorted(path.name for path in root.glob("extra.*.css"))
        assert static_collect_if_stale() is False  # nothing changed: nothing collected
        (sources / "extra.css").write_text("body { color: blue; }\n" * 100)
        assert static_collect_if_stale() is True
        second = sorted(path.name for path in root.glob("extra.*.css"))
    assert len(first) == len(second) == 1 and first != second  # a new hash, the old copy cleared
    assert (root / STAMP_NAME).exists() and (root / second[0]).with_suffix(".css.gz").exists()


def test_a_stylesheet_not_collected_yet_still_renders_under_its_plain_name(db, settings, tmp_path):
    with override_settings(STATIC_ROOT=tmp_path / "empty", STORAGES=_storages(settings)):
        page = Client().get("/accounts/login/")
    assert page.status_code == 200
    assert 'href="/static/vendor/pico/pico.min.css"' in page.content.decode()


def test_serve_collects_before_it_starts_the_server(db, settings, tmp_path, monkeypatch):
    started = []

    class Process:
        def __init__(self, command):
            started.append((command, (tmp_path / "static" / STAMP_NAME).exists()))

        def wait(self, timeout=None):
            return 0

        def poll(self):
            return 0

    monkeypatch.setattr(serve_module.subprocess, "Popen", Process)
    monkeypatch.setattr(serve_module.signal, "signal", lambda *args: None)
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=_storages(settings)):
        serve_module.serve(host="127.0.0.1", port=8123, workers=1, threads=2, tasks=False)
    (command, collected_first), = started
    assert "granian" in command and collected_first


# --- pages ------------------------------------------------------------------------------------

def test_a_page_is_gzipped_for_a_client_that_accepts_it(client, personas):
    client.force_login(personas["office"])
    plain = client.get("/households/")
    packed = client.get("/households/", HTTP_ACCEPT_ENCODING="gzip")
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    html = gzip.decompress(packed.content).decode()
    assert "</html>" in html and len(packed.content) < len(plain.content) / 2


def test_the_session_cookie_is_not_sent_on_cross_site_requests(client, personas):
    response = client.post("/accounts/login/", {"username": "office", "password": "pw-office"})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["samesite"] == "Lax"


@pytest.mark.parametrize(("content_type", "compressed"), [
    ("text/html; charset=utf-8", True),
    ("application/json", True),
    ("text/csv", True),
    ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", False),
    ("image/png", False),
])
def test_only_text_is_gzipped(rf, content_type, compressed):
    from django.http import HttpResponse

    from bangfu.core.middleware import CompressMiddleware

    body = b"0123456789abcdef" * 200
    middleware = CompressMiddleware(lambda request: HttpResponse(body, content_type=content_type))
    response = middleware(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"))
    assert (response.get("Content-Encoding") == "gzip") is compressed
    assert (gzip.decompress(response.content) if compressed else response.content) == body
