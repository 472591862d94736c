"""A test client for the API that goes through the whole middleware stack as a given user."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from bangfu.accounts.services import token_create


class ApiClient:
    """`ApiClient(user).get("/api/households", q="...")`; `language="en"` sends Accept-Language."""

    def __init__(self, user=None, *, language: str | None = None, token: str | None = None):
        self.client = Client()
        self.headers: dict[str, str] = {}
        if token is None and user is not None:
            token = token_create(user=user, name="test")
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"
        if language:
            self.headers["Accept-Language"] = language

    def get(self, path: str, **params: Any):
        return self.client.get(path, params, headers=self.headers)

    def post(self, path: str, body: Any = None):
        return self.client.post(path, json.dumps(body), content_type="application/json", headers=self.headers)

    def patch(self, path: str, body: Any = None):
        return self.client.patch(path, json.dumps(body), content_type="application/json", headers=self.headers)
