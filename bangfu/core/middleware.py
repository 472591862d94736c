"""Middleware: bind a request id for history, and send it back so a user can quote it; serve static files."""

from __future__ import annotations

import uuid

from django.middleware.gzip import GZipMiddleware
from whitenoise.middleware import WhiteNoiseMiddleware

from bangfu.core import requestid


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with requestid.bound(uuid.uuid4()) as request_id:
            request.request_id = request_id
            response = self.get_response(request)
        response["X-Request-Id"] = str(request_id)
        return response


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise, with a hashed file (its name changes with its content) cached for a year rather
    than WhiteNoise's ten: `Cache-Control: max-age=31536000, public, immutable`."""

    FOREVER = 365 * 24 * 60 * 60


# What gzip makes smaller: text. An .xlsx, a zip or an image is compressed already.
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")


class CompressMiddleware(GZipMiddleware):
    """Django's gzip (with its random padding against BREACH) for text answers only: an export's
    .xlsx is a zip already, and gzipping it again costs the server time and saves nothing."""

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").lower()
        if not content_type.startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)
