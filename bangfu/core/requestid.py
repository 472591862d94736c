"""The request id that ties together every history row written while serving one request or command."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from contextvars import ContextVar

_request_id: ContextVar[uuid.UUID | None] = ContextVar("bangfu_request_id", default=None)


def current() -> uuid.UUID:
    """The id of the request (or command) being served; a fresh one outside any."""
    value = _request_id.get()
    if value is None:
        value = uuid.uuid4()
        _request_id.set(value)
    return value


@contextlib.contextmanager
def bound(request_id: uuid.UUID | None = None) -> Iterator[uuid.UUID]:
    """Bind a request id for the duration of a block (a request, a command, an import)."""
    value = request_id or uuid.uuid4()
    token = _request_id.set(value)
    try:
        yield value
    finally:
        _request_id.reset(token)
