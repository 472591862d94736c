"""Submissions from phones are retried (a lost answer, a double tap): a row written once per
client-generated id, and the retry answered with the row the first attempt wrote."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.db import IntegrityError, models, transaction

M = TypeVar("M", bound=models.Model)


def create_once(model: type[M], *, client_id, create: Callable[[], M], field: str = "client_id") -> tuple[M, bool]:
    """The row of `model` with this client id, written by `create()` if there is none yet.

    Returns (row, created). `model` must hold a unique constraint on `field`: when two attempts race,
    the constraint lets one in, and the other gets the winner's row. `create` runs in a savepoint,
    so a losing attempt leaves nothing of its own behind (history included), and the caller's
    transaction goes on.
    """
    if client_id in (None, ""):
        raise ValueError("a client id is required")
    lookup = {field: client_id}
    existing = model._default_manager.filter(**lookup).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model._default_manager.filter(**lookup).first()
        if existing is None:  # another constraint failed: not a retry
            raise
        return existing, False
