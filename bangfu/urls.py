"""Top-level routes: the pages each app declares (`urls` on its AppConfig, a prefix and its URLconf),
the API, and the language switch."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path

from bangfu.api.urls import api
from bangfu.core.permissions import home_url_name
from bangfu.core.plugins import declared_table


@login_required
def home(request):
    return redirect(home_url_name(request.user))


urlpatterns = [
    path("", home, name="home"),
    *(path(prefix, include(module)) for prefix, module in declared_table("urls").items()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]
