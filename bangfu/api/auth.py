"""API authentication: a bearer token (scripts, phones) or the browser's session (with CSRF)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer
from ninja.security import SessionAuth as NinjaSessionAuth
from ninja.utils import check_csrf

from bangfu.accounts.services import token_user

__all__ = ["BearerToken", "SessionAuth"]


class BearerToken(HttpBearer):
    """`Authorization: Bearer bf_...`. A token that is sent but not valid is a 401 at once, rather
    than a silent fall back to the session: a script with a revoked token should hear about it."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            raise AuthenticationError(message=_("The API token is not valid or has been revoked."))
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's login session; unsafe methods need the CSRF token (X-CSRFToken header).

    ninja checks CSRF before it looks at the session, so a request with no session at all would
    be refused as "CSRF failed" (403) instead of "not signed in" (401); here CSRF is checked only
    when there is a signed-in session to protect."""

    def _get_key(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if self.csrf and not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise HttpError(403, _("CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header."))
        return request.COOKIES.get(self.param_name)
