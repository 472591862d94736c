"""The township office's work groups: the list, adding and changing a group's robot, a test
message, stopping and resuming, and the recent digests to copy."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangfu.core.permissions import Role, require
from bangfu.notify import queries, services
from bangfu.notify.forms import ChannelForm, StopForm
from bangfu.notify.models import Event

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@require_GET
def channel_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "channel.manage")
    return render(request, "notify/channels.html", {
        "channels": queries.channels_visible(request.user), "events": dict(Event.choices),
    })


@login_required
@GET_POST
def channel_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "channel.manage")
    admin = request.user.role == Role.ADMIN
    form = ChannelForm(request.POST or None, admin=admin)
    if request.method == "POST" and form.is_valid():
        region_code = form.cleaned_data["township"] if admin else request.user.region_id
        services.channel_add(region_code=region_code, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("Work group added. Send a test message to check it."))
        return redirect("notify:channels")
    return render(request, "notify/channel_form.html", {"form": form, "channel": None})


@login_required
@GET_POST
def channel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "channel.manage")
    channel = queries.channel_get(request.user, pk)
    initial = {"vendor": channel.vendor, "name": channel.name, "dingtalk_mode": channel.dingtalk_mode,
               "keyword": channel.keyword, "events": channel.events, "window_minutes": channel.window_minutes}
    form = ChannelForm(request.POST or None, initial=initial, channel=channel)
    if request.method == "POST" and form.is_valid():
        services.channel_edit(channel=channel, data=form.cleaned_data, actor=request.user)
        messages.success(request, _("Work group changed."))
        return redirect("notify:channels")
    return render(request, "notify/channel_form.html", {"form": form, "channel": channel,
                                                         "stop_form": StopForm()})


@login_required
@require_POST
def channel_test(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "channel.manage")
    channel = queries.channel_get(request.user, pk)
    sent, said = services.channel_test(channel=channel, actor=request.user)
    (messages.success if sent else messages.error)(request, f"{channel.name}：{said}")
    return redirect("notify:channels")


@login_required
@require_POST
def channel_stop(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "channel.manage")
    channel = queries.channel_get(request.user, pk)
    form = StopForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.channel_stop(channel=channel, reason=reason, actor=request.user)
    messages.success(request, _("Sending to %(name)s stopped.") % {"name": channel.name})
    return redirect("notify:channels")


@login_required
@require_POST
def channel_resume(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "channel.manage")
    channel = queries.channel_get(request.user, pk)
    services.channel_resume(channel=channel, actor=request.user)
    messages.success(request, _("Sending to %(name)s resumed.") % {"name": channel.name})
    return redirect("notify:channels")


@login_required
@require_GET
def digest_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "channel.manage")
    return render(request, "notify/digests.html", {"digests": queries.digests_recent(request.user)})
