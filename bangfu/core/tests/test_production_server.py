"""The browser tests' production server (browser.production_server) ends every thread that holds the
shared in-memory SQLite connection before it stops sharing it: a connection a browser kept open
(HTTP keep-alive) no longer ends, later, in a thread closing a connection it may no longer use."""

from __future__ import annotations

import http.client
import threading
from urllib.parse import urlsplit

import pytest

from bangfu.core.tests.browser import production_server

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_connection_left_open_ends_with_the_server_not_after_it(monkeypatch):
    raised: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    before = set(threading.enumerate())
    with production_server() as base:
        url = urlsplit(base)
        client = http.client.HTTPConnection(url.hostname, url.port)
        client.request("GET", "/accounts/login/")  # kept alive, as a browser keeps it
        response = client.getresponse()
        response.read()
        assert response.status == 200
    # Every thread the server started has ended with it: none is left to touch the connection.
    left = [thread for thread in set(threading.enumerate()) - before if thread.is_alive()]
    assert not left, left
    client.close()
    assert not raised, raised
