"""Core's two pages: the service worker (its header allows it the scope of the whole site)
and the phone's outbox (待发送), whose rows live in the phone's IndexedDB and are drawn by outbox.js."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from bangfu.core.outbox import offline_page


@cache
def _worker() -> bytes:
    return (Path(__file__).parent / "serviceworker.js").read_bytes()


@require_http_methods(["GET"])
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new version is picked up at the next visit
    return response


@offline_page
@login_required
@require_http_methods(["GET"])
def outbox(request: HttpRequest) -> HttpResponse:
    return render(request, "core/outbox.html")
