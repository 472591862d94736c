"""API routes for the caller's in-app notifications: list (newest first) and mark as read."""

from __future__ import annotations

import datetime as dt

from ninja import Path, Query, Router, Schema

from bangfu.core.errors import COMMON_RESPONSES
from bangfu.core.permissions import require
from bangfu.notify import queries, services

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationPage(Schema):
    items: list[NotificationOut]
    unread: int


def _out(n) -> dict:
    m = n.message
    return {"id": n.pk, "kind": m.kind, "subject": m.subject, "body": m.body, "link": m.link,
            "created_at": n.created_at, "read_at": n.read_at}


@router.get("", response={200: NotificationPage, **COMMON_RESPONSES}, summary="My notifications")
def notification_list(request, limit: int = Query(100, ge=1, le=500)):
    """The caller's notifications, newest first, and how many are unread."""
    require(request.auth, "notification.view")
    return {"items": [_out(n) for n in queries.inbox(request.auth, limit=limit)],
            "unread": queries.unread_count(request.auth)}


@router.post("/{id}/read", response={200: NotificationOut, **COMMON_RESPONSES}, summary="Mark one as read")
def notification_read(request, id: int = Path(..., ge=1, le=2**63 - 1)):
    """Another user's notification is 404."""
    require(request.auth, "notification.view")
    notification = queries.notification_get(request.auth, id)
    services.notification_read(notification=notification, actor=request.auth)
    return _out(queries.notification_get(request.auth, id))
