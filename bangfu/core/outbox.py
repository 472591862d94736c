"""How a page form answers the phone's outbox (`core/static/core/outbox.js`).

A form marked `data-outbox` is not posted by the browser: the outbox keeps it in IndexedDB and sends
it with fetch and the header `X-Bangfu-Outbox: 1`, now or when the signal comes back. The view is
the same one the plain form posts to, wrapped in `@outbox_form`, and answers such a request in JSON:

    200 {"status": "stored", "location": url}        stored now, or already by an earlier send of
                                                      the same submission: the entry leaves the outbox
                                                      and the page goes to `location`
    422 {"status": "invalid", "detail", "errors", "html"}  the form refused it: kept and shown with
                                                      the message (and, to the user who just tapped,
                                                      the page with each field's error: `html`), to
                                                      fix or drop; never sent again by itself
    409 {"status": "replay_mismatch", "code", "detail"}  its client id was stored with another body:
                                                      kept and flagged, never answered as stored
    401 / 403 {"status": "login" | "forbidden", "detail"}  kept; the user logs in again
    404 {"status": "not_found", "detail"}            kept and shown (the household left the user's area)
    5xx, no answer                                   kept; sent again later

The view itself stays a plain form view: it calls `outbox_errors(request, form, *parts)` before it
shows the form again, so that the wrapper can say what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from bangfu.core.idempotency import ReplayMismatch

HEADER = "X-Bangfu-Outbox"


def is_outbox(request: HttpRequest) -> bool:
    return request.method == "POST" and request.headers.get(HEADER) == "1"


def outbox_errors(request: HttpRequest, *forms) -> None:
    """The forms (and contact-form parts) whose errors an outbox request is answered with."""
    request._outbox_forms = [f for f in forms if f is not None]


def _errors(request: HttpRequest) -> tuple[str, dict[str, list[str]]]:
    errors: dict[str, list[str]] = {}
    lines: list[str] = []
    for form in getattr(request, "_outbox_forms", []):
        form = getattr(form, "form", form)
        for name, messages in getattr(form, "errors", {}).items():
            texts = [str(m) for m in messages]
            errors.setdefault(name, []).extend(texts)
            field = form.fields.get(name) if hasattr(form, "fields") else None
            label = str(field.label) if field is not None and field.label else ""
            lines.append(f"{label}: {' '.join(texts)}" if label else " ".join(texts))
    detail = " ".join(lines) or _("The server did not accept this form. Open it to see why.")
    return detail, errors


def _json(status: str, http_status: int, **fields) -> JsonResponse:
    response = JsonResponse({"status": status, **fields}, status=http_status, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def outbox_form(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a page form's view (outside `login_required`) so that outbox requests get the JSON answers
    above, and a plain post of a replayed id with another body gets its own 409 page."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not is_outbox(request):
            try:
                return view(request, *args, **kwargs)
            except ReplayMismatch as error:
                return render(request, "core/replay_mismatch.html", {"message": error.message}, status=409)
        if not request.user.is_authenticated:
            return _json("login", 401, detail=_("Your login has expired. Log in again, then send."))
        try:
            response = view(request, *args, **kwargs)
        except ReplayMismatch as error:
            return _json("replay_mismatch", 409, code=error.code, detail=str(error.message))
        except PermissionDenied:
            return _json("forbidden", 403, detail=_("Your role does not allow this."))
        except Http404:
            return _json("not_found", 404, detail=_("Not found: the household may have left your area."))
        if response.status_code in (301, 302, 303):
            return _json("stored", 200, location=response["Location"])
        if response.status_code in (200, 422):  # the form shown again with its errors
            detail, errors = _errors(request)
            # The page the plain post would have shown: the phone shows it when the user is there.
            html = response.content.decode() if "html" in response.get("Content-Type", "") else ""
            return _json("invalid", 422, detail=detail, errors=errors, html=html)
        return response

    wrapped._outbox_form = True
    return wrapped


class OutboxMiddleware:
    """Every page form the outbox sends is answered by the protocol above, whether or not its view
    was wrapped in `@outbox_form`: a form marked `data-outbox` whose view forgot the wrapper would
    otherwise answer with a redirect the phone cannot tell from a failure, and stay unsent. (Last
    in MIDDLEWARE, so the CSRF check has run.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        if not is_outbox(request) or getattr(view_func, "_outbox_form", False):
            return None
        return outbox_form(view_func)(request, *view_args, **view_kwargs)


OFFLINE_HEADER = "X-Bangfu-Offline"


def offline_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a page the phone may keep to read offline (the service worker keeps only marked pages).

    Only for pages that show masked fields only: an ID number or a phone shown in full is a reveal,
    its own POST answered with `no-store`, never marked. A full page only (not an htmx partial),
    a 200 answer to a GET, and never one that says `no-store`."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if (request.method == "GET" and response.status_code == 200 and not request.headers.get("HX-Request")
                and "no-store" not in response.get("Cache-Control", "")):
            response[OFFLINE_HEADER] = "1"
        return response

    return wrapped
