"""Writing history. Called by the services that change data, inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from bangfu.core import bulk, requestid
from bangfu.history.models import Action, AreaChange, Change
from bangfu.history.tracked import Tracked

# What only reads data (a reveal of a full ID number, an export) changes no page.
READ_ACTIONS = frozenset({Action.REVEAL, Action.EXPORT})
# Finer codes (a village group) are counted on their village: pages show villages at the finest.
AREA_DIGITS = 12


def areas_touch(region_codes: Iterable[str]) -> None:
    """Count a change in each area, inside the caller's transaction: a page kept for the area is
    not served again once the change is committed (and still is while it is not). An insert, not
    an update of a counter: writers in the same village neither wait for nor deadlock each other.

    Recording history calls it; a write that changes what a page shows without recording history
    (a due date, a new user, a new village) calls it itself (history.pagecache)."""
    codes = sorted({(code or "")[:AREA_DIGITS] for code in region_codes})
    if not codes:
        return
    table = connection.ops.quote_name(AreaChange._meta.db_table)
    with connection.cursor() as cursor:  # one plain statement: most writes touch one village
        cursor.execute(f"INSERT INTO {table} (region_code, count) VALUES {', '.join(['(%s, 1)'] * len(codes))}",
                       codes)


@transaction.atomic
def area_changes_fold() -> int:
    """Fold each area's rows into one with their sum, so that reading a version stays a short
    range scan. The sums never go down: a second fold running at the same time can only add
    (its rows already deleted by the first, it inserts the sum again), which at worst makes pages
    be built once more. Returns how many rows it removed."""
    last = AreaChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    if last is None:
        return 0
    folded = list(AreaChange.objects.filter(pk__lte=last).values("region_code")
                  .annotate(rows=Count("pk"), total=Sum("count")).filter(rows__gt=1)
                  .values_list("region_code", "rows", "total"))
    if not folded:
        return 0
    removed, _by_model = AreaChange.objects.filter(
        pk__lte=last, region_code__in=[code for code, _rows, _total in folded]).delete()
    AreaChange.objects.bulk_create([AreaChange(region_code=code, count=total) for code, _rows, total in folded])
    return removed - len(folded)


def record(actor, action: Action | str, obj, *, before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None, message: str = "", region_code: str | None = None,
           household_id: int | None = None) -> Change | None:
    """Record a change of `obj`, a model that declares `history = Tracked(...)` (history.tracked):
    its type, id, name, household and region come from the declaration. Without `after` (a create
    or change) or `before` (a delete), the declared snapshot of obj stands in. A change records
    only the keys that differ (and the declared `always` keys), and nothing when none does (unless
    the model declares `unchanged` or `whole`).

    `region_code`: for a record that has no region of its own (a schedule for the whole
    deployment), the area it was changed for; or the area of the work that changed it, when that
    is what its row has always said (a quarantine ended at a daily check: the check's village).
    `household_id`: for a record that has no household of its own (stock issued for a delivery),
    the household it was changed for."""
    tracked: Tracked = type(obj).history
    if after is None and action in (Action.CREATE, Action.UPDATE):
        after = tracked.snapshot_of(obj)
    if before is None and action == Action.DELETE:
        before = tracked.snapshot_of(obj)
    if action == Action.UPDATE and not tracked.whole:
        before, after = diff(before, after, keep=tracked.always)
        if not before and not after and not tracked.unchanged:
            return None
    region_code = tracked.region_of(obj) if region_code is None else region_code
    if action not in READ_ACTIONS:
        areas_touch([region_code])
    return Change.objects.create(
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        request_id=requestid.current(),
        action=action,
        object_type=tracked.type,
        object_id=obj.pk,
        object_repr=tracked.repr_of(obj)[:200],
        household_id=tracked.household_of(obj) if household_id is None else household_id,
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
    areas_touch(change.region_code for change in changes if change.action not in READ_ACTIONS)
    Change.objects.bulk_create(changes, batch_size=1000)


CHANGE_ROW = ("action", "object_type", "object_id", "object_repr", "household_id", "region_code", "before", "after")


def changes_bulk_insert(*, actor, message: str, rows: Sequence[tuple]) -> None:
    """For imports of many rows: history rows given as tuples in the order of CHANGE_ROW, all by
    `actor` with `message`, under the current request id. They go in as rows (COPY on
    PostgreSQL), not model objects: an import of a hundred thousand members writes as many."""
    if not rows:
        return
    areas_touch(row[5] for row in rows if row[0] not in READ_ACTIONS)
    head = (timezone.now(), actor.pk if actor is not None and getattr(actor, "pk", None) else None,
            requestid.current(), message[:300])
    bulk.insert_rows(
        Change, ("at", "actor_id", "request_id", "message", *CHANGE_ROW),
        # str(): an Action is an Enum, which a COPY would write by its name, not its value.
        [(*head, str(action), object_type, object_id, object_repr[:200], *rest)
         for action, object_type, object_id, object_repr, *rest in rows],
    )


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None, *,
         keep: Iterable[str] = ()) -> tuple[dict, dict]:
    """Only the keys whose values differ (and those in `keep`), on each side."""
    before = before or {}
    after = after or {}
    keep = frozenset(keep)
    keys = [k for k in sorted(set(before) | set(after)) if k in keep or before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys if k in before}, {k: after.get(k) for k in keys if k in after}
