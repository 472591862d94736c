"""Villages and groups: the list of those in the user's area, and adding one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from bangfu.core.forms import attach_errors
from bangfu.core.permissions import can, require
from bangfu.regions import queries, services
from bangfu.regions.forms import RegionAddForm


@login_required
@require_http_methods(["GET", "POST"])
def village_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    require(user, "household.view")
    form = None
    if can(user, "region.add"):
        form = RegionAddForm(request.POST or None, parents=queries.parents_for_new_regions(user))
        if request.method == "POST" and form.is_valid():
            try:
                region = services.region_create(actor=user, code=form.code, name=form.cleaned_data["name"])
            except ValidationError as error:
                attach_errors(error, form)
            else:
                messages.success(request, _("Added %(name)s (%(code)s).") % {"name": region.name, "code": region.code})
                return redirect("regions:villages")
    elif request.method == "POST":
        require(user, "region.add")
    status = 400 if form is not None and form.errors else 200
    return render(request, "regions/villages.html", {"regions": queries.local_regions(user), "form": form}, status=status)
