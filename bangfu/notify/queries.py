"""Reads of a user's in-app inbox."""

from __future__ import annotations

from django.http import Http404

from bangfu.notify.models import Notification


def unread_count(user) -> int:
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def inbox(user, *, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user=user).select_related("message")[:limit])


def notification_get(user, pk: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=pk).select_related("message").first()
    if notification is None:
        raise Http404("no such notification")
    return notification
