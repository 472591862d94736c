"""A user whose password someone else set (a new user, a reset) changes it before anything else."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Pages a user must still reach with such a password: the change itself, logging out, the language.
ALLOWED = ("accounts:password", "accounts:logout", "set_language")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "must_change_password", False):
            path = request.path_info
            allowed = {reverse(name) for name in ALLOWED}
            if path in allowed or path.startswith("/" + settings.STATIC_URL.lstrip("/")):
                return self.get_response(request)
            # The API through the browser's session (a token's requests carry no session user).
            if path.startswith("/api/"):
                return JsonResponse({"detail": _("Change your password first: it was set by someone else.")},
                                    status=403)
            return redirect("accounts:password")
        return self.get_response(request)
