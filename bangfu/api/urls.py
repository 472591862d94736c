"""The JSON API: one NinjaAPI mounting the routers every app declares (`api_routers` on its AppConfig,
a path prefix and the dotted path of a ninja Router), with bearer-token and session auth."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja import NinjaAPI, Swagger
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.parser import Parser

from bangfu.api.auth import BearerToken, SessionAuth
from bangfu.core import errors
from bangfu.core.plugins import declared_table
from bangfu.core.text import lone_surrogates


class QueryParser(Parser):
    """As ninja's, but a query parameter that takes one value and comes more than once
    (`?caseworker=3&caseworker=7`) is refused rather than read as its last value: which one the
    caller meant is not ours to guess."""

    def parse_querydict(self, data: MultiValueDict, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        if data is request.GET:
            repeated = [key for key, values in data.lists() if len(values) > 1 and key not in list_fields]
            if repeated:
                raise ValidationError([{"type": "multiple_values", "loc": ("query", key), "msg": "repeated"}
                                       for key in repeated])
        return super().parse_querydict(data, list_fields, request)

    def parse_body(self, request: HttpRequest) -> Any:
        """As ninja's, but text no database can store (a lone surrogate, which only JSON's escapes
        can carry) is refused on its field, whatever the field: one rule for every body."""
        data = super().parse_body(request)
        broken = lone_surrogates(data)
        if broken:
            raise ValidationError([{"type": "surrogate_characters", "loc": ("body", "payload", *where), "msg": "surrogate"}
                                   for where in broken])
        return data


class BangfuAPI(NinjaAPI):
    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        """As ninja's, but keeping each error's input: "X is not one of the choices" names it.
        (The input goes no further than the message; errors.install builds the response.)"""
        collected: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            for error in context.pydantic_validation_error.errors(include_url=False):
                loc = model.__ninja_flatten_map_reverse__.get(error["loc"], error["loc"])
                collected.append({**error, "loc": (model.__ninja_param_source__, *loc)})
        return ValidationError(collected)


api = BangfuAPI(
    title="bangfu API",
    version="1",
    description=(
        "Households, members and their history, scoped to the caller's area.\n\n"
        "Authenticate with `Authorization: Bearer <token>` (an API token of your user) or the "
        "browser's session (unsafe methods then need the `X-CSRFToken` header). Messages follow "
        "`Accept-Language` (zh-hans by default, or en). Money is in fen (1 yuan = 100 fen). ID numbers "
        "and phone numbers are masked; `POST /api/members/{id}/reveal` gives a full value to the roles "
        "allowed to see it, and records that it did."
    ),
    auth=[BearerToken(), SessionAuth()],
    parser=QueryParser(),
    urls_namespace="api",
    # The bundled Swagger UI (ninja's static files), never a CDN: see settings.INSTALLED_APPS.
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)

for prefix, router in declared_table("api_routers").items():
    api.add_router(prefix, router)
if settings.BENCH_ROUTES:
    from bangfu.api.bench import router as bench_router

    api.add_router("/bench", bench_router)
errors.declare_responses(api)
