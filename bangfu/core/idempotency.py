"""Submissions from phones are retried (a lost answer, a double tap, an outbox sending again after
the signal came back): a row written once per client-generated id, and the retry answered with the
row the first attempt wrote.

A retry must be the same submission. Each row keeps a hash of what was submitted with its id (the
cleaned fields, without the id itself or the form's csrf token): the same id with the same body is
answered as done, the same id with another body is refused (`ReplayMismatch`, a 409 with the code
`replay_mismatch`), never answered with the first row as if it had been stored."""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from bangfu.core.crypto import keyed_hash

M = TypeVar("M", bound=models.Model)

# Never part of a body's hash: the id the hash sits beside, and the page's csrf token (new per session).
NOT_HASHED = frozenset({"client_id", "csrfmiddlewaretoken"})


class ClientHashed(models.Model):
    """The hash of the body first stored under a row's client id (empty for rows stored before
    hashes were kept, and for rows written without a client id)."""

    client_hash = models.CharField(max_length=64, blank=True, default="", editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # The row `create_once` is writing takes its body's hash in the same INSERT (no second statement).
        pending = _pending.get()
        if pending is not None and not self.client_hash:
            model, field, client_id, digest = pending
            if type(self) is model and str(getattr(self, field)) == str(client_id):
                self.client_hash = digest
        super().save(*args, **kwargs)


# (model, field, client id, hash) of the row `create_once` is writing, for `ClientHashed.save`.
_pending: contextvars.ContextVar[tuple | None] = contextvars.ContextVar("bangfu_pending_hash", default=None)


class ReplayMismatch(Exception):
    """A submission id already stored with another body: not a retry of the first submission."""

    code = "replay_mismatch"

    def __init__(self):
        self.message = _(
            "This submission was already stored with different contents (replay mismatch). It was not "
            "saved again: check what it says, then drop it or submit it as a new entry."
        )
        super().__init__(self.message)


def _canonical(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet):
        return sorted(_canonical(pk) for pk in value.values_list("pk", flat=True))
    if isinstance(value, Mapping):
        return {str(key): _canonical(item) for key, item in value.items() if str(key) not in NOT_HASHED}
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(item) for item in value), key=repr)
    if isinstance(value, (list, tuple)):
        return [_canonical(item) for item in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, float, uuid.UUID)):
        return str(value)
    if hasattr(value, "_asdict"):
        return _canonical(value._asdict())
    if hasattr(value, "__dataclass_fields__"):
        return _canonical({name: getattr(value, name) for name in value.__dataclass_fields__})
    return str(value)


def payload_hash(payload: Mapping[str, Any]) -> str:
    """The keyed SHA-256 (HMAC, `core.crypto.keyed_hash`) of the body's canonical JSON: keys sorted,
    rows as their ids, numbers and dates as text. Keyed, since a body may hold an ID number or a phone."""
    text = json.dumps(_canonical(payload), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return keyed_hash(text)


def same_body(row: models.Model, digest: str) -> None:
    """Refuse a retry whose body differs from the one stored with `row`'s client id."""
    stored = getattr(row, "client_hash", "")
    if digest and stored and stored != digest:
        raise ReplayMismatch()


def replayed(model: type[M], *, client_id, payload: Mapping[str, Any], field: str = "client_id") -> M | None:
    """The row already stored under this client id, if any, once its body is checked to be the same
    (`ReplayMismatch` otherwise): for a service that answers a retry before checking its fields again."""
    if client_id in (None, ""):
        return None
    existing = model._default_manager.filter(**{field: client_id}).first()
    if existing is not None:
        same_body(existing, payload_hash(payload))
    return existing


def create_once(model: type[M], *, client_id, create: Callable[[], M], field: str = "client_id",
                payload: Mapping[str, Any] | None = None) -> tuple[M, bool]:
    """The row of `model` with this client id, written by `create()` if there is none yet.

    Returns (row, created). `model` must hold a unique constraint on `field`: when two attempts race,
    the constraint lets one in, and the other gets the winner's row. `create` runs in a savepoint,
    so a losing attempt leaves nothing of its own behind (history included), and the caller's
    transaction goes on.

    With `payload` (the submitted fields), the row keeps its hash in `client_hash` (the model is a
    `ClientHashed`), and a retry whose payload differs raises `ReplayMismatch`.
    """
    if client_id in (None, ""):
        raise ValueError("a client id is required")
    digest = payload_hash(payload) if payload is not None else ""
    lookup = {field: client_id}
    existing = model._default_manager.filter(**lookup).first()
    if existing is not None:
        same_body(existing, digest)
        return existing, False
    try:
        token = _pending.set((model, field, client_id, digest) if digest else None)
        try:
            with transaction.atomic():
                row = create()
        finally:
            _pending.reset(token)
        if digest and row.client_hash != digest:  # written some other way than save() (bulk_create)
            model._default_manager.filter(pk=row.pk).update(client_hash=digest)
            row.client_hash = digest
        return row, True
    except IntegrityError:
        existing = model._default_manager.filter(**lookup).first()
        if existing is None:  # another constraint failed: not a retry
            raise
        same_body(existing, digest)
        return existing, False
