"""Villages and groups: the list of those in the user's area, and adding one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from bangfu.core.forms import attach_errors
from bangfu.core.permissions import can, require
from bangfu.regions import queries, services
from bangfu.regions.forms import RegionAddForm, VillagesLoadForm


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
    load_form = VillagesLoadForm() if can(user, "region.load") else None
    return render(request, "regions/villages.html", {
        "regions": queries.local_regions(user), "form": form, "load_form": load_form,
        "own_area": queries.region_names([user.scope]).get(user.scope, "") if user.scope else "",
    }, status=status)


@login_required
@require_POST
def villages_load(request: HttpRequest) -> HttpResponse:
    """One click: the national list's villages of the office's township (or the area an
    administrator names) into the tree; those already there are left as they are."""
    user = request.user
    require(user, "region.load")
    form = VillagesLoadForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("regions:villages")
    prefix = form.cleaned_data["prefix"] or user.scope
    if not prefix:
        messages.error(request, _("Give the code of a county or township."))
        return redirect("regions:villages")
    try:
        result = services.villages_load(prefix=prefix, actor=user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("regions:villages")
    messages.success(request, _("Loaded %(created)d villages from the national list; %(existing)d were there already.")
                     % {"created": result.created, "existing": result.existing})
    for code, name, official in result.differing:
        messages.warning(request, _("Kept %(code)s %(name)s (the national list says %(official)s).")
                         % {"code": code, "name": name, "official": official})
    return redirect("regions:villages")
