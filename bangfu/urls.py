"""Top-level routes: pages per app, the API, and the language switch."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path

from bangfu.api.urls import api
from bangfu.core.permissions import home_url_name


@login_required
def home(request):
    return redirect(home_url_name(request.user))


urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("bangfu.accounts.urls")),
    path("households/", include("bangfu.households.urls")),
    path("imports/", include("bangfu.imports.urls")),
    path("casework/", include("bangfu.casework.urls")),
    path("regions/", include("bangfu.regions.urls")),
    path("supplies/", include("bangfu.supplies.urls")),
    path("", include("bangfu.deliveries.urls")),  # /deliveries/ and /supplies/distributions/
    path("emergencies/", include("bangfu.emergency.urls")),
    path("needs/", include("bangfu.needs.urls")),
    path("notifications/", include("bangfu.notify.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
]
