"""Reads of a user's in-app inbox."""

from __future__ import annotations

from functools import cache

from django.db import connections, router
from django.http import Http404

from bangfu.notify.models import Notification


@cache
def _unread_sql(alias: str) -> str:
    meta = Notification._meta
    quote = connections[alias].ops.quote_name
    return (f"SELECT COUNT(*) FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('user').column)} = %s"
            f" AND {quote(meta.get_field('read_at').column)} IS NULL")


def unread_count(user) -> int:
    """The badge of the menu on every page: the same count as
    `Notification.objects.filter(user=user, read_at__isnull=True).count()`, as one plain SQL
    statement (the ORM's building and compiling of that query cost more than running it)."""
    if user is None or not user.is_authenticated:
        return 0
    alias = router.db_for_read(Notification)
    with connections[alias].cursor() as cursor:
        cursor.execute(_unread_sql(alias), [user.pk])
        return cursor.fetchone()[0]


def inbox(user, *, limit: int = 100) -> list[Notification]:
    return list(Notification.objects.filter(user=user).select_related("message")[:limit])


def notification_get(user, pk: int) -> Notification:
    notification = Notification.objects.filter(user=user, pk=pk).select_related("message").first()
    if notification is None:
        raise Http404("no such notification")
    return notification


# --- work groups ---------------------------------------------------------------------------------

def channels_visible(user) -> list:
    from bangfu.notify.models import Channel

    return list(Channel.objects.visible_to(user).order_by("region_code", "name", "pk"))


def channel_get(user, pk: int):
    """A work group the user manages; outside their township (or missing) is a 404."""
    from bangfu.notify.models import Channel

    channel = Channel.objects.visible_to(user).filter(pk=pk).first()
    if channel is None:
        raise Http404("no such work group")
    return channel


def digests_recent(user, *, limit: int = 50) -> list:
    """The latest digests of the user's work groups, newest first: the text to copy into a group
    that has no robot (a personal WeChat group), or to check what a robot sent."""
    from bangfu.notify.models import Channel, Digest

    return list(Digest.objects.filter(channel__in=Channel.objects.visible_to(user))
                .select_related("channel").order_by("-opened_at", "-pk")[:limit])
