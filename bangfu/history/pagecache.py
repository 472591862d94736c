"""Pages served again from a cache until history records a change in their area.

Every write goes through a service that records history, and recording history counts a change in
the area it belongs to (`AreaChange`, in the same transaction). A page decorated with
`cached_page` names the areas its data comes from; its rendered HTML is kept under a key made of
those areas' versions and of everything else the HTML depends on (the session and its CSRF secret,
the user, the language, the day, the menu's counts, the URL). A request whose key is known gets the
kept HTML after one query for the versions, instead of the page's own queries and rendering; any
change in the areas, committed, gives a new key.

Recording history (`history.services.record`, and the bulk writers beside it) marks the change's
area itself. A write that changes what these pages show without recording history (scheduled jobs
making follow-ups or due checks, synthetic data, a new user or village) calls
`history.services.areas_touch(codes)` itself, and nothing else. bangfu/api/tests/
test_every_write.py (the top layer, which may import every app) runs every public function of every
app's services module and fails for one whose write moves no area's version, unless it is listed
there as changing no page, with the reason. A database put back from a backup can bring versions back to values already seen: restart the app servers after a restore (the kept
pages are in each process's memory and go with it).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable

from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from bangfu.core.dates import local_today
from bangfu.core.nav import nav_links

CACHE = "pages"


def _key(request: HttpRequest, view_name: str, version: str) -> str:
    user = request.user
    match = request.resolver_match
    badges = [link.badge for link in nav_links(user, match.view_name if match else None)]
    get_token(request)  # the page's forms carry a token of this session's CSRF secret
    parts = (
        view_name, request.get_full_path(), request.session.session_key, request.META.get("CSRF_COOKIE"),
        user.pk, user.role, user.region_id, str(user), get_language(), local_today().isoformat(),
        badges, request.headers.get("HX-Request"), request.headers.get("HX-Target"), version,
    )
    return "page:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def cached_page(version: Callable[..., object], *, unless: Callable[[HttpRequest], bool] | None = None,
                timeout: int = 3600):
    """Serve a GET page again while `version(request, *args, **kwargs)` (built from history.queries)
    is unchanged. Only for pages whose content depends on nothing but the data of those areas, the
    user and the day. Goes under the view's login decorator; the view's own permission and scope
    checks run when the page is built, and a kept page is served only to the session it was built
    for, with the same role and region (both in the key). Not cached: other methods, requests for
    which `unless(request)` is true (a page that records a reveal), pages with a message to show,
    answers other than 200 (refused, redirected)."""

    def decorator(view):
        name = f"{view.__module__}.{view.__qualname__}"

        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method != "GET" or (unless and unless(request)) or len(get_messages(request)):
                return view(request, *args, **kwargs)
            cache = caches[CACHE]
            key = _key(request, name, str(version(request, *args, **kwargs)))
            kept = cache.get(key)
            if kept is not None:
                content_type, body = kept
                return HttpResponse(body, content_type=content_type)
            response = view(request, *args, **kwargs)
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, (response["Content-Type"], response.content), timeout)
            return response

        return wrapper

    return decorator

