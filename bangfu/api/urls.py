"""The JSON API: one NinjaAPI mounting every app's router, with bearer-token and session auth."""

from __future__ import annotations

from ninja import NinjaAPI

from bangfu.api.auth import BearerToken, SessionAuth

api = NinjaAPI(
    title="bangfu API",
    version="1",
    description="Households, members and their history, scoped to the caller's area.",
    auth=[BearerToken(), SessionAuth()],
    urls_namespace="api",
)

api.add_router("/households", "bangfu.households.api.router")
