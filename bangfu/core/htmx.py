"""Rendering a page or, when htmx asks for part of it, only that named partial."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def render_page(request: HttpRequest, template: str, context: dict[str, Any], *, partial: str) -> HttpResponse:
    """`template`, or only its partial `partial` for an htmx request; restoring history after the
    browser dropped its copy of the page needs the whole page."""
    if request.htmx and not request.htmx.history_restore_request:
        template = f"{template}#{partial}"
    return render(request, template, context)
