"""Login (throttled after repeated failures) and logout; one's own password; the users page."""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.accounts import queries, services
from bangfu.accounts.forms import PasswordForm, SetupForm, UserAddForm, UserEditForm
from bangfu.core import bounds
from bangfu.core.forms import attach_errors
from bangfu.core.permissions import PermissionDenied, can, home_url_name, require


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


# --- the users page: an administrator's everyone, a township office's township, a county's (read-only) ---

def _roles(user) -> list[str]:
    return services.roles_given_by(user)


@login_required
@require_http_methods(["GET"])
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.view")
    q = (request.GET.get("q") or "").strip()[: bounds.SEARCH]
    users = queries.users_listed(request.user, q=q)
    return render(request, "accounts/user_list.html", {"users": users, "q": q})


@login_required
@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest) -> HttpResponse:
    require(request.user, "user.manage")
    data = request.POST if request.method == "POST" else None
    form = UserAddForm(data, roles=_roles(request.user), initial={"region": request.user.region_id or ""})
    if data is not None and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, region_code=form.cleaned_data["region"] or None,
                                                  **{k: form.cleaned_data[k] for k in (
                                                      "username", "role", "display_name", "phone", "organisation")})
        except ValidationError as error:
            attach_errors(error, form)
        else:
            return _password_shown(request, user, password, _("User added."))
    return render(request, "accounts/user_form.html", {"form": form, "adding": True})


def _password_shown(request: HttpRequest, user, password: str, message: str) -> HttpResponse:
    """The one-time password, on a page of its own that is never cached nor shown again."""
    response = render(request, "accounts/user_password_once.html",
                      {"target": user, "password": password, "message": message})
    add_never_cache_headers(response)
    return response


@login_required
@require_http_methods(["GET"])
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.view")
    target = queries.user_get(request.user, pk)
    return render(request, "accounts/user_detail.html", {
        "target": target, "manage": can(request.user, "user.manage") and target.role in _roles(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    target = queries.user_get(request.user, pk)
    data = request.POST if request.method == "POST" else None
    form = UserEditForm(data, roles=_roles(request.user), initial={
        "display_name": target.display_name, "phone": target.phone, "organisation": target.organisation,
        "role": target.role, "region": target.region_id or ""})
    if data is not None and form.is_valid():
        try:
            services.user_change(actor=request.user, user_id=target.pk, region_code=form.cleaned_data["region"],
                                 **{k: form.cleaned_data[k] for k in ("role", "display_name", "phone", "organisation")})
        except ValidationError as error:
            attach_errors(error, form)
        else:
            messages.success(request, _("User changed."))
            return redirect("accounts:user_detail", target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@login_required
@require_POST
def user_active(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    target = queries.user_get(request.user, pk)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        messages.error(request, _("Choose whether to deactivate or reactivate the user."))
        return redirect("accounts:user_detail", target.pk)
    try:
        services.user_set_active(actor=request.user, user_id=target.pk, active=active == "1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("User reactivated.") if active == "1" else _("User deactivated."))
    return redirect("accounts:user_detail", target.pk)


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "user.manage")
    target = queries.user_get(request.user, pk)
    try:
        user, password = services.user_reset_password(actor=request.user, user_id=target.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:user_detail", target.pk)
    return _password_shown(request, user, password, _("Password reset."))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    """One's own password; the page a user is sent to while a password someone else set is theirs."""
    data = request.POST if request.method == "POST" else None
    form = PasswordForm(data)
    if data is not None and form.is_valid():
        try:
            changed = services.password_change(user=request.user, old_password=form.cleaned_data["old_password"],
                                     new_password=form.cleaned_data["new_password"])
        except ValidationError as error:
            attach_errors(error, form)
        else:
            update_session_auth_hash(request, changed)
            messages.success(request, _("Your password has been changed."))
            return redirect(home_url_name(request.user))
    return render(request, "accounts/password_change.html", {"form": form})


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def setup(request: HttpRequest, token: str) -> HttpResponse:
    """The first administrator, created with the one-time link `bangfu serve` printed; a wrong or used
    link, or any once an administrator exists, is a page that does not exist."""
    if not services.setup_token_valid(token):
        raise Http404(_("No such page."))
    data = request.POST if request.method == "POST" else None
    form = SetupForm(data)
    if data is not None and form.is_valid():
        try:
            user = services.admin_setup(token=token, username=form.cleaned_data["username"],
                                        password=form.cleaned_data["password"])
        except PermissionDenied:
            raise Http404(_("No such page.")) from None
        except ValidationError as error:
            attach_errors(error, form)
        else:
            login(request, user)
            messages.success(request, _("Administrator %(username)s created. Next: load your county's villages "
                                        "and add the township offices.") % {"username": user.username})
            return redirect(home_url_name(user))
    response = render(request, "accounts/setup.html", {"form": form})
    # The link holds its secret: never sent to another site (same-origin keeps the form's CSRF origin check).
    response["Referrer-Policy"] = "same-origin"
    return response
