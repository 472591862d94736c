"""The in-app inbox: a user's notifications, newest first; open one (marks it read) or mark all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from bangfu.core.permissions import require
from bangfu.notify import queries, services


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    require(request.user, "notification.view")
    return render(request, "notify/inbox.html", {
        "notifications": queries.inbox(request.user),
        "unread": queries.unread_count(request.user),
    })


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "notification.view")
    notification = queries.notification_get(request.user, pk)
    services.notification_read(notification=notification, actor=request.user)
    link = notification.message.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("notify:inbox")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    require(request.user, "notification.view")
    services.notifications_read_all(actor=request.user)
    return redirect("notify:inbox")
