"""Errors every app raises or reports, and how the API reports them: one JSON shape for every
error, in the caller's language.

    400 / 401 / 403 / 404 / 413   {"detail": "..."}
    409                  {"detail": "...", "current_version": 7}
    409 (a replay)       {"detail": "...", "code": "replay_mismatch"}  (a client id stored with another body)
    422                  {"detail": "...", "errors": {"field": ["..."], "members.0.id_number": ["..."]}}
    500                  {"detail": "...", "request_id": "<uuid>"}   (the id the logs and X-Request-Id carry)

A 422 comes from two places, reported the same way: ninja's own check of the request's types
(pydantic), and the Django forms and services that hold the registry's rules. Pydantic's messages
are English only, so each kind of type error is reported with Django's own form message for it,
which Django already translates.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signals
from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.log import log_response
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Schema
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError

from bangfu.core import requestid
from bangfu.core.idempotency import ReplayMismatch


class ConflictError(Exception):
    """An edit based on an old version of a record."""

    def __init__(self, current_version: int):
        super().__init__(current_version)
        self.current_version = current_version
        self.message = _(
            "Someone else changed this record after you opened it (now version %(version)d). "
            "Reload to see their change, then make yours again."
        ) % {"version": current_version}


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]


class ConflictOut(Schema):
    detail: str
    current_version: int


class ReplayOut(Schema):
    detail: str
    code: str


class ServerErrorOut(Schema):
    detail: str
    request_id: str


class FieldErrors(Exception):
    """Raised by a handler with errors already keyed the API's way (`members.0.id_number`)."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


# The responses every authenticated operation may give, for the OpenAPI document; an operation
# with a body may also answer 400 (not JSON at all) and 413 (too large). `declare_responses` adds
# the ones every operation may give to operations that do not list them.
COMMON_RESPONSES: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}
BODY_RESPONSES: dict[int, Any] = {400: ErrorOut, **COMMON_RESPONSES}
EVERY_OPERATION: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut,
                                   500: ServerErrorOut}
WITH_BODY: dict[int, Any] = {400: ErrorOut, 413: ErrorOut}
# An operation taking a `client_id`: the id sent again with another body.
REPLAY_RESPONSES: dict[int, Any] = {409: ReplayOut}


def _invalid_summary() -> str:
    return _("The request has errors; see the message for each field.")


def form_errors(form, prefix: str = "") -> dict[str, list[str]]:
    """A bound, invalid Django form's errors keyed `prefix.field` (`prefix` alone for the form's own)."""
    errors: dict[str, list[str]] = {}
    for field, messages in form.errors.get_json_data().items():
        if field == NON_FIELD_ERRORS:
            key = prefix.rstrip(".") or NON_FIELD_ERRORS
        else:
            key = f"{prefix}{field}"
        errors.setdefault(key, []).extend(str(m["message"]) for m in messages)
    return errors


def merge_errors(*parts: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for part in parts:
        for key, messages in part.items():
            merged.setdefault(key, []).extend(str(m) for m in messages)
    return merged


def django_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ValidationError ({"field": [...]} or a plain message) in the API's shape."""
    if hasattr(error, "error_dict"):
        return {key: [str(m) for m in messages] for key, messages in error.message_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in error.messages]}


def validation_response(api, request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    return api.create_response(request, {"detail": _invalid_summary(), "errors": errors}, status=422)


# --- pydantic's errors, in Django's words ----------------------------------------------------

def _type_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind == "missing":
        return _("This field is required.")
    if kind == "date_window":
        return str(error.get("msg", ""))  # already in the caller's language (core.bounds)

    if kind.startswith("int_"):
        return _("Enter a whole number.")
    if kind.startswith(("float_", "decimal_")) or kind == "finite_number":
        return _("Enter a number.")
    if kind.startswith("bool_"):
        return _("“%(value)s” value must be either True or False.") % {"value": value}
    if kind.startswith("datetime_"):
        return _("Enter a valid date/time.")
    if kind.startswith("date_"):
        return _("Enter a valid date.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. %(value)s is not one of the available choices.") % {"value": value}
    if kind == "multiple_values":
        return _("Give this parameter once.")
    if kind in {"list_type", "iterable_type", "set_type", "tuple_type"}:
        return _("Enter a list of values.")
    if kind.startswith("uuid_"):
        return _("Enter a valid UUID.")
    if kind == "less_than_equal":
        return _("Ensure this value is less than or equal to %(limit_value)s.") % {"limit_value": ctx.get("le")}
    if kind == "greater_than_equal":
        return _("Ensure this value is greater than or equal to %(limit_value)s.") % {"limit_value": ctx.get("ge")}
    if kind == "string_too_long":
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            ctx.get("max_length", 0),
        ) % {"limit_value": ctx.get("max_length", 0), "show_value": len(value) if isinstance(value, str) else 0}
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return _("This field is required.")
        return ngettext(
            "Ensure this value has at least %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at least %(limit_value)d characters (it has %(show_value)d).",
            ctx.get("min_length", 0),
        ) % {"limit_value": ctx.get("min_length", 0), "show_value": len(value) if isinstance(value, str) else 0}
    if kind == "too_long":
        return _("Too many items: at most %(n)d.") % {"n": ctx.get("max_length", 0)}
    if kind == "json_invalid":
        return _("Enter a valid JSON.")
    if kind == "null_characters":
        return _("Null characters are not allowed.")
    if kind == "surrogate_characters":
        return _("This text holds a broken character (half of a UTF-16 pair); type or paste it again.")
    if kind == "extra_forbidden":
        return _("Unknown field.")
    return _("Enter a valid value.")


