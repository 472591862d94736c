"""Logging filters: a refused request (401, 403, 404) logged as one line, without a traceback."""

from __future__ import annotations

import logging

# A refusal is the system working: a role without the permission, a row outside the user's area, a
# caller not signed in. Its traceback says nothing (and 866 of them in one run bury the real errors).
REFUSALS = frozenset({401, 403, 404})


def _escaped(text: str) -> str:
    # As Django escapes the path it logs: no control character can forge a log line.
    return text.encode("unicode_escape").decode("ascii")


class RefusalFilter(logging.Filter):
    """On `django.request`: a refusal becomes `Refused 403: GET /path user=12 request=<id>`; every
    other record (a 500 with its traceback) passes with `request=<id>` added to its line."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if getattr(record, "status_code", None) not in REFUSALS:
            request_id = getattr(request, "request_id", None)
            if request_id and isinstance(record.args, tuple) and "request=" not in str(record.msg):
                # A server error: its line names the id the caller was given (X-Request-Id).
                record.msg = f"{record.msg} request=%s"
                record.args = (*record.args, request_id)
            return True
        user = getattr(request, "user", None)
        record.msg = "Refused %s: %s %s user=%s request=%s"
        record.args = (
            record.status_code,
            _escaped(getattr(request, "method", None) or "-"),
            _escaped(getattr(request, "path", None) or "-"),
            user.pk if user is not None and user.is_authenticated else "-",
            getattr(request, "request_id", None) or "-",
        )
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True
