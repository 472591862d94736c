"""Writing history. Called by the services that change data, inside their transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from bangfu.core import bulk, requestid
from bangfu.history.models import Action, Change


def change_record(
    *,
    actor,
    action: Action | str,
    object_type: str,
    object_id: int | None,
    object_repr: str = "",
    household_id: int | None = None,
    region_code: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    message: str = "",
) -> Change:
    return Change.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        request_id=requestid.current(),
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:200],
        household_id=household_id,
        region_code=region_code,
        before=before,
        after=after,
        message=message[:300],
    )


def changes_bulk_record(changes: list[Change]) -> None:
    """For imports: many rows at once, all under the current request id."""
    request_id = requestid.current()
    now = timezone.now()
    for change in changes:
        change.request_id = request_id
        change.at = change.at or now
    Change.objects.bulk_create(changes, batch_size=1000)


CHANGE_ROW = ("action", "object_type", "object_id", "object_repr", "household_id", "region_code", "before", "after")


def changes_bulk_insert(*, actor, message: str, rows: Sequence[tuple]) -> None:
    """For imports of many rows: history rows given as tuples in the order of CHANGE_ROW, all by
    `actor` with `message`, under the current request id. They go in as rows (COPY on
    PostgreSQL), not model objects: an import of a hundred thousand members writes as many."""
    if not rows:
        return
    head = (timezone.now(), actor.pk if actor is not None and getattr(actor, "pk", None) else None,
            requestid.current(), message[:300])
    bulk.insert_rows(
        Change, ("at", "actor_id", "request_id", "message", *CHANGE_ROW),
        # str(): an Action is an Enum, which a COPY would write by its name, not its value.
        [(*head, str(action), object_type, object_id, object_repr[:200], *rest)
         for action, object_type, object_id, object_repr, *rest in rows],
    )


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> tuple[dict, dict]:
    """Only the keys whose values differ, on each side."""
    before = before or {}
    after = after or {}
    keys = [k for k in sorted(set(before) | set(after)) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys if k in before}, {k: after.get(k) for k in keys if k in after}
