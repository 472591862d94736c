"""Login (throttled after repeated failures) and logout."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from bangfu.accounts import services
from bangfu.core.permissions import home_url_name


def _client_address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


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
        if services.login_locked(username=username, address=address):
            error = _("Too many failed attempts. Wait 15 minutes and try again.")
            status = 429
        else:
            user = authenticate(request, username=username, password=request.POST.get("password") or "")
            if user is not None and user.is_active:
                services.login_succeeded(username=username)
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
