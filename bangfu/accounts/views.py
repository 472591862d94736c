"""Login (throttled after repeated failures) and logout."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from bangfu.accounts import services
from bangfu.core.permissions import home_url_name


def _client_address(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For only as far as the configured proxies vouch for it.

    Each trusted proxy appends the address it saw, so with N of them the client is the Nth entry
    from the right; anything further left was written by the client and may be forged.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXIES
    if not proxies:
        return remote
    entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if entry.strip()]
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote


@never_cache
@csrf_protect
def login_view(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = AuthenticationForm(request)
    error, status = "", 200
    if request.method == "POST":
        username = (request.POST.get("username") or "").strip()
        address = _client_address(request)
        # An unbound form keeps the page free of the form's own messages; the error is ours.
        form = AuthenticationForm(request, initial={"username": username})
        if free_at := services.login_locked(username=username, address=address):
            # Rounded up to the minute, so that the time named is never too early.
            at = timezone.localtime(free_at).replace(second=0, microsecond=0) + timedelta(minutes=1)
            when = date_format(at, "H:i" if at.date() == timezone.localdate() else "Y-m-d H:i")
            error = _("Too many failed attempts. Try again after %(time)s.") % {"time": when}
            status = 429
        else:
            user = authenticate(request, username=username, password=request.POST.get("password") or "")
            if user is not None and user.is_active:
                services.login_succeeded(username=username, address=address)
                login(request, user)
                return redirect(next_url or home_url_name(user))
            services.login_failed(username=username, address=address)
            error = _("The username or password is wrong.")
            status = 400
    return render(request, "accounts/login.html", {"form": form, "error": error, "next": next_url}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")