def _loc_key(loc: tuple) -> str:
    """("body", "payload", "members", 0, "id_number") -> "members.0.id_number"."""
    parts = list(loc[1:])  # drop the source: body, query, path
    if loc and loc[0] == "body" and parts:
        parts = parts[1:]  # drop the parameter's name: a body is one schema
    return ".".join(str(part) for part in parts) or NON_FIELD_ERRORS


def pydantic_errors(errors: list[dict[str, Any]]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for error in errors:
        result.setdefault(_loc_key(tuple(error.get("loc", ()))), []).append(_type_message(error))
    return result


# --- handlers --------------------------------------------------------------------------------

def install(api) -> None:
    """Register the handlers on a NinjaAPI."""

    def on_request_invalid(request, exc: NinjaValidationError):
        return validation_response(api, request, pydantic_errors(exc.errors))

    def on_field_errors(request, exc: FieldErrors):
        return validation_response(api, request, exc.errors)

    def on_django_invalid(request, exc: DjangoValidationError):
        return validation_response(api, request, django_errors(exc))

    def on_not_found(request, exc: Http404):
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    def on_denied(request, exc: DjangoPermissionDenied):
        return api.create_response(request, {"detail": _("Your role does not allow this.")}, status=403)

    def on_conflict(request, exc: ConflictError):
        return api.create_response(
            request, {"detail": str(exc.message), "current_version": exc.current_version}, status=409
        )

    def on_replay(request, exc: ReplayMismatch):
        return api.create_response(request, {"detail": str(exc.message), "code": exc.code}, status=409)

    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, NinjaValidationError):
            # The body's parser refused what it read (ninja reports any error there as a 400).
            return on_request_invalid(request, exc.__cause__)
        message = exc.message
        if exc.status_code == 401 and message == "Unauthorized":
            message = _("Sign in, or send an API token: Authorization: Bearer <token>.")
        elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = _("The request body is not valid JSON.")
        return api.create_response(request, {"detail": str(message)}, status=exc.status_code)

    def on_too_large(request, exc: RequestDataTooBig):
        return api.create_response(request, {"detail": _(
            "The request body is too large: at most %(size)d bytes."
        ) % {"size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE}}, status=413)

    def on_unexpected(request, exc: Exception):
        # What Django does with an unhandled exception (the signal, the log with its traceback),
        # answered in the API's shape with the id the log line carries, never as an HTML page.
        request_id = str(getattr(request, "request_id", None) or requestid.current())
        response = api.create_response(request, {
            "detail": _("The server met an unexpected error. Quote this request id when you report it: "
                        "%(request_id)s.") % {"request_id": request_id},
            "request_id": request_id,
        }, status=500)
        signals.got_request_exception.send(sender=None, request=request)
        log_response("Internal Server Error: %s", request.path, response=response, request=request,
                     exception=exc)
        return response

    api.add_exception_handler(Exception, on_unexpected)
    api.add_exception_handler(RequestDataTooBig, on_too_large)
    api.add_exception_handler(NinjaValidationError, on_request_invalid)
    api.add_exception_handler(FieldErrors, on_field_errors)
    api.add_exception_handler(DjangoValidationError, on_django_invalid)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(DjangoPermissionDenied, on_denied)
    api.add_exception_handler(ConflictError, on_conflict)
    api.add_exception_handler(ReplayMismatch, on_replay)
    api.add_exception_handler(HttpError, on_http_error)


def declare_responses(api) -> None:
    """Add to every operation of `api` the error responses any operation may give (and, with a
    body, 400 and 413), so that the OpenAPI document lists each status the API really returns.
    Call once every router is added, before the URLs are built (ninja copies operations then)."""
    stack = [router for _prefix, router in api._routers]
    while stack:
        router = stack.pop()
        stack.extend(child for _prefix, child, *_rest in router._routers)
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                _declare(operation)


def _declare(operation) -> None:
    models = operation.response_models
    if len(models) == 1 and 200 not in models:
        return  # a view's plain return goes to its only status; more statuses would send it to 200
    extra = dict(EVERY_OPERATION)
    if set(operation.methods) & {"POST", "PUT", "PATCH"}:
        extra.update(WITH_BODY)
    for status, model in extra.items():
        if status not in models:
            models[status] = operation._create_response_model(model)
