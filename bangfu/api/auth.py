"""API authentication: a bearer token (scripts, phones) or the browser's session (with CSRF)."""

from __future__ import annotations

from ninja.security import HttpBearer, SessionAuth

from bangfu.accounts.services import token_user

__all__ = ["BearerToken", "SessionAuth"]


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = token_user(token)
        if user is not None:
            request.user = user
        return user
